/** Local variables in Python functions: where a value passed to a call was built, and whether it is used elsewhere. */
import type { Node } from 'web-tree-sitter';

const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** The function a node is in, or undefined at module or class level. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'function_definition') return n;
    if (n.type === 'class_definition') return undefined;
  }
  return undefined;
}

/**
 * The values assigned to the local variable a call gets its command or query from, when it is plainly built in
 * this function before the call, by plain assignments, and read only by this call (so rewriting what it holds
 * changes nothing else). Otherwise why not; `what` names the value in reasons ("command", "query").
 * `alsoReadBy` lets a caller accept other reads it can leave as they are (a query only printed or shown).
 */
export function localAssignments(name: Node, call: Node, what: string, alsoReadBy?: (id: Node) => boolean): Node[] | string {
  const fn = enclosingFunction(call);
  if (fn === undefined) return `the ${what} comes from ${name.text}, which is not a local variable of a function`;
  const params = fn.childForFieldName('parameters')?.descendantsOfType('identifier') ?? [];
  if (params.some((p) => p?.text === name.text)) return `the ${what} comes from the parameter ${name.text}, built by the callers`;
  const body = fn.childForFieldName('body');
  if (body === null) return 'the function has no body';
  const values: Node[] = [];
  let reads = 0;
  for (const id of body.descendantsOfType('identifier')) {
    if (id === null || id.text !== name.text) continue;
    const parent = id.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.equals(id) === true) {
      const value = parent.childForFieldName('right');
      if (value === null || parent.childForFieldName('type') !== null) return `${name.text} is assigned in a form the codemod does not read`;
      if (parent.parent?.type !== 'expression_statement') return `${name.text} is assigned inside another expression`;
      for (let n: Node | null = parent.parent; n !== null && !n.equals(body); n = n.parent) if (SCOPES.has(n.type)) return `${name.text} is also assigned in a nested function or class`;
      if (value.startIndex > call.startIndex) return `${name.text} is assigned again after the call`;
      values.push(value);
      continue;
    }
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(id) === true) continue;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.equals(id) === true) continue;
    if (alsoReadBy?.(id) === true) continue;
    reads += 1;
  }
  if (/\b(global|nonlocal)\b/.test(body.text) && new RegExp(`\\b(global|nonlocal)\\b[^\\n]*\\b${name.text}\\b`).test(body.text)) return `${name.text} is declared global or nonlocal`;
  if (values.length === 0) return `the ${what} comes from ${name.text}, which this function does not assign`;
  if (reads !== 1) return `${name.text} is also used elsewhere in the function, which expects it unchanged (logged, shown or returned)`;
  return values;
}

/** Root names a value reads (`request` for `request.POST["name"]`); undefined for anything but a name chain or subscript of one. */
function rootName(value: Node): string | undefined {
  let n: Node | null = value;
  while (n?.type === 'attribute' || n?.type === 'subscript' || n?.type === 'call') {
    if (n.type === 'call') {
      // `request.POST.get("name")`: a dict lookup with constant arguments reads the same value later; any other
      // call may do something, and running it later could change what happens first.
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'get' || !args.every((a) => a?.type === 'string' || a?.type === 'integer')) return undefined;
      n = fn.childForFieldName('object');
      continue;
    }
    n = n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
  }
  return n?.type === 'identifier' ? n.text : undefined;
}

/** Why values read where a query was built may not be read at the call instead (a name assigned in between). */
export function valuesMovable(values: readonly Node[], from: Node, call: Node): string | undefined {
  const scope = enclosingFunction(call) ?? call;
  for (const value of values) {
    const name = rootName(value);
    if (name === undefined) return `${value.text} is computed where the query is built; moving it to the call could change when it runs`;
    const assigned = scope.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => {
      if (a === null || a.startIndex < from.endIndex || a.startIndex > call.startIndex) return false;
      return a.childForFieldName('left')?.descendantsOfType('identifier').some((i) => i?.text === name) === true;
    });
    if (assigned) return `${name} is assigned between building the query and running it`;
  }
  return undefined;
}

const SHOWING = /^(print|(logger|logging|log|LOGGER|_logger|self\.logger)\.(debug|info|warning|warn|error|exception|critical))$/;

/** Is this read of a name only showing its value: an argument of `print`/a logging call, or a value in a dict literal (a template context)? */
export function onlyShown(id: Node): boolean {
  const parent = id.parent;
  if (parent?.type === 'pair' && parent.childForFieldName('value')?.equals(id) === true) return parent.parent?.type === 'dictionary';
  if (parent?.type !== 'argument_list') return false;
  return SHOWING.test(parent.parent?.childForFieldName('function')?.text ?? '');
}
