import type { Node } from 'web-tree-sitter';
import { callsTo, keywordFlag } from '../python/args';
import { argumentsFromCallers } from '../python/callers';
import { enclosingFunction, localAssignments } from '../python/locals';
import { argumentList, commandParts } from '../python/command';
import { callArguments, keywordValue, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

const FUNCTIONS = new Set(['run', 'call', 'check_call', 'check_output', 'Popen'].map((f) => `subprocess.${f}`));
function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const shown = resolveCallee(node, pythonBindings(ctx.root))?.qualified ?? 'subprocess call';
  const flag = keywordFlag(node, 'shell');
  if (flag.kind === 'false') return { unfixed: `${shown} on line ${line} already runs without a shell; nothing to fix`, alreadySafe: true };
  if (flag.kind !== 'true') return { unfixed: `${shown} on line ${line} sets shell from an expression; review it by hand` };
  const args = callArguments(node);
  const argsKeyword = args?.keywords.get('args');
  const command = args?.positional[0] ?? (argsKeyword === undefined ? null : keywordValue(argsKeyword));
  if (args === undefined || args.splat || command == null) return { unfixed: `${shown} on line ${line} has no command argument the codemod can read` };
  if (args.keywords.has('executable')) return { unfixed: `${shown} on line ${line} passes executable=, which means something else without a shell` };
  if (command.type === 'list' || command.type === 'tuple') return { unfixed: `${shown} on line ${line} already passes a list to a shell; review it by hand` };
  // A command held in a local variable: every assignment of it is split instead (pygoat-style `command = "dig {}".format(d)`).
  const built = command.type === 'identifier' ? localAssignments(command, node, 'command') : [command];
  if (typeof built === 'string') {
    const fromCallers = command.type === 'identifier' ? parameterCommand(ctx, command, flag.value, shown) : undefined;
    return fromCallers ?? { unfixed: `${shown} on line ${line} runs a command built elsewhere (${command.text}): ${built}; split it by hand` };
  }
  const edits: TextEdit[] = [];
  for (const value of built) {
    const where = value.equals(command) ? `${shown} on line ${line}` : `${shown} on line ${line} (command from line ${value.startPosition.row + 1})`;
    const pieces = commandParts(value);
    if (typeof pieces === 'string') return { unfixed: `${where}: ${pieces}; split the command by hand` };
    if (pieces.every((p) => 'expr' in p)) return { unfixed: `${where} runs a command built elsewhere (${value.text}); split it by hand` };
    const quote = /["]/.test(value.text.replace(/^[^'"]*/, '').charAt(0)) ? '"' : "'";
    const list = argumentList(pieces, quote);
    if (typeof list === 'string') return { unfixed: `${where}: ${list}; split the command by hand` };
    edits.push({ start: value.startIndex, end: value.endIndex, text: `[${list.join(', ')}]` });
  }
  edits.push({ start: flag.value.startIndex, end: flag.value.endIndex, text: 'False' });
  const held = command.type === 'identifier' ? ` (the command held in ${command.text} is now a list)` : '';
  return {
    edits,
    description: `Ran ${shown} on line ${line} with an argument list and shell=False${held}, so values can no longer inject shell commands.`,
  };
}

/**
 * A command that is a parameter of a module-level function (`def command_out(command): Popen(command, shell=True)`):
 * when every call in the file passes a command whose literal parts hold no shell syntax, `shlex.split(command)` gives
 * the argument list the shell would have, and `shell=False` stops values injecting commands. Undefined when it is
 * not a parameter (the caller keeps its own reason).
 */
function parameterCommand(ctx: FixContext, command: Node, shellValue: Node, shown: string): FixOutcome | undefined {
  const line = ctx.node.startPosition.row + 1;
  const fn = enclosingFunction(ctx.node);
  const isParam = fn?.childForFieldName('parameters')?.namedChildren.some((p) => p?.type === 'identifier' && p.text === command.text) === true;
  if (fn === undefined || !isParam) return undefined;
  const reason = (why: string): FixOutcome => ({ unfixed: `${shown} on line ${line} runs ${command.text}, a parameter: ${why}; split it by hand` });
  if (/^\s*shlex\s*=/m.test(ctx.source)) return reason('the file assigns its own shlex name');
  const values = argumentsFromCallers(fn, command.text, ctx.root, 'command');
  if (typeof values === 'string') return reason(values);
  for (const value of values) {
    const pieces = commandParts(value);
    if (typeof pieces === 'string') return reason(`the command passed on line ${value.startPosition.row + 1}: ${pieces}`);
    if (pieces.every((p) => 'expr' in p)) return reason(`the command passed on line ${value.startPosition.row + 1} is built elsewhere (${value.text})`);
    const list = argumentList(pieces, '"');
    if (typeof list === 'string') return reason(`the command passed on line ${value.startPosition.row + 1}: ${list}`);
  }
  const callers = [...new Set(values.map((v) => v.startPosition.row + 1))].join(', ');
  return {
    edits: [
      { start: command.startIndex, end: command.endIndex, text: `shlex.split(${command.text})` },
      { start: shellValue.startIndex, end: shellValue.endIndex, text: 'False' },
    ],
    imports: [{ module: 'shlex' }],
    description: `Ran ${shown} on line ${line} with shlex.split(${command.text}) and shell=False: the commands this file passes (built on line ${callers}) hold no shell syntax, so they split into the same arguments, and a value can no longer inject shell commands. Callers in other modules are not checked: one relying on pipes or redirects would need changing, and text with an unbalanced quote now raises ValueError where the shell reported a syntax error.`,
  };
}

export const subprocessShellFalse: Codemod = {
  id: 'subprocess-shell-false',
  title: 'Run subprocesses without a shell',
  summary: 'Pass subprocess commands as argument lists with shell=False',
  description: [
    'With `shell=True` the command string is parsed by `/bin/sh`, so a value concatenated into it can add `;`, `|`',
    'or `$(…)` and run other commands. This change splits the command into an argument list (each value becomes',
    'exactly one argument) and sets `shell=False`. It only does so when the literal parts hold no shell syntax.',
    '',
    '```diff',
    '-subprocess.run("git log -n 5 " + branch, shell=True)',
    '+subprocess.run(["git", "log", "-n", "5", branch], shell=False)',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'A value that held several arguments, a glob or an environment variable reference is now passed as one literal argument.',
  languages: ['python'],
  cwes: ['CWE-78'],
  owasp: ['A03:2021'],
  references: [
    { title: 'Python subprocess: Security Considerations', url: 'https://docs.python.org/3/library/subprocess.html#security-considerations' },
    { title: 'CWE-78: OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
  ],
  ruleIds: {
    codeql: ['py/command-line-injection', 'py/shell-command-constructed-from-input'],
    semgrep: ['python.lang.security.audit.subprocess-shell-true.subprocess-shell-true', 'python.lang.security.dangerous-subprocess-use.dangerous-subprocess-use'],
    bandit: ['B602'],
    sonar: ['pythonsecurity:S2076', 'python:S4721'],
  },
  target: 'subprocess call with shell=',
  candidates(root) {
    return callsTo(root, (q) => FUNCTIONS.has(q)).filter((c) => keywordFlag(c, 'shell').kind !== 'absent');
  },
  fix,
};
