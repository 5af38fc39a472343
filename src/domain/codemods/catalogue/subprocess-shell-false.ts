import type { Node } from 'web-tree-sitter';
import { callsTo, keywordFlag } from '../python/args';
import { localAssignments } from '../python/locals';
import { callArguments, keywordValue, plainString, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

const FUNCTIONS = new Set(['run', 'call', 'check_call', 'check_output', 'Popen'].map((f) => `subprocess.${f}`));
/** Characters the shell would interpret in the literal parts: any of them and the split is not a plain word split. */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~{}\n\r]/;

type Part = { literal: string } | { expr: Node; fstring: boolean };

/** The command's pieces in order, or why it is not a plain concatenation / f-string of literals and values. */
function parts(node: Node): Part[] | string {
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1 && node.namedChild(0) !== null) return parts(node.namedChild(0) as Node);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left === null || right === null) return 'the command has a syntax error';
    const l = parts(left);
    const r = parts(right);
    return typeof l === 'string' ? l : typeof r === 'string' ? r : [...l, ...r];
  }
  if (node.type === 'string') {
    const plain = plainString(node);
    if (plain !== undefined) return [{ literal: plain.value }];
    if (!/^[fF]['"]/.test(node.text) && !/^[rR][fF]|^[fF][rR]/.test(node.text)) return 'the command is a bytes or escaped string literal';
    const out: Part[] = [];
    for (const child of node.namedChildren) {
      if (child === null || child.type === 'string_start' || child.type === 'string_end') continue;
      if (child.type === 'string_content') out.push({ literal: child.text });
      else if (child.type === 'interpolation') {
        const expr = child.childForFieldName('expression');
        if (expr === null || child.namedChildCount > 1) return 'the f-string formats a value with a conversion or format spec';
        out.push({ expr, fstring: true });
      } else return 'the command has escape sequences';
    }
    return out;
  }
  if (node.type === 'binary_operator' || node.type === 'concatenated_string') return 'the command is built with an operator other than +';
  if (node.type === 'call' && node.childForFieldName('function')?.text.endsWith('.format') === true) return formatParts(node);
  return [{ expr: node, fstring: false }];
}

/**
 * `"dig {}".format(domain)` → the literal text and the values in place of their fields. Only plain `{}`/`{0}`
 * fields with positional values: a format spec, conversion, name or `{{` is not a plain paste of the value.
 */
function formatParts(call: Node): Part[] | string {
  const method = call.childForFieldName('function');
  const template = method?.type === 'attribute' ? method.childForFieldName('object') : null;
  const text = template == null ? undefined : plainString(template)?.value;
  const args = callArguments(call);
  if (text === undefined || args === undefined || args.splat || args.keywords.size > 0) return 'the command is built with str.format from something other than a plain literal and positional values';
  const out: Part[] = [];
  let auto = 0;
  let at = 0;
  for (const field of text.matchAll(/\{([^{}]*)\}|[{}]/g)) {
    if (field[1] === undefined || !/^\d*$/.test(field[1])) return 'the str.format template has a format spec, conversion, named field or brace escape';
    const value = args.positional[field[1] === '' ? auto++ : Number(field[1])];
    if (value === undefined) return 'the str.format call passes fewer values than its template uses';
    if (field.index > at) out.push({ literal: text.slice(at, field.index) });
    // A value pasted by format() is str(value), as an f-string interpolation is.
    out.push({ expr: value, fstring: true });
    at = field.index + field[0].length;
  }
  if (at < text.length) out.push({ literal: text.slice(at) });
  return out;
}

/** The argument list as Python source, or why the split is ambiguous. */
function argumentList(pieces: Part[], quote: string): string | string[] {
  const words: Part[][] = [[]];
  for (const piece of pieces) {
    if ('expr' in piece) {
      words[words.length - 1]?.push(piece);
      continue;
    }
    if (SHELL_SYNTAX.test(piece.literal)) return `the command contains shell syntax (${JSON.stringify(piece.literal.match(SHELL_SYNTAX)?.[0])})`;
    const chunks = piece.literal.split(/[ \t]+/);
    chunks.forEach((chunk, i) => {
      if (i > 0) words.push([]);
      if (chunk !== '') words[words.length - 1]?.push({ literal: chunk });
    });
  }
  const nonEmpty = words.filter((w) => w.length > 0);
  const first = nonEmpty[0];
  if (first === undefined || !first.every((p) => 'literal' in p)) return 'the program name is not a literal';
  if (first.some((p) => 'literal' in p && p.literal.includes('='))) return 'the command starts with a variable assignment';
  const lit = (s: string): string => `${quote}${s}${quote}`;
  return nonEmpty.map((word) => {
    if (word.every((p) => 'literal' in p)) return lit(word.map((p) => ('literal' in p ? p.literal : '')).join(''));
    if (word.length === 1 && 'expr' in word[0]!) return word[0].fstring ? `str(${word[0].expr.text})` : word[0].expr.text;
    if (word.some((p) => 'expr' in p && p.fstring)) return `f${quote}${word.map((p) => ('literal' in p ? p.literal : `{${p.expr.text}}`)).join('')}${quote}`;
    return word.map((p) => ('literal' in p ? lit(p.literal) : p.expr.text)).join(' + ');
  });
}

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
  if (typeof built === 'string') return { unfixed: `${shown} on line ${line} runs a command built elsewhere (${command.text}): ${built}; split it by hand` };
  const edits: TextEdit[] = [];
  for (const value of built) {
    const where = value.equals(command) ? `${shown} on line ${line}` : `${shown} on line ${line} (command from line ${value.startPosition.row + 1})`;
    const pieces = parts(value);
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
