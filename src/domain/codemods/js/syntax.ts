/** JavaScript/TypeScript tree helpers: module bindings (import/require), dotted names, string literals. */
import type { Node } from 'web-tree-sitter';

/** What a local name is bound to: a module namespace/default (`name` undefined) or one export of it. */
export interface JsBinding {
  module: string;
  name?: string;
  /** The statement that binds it (import_statement or lexical/variable declaration). */
  statement: Node;
}

/** `node:crypto` and `crypto` are the same module. */
export function sameModule(a: string, b: string): boolean {
  return a.replace(/^node:/, '') === b.replace(/^node:/, '');
}

/** The value of a plain string literal ('x', "x", `x` without substitutions); undefined otherwise. */
export function jsString(node: Node | null | undefined): string | undefined {
  if (node == null) return undefined;
  if (node.type === 'string') return node.text.slice(1, -1).includes('\\') ? undefined : node.text.slice(1, -1);
  if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) {
    const inner = node.text.slice(1, -1);
    return inner.includes('\\') ? undefined : inner;
  }
  return undefined;
}

/** The quote the file's imports/requires use for module names: `"` when any does, else `'`. */
export function fileQuote(source: string): '"' | "'" {
  return /\b(?:from|require\()\s*"/.test(source) ? '"' : "'";
}

/** `require('m')` → 'm'. */
export function requiredModule(node: Node | null): string | undefined {
  if (node?.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'require') return undefined;
  const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
  return args.length === 1 ? jsString(args[0]) : undefined;
}

function top(root: Node): Node[] {
  return root.namedChildren.filter((c): c is Node => c !== null);
}

/**
 * Top-level declarators of `const/let/var x = require('m')`, `const { a, b: c } = require('m')` and
 * `const x = require('m').a` (`member` is then `a`, the export bound).
 */
function requireDeclarators(root: Node): { declarator: Node; statement: Node; module: string; member?: string }[] {
  const found: { declarator: Node; statement: Node; module: string; member?: string }[] = [];
  for (const statement of top(root)) {
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') continue;
    for (const declarator of statement.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const value = declarator.childForFieldName('value');
      const module = requiredModule(value);
      if (module !== undefined) found.push({ declarator, statement, module });
      const property = value?.type === 'member_expression' ? value.childForFieldName('property') : null;
      const ofModule = value?.type === 'member_expression' ? requiredModule(value.childForFieldName('object')) : undefined;
      if (ofModule !== undefined && property?.type === 'property_identifier') found.push({ declarator, statement, module: ofModule, member: property.text });
    }
  }
  return found;
}

export function jsBindings(root: Node): Map<string, JsBinding> {
  const bindings = new Map<string, JsBinding>();
  for (const statement of top(root)) {
    if (statement.type !== 'import_statement') continue;
    const module = jsString(statement.childForFieldName('source'));
    const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
    if (module === undefined || clause == null) continue;
    for (const part of clause.namedChildren) {
      if (part === null) continue;
      if (part.type === 'identifier') bindings.set(part.text, { module, statement });
      if (part.type === 'namespace_import') {
        const id = part.namedChildren.find((c) => c?.type === 'identifier');
        if (id != null) bindings.set(id.text, { module, statement });
      }
      if (part.type === 'named_imports') {
        for (const spec of part.namedChildren) {
          if (spec?.type !== 'import_specifier') continue;
          const name = spec.childForFieldName('name')?.text;
          const local = spec.childForFieldName('alias')?.text ?? name;
          if (name !== undefined && local !== undefined) bindings.set(local, { module, name, statement });
        }
      }
    }
  }
  for (const { declarator, statement, module, member } of requireDeclarators(root)) {
    const pattern = declarator.childForFieldName('name');
    if (member !== undefined) {
      if (pattern?.type === 'identifier') bindings.set(pattern.text, { module, name: member, statement });
      continue;
    }
    if (pattern?.type === 'identifier') bindings.set(pattern.text, { module, statement });
    if (pattern?.type !== 'object_pattern') continue;
    for (const prop of pattern.namedChildren) {
      if (prop?.type === 'shorthand_property_identifier_pattern') bindings.set(prop.text, { module, name: prop.text, statement });
      if (prop?.type === 'pair_pattern') {
        const key = prop.childForFieldName('key')?.text;
        const value = prop.childForFieldName('value');
        if (key !== undefined && value?.type === 'identifier') bindings.set(value.text, { module, name: key, statement });
      }
    }
  }
  return bindings;
}

/** The local name bound to a module's namespace or default export (`crypto` for `import * as crypto from 'node:crypto'`). */
export function moduleBinding(root: Node, module: string): string | undefined {
  for (const [local, b] of jsBindings(root)) if (b.name === undefined && sameModule(b.module, module)) return local;
  return undefined;
}

/** `a.b.c` for identifier/member chains; undefined for anything computed. */
export function dotted(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'identifier' || node.type === 'this') return node.text;
  if (node.type !== 'member_expression') return undefined;
  const object = dotted(node.childForFieldName('object'));
  const property = node.childForFieldName('property');
  return object === undefined || property?.type !== 'property_identifier' ? undefined : `${object}.${property.text}`;
}

export function callArgs(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
}

/** Is the module an ES module or CommonJS? undefined when the file shows neither. */
export function moduleStyle(root: Node, path: string): 'esm' | 'cjs' | undefined {
  const statements = top(root);
  if (statements.some((s) => s.type === 'import_statement' || s.type === 'export_statement')) return 'esm';
  if (requireDeclarators(root).length > 0 || /\b(module\.exports|exports\.\w+)\s*=/.test(root.text)) return 'cjs';
  if (/\.(mjs|mts|ts|tsx)$/.test(path)) return 'esm';
  if (/\.(cjs|cts)$/.test(path)) return 'cjs';
  return undefined;
}

export { requireDeclarators };
