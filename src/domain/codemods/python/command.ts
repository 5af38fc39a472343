/** A shell command built as a string in Python (`"cmd " + x`, f-strings, `.format`) split into an argument list. */
import type { Node } from 'web-tree-sitter';
import { callArguments, plainString } from './syntax';

/** Characters the shell would interpret in the literal parts: any of them and the split is not a plain word split. */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~{}\n\r]/;

export type Part = { literal: string } | { expr: Node; fstring: boolean };

/** The command's pieces in order, or why it is not a plain concatenation / f-string of literals and values. */
export function commandParts(node: Node): Part[] | string {
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1 && node.namedChild(0) !== null) return commandParts(node.namedChild(0) as Node);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left === null || right === null) return 'the command has a syntax error';
    const l = commandParts(left);
    const r = commandParts(right);
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
export function argumentList(pieces: Part[], quote: string): string | string[] {
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
