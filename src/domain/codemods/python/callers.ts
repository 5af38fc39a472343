/** Python: the values a module-level function's parameter receives from the calls in the same file. */
import type { Node } from 'web-tree-sitter';
import { localAssignments } from './locals';
import { callArguments, keywordValue } from './syntax';

/** What the calls in this file pass as `param` of the function `fn`, or why that cannot be read. */
export function argumentsFromCallers(fn: Node, param: string, root: Node, what: string): Node[] | string {
  if (fn.parent?.type !== 'module' && fn.parent?.parent?.type !== 'module') return `${param} is a parameter of a function that is not at module level`;
  const name = fn.childForFieldName('name')?.text;
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p !== null) ?? [];
  const index = params.findIndex((p) => p.type === 'identifier' && p.text === param);
  if (name === undefined || index < 0) return `${param} is not a plain positional parameter`;
  const values: Node[] = [];
  for (const id of root.descendantsOfType('identifier')) {
    if (id === null || id.text !== name || id.equals(fn.childForFieldName('name') ?? id)) continue;
    const call = id.parent;
    if (call?.type !== 'call' || call.childForFieldName('function')?.equals(id) !== true) return `${name} is used other than by a call on line ${id.startPosition.row + 1}`;
    const args = callArguments(call);
    const keyword = args?.keywords.get(param);
    const value = args?.positional[index] ?? (keyword === undefined ? null : keywordValue(keyword));
    if (args === undefined || args.splat || value == null) return `the call of ${name} on line ${call.startPosition.row + 1} passes no ${what} the codemod can read`;
    if (value.type !== 'identifier') {
      values.push(value);
      continue;
    }
    const built = localAssignments(value, call, what);
    if (typeof built === 'string') return `the call of ${name} on line ${call.startPosition.row + 1}: ${built}`;
    values.push(...built);
  }
  if (values.length === 0) return `${name} is not called in this file, so what ${param} holds is not known`;
  return values;
}
