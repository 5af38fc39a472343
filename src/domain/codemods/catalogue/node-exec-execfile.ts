import type { Node } from 'web-tree-sitter';
import { isFunctionLiteral, looksLikeCallback } from '../js/callbacks';
import { childProcessCall, commandPieces, evidentlyString, shellWords, type ChildProcessCall, type CommandPiece } from '../js/child-process';
import { objectPairs, pairKey } from '../js/objects';
import { callArgs, fileQuote, jsBindings, sameModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome, ImportRequest, TextEdit } from '../types';

const REPLACEMENT: Record<string, string> = { exec: 'execFile', execSync: 'execFileSync' };
/** Windows shims that only run through a shell: leave those to a human. */
const SHIMS = new Set(['npm', 'npx', 'yarn', 'pnpm', 'corepack']);
/** Expressions that can be joined with `+` without parentheses. */
const PRIMARY = new Set(['identifier', 'member_expression', 'subscript_expression', 'call_expression', 'string', 'template_string', 'number', 'parenthesized_expression', 'this']);

/** Source for one shell word: a literal, the expression itself, or a string joining literal text and expressions. */
function wordCode(word: readonly CommandPiece[], quote: string, template: boolean, typed: boolean): string {
  const [only] = word;
  if (word.length === 1 && only !== undefined) {
    if (only.kind === 'text') return `${quote}${only.text}${quote}`;
    // Concatenation turned the value into a string; TypeScript needs that said for a string[] argument list.
    return typed && !evidentlyString(only.node) ? `String(${only.node.text})` : only.node.text;
  }
  const [first, second] = word;
  if (template || (first?.kind === 'expr' && second?.kind === 'expr')) {
    return `\`${word.map((p) => (p.kind === 'text' ? p.text : `\${${p.node.text}}`)).join('')}\``;
  }
  return word.map((p) => (p.kind === 'text' ? `${quote}${p.text}${quote}` : PRIMARY.has(p.node.type) ? p.node.text : `(${p.node.text})`)).join(' + ');
}

/** Why the arguments after the command keep execFile from running without a shell, if they do. */
function optionsProblem(fn: string, rest: readonly Node[]): string | undefined {
  const [first, second] = rest;
  if (first === undefined || isFunctionLiteral(first) || first.type === 'undefined' || first.type === 'null') return undefined;
  // exec(cmd, options, callback) and exec(cmd, callback): a lone identifier after the command is the callback only by its name.
  if (fn === 'exec' && second === undefined && looksLikeCallback(first)) return undefined;
  if (first.type !== 'object') return `passes options from an expression (${first.text}), which could set shell`;
  const pairs = objectPairs(first);
  if (pairs === undefined) return 'spreads its options, which could set shell';
  if (pairs.some((p) => pairKey(p) === 'shell')) return 'sets the shell option';
  return undefined;
}

/** References to `name` outside the statement that binds it. */
function uses(root: Node, name: string, binding: Node): number {
  return root
    .descendantsOfType(['identifier', 'shorthand_property_identifier'])
    .filter((n): n is Node => n !== null && n.text === name && !(n.startIndex >= binding.startIndex && n.endIndex <= binding.endIndex)).length;
}

/**
 * The names to rename so the binding reads execFile: the `exec` in `import { exec }` / `const { exec } = require(…)`
 * when it is not renamed, or both in `const exec = require('child_process').exec` (DVNA, NodeGoat's Gruntfile).
 */
function bindingNames(statement: Node, name: string): Node[] {
  const spec = statement.descendantsOfType('import_specifier').find((s) => s?.childForFieldName('name')?.text === name && s.childForFieldName('alias') === null);
  const imported = spec?.childForFieldName('name');
  if (imported != null) return [imported];
  const shorthand = statement.descendantsOfType('shorthand_property_identifier_pattern').find((s) => s?.text === name);
  if (shorthand != null) return [shorthand];
  for (const declarator of statement.namedChildren) {
    const local = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
    const value = declarator?.childForFieldName('value');
    const property = value?.type === 'member_expression' ? value.childForFieldName('property') : null;
    if (local?.type === 'identifier' && local.text === name && property?.text === name) return [local, property];
  }
  return [];
}

