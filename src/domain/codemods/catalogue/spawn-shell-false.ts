import type { Node } from 'web-tree-sitter';
import { childProcessCall } from '../js/child-process';
import { callArgs, jsBindings, jsString, type JsBinding } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const FUNCTIONS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);
/** Anything the shell would interpret, or whitespace it would split on. */
const SHELL_SYNTAX = /[\s|&;<>()$`\\"'*?[\]#~{}!]/;
/** Windows shims that only run through a shell: leave those to a human. */
const SHIMS = new Set(['npm', 'npx', 'yarn', 'pnpm', 'corepack']);

/** `spawn(…)`/`cp.spawn(…)`/`child_process.execFile(…)` from node's child_process: the function name. */
function childProcessFunction(call: Node, bindings: ReadonlyMap<string, JsBinding>): string | undefined {
  const fn = childProcessCall(call, bindings)?.fn;
  return fn !== undefined && FUNCTIONS.has(fn) ? fn : undefined;
}

/** The `shell: …` pair of the call's options object literal. */
function shellOption(call: Node): Node | undefined {
  const options = callArgs(call).find((a) => a.type === 'object');
  return options?.namedChildren.find((p): p is Node => p?.type === 'pair' && p.childForFieldName('key')?.text.replace(/['"]/g, '') === 'shell');
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const fn = childProcessFunction(node, jsBindings(ctx.root)) ?? 'spawn';
  const value = shellOption(node)?.childForFieldName('value');
  if (value == null) return { unfixed: `line ${line} holds no child_process call passing shell:` };
  if (value.type === 'false') return { unfixed: `${fn} on line ${line} already runs without a shell; nothing to fix`, alreadySafe: true };
  if (value.type !== 'true') return { unfixed: `${fn} on line ${line} sets shell from an expression (${value.text}); review it by hand` };
  const [command, args] = callArgs(node);
  const program = jsString(command);
  if (program === undefined || program === '' || SHELL_SYNTAX.test(program)) {
    return { unfixed: `${fn} on line ${line} runs a command that is not a plain program name; split it by hand` };
  }
  if (SHIMS.has(program)) return { unfixed: `${fn} on line ${line} runs ${program}, which needs a shell on Windows; review it by hand` };
  if (args?.type !== 'array') return { unfixed: `${fn} on line ${line} passes no argument array literal; review it by hand` };
  for (const element of args.namedChildren) {
    if (element === null || element.type === 'comment') continue;
    if (element.type === 'spread_element') return { unfixed: `${fn} on line ${line} spreads its arguments, which the shell used to split; review it by hand` };
    const literal = jsString(element);
    if ((element.type === 'string' || element.type === 'template_string') && (literal === undefined || SHELL_SYNTAX.test(literal))) {
      return { unfixed: `${fn} on line ${line} has an argument the shell would have interpreted (${element.text}); review it by hand` };
    }
  }
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: 'false' }],
    description: `Ran ${fn} on line ${line} without a shell, so its arguments can no longer inject shell commands.`,
  };
}

export const spawnShellFalse: Codemod = {
  id: 'spawn-shell-false',
  title: 'Run child processes without a shell',
  summary: 'Turn off shell: true in child_process calls with argument arrays',
  description: [
    "With `shell: true`, Node joins the program and its arguments into one string and hands it to `/bin/sh`, so an",
    'argument holding `;`, `|` or `$(…)` runs other commands. When the program is a plain name and the literal',
    'arguments hold no shell syntax, this change sets `shell: false`: each array element is then passed as exactly',
    'one argument.',
    '',
    '```diff',
    "-spawn('git', ['log', '-n', '5', branch], { shell: true });",
    "+spawn('git', ['log', '-n', '5', branch], { shell: false });",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Arguments that relied on shell expansion (globs, $VARS, several words in one variable) are now passed literally.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-78'],
  owasp: ['A03:2021'],
  references: [
    { title: 'Node.js child_process.spawn', url: 'https://nodejs.org/api/child_process.html#child_processspawncommand-args-options' },
    { title: 'CWE-78: OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
  ],
  ruleIds: {
    codeql: ['js/command-line-injection', 'js/shell-command-constructed-from-input'],
    semgrep: ['javascript.lang.security.audit.spawn-shell-true.spawn-shell-true', 'javascript.lang.security.detect-child-process.detect-child-process'],
    eslint: ['detect-child-process', 'security/detect-child-process', 'sonarjs/os-command'],
    sonar: ['javascript:S4721'],
  },
  target: 'child_process call passing shell:',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && childProcessFunction(c, bindings) !== undefined && shellOption(c) !== undefined);
  },
  fix,
};
