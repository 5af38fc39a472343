/** For the JDBC codemod: the local String a query was built in before execute, and names free in a method. */
import type { Node } from 'web-tree-sitter';

/** The method (or constructor, lambda) a node is in. */
export function enclosingMethod(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (['method_declaration', 'constructor_declaration', 'lambda_expression'].includes(n.type)) return n;
  return undefined;
}

/**
 * `String query = "…" + name; … st.executeQuery(query)`: the query's initializer, when it is a local String
 * declared once before the call, never assigned again and read only by this call. Otherwise why not.
 */
export function queryVariable(id: Node, call: Node): { value: Node; declaration: Node } | string {
  const method = enclosingMethod(call);
  if (method === undefined) return `the query comes from ${id.text}, which is not a local variable`;
  let found: { value: Node; declaration: Node } | undefined;
  let reads = 0;
  for (const use of method.descendantsOfType('identifier')) {
    if (use === null || use.text !== id.text) continue;
    const parent = use.parent;
    if (parent?.type === 'variable_declarator' && parent.childForFieldName('name')?.equals(use) === true) {
      const declaration = parent.parent;
      const value = parent.childForFieldName('value');
      if (found !== undefined || value === null || declaration?.type !== 'local_variable_declaration') return `${id.text} is declared more than once or without a value`;
      if (declaration.childForFieldName('type')?.text !== 'String') return `${id.text} is not declared as a String`;
      found = { value, declaration };
      continue;
    }
    if (parent?.type === 'formal_parameter') return `the query comes from the parameter ${id.text}, built by the callers`;
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.equals(use) === true) return `${id.text} is assigned again`;
    if (parent?.type === 'field_access' && parent.childForFieldName('field')?.equals(use) === true) continue;
    reads += 1;
  }
  if (found === undefined) return `the query comes from ${id.text}, which this method does not declare`;
  if (found.value.endIndex > call.startIndex) return `${id.text} is declared after the call`;
  if (reads !== 1) return `${id.text} is also used elsewhere in the method (logged or returned), which would then see placeholders`;
  return found;
}

/** Why values read where the query was built may not be read just before the call instead. */
export function valuesMovable(values: readonly Node[], from: Node, call: Node): string | undefined {
  const method = enclosingMethod(call) ?? call;
  for (const value of values) {
    let rootNode: Node | null = value;
    while (rootNode?.type === 'field_access') rootNode = rootNode.childForFieldName('object');
    if (rootNode?.type !== 'identifier') return `${value.text} is computed where the query is built; moving it to the call could change when it runs`;
    const name = rootNode.text;
    const written = method.descendantsOfType(['assignment_expression', 'update_expression']).some((w) => {
      if (w === null || w.startIndex < from.endIndex || w.startIndex > call.startIndex) return false;
      return w.descendantsOfType('identifier')[0]?.text === name;
    });
    if (written) return `${name} is assigned between building the query and running it`;
  }
  return undefined;
}

/** A name for the new PreparedStatement that the method does not use yet. */
export function freshName(method: Node | undefined, base: string): string {
  const used = new Set((method?.descendantsOfType('identifier') ?? []).map((i) => i?.text));
  for (let i = 0; ; i++) if (!used.has(i === 0 ? base : `${base}${i}`)) return i === 0 ? base : `${base}${i}`;
}

/**
 * `try (Statement st = conn.createStatement()) { … st.executeQuery(…) … }`: the resource, its try statement and the
 * connection, when the call is on that resource directly in the try's own block. Undefined when the statement is not
 * a try resource; a reason when it is one the fix cannot rewrite.
 */
export function statementResource(call: Node, name: string): { resource: Node; tryStatement: Node; connection: Node; statement: Node } | string | undefined {
  for (let n: Node | null = call.parent; n !== null && n.type !== 'class_body'; n = n.parent) {
    if (n.type !== 'try_with_resources_statement') continue;
    const resource = n.childForFieldName('resources')?.namedChildren.find((r) => r?.type === 'resource' && r.childForFieldName('name')?.text === name);
    if (resource == null) continue;
    const value = resource.childForFieldName('value');
    const connection = value?.childForFieldName('object');
    if (value?.type !== 'method_invocation' || value.childForFieldName('name')?.text !== 'createStatement' || (value.childForFieldName('arguments')?.namedChildren.length ?? 1) > 0 || connection == null) {
      return `${name} is a try resource not made by conn.createStatement()`;
    }
    const body = n.childForFieldName('body');
    let statement: Node | null = call;
    while (statement !== null && !statement.parent?.equals(body ?? statement)) statement = statement.parent;
    if (body === null || statement === null || !['expression_statement', 'local_variable_declaration', 'return_statement'].includes(statement.type)) {
      return `${name} runs the query in a nested block of its try; binding values before it would change when they are bound, rewrite it by hand`;
    }
    return { resource, tryStatement: n, connection, statement };
  }
  return undefined;
}
