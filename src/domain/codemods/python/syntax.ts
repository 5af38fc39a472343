/** Python tree helpers shared by the Python codemods: import bindings, callee names, call arguments. */
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../types';

/** What the file's imports bind: `import yaml as y` → modules y→yaml; `from yaml import load as l` → names l→yaml.load. */
export interface PythonBindings {
  modules: Map<string, string>;
  names: Map<string, { module: string; name: string }>;
}

function named(node: Node, field: string): Node[] {
  return node.childrenForFieldName(field).filter((c): c is Node => c !== null);
}

/** Bindings per root node: every Python detector asks, once for the original file and once per verification. */
const bindingsOf = new WeakMap<Node, PythonBindings>();

/** What the file's imports bind. Computed once per root node; treat the answer as read-only. */
export function pythonBindings(root: Node): PythonBindings {
  let bindings = bindingsOf.get(root);
  if (bindings === undefined) {
    bindings = readBindings(root);
    bindingsOf.set(root, bindings);
  }
  return bindings;
}

function readBindings(root: Node): PythonBindings {
  const bindings: PythonBindings = { modules: new Map(), names: new Map() };
  for (const stmt of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (stmt === null) continue;
    if (stmt.type === 'import_statement') {
      for (const name of named(stmt, 'name')) {
        if (name.type === 'aliased_import') {
          const module = name.childForFieldName('name')?.text;
          const alias = name.childForFieldName('alias')?.text;
          if (module !== undefined && alias !== undefined) bindings.modules.set(alias, module);
        } else {
          // `import a.b` binds `a`, and `a.b.f()` then spells the full path itself.
          const first = name.text.split('.')[0] ?? name.text;
          bindings.modules.set(first, first);
        }
      }
      continue;
    }
    const module = stmt.childForFieldName('module_name');
    if (module === null || module.type !== 'dotted_name') continue; // relative imports are the project's own code
    for (const name of named(stmt, 'name')) {
      if (name.type === 'aliased_import') {
        const original = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (original !== undefined && alias !== undefined) bindings.names.set(alias, { module: module.text, name: original });
      } else {
        bindings.names.set(name.text, { module: module.text, name: name.text });
      }
    }
  }
  return bindings;
}

export interface Callee {
  /** Fully qualified through the file's imports, e.g. `yaml.load` for `y.load` after `import yaml as y`. */
  qualified: string;
  /** The identifier naming the function: rename it to call something else. */
  nameNode: Node;
  /** Called by a bare name bound by `from module import name`. */
  fromImport: boolean;
}

function qualifyDotted(node: Node, bindings: PythonBindings): string | undefined {
  if (node.type === 'identifier') {
    const from = bindings.names.get(node.text);
    if (from !== undefined) return `${from.module}.${from.name}`;
    return bindings.modules.get(node.text) ?? node.text;
  }
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    if (object === null || attribute === null) return undefined;
    const left = qualifyDotted(object, bindings);
    return left === undefined ? undefined : `${left}.${attribute.text}`;
  }
  return undefined;
}

/** Callees already resolved, per bindings (so per file) and call node: every Python detector resolves every call. */
const calleesOf = new WeakMap<PythonBindings, WeakMap<Node, Callee | null>>();

/** The function a call calls, when it is a plain (dotted) name; undefined for `f()()`, `x[0]()` etc. */
export function resolveCallee(call: Node, bindings: PythonBindings): Callee | undefined {
  let known = calleesOf.get(bindings);
  if (known === undefined) {
    known = new WeakMap();
    calleesOf.set(bindings, known);
  }
  const cached = known.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const callee = readCallee(call, bindings);
  known.set(call, callee ?? null);
  return callee;
}

function readCallee(call: Node, bindings: PythonBindings): Callee | undefined {
  const fn = call.childForFieldName('function');
  if (fn === null) return undefined;
  if (fn.type === 'identifier') {
    const from = bindings.names.get(fn.text);
    return { qualified: from === undefined ? fn.text : `${from.module}.${from.name}`, nameNode: fn, fromImport: from !== undefined };
  }
  if (fn.type !== 'attribute') return undefined;
  const attribute = fn.childForFieldName('attribute');
  const qualified = qualifyDotted(fn, bindings);
  if (attribute === null || qualified === undefined) return undefined;
  return { qualified, nameNode: attribute, fromImport: false };
}

