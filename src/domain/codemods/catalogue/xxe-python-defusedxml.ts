import type { Node } from 'web-tree-sitter';
import { appendArgument, callsTo, keywordFlag } from '../python/args';
import { callArguments, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/** Standard-library XML parsing functions and the defusedxml module that replaces theirs. */
const STDLIB: Record<string, { safe: string; functions: string[] }> = {
  'xml.etree.ElementTree': { safe: 'defusedxml.ElementTree', functions: ['parse', 'iterparse', 'fromstring', 'XML', 'XMLParser'] },
  'xml.etree.cElementTree': { safe: 'defusedxml.ElementTree', functions: ['parse', 'iterparse', 'fromstring', 'XML', 'XMLParser'] },
  'xml.dom.minidom': { safe: 'defusedxml.minidom', functions: ['parse', 'parseString'] },
  'xml.dom.pulldom': { safe: 'defusedxml.pulldom', functions: ['parse', 'parseString'] },
  'xml.sax': { safe: 'defusedxml.sax', functions: ['parse', 'parseString', 'make_parser'] },
};
const LXML_PARSE = new Set(['lxml.etree.parse', 'lxml.etree.fromstring', 'lxml.etree.XML']);
/** lxml's parser classes: `XMLTreeBuilder` is an alias of `ETCompatXMLParser`; `XMLPullParser` takes the same options. */
const LXML_PARSERS = new Set(['XMLParser', 'ETCompatXMLParser', 'XMLPullParser', 'XMLTreeBuilder'].map((c) => `lxml.etree.${c}`));

function stdlibTarget(qualified: string): { module: string; safe: string; fn: string } | undefined {
  const dot = qualified.lastIndexOf('.');
  const module = qualified.slice(0, dot);
  const fn = qualified.slice(dot + 1);
  const entry = Object.hasOwn(STDLIB, module) ? STDLIB[module] : undefined;
  return entry?.functions.includes(fn) === true ? { module, safe: entry.safe, fn } : undefined;
}

/** `parser=p` where `p = make_parser()` in the same function: the qualified name of the function that made it, and that call. */
function parserMadeBy(ctx: FixContext, keyword: Node | undefined): { qualified: string; call: Node } | undefined {
  const value = keyword?.childForFieldName('value');
  if (value?.type !== 'identifier') return undefined;
  let scope: Node | null = ctx.node.parent;
  while (scope !== null && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  const bindings = pythonBindings(ctx.root);
  const made = (scope ?? ctx.root)
    .descendantsOfType('assignment')
    .filter((a): a is Node => a !== null && a.childForFieldName('left')?.text === value.text && a.startIndex < ctx.node.startIndex)
    .map((a) => a.childForFieldName('right'))
    .map((r) => (r?.type === 'call' ? { qualified: resolveCallee(r, bindings)?.qualified, call: r } : undefined));
  const [only, ...more] = made;
  return more.length === 0 && only?.qualified !== undefined && /(^|\.)make_parser$/.test(only.qualified) ? { qualified: only.qualified, call: only.call } : undefined;
}

function fixStdlib(ctx: FixContext, target: { module: string; safe: string; fn: string }): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  const fn = node.childForFieldName('function');
  if (fn === null || args === undefined) return { unfixed: `line ${line} holds no XML parsing call` };
  if (args.keywords.has('parser') || (target.fn === 'parse' && target.module.startsWith('xml.etree') && args.positional.length > 1)) {
    const made = parserMadeBy(ctx, args.keywords.get('parser'));
    if (made?.qualified.startsWith('defusedxml.') === true) return { unfixed: `${target.module}.${target.fn} on line ${line} parses with a parser from ${made.qualified}; nothing to fix`, alreadySafe: true };
    const maker = made === undefined ? undefined : stdlibTarget(made.qualified);
    const makerFn = made?.call.childForFieldName('function');
    if (made !== undefined && maker !== undefined && makerFn != null) {
      // The parser this call is given is the one to fix: defusedxml's refuses entity declarations and external
      // references whatever features are set on it. The same edit as a finding on that make_parser call gets,
      // so the two share one change.
      const madeLine = made.call.startPosition.row + 1;
      return {
        edits: [{ start: makerFn.startIndex, end: makerFn.endIndex, text: `${maker.safe}.${maker.fn}` }],
        imports: [{ module: maker.safe }],
        description: `Made the parser that ${target.module}.${target.fn} on line ${line} uses with ${maker.safe}.${maker.fn} (line ${madeLine}) instead of ${made.qualified}: it refuses entity declarations and external references whatever features are set. Add defusedxml to the project's dependencies.`,
      };
    }
    if (made !== undefined) {
      return { unfixed: `${target.module}.${target.fn} on line ${line} parses with the parser ${made.qualified} makes in this function, which defusedxml does not replace; fix that parser by hand` };
    }
    return { unfixed: `${target.module}.${target.fn} on line ${line} passes its own parser; defusedxml would not protect it` };
  }
  return {
    edits: [{ start: fn.startIndex, end: fn.endIndex, text: `${target.safe}.${target.fn}` }],
    imports: [{ module: target.safe }],
    description: `Parsed with ${target.safe}.${target.fn} instead of ${target.module}.${target.fn} on line ${line}, which refuses entity declarations and external references. Add defusedxml to the project's dependencies.`,
  };
}

/** lxml parser options and the value that keeps a document from reaching files, the network or its DTD. */
const LXML_SAFE: { name: string; safe: 'True' | 'False'; addWhenAbsent: boolean }[] = [
  { name: 'resolve_entities', safe: 'False', addWhenAbsent: true },
  { name: 'no_network', safe: 'True', addWhenAbsent: true },
  // A DTD named by the document is read from disk even with no_network=True: loading or validating against it is off.
  { name: 'load_dtd', safe: 'False', addWhenAbsent: false },
  { name: 'dtd_validation', safe: 'False', addWhenAbsent: false },
];

function fixLxmlParser(ctx: FixContext, shown: string): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const edits: TextEdit[] = [];
  const wanted: string[] = [];
  const changed: string[] = [];
  for (const option of LXML_SAFE) {
    const flag = keywordFlag(node, option.name);
    if (flag.kind === 'splat') return { unfixed: `lxml ${shown} on line ${line} passes **kwargs, so ${option.name} cannot be known` };
    if (flag.kind === 'other') return { unfixed: `lxml ${shown} on line ${line} sets ${option.name} from an expression (${flag.value.text}); review it by hand` };
    if (flag.kind === 'absent') {
      if (option.addWhenAbsent) wanted.push(`${option.name}=${option.safe}`);
      continue;
    }
    if (flag.value.text !== option.safe) {
      edits.push({ start: flag.value.startIndex, end: flag.value.endIndex, text: option.safe });
      changed.push(`${option.name}=${option.safe}`);
    }
  }
  if (edits.length === 0 && wanted.length === 0) return { unfixed: `lxml ${shown} on line ${line} already resolves no entities and reads no network or DTD; nothing to fix`, alreadySafe: true };
  if (wanted.length > 0) {
    const edit = appendArgument(node, wanted.join(', '), source);
    if (edit === undefined) return { unfixed: `lxml ${shown} on line ${line} has an argument list the fix cannot extend` };
    edits.push(edit);
  }
  const all = [...changed, ...wanted].join(', ');
  return { edits, description: `Made the lxml ${shown} on line ${line} refuse entities, network access and external DTDs (${all}).` };
}

