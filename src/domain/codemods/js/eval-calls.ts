import type { Node } from 'web-tree-sitter';
import type { Codemod, RuleIds } from '../types';

/** The rules that flag a call to `eval`, for every codemod that replaces one (JSON, numbers). */
export const evalRuleIds: RuleIds = {
  codeql: ['js/code-injection'],
  semgrep: ['javascript.browser.security.eval-detected.eval-detected', 'javascript.lang.security.detect-eval-with-expression.detect-eval-with-expression'],
  eslint: ['detect-eval-with-expression', 'security/detect-eval-with-expression', 'no-eval', 'sonarjs/code-eval'],
  sonar: ['javascript:S1523'],
};

/** Every direct call to `eval` in the tree. */
export function evalCalls(root: Node): Node[] {
  return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && c.childForFieldName('function')?.text === 'eval');
}

/** What every JavaScript codemod that replaces a call to `eval` shares: where it applies and what it cites. */
export const mdnNeverUseEval = { title: 'MDN: Never use eval()!', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/eval#never_use_direct_eval!' };
export const cweEvalInjection = { title: 'CWE-95: Eval Injection', url: 'https://cwe.mitre.org/data/definitions/95.html' };
export const replacesEvalCall = {
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-95'],
  owasp: ['A03:2021'],
  ruleIds: evalRuleIds,
  target: 'call to eval',
  candidates: evalCalls,
} satisfies Partial<Codemod>;