/** Edits that make the callee name execFile/execFileSync, plus any import that needs. */
function calleeEdits(call: Node, found: ChildProcessCall, target: string, root: Node): { edits: TextEdit[]; imports: ImportRequest[] } {
  if (found.via.kind === 'member') return { edits: [{ start: found.via.property.startIndex, end: found.via.property.endIndex, text: target }], imports: [] };
  const callee = call.childForFieldName('function');
  if (callee === null) return { edits: [], imports: [] };
  const { local, binding } = found.via;
  const bound = [...jsBindings(root)].find(([, b]) => b.name === target && sameModule(b.module, 'child_process'));
  if (bound !== undefined) return { edits: [{ start: callee.startIndex, end: callee.endIndex, text: bound[0] }], imports: [] };
  const rename = binding.name === local && !jsBindings(root).has(target) ? bindingNames(binding.statement, local) : [];
  if (rename.length > 0 && uses(root, local, binding.statement) === 1) {
    // This call was the only use of exec: rename the binding instead of leaving an unused import behind.
    return {
      edits: [...rename.map((n) => ({ start: n.startIndex, end: n.endIndex, text: target })), { start: callee.startIndex, end: callee.endIndex, text: target }],
      imports: [],
    };
  }
  return { edits: [{ start: callee.startIndex, end: callee.endIndex, text: target }], imports: [{ module: binding.module, name: target }] };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const found = childProcessCall(node, jsBindings(root));
  const target = found === undefined ? undefined : REPLACEMENT[found.fn];
  if (found === undefined || target === undefined) return { unfixed: `line ${line} holds no call to child_process exec` };
  const where = `${found.fn} on line ${line}`;
  const [command, ...rest] = callArgs(node);
  if (command === undefined) return { unfixed: `${where} passes no command` };
  const pieces = commandPieces(command, source);
  if (typeof pieces === 'string') return { unfixed: `${where}: ${pieces}; split it by hand` };
  if (pieces.every((p) => p.kind === 'text')) return { unfixed: `${where} runs a constant command, so nothing from outside reaches the shell; nothing to fix`, alreadySafe: true };
  if (pieces[0]?.kind !== 'text') return { unfixed: `${where} runs a command from a variable or expression (${command.text}); split it by hand` };
  const words = shellWords(pieces);
  if (typeof words === 'string') return { unfixed: `${where}: ${words}; split it by hand` };
  const [program, ...args] = words;
  const name = program?.length === 1 && program[0]?.kind === 'text' ? program[0].text : undefined;
  if (name === undefined) return { unfixed: `${where} builds the program name itself from an expression; split it by hand` };
  if (name.includes('=')) return { unfixed: `${where} starts with a variable assignment (${name}), which needs a shell; split it by hand` };
  if (SHIMS.has(name)) return { unfixed: `${where} runs ${name}, which needs a shell on Windows; review it by hand` };
  const problem = optionsProblem(found.fn, rest);
  if (problem !== undefined) return { unfixed: `${where} ${problem}; review it by hand` };
  const firstString = command.type === 'string' ? command : command.descendantsOfType('string')[0];
  const quote = firstString == null ? fileQuote(source) : firstString.text[0] === '"' ? '"' : "'";
  const template = command.type === 'template_string';
  const typed = ctx.language === 'typescript' || ctx.language === 'tsx';
  const argv = `[${args.map((w) => wordCode(w, quote, template, typed)).join(', ')}]`;
  const callee = calleeEdits(node, found, target, root);
  return {
    edits: [...callee.edits, { start: command.startIndex, end: command.endIndex, text: `${quote}${name}${quote}, ${argv}` }],
    imports: callee.imports,
    description: `Ran ${name} on line ${line} with ${target} and an argument list instead of a shell command line, so the values pasted into it can no longer inject shell commands.`,
  };
}

export const nodeExecExecfile: Codemod = {
  id: 'node-exec-execfile',
  title: 'Run commands with execFile instead of a shell',
  summary: 'Replace child_process exec of a built command line with execFile',
  description: [
    '`exec` and `execSync` hand their command line to `/bin/sh`, so a value pasted into it that holds `;`, `|`,',
    '`$(…)` or a newline runs other commands. When the literal parts of the command name a plain program and hold no',
    'shell syntax, this change calls `execFile`/`execFileSync` with the program and an argument list: each pasted',
    'value becomes exactly one argument and no shell is started. The callback, options and return value are unchanged.',
    '',
    '```diff',
    "-exec('git log -n 5 ' + branch, (err, stdout) => { … });",
    "+execFile('git', ['log', '-n', '5', branch], (err, stdout) => { … });",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason:
    'A pasted value that held several words was split by the shell and is now one argument, and an empty value is now an empty argument; a missing program now fails with ENOENT instead of exit code 127.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-78'],
  owasp: ['A03:2021'],
  references: [
    { title: 'Node.js child_process.execFile', url: 'https://nodejs.org/api/child_process.html#child_processexecfilefile-args-options-callback' },
    { title: 'OWASP OS Command Injection Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html' },
    { title: 'CWE-78: OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
  ],
  ruleIds: {
    codeql: ['js/command-line-injection', 'js/shell-command-constructed-from-input', 'js/shell-command-injection-from-environment'],
    semgrep: ['javascript.lang.security.detect-child-process.detect-child-process'],
    eslint: ['detect-child-process', 'security/detect-child-process', 'sonarjs/os-command'],
    sonar: ['javascript:S4721', 'jssecurity:S2076'],
    snyk: ['javascript/CommandInjection'],
    checkmarx: ['Command_Injection'],
  },
  target: 'call to child_process exec',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => {
      if (c === null) return false;
      const found = childProcessCall(c, bindings);
      return found !== undefined && found.fn in REPLACEMENT;
    });
  },
  fix,
};
