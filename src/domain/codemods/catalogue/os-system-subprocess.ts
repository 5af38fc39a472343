import type { Node } from 'web-tree-sitter';
import { callsTo } from '../python/args';
import { argumentList, commandParts } from '../python/command';
import { localAssignments } from '../python/locals';
import { callArguments, pythonBindings } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/**
 * How the call's result is used, when that use reads the same from `subprocess.call`'s return code as from
 * `os.system`'s wait status: not at all, as a truth value, or compared with 0. Otherwise why not.
 */
function resultUse(call: Node): string | undefined {
  let n: Node = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (parent?.type === 'expression_statement') return undefined;
  if (parent?.type === 'not_operator') return undefined;
  if ((parent?.type === 'if_statement' || parent?.type === 'while_statement' || parent?.type === 'elif_clause') && parent.childForFieldName('condition')?.equals(n) === true) return undefined;
  if (parent?.type === 'comparison_operator') {
    const operands = parent.namedChildren.filter((c): c is Node => c !== null);
    const operators = parent.children.filter((c): c is Node => c !== null && !c.isNamed).map((c) => c.text);
    const other = operands.find((o) => !o.equals(n));
    if (operands.length === 2 && other?.text === '0' && operators.length === 1 && ['==', '!='].includes(operators[0] ?? '')) return undefined;
  }
  return `its result (${parent?.text.slice(0, 40) ?? '?'}) is a wait status, which subprocess.call reports differently`;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  const command = args?.positional[0];
  const where = `os.system on line ${line}`;
  if (args === undefined || command === undefined || args.positional.length > 1 || args.keywords.size > 0 || args.splat) return { unfixed: `${where} does not take just a command` };
  const use = resultUse(node);
  if (use !== undefined) return { unfixed: `${where}: ${use}; review it by hand` };
  const built = command.type === 'identifier' ? localAssignments(command, node, 'command') : [command];
  if (typeof built === 'string') return { unfixed: `${where} runs a command built elsewhere (${command.text}): ${built}; split it by hand` };
  const edits: TextEdit[] = [];
  let list = '';
  for (const value of built) {
    const pieces = commandParts(value);
    if (typeof pieces === 'string') return { unfixed: `${where}: ${pieces}; split the command by hand` };
    if (pieces.every((p) => 'literal' in p)) return { unfixed: `${where} runs a constant command, so nothing from outside reaches the shell; nothing to fix`, alreadySafe: true };
    if (pieces.every((p) => 'expr' in p)) return { unfixed: `${where} runs a command built elsewhere (${value.text}); split it by hand` };
    const quote = /["]/.test(value.text.replace(/^[^'"]*/, '').charAt(0)) ? '"' : "'";
    const words = argumentList(pieces, quote);
    if (typeof words === 'string') return { unfixed: `${where}: ${words}; split the command by hand` };
    list = `[${words.join(', ')}]`;
    if (!value.equals(command)) edits.push({ start: value.startIndex, end: value.endIndex, text: list });
  }
  const fn = node.childForFieldName('function');
  if (fn === null) return { unfixed: `${where} has no callee` };
  const bound = pythonBindings(root).modules.get('subprocess') === 'subprocess';
  edits.push({ start: fn.startIndex, end: fn.endIndex, text: 'subprocess.call' });
  if (command.type !== 'identifier') edits.push({ start: command.startIndex, end: command.endIndex, text: list });
  return {
    edits,
    imports: bound ? [] : [{ module: 'subprocess' }],
    description: `Ran the command on line ${line} with subprocess.call and an argument list instead of os.system, so values can no longer inject shell commands.`,
  };
}

export const osSystemSubprocess: Codemod = {
  id: 'os-system-subprocess',
  title: 'Run commands without a shell instead of os.system',
  summary: 'Replace os.system of a built command with subprocess.call',
  description: [
    '`os.system` hands its string to `/bin/sh`, so a value pasted into it that holds `;`, `|` or `$(…)` runs other',
    'commands. When the literal parts name a plain program and hold no shell syntax, this change calls',
    '`subprocess.call` with an argument list: each value is exactly one argument and no shell starts. Output still',
    'goes to the same place; the result is only kept where it is used as a truth value or compared with 0, which',
    "reads the same from subprocess.call's return code as from os.system's wait status.",
    '',
    '```diff',
    '-os.system("ping -c 1 " + host)',
    '+subprocess.call(["ping", "-c", "1", host])',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'A value that held several arguments is now one argument, and a missing program raises FileNotFoundError where the shell returned 127.',
  languages: ['python'],
  cwes: ['CWE-78'],
  owasp: ['A03:2021'],
  references: [
    { title: 'Python subprocess: replacing os.system', url: 'https://docs.python.org/3/library/subprocess.html#replacing-os-system' },
    { title: 'CWE-78: OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
  ],
  ruleIds: {
    bandit: ['B605'],
    semgrep: ['python.lang.security.audit.dangerous-system-call.dangerous-system-call'],
    codeql: ['py/command-line-injection'],
    sonar: ['pythonsecurity:S2076'],
  },
  target: 'call to os.system',
  candidates: (root) => callsTo(root, (q) => q === 'os.system'),
  fix,
};