function fixLxmlParse(ctx: FixContext): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  const fn = node.childForFieldName('function');
  if (args === undefined || fn === null) return { unfixed: `line ${line} holds no lxml parse call` };
  if (args.splat) return { unfixed: `the lxml call on line ${line} passes *args/**kwargs, so its parser cannot be known` };
  if (args.keywords.has('parser') || args.positional.length > 1) return { unfixed: `the lxml call on line ${line} passes its own parser; nothing to fix here`, alreadySafe: true };
  const module = fn.type === 'attribute' ? fn.childForFieldName('object')?.text : undefined;
  const parser = `${module === undefined ? '' : `${module}.`}XMLParser(resolve_entities=False, no_network=True)`;
  const edit = appendArgument(node, `parser=${parser}`, source);
  if (edit === undefined) return { unfixed: `the lxml call on line ${line} has an argument list the fix cannot extend` };
  const imports = module === undefined ? [{ module: 'lxml.etree', name: 'XMLParser' }] : [];
  return { edits: [edit], imports, description: `Passed an lxml parser that does not resolve entities to the call on line ${line}.` };
}

function fix(ctx: FixContext): FixOutcome {
  const qualified = resolveCallee(ctx.node, pythonBindings(ctx.root))?.qualified ?? '';
  const target = stdlibTarget(qualified);
  if (target !== undefined) return fixStdlib(ctx, target);
  if (LXML_PARSERS.has(qualified)) return fixLxmlParser(ctx, qualified.slice('lxml.etree.'.length));
  if (LXML_PARSE.has(qualified)) return fixLxmlParse(ctx);
  return { unfixed: `line ${ctx.node.startPosition.row + 1} holds no XML parsing call` };
}

