import type { Node } from 'web-tree-sitter';
import { findPair, objectPairs } from '../js/objects';
import { callArgs, dotted, jsBindings, sameModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const MODULES = ['libxmljs', 'libxmljs2'];
const FUNCTIONS = new Set(['parseXml', 'parseXmlString', 'parseXmlAsync']);

/** `libxmljs.parseXmlString(…)`, `parseXml(…)` from a named import, through the libxmljs or libxmljs2 module. */
function isParse(call: Node, bindings: ReturnType<typeof jsBindings>): boolean {
  const [head = '', member, extra] = (dotted(call.childForFieldName('function')) ?? '').split('.');
  const bound = bindings.get(head);
  if (bound === undefined || !MODULES.some((m) => sameModule(bound.module, m)) || extra !== undefined) return false;
  if (member === undefined) return bound.name !== undefined && FUNCTIONS.has(bound.name);
  return (bound.name === undefined || bound.name === 'default') && FUNCTIONS.has(member);
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const [, options, ...rest] = callArgs(node);
  if (options === undefined) return { unfixed: `the libxmljs parse on line ${line} passes no options, so entities are not substituted; nothing to fix`, alreadySafe: true };
  if (rest.length > 0 || options.type !== 'object') return { unfixed: `the libxmljs parse on line ${line} passes its options from an expression (${options.text}); review it by hand` };
  const pairs = objectPairs(options);
  if (pairs === undefined) return { unfixed: `the libxmljs parse on line ${line} spreads or computes its options; review it by hand` };
  const noent = findPair(pairs, 'noent');
  const value = noent?.type === 'pair' ? noent.childForFieldName('value') : null;
  if (noent === undefined || value?.type === 'false') return { unfixed: `the libxmljs parse on line ${line} does not substitute entities; nothing to fix`, alreadySafe: true };
  if (value?.type !== 'true') return { unfixed: `the libxmljs parse on line ${line} sets noent from an expression (${noent.text}); review it by hand` };
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: 'false' }],
    description: `Turned off entity substitution (noent: false) in the libxmljs parse on line ${line}, so a document can no longer pull in local files or URLs through external entities.`,
  };
}

export const libxmljsNoentFalse: Codemod = {
  id: 'libxmljs-noent-false',
  title: 'Stop libxmljs from substituting XML entities',
  summary: 'Parse XML with libxmljs without entity substitution (noent: false)',
  description: [
    "`noent: true` tells libxml2 to substitute entities, including external ones: a document declaring",
    '`<!ENTITY x SYSTEM "file:///etc/passwd">` gets that file pasted into its text (XXE), and one pointing at a URL',
    'makes the server fetch it. This change sets `noent: false`, libxmljs\'s default.',
    '',
    '```diff',
    "-const doc = libxmljs.parseXmlString(upload, { noent: true, noblanks: true });",
    "+const doc = libxmljs.parseXmlString(upload, { noent: false, noblanks: true });",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents that relied on their own internal entities being expanded now keep the entity references in their text.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-611'],
  owasp: ['A05:2021'],
  references: [
    { title: 'OWASP XML External Entity Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html' },
    { title: 'CWE-611: Improper Restriction of XML External Entity Reference', url: 'https://cwe.mitre.org/data/definitions/611.html' },
  ],
  ruleIds: {
    codeql: ['js/xxe'],
    eslint: ['sonarjs/xml-parser-xxe'],
    sonar: ['javascript:S2755'],
    snyk: ['javascript/XXE'],
  },
  target: 'libxmljs parse call',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && isParse(c, bindings));
  },
  fix,
};
