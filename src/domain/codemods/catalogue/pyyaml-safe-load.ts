import type { Node } from 'web-tree-sitter';
import { callArguments, keywordValue, pythonBindings, qualifiedName, removeArgument, resolveCallee, type PythonBindings } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

const UNSAFE_LOADERS = new Set(['Loader', 'FullLoader', 'UnsafeLoader', 'CLoader', 'CFullLoader', 'CUnsafeLoader']);
const SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
const SAFE_NAME: Record<string, string> = { 'yaml.load': 'safe_load', 'yaml.load_all': 'safe_load_all' };

function yamlCall(call: Node, bindings: PythonBindings): ReturnType<typeof resolveCallee> {
  const callee = resolveCallee(call, bindings);
  return callee !== undefined && Object.hasOwn(SAFE_NAME, callee.qualified) ? callee : undefined;
}

/**
 * `yaml.load(s, Loader=AppLoader)` where `class AppLoader(yaml.Loader)` is defined in this file: the class gets
 * the safe base instead (`yaml.SafeLoader`, `CSafeLoader` for the C loaders), keeping its own constructors and
 * every call that uses it. A class that builds Python objects itself, or has several bases, is left alone.
 */
function subclassFix(ctx: FixContext, shown: string, loader: Node, bindings: PythonBindings): FixOutcome {
  const line = ctx.node.startPosition.row + 1;
  const classes = ctx.root.namedChildren.filter((c): c is Node => c?.type === 'class_definition' && c.childForFieldName('name')?.text === loader.text);
  const [cls, ...others] = classes;
  if (cls === undefined || others.length > 0) return { unfixed: `${shown} on line ${line} uses a custom Loader (${loader.text}) not defined once in this file; review it by hand` };
  const bases = cls.childForFieldName('superclasses')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  const [base, ...more] = bases;
  const qualified = base === undefined ? undefined : qualifiedName(base, bindings);
  const name = qualified?.startsWith('yaml.') === true ? qualified.slice(qualified.lastIndexOf('.') + 1) : undefined;
  if (base === undefined || more.length > 0 || name === undefined) return { unfixed: `${shown} on line ${line} uses ${loader.text}, whose bases are not one yaml loader; review it by hand` };
  if (SAFE_LOADERS.has(name)) return { unfixed: `${shown} on line ${line} uses ${loader.text}, a yaml.${name} subclass; nothing to fix`, alreadySafe: true };
  if (!UNSAFE_LOADERS.has(name)) return { unfixed: `${shown} on line ${line} uses ${loader.text}, a subclass of yaml.${name}; review it by hand` };
  if (/python\/|construct_python|construct_object/.test(cls.text)) return { unfixed: `${loader.text} (used on line ${line}) builds Python objects itself, which a SafeLoader base would not; review it by hand` };
  const safe = name.startsWith('C') ? 'CSafeLoader' : 'SafeLoader';
  const dotted = base.type === 'attribute' ? `${base.childForFieldName('object')?.text ?? 'yaml'}.${safe}` : safe;
  return {
    edits: [{ start: base.startIndex, end: base.endIndex, text: dotted }],
    imports: base.type === 'attribute' ? [] : [{ module: 'yaml', name: safe }],
    description: `Based ${loader.text} (used by ${shown} on line ${line}) on yaml.${safe} instead of yaml.${name}, so the YAML cannot construct arbitrary Python objects; its own constructors still apply.`,
  };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = pythonBindings(root);
  const callee = yamlCall(node, bindings);
  const args = callArguments(node);
  if (callee === undefined || args === undefined) return { unfixed: `line ${line} holds no call to yaml.load` };
  const shown = callee.qualified;
  if (args.splat) return { unfixed: `${shown} on line ${line} passes *args/**kwargs, so its Loader cannot be known` };
  const loaderKeyword = args.keywords.get('Loader');
  const loaderPositional = args.positional[1];
  const others = [...args.keywords.keys()].filter((k) => k !== 'Loader');
  if (others.length > 0 || args.positional.length > 2 || (loaderKeyword !== undefined && loaderPositional !== undefined)) {
    return { unfixed: `${shown} on line ${line} has arguments safe_load does not take (${others.join(', ') || 'extra positional'})` };
  }
  if (args.positional.length === 0) return { unfixed: `${shown} on line ${line} has no stream argument` };
  const loaderArg = loaderKeyword ?? loaderPositional;
  const edits: TextEdit[] = [];
  if (loaderArg !== undefined) {
    const value = loaderArg.type === 'keyword_argument' ? keywordValue(loaderArg) : loaderArg;
    const loader = value === null ? undefined : qualifiedName(value, bindings);
    // yaml.Loader, yaml.loader.Loader and a bare Loader imported from yaml all qualify to yaml.….
    const loaderName = loader?.startsWith('yaml.') === true ? loader.slice(loader.lastIndexOf('.') + 1) : undefined;
    if (loaderName !== undefined && SAFE_LOADERS.has(loaderName)) {
      return { unfixed: `${shown} on line ${line} already uses yaml.${loaderName}; nothing to fix`, alreadySafe: true };
    }
    if (loaderName === undefined && value?.type === 'identifier') return subclassFix(ctx, shown, value, bindings);
    if (loaderName === undefined || !UNSAFE_LOADERS.has(loaderName)) {
      return { unfixed: `${shown} on line ${line} uses a custom Loader (${value?.text ?? '?'}); review it by hand` };
    }
    edits.push(...removeArgument(loaderArg, ctx.source));
  }
  const safeName = SAFE_NAME[shown] ?? 'safe_load';
  edits.push({ start: callee.nameNode.startIndex, end: callee.nameNode.endIndex, text: safeName });
  const description = `Replaced ${shown} with yaml.${safeName} on line ${line}, so the YAML cannot construct arbitrary Python objects.`;
  return callee.fromImport ? { edits, description, imports: [{ module: 'yaml', name: safeName }] } : { edits, description };
}

