import type { Node } from 'web-tree-sitter';
import type { RuleIds } from '../types';

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
