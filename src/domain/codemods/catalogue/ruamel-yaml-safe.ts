import type { Node } from 'web-tree-sitter';
import { callsTo } from '../python/args';
import { callArguments, keywordValue, plainString } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

function fix(ctx: FixContext): FixOutcome {
  const line = ctx.node.startPosition.row + 1;
  const args = callArguments(ctx.node);
  if (args === undefined || args.splat) return { unfixed: `ruamel.yaml.YAML on line ${line} passes *args/**kwargs, so its typ cannot be known` };
  const keyword = args.keywords.get('typ');
  const value = keyword === undefined ? args.positional[0] ?? null : keywordValue(keyword);
  if (value === null) return { unfixed: `ruamel.yaml.YAML on line ${line} uses the round-trip loader, which builds no Python objects; nothing to fix`, alreadySafe: true };
  const typ = plainString(value);
  if (typ === undefined) return { unfixed: `ruamel.yaml.YAML on line ${line} takes typ from an expression (${value.text}); review it by hand` };
  if (typ.value !== 'unsafe') return { unfixed: `ruamel.yaml.YAML on line ${line} uses typ='${typ.value}', which builds no Python objects; nothing to fix`, alreadySafe: true };
  const quote = value.text.charAt(value.text.length - 1);
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: `${quote}safe${quote}` }],
    description: `Loaded YAML with typ='safe' instead of typ='unsafe' on line ${line}, so a document can no longer construct arbitrary Python objects.`,
  };
}

export const ruamelYamlSafe: Codemod = {
  id: 'ruamel-yaml-safe',
  title: "Use ruamel.yaml's safe loader",
  summary: "Replace ruamel.yaml YAML(typ='unsafe') with typ='safe'",
  description: [
    "`YAML(typ='unsafe')` lets a document build any Python object (`!!python/object/apply:os.system`), so YAML from",
    "a request or upload can run code. `typ='safe'` builds only plain data: dicts, lists, strings, numbers, dates.",
    '',
    '```diff',
    "-yaml = YAML(typ='unsafe')",
    "+yaml = YAML(typ='safe')",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: "Documents with Python tags now fail to load, and typ='safe' does not keep comments or key order on dump as the round-trip loader does.",
  languages: ['python'],
  cwes: ['CWE-502'],
  owasp: ['A08:2021'],
  references: [
    { title: 'ruamel.yaml: basic usage (typ)', url: 'https://yaml.readthedocs.io/en/latest/basicuse/' },
    { title: 'CWE-502: Deserialization of Untrusted Data', url: 'https://cwe.mitre.org/data/definitions/502.html' },
  ],
  ruleIds: {
    semgrep: ['python.lang.security.deserialization.avoid-unsafe-ruamel.avoid-unsafe-ruamel'],
    codeql: ['py/unsafe-deserialization'],
    generic: ['harden-ruamel'],
  },
  target: 'ruamel.yaml.YAML(...) call',
  candidates: (root): Node[] => callsTo(root, (q) => q === 'ruamel.yaml.YAML' || q === 'ruamel.yaml.main.YAML'),
  fix,
};
