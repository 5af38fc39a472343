import type { Node } from 'web-tree-sitter';
import { contextNames, words } from '../context';
import { callArguments, pythonBindings } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Names that say the text is data (a literal), not code. */
const DATA_WORDS = new Set(['json', 'literal', 'data', 'payload', 'body', 'config', 'settings', 'params', 'dict', 'list', 'tuple', 'repr', 'serialized', 'raw']);

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  const fn = node.childForFieldName('function');
  if (args === undefined || fn === null) return { unfixed: `line ${line} holds no call to eval` };
  const [arg] = args.positional;
  if (args.splat || args.keywords.size > 0 || args.positional.length !== 1 || arg === undefined) {
    return { unfixed: `eval on line ${line} passes globals/locals or unusual arguments; review it by hand` };
  }
  if (arg.type === 'string' || arg.type === 'concatenated_string') return { unfixed: `eval on line ${line} runs literal code, not data; rewrite it by hand` };
  const dataNamed = [arg.text, ...contextNames(node)].some((n) => words(n).some((w) => DATA_WORDS.has(w)));
  if (!dataNamed) return { unfixed: `eval on line ${line} is not evidently parsing a literal (${arg.text}); review it by hand` };
  const bindings = pythonBindings(root);
  const astModule = [...bindings.modules].find(([, module]) => module === 'ast')?.[0];
  return {
    edits: [{ start: fn.startIndex, end: fn.endIndex, text: `${astModule ?? 'ast'}.literal_eval` }],
    description: `Replaced eval with ast.literal_eval on line ${line}: the text is parsed as a Python literal and can no longer run code.`,
    imports: astModule === undefined ? [{ module: 'ast' }] : [],
  };
}

export const evalLiteralEval: Codemod = {
  id: 'eval-literal-eval',
  title: 'Parse literals with ast.literal_eval instead of eval',
  summary: 'Replace eval of literal text with ast.literal_eval',
  description: [
    '`eval(text)` runs `text` as Python: whoever controls it runs code in the process. When the text is a literal',
    '(a dict, list, number or string, as JSON-like data usually is), `ast.literal_eval` returns the same value and',
    'runs nothing. The change is made only where names mark the text as data (`payload`, `config`, `json`, …).',
    '',
    '```diff',
    '-settings = eval(raw_settings)',
    '+settings = ast.literal_eval(raw_settings)',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Text that was more than a literal (names, calls, arithmetic other than complex numbers) now raises ValueError.',
  languages: ['python'],
  cwes: ['CWE-95'],
  owasp: ['A03:2021'],
  references: [
    { title: 'Python ast.literal_eval', url: 'https://docs.python.org/3/library/ast.html#ast.literal_eval' },
    { title: 'CWE-95: Eval Injection', url: 'https://cwe.mitre.org/data/definitions/95.html' },
  ],
  ruleIds: {
    codeql: ['py/code-injection'],
    semgrep: ['python.lang.security.audit.eval-detected.eval-detected'],
    bandit: ['B307'],
    sonar: ['python:S1523'],
  },
  target: 'call to eval',
  candidates(root) {
    const bindings = pythonBindings(root);
    return root.descendantsOfType('call').filter((c): c is Node => {
      const fn = c?.childForFieldName('function');
      return fn?.type === 'identifier' && fn.text === 'eval' && !bindings.names.has('eval');
    });
  },
  fix,
};
