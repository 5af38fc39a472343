/** Calls into node's child_process, and commands built as strings split into a program and its arguments. */
import type { Node } from 'web-tree-sitter';
import { dotted, jsString, sameModule, type JsBinding } from './syntax';

export interface ChildProcessCall {
  /** The child_process function called: `exec`, `execSync`, `spawn`, … */
  fn: string;
  /** How the call names it: `exec(…)` through a named binding, or `cp.exec(…)` through the module. */
  via: { kind: 'named'; local: string; binding: JsBinding } | { kind: 'member'; property: Node };
}

/** `exec(…)`, `cp.exec(…)`, `child_process.execSync(…)` where the name is bound to node's child_process. */
export function childProcessCall(call: Node, bindings: ReadonlyMap<string, JsBinding>): ChildProcessCall | undefined {
  const callee = call.childForFieldName('function');
  const [head = '', member, extra] = (dotted(callee) ?? '').split('.');
  const binding = bindings.get(head);
  if (binding === undefined || !sameModule(binding.module, 'child_process') || extra !== undefined) return undefined;
  if (member === undefined) return binding.name === undefined || binding.name === 'default' ? undefined : { fn: binding.name, via: { kind: 'named', local: head, binding } };
  const property = callee?.childForFieldName('property');
  if ((binding.name !== undefined && binding.name !== 'default') || property == null) return undefined;
  return { fn: member, via: { kind: 'member', property } };
}

/** A piece of a command built by concatenation or a template literal: literal text, or an expression pasted in. */
export type CommandPiece = { kind: 'text'; text: string } | { kind: 'expr'; node: Node };

/**
 * The pieces of a command string: `"git log " + ref`, `` `git log ${ref}` `` and mixtures. A string with
 * an escape sequence gives a reason instead (its text is not what the source shows); anything that is
 * not a literal or a `+` of pieces is an expression piece.
 */
export function commandPieces(node: Node, source: string): CommandPiece[] | string {
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
    return inner == null ? [{ kind: 'expr', node }] : commandPieces(inner, source);
  }
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left === null || right === null) return 'the command is not a plain concatenation';
    const a = commandPieces(left, source);
    if (typeof a === 'string') return a;
    const b = commandPieces(right, source);
    if (typeof b === 'string') return b;
    // `x + y` with no literal on either side may be a numeric sum: keep it whole.
    if (a.every((p) => p.kind === 'expr') && b.every((p) => p.kind === 'expr')) return [{ kind: 'expr', node }];
    return [...a, ...b];
  }
  if (node.type === 'string') {
    const text = jsString(node);
    return text === undefined ? `the literal ${node.text} holds an escape sequence` : [{ kind: 'text', text }];
  }
  if (node.type === 'template_string') {
    const pieces: CommandPiece[] = [];
    let at = node.startIndex + 1;
    for (const child of node.namedChildren) {
      if (child?.type !== 'template_substitution') continue;
      pieces.push({ kind: 'text', text: source.slice(at, child.startIndex) });
      const expression = child.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (expression == null) return 'the template literal has an empty substitution';
      pieces.push({ kind: 'expr', node: expression });
      at = child.endIndex;
    }
    pieces.push({ kind: 'text', text: source.slice(at, node.endIndex - 1) });
    if (pieces.some((p) => p.kind === 'text' && p.text.includes('\\'))) return `the template literal holds an escape sequence`;
    return pieces.filter((p) => p.kind === 'expr' || p.text !== '');
  }
  return [{ kind: 'expr', node }];
}

/** Characters `/bin/sh` gives a meaning to (other than separating words with spaces and tabs). */
export const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~{}!\n\r]/;

/** Splits pieces into shell words on spaces/tabs in the literal text; a reason when the text holds shell syntax. */
export function shellWords(pieces: readonly CommandPiece[]): CommandPiece[][] | string {
  const words: CommandPiece[][] = [];
  let current: CommandPiece[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'expr') {
      current.push(piece);
      continue;
    }
    const syntax = SHELL_SYNTAX.exec(piece.text);
    if (syntax !== null) return `the command's literal text holds shell syntax (${JSON.stringify(syntax[0]).slice(1, -1)})`;
    const parts = piece.text.split(/[ \t]+/);
    parts.forEach((part, i) => {
      if (i > 0 && current.length > 0) {
        words.push(current);
        current = [];
      }
      if (part !== '') current.push({ kind: 'text', text: part });
    });
  }
  if (current.length > 0) words.push(current);
  return words;
}

const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function']);

/**
 * Does TypeScript already know this expression is a string? String literals and templates, and identifiers
 * that name a parameter of an enclosing function annotated `: string`. Used to decide whether an argument
 * that string concatenation used to convert needs `String(…)` to keep the argument list a `string[]`.
 */
export function evidentlyString(expression: Node): boolean {
  if (expression.type === 'string' || expression.type === 'template_string') return true;
  if (expression.type !== 'identifier') return false;
  for (let n = expression.parent; n !== null; n = n.parent) {
    if (!FUNCTIONS.has(n.type)) continue;
    const params = n.childForFieldName('parameters')?.namedChildren ?? [];
    for (const p of params) {
      if (p === null || (p.type !== 'required_parameter' && p.type !== 'optional_parameter')) continue;
      if (p.childForFieldName('pattern')?.text !== expression.text) continue;
      return p.childForFieldName('type')?.text.replace(/^:\s*/, '') === 'string';
    }
  }
  return false;
}
