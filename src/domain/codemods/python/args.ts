/** Python argument-list edits shared by codemods: append a keyword argument, set a literal flag. */
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../types';
import { callArguments, keywordValue, pythonBindings, resolveCallee } from './syntax';

/**
 * An edit appending `text` (e.g. `timeout=60`) as the call's last argument, in the list's style:
 * `f(a)` → `f(a, text)`; a multi-line list with a trailing comma gets its own line, same indent.
 */
export function appendArgument(call: Node, text: string, source: string): TextEdit | undefined {
  const list = call.childForFieldName('arguments');
  if (list === null || list.type !== 'argument_list') return undefined;
  const children = list.children.filter((c): c is Node => c !== null);
  const close = children[children.length - 1];
  if (close?.type !== ')') return undefined;
  const items = children.filter((c) => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment');
  const last = items[items.length - 1];
  if (last === undefined) return { start: close.startIndex, end: close.startIndex, text };
  const afterLast = children.slice(children.indexOf(last) + 1);
  const trailingComma = afterLast.find((c) => c.type === ',');
  if (trailingComma === undefined) return { start: last.endIndex, end: last.endIndex, text: `, ${text}` };
  const lineStart = source.lastIndexOf('\n', last.startIndex - 1) + 1;
  const indent = source.slice(lineStart, last.startIndex);
  const eol = source.slice(0, lineStart).endsWith('\r\n') ? '\r\n' : '\n';
  if (last.startPosition.row !== close.startPosition.row && /^[ \t]*$/.test(indent)) {
    return { start: trailingComma.endIndex, end: trailingComma.endIndex, text: `${eol}${indent}${text},` };
  }
  return { start: trailingComma.endIndex, end: trailingComma.endIndex, text: ` ${text}` };
}

export type FlagState = { kind: 'absent' } | { kind: 'true' | 'false'; value: Node } | { kind: 'other'; value: Node } | { kind: 'splat' };

/** What a call passes for keyword `name`: absent, a literal True/False, something else, or unknowable (**kwargs). */
export function keywordFlag(call: Node, name: string): FlagState {
  const args = callArguments(call);
  const keyword = args?.keywords.get(name);
  const value = keyword === undefined ? null : keywordValue(keyword);
  if (value === null) return args?.splat === true ? { kind: 'splat' } : { kind: 'absent' };
  if (value.type === 'true' || value.type === 'false') return { kind: value.type, value };
  return { kind: 'other', value };
}

/** Calls whose callee qualifies (through the file's imports) to a name the predicate accepts. */
export function callsTo(root: Node, accept: (qualified: string) => boolean): Node[] {
  const bindings = pythonBindings(root);
  return root.descendantsOfType('call').filter((c): c is Node => {
    if (c === null) return false;
    const callee = resolveCallee(c, bindings);
    return callee !== undefined && accept(callee.qualified);
  });
}

/** Does the file import the module (or a name from it)? */
export function importsModule(root: Node, module: string): boolean {
  const b = pythonBindings(root);
  const top = (m: string): string => m.split('.')[0] ?? m;
  return [...b.modules.values()].some((m) => top(m) === module) || [...b.names.values()].some((n) => top(n.module) === module);
}