export const pyyamlSafeLoad: Codemod = {
  id: 'pyyaml-safe-load',
  title: 'Use yaml.safe_load',
  summary: 'Load YAML with yaml.safe_load instead of yaml.load',
  description: [
    '`yaml.load` with the default, `Loader`, `FullLoader` or `UnsafeLoader` loaders can construct arbitrary',
    'Python objects from tagged YAML (`!!python/object/apply:os.system`), so YAML from an untrusted source can',
    'run code. `yaml.safe_load` builds only plain data: dicts, lists, strings, numbers, dates.',
    '',
    'This change calls `yaml.safe_load` (or `yaml.safe_load_all`) and drops the unsafe `Loader` argument.',
    '',
    '```diff',
    '-data = yaml.load(stream, Loader=yaml.Loader)',
    '+data = yaml.safe_load(stream)',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents that relied on custom Python tags will no longer load; plain data loads unchanged.',
  languages: ['python'],
  cwes: ['CWE-502'],
  owasp: ['A08:2021'],
  references: [
    { title: 'PyYAML: yaml.load(input) deprecation', url: 'https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation' },
    { title: 'CWE-502: Deserialization of Untrusted Data', url: 'https://cwe.mitre.org/data/definitions/502.html' },
  ],
  ruleIds: {
    codeql: ['py/unsafe-deserialization'],
    semgrep: [
      'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load',
      'python.django.security.audit.avoid-insecure-deserialization.avoid-insecure-deserialization',
    ],
    bandit: ['B506'],
    sonar: ['pythonsecurity:S5135'],
  },
  target: 'call to yaml.load',
  candidates(root) {
    const bindings = pythonBindings(root);
    return root.descendantsOfType('call').filter((c): c is Node => c !== null && yamlCall(c, bindings) !== undefined);
  },
  fix,
};