export const xxePythonDefusedxml: Codemod = {
  id: 'xxe-python-defusedxml',
  title: 'Parse XML with defusedxml or a safe lxml parser',
  summary: 'Parse XML in Python without entity expansion or external entities',
  description: [
    "The standard library's XML parsers expand entities declared in the document, so a few hundred bytes can grow",
    'to gigabytes (billion laughs), and `xml.sax`/`pulldom` and lxml can fetch external entities (local files, URLs).',
    'This change calls the `defusedxml` equivalent of `xml.etree.ElementTree`, `xml.dom.minidom`, `pulldom` and',
    '`xml.sax` parsing functions, which refuse entity declarations, and gives lxml a parser with',
    '`resolve_entities=False, no_network=True`.',
    '',
    '```diff',
    '-tree = ET.parse(upload)',
    '+tree = defusedxml.ElementTree.parse(upload)',
    '```',
    '',
    '**Add `defusedxml` to the project\'s dependencies** (requirements.txt, pyproject.toml): it is not in the standard library.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'The stdlib fix needs the defusedxml package added to the dependencies (this change cannot see them), and documents that declare entities are now rejected.',
  languages: ['python'],
  cwes: ['CWE-611', 'CWE-776'],
  owasp: ['A05:2021'],
  references: [
    { title: 'defusedxml', url: 'https://pypi.org/project/defusedxml/' },
    { title: 'Python: XML vulnerabilities', url: 'https://docs.python.org/3/library/xml.html#xml-vulnerabilities' },
    { title: 'lxml: XMLParser options', url: 'https://lxml.de/api/lxml.etree.XMLParser-class.html' },
  ],
  ruleIds: {
    codeql: ['py/xxe', 'py/xml-bomb'],
    semgrep: ['python.lang.security.use-defused-xml.use-defused-xml', 'python.lang.security.use-defused-xml-parse.use-defused-xml-parse'],
    bandit: ['B313', 'B314', 'B315', 'B316', 'B317', 'B318', 'B319', 'B320', 'B410'],
    sonar: ['python:S2755'],
    snyk: ['python/XXE'],
    generic: ['use-defusedxml', 'safe-lxml-parser-defaults', 'safe-lxml-parsing'],
  },
  target: 'XML parsing call',
  candidates: (root) => callsTo(root, (q) => stdlibTarget(q) !== undefined || LXML_PARSERS.has(q) || LXML_PARSE.has(q)),
  fix,
};