/** A dotted name (`yaml.SafeLoader`, `SafeLoader`) qualified through the imports; undefined for other expressions. */
export function qualifiedName(node: Node, bindings: PythonBindings): string | undefined {
  return qualifyDotted(node, bindings);
}

export interface CallArguments {
  list: Node;
  positional: Node[];
  keywords: Map<string, Node>;
  /** `*args` or `**kwargs` present: the call's real arguments cannot be known. */
  splat: boolean;
}

export function callArguments(call: Node): CallArguments | undefined {
  const list = call.childForFieldName('arguments');
  if (list === null || list.type !== 'argument_list') return undefined; // generator argument: f(x for x in y)
  const result: CallArguments = { list, positional: [], keywords: new Map(), splat: false };
  for (const arg of list.namedChildren) {
    if (arg === null || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      if (name !== undefined) result.keywords.set(name, arg);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      result.splat = true;
    } else {
      result.positional.push(arg);
    }
  }
  return result;
}

export function keywordValue(keyword: Node): Node | null {
  return keyword.childForFieldName('value');
}

/** The text of a plain string literal (no f-string, no concatenation, no escapes), with its content node. */
export function plainString(node: Node): { value: string; content: Node | null } | undefined {
  if (node.type !== 'string') return undefined;
  const start = node.child(0);
  if (start === null || /[fFbB]/.test(start.text)) return undefined;
  const parts = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'string_start' && c.type !== 'string_end');
  if (parts.length === 0) return { value: '', content: null };
  const [only] = parts;
  if (parts.length !== 1 || only === undefined || only.type !== 'string_content') return undefined;
  return { value: only.text, content: only };
}

/** `[start, end)` of the argument's whole line(s) when it stands alone on them (with an optional trailing comma). */
function ownLines(arg: Node, source: string): [number, number] | undefined {
  const lineStart = source.lastIndexOf('\n', arg.startIndex - 1) + 1;
  if (source.slice(lineStart, arg.startIndex).trim() !== '') return undefined;
  const rest = /^[ \t]*,?[ \t]*(\r?\n)/.exec(source.slice(arg.endIndex));
  return rest === null ? undefined : [lineStart, arg.endIndex + rest[0].length];
}

/**
 * Edits deleting one argument and the comma that separates it. An argument alone on its line goes
 * with its line; comments between arguments survive (only the comma and the argument go then).
 */
export function removeArgument(arg: Node, source: string): TextEdit[] {
  const list = arg.parent;
  if (list === null) return [];
  const whole = ownLines(arg, source);
  if (whole !== undefined) return [{ start: whole[0], end: whole[1], text: '' }];
  const children = list.children.filter((c): c is Node => c !== null);
  const at = children.findIndex((c) => c.equals(arg));
  const isComment = (c: Node): boolean => c.type === 'comment';
  const drop = (node: Node): TextEdit => ({ start: node.startIndex, end: node.endIndex, text: '' });
  const before = children.slice(0, at).reverse();
  const prevComma = before.find((c) => !isComment(c));
  if (prevComma?.type === ',') {
    const prevArg = before.slice(before.indexOf(prevComma) + 1).find((c) => !isComment(c));
    const commentBetween = before.slice(0, before.indexOf(prevArg ?? prevComma)).some(isComment);
    if (prevArg === undefined || prevArg.type === '(' || commentBetween) return [drop(prevComma), drop(arg)];
    return [{ start: prevArg.endIndex, end: arg.endIndex, text: '' }];
  }
  // First argument: take the comma after it and the space up to the next argument.
  const after = children.slice(at + 1);
  const nextComma = after.find((c) => !isComment(c));
  if (nextComma?.type !== ',') return [drop(arg)];
  const next = after[after.indexOf(nextComma) + 1];
  if (next === undefined || isComment(next) || after.slice(0, after.indexOf(nextComma)).some(isComment)) {
    return [drop(arg), drop(nextComma)];
  }
  return [{ start: arg.startIndex, end: next.startIndex, text: '' }];
}
