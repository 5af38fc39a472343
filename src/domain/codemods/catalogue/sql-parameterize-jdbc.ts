import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { enclosingMethod, freshName, queryVariable, statementResource, valuesMovable } from '../java/sql-locals';
import { javaArguments, refersTo } from '../java/syntax';
import { parameterise, type QueryPart } from '../sql-values';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

const METHODS = new Set(['executeQuery', 'executeUpdate', 'execute', 'executeLargeUpdate']);

/** `a + b + c` flattened into its operands. */
function operands(node: Node): Node[] {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left !== null && right !== null) return [...operands(left), ...operands(right)];
  }
  if (node.type === 'parenthesized_expression' && node.namedChild(0)?.type === 'binary_expression') return operands(node.namedChild(0)!);
  return [node];
}

function isStringLiteral(node: Node): boolean {
  return node.type === 'string_literal' && !node.text.startsWith('"""');
}

/** The declared type of a local variable or parameter named `name`, visible from `at` (nearest enclosing declaration). */
function declaredType(at: Node, name: string): string | undefined {
  for (let scope: Node | null = at.parent; scope !== null; scope = scope.parent) {
    if (scope.type === 'method_declaration' || scope.type === 'constructor_declaration' || scope.type === 'lambda_expression') {
      const param = scope.descendantsOfType('formal_parameter').find((p) => p?.childForFieldName('name')?.text === name);
      if (param != null) return param.childForFieldName('type')?.text;
    }
    if (scope.type === 'block') {
      for (const stmt of scope.namedChildren) {
        if (stmt === null || stmt.startIndex >= at.startIndex) break;
        if (stmt.type !== 'local_variable_declaration') continue;
        if (stmt.childrenForFieldName('declarator').some((d) => d?.childForFieldName('name')?.text === name)) return stmt.childForFieldName('type')?.text;
      }
    }
    if (scope.type === 'class_body') return undefined;
  }
  return undefined;
}

const SETTERS: Record<string, string> = { String: 'setString', int: 'setInt', Integer: 'setInt', long: 'setLong', Long: 'setLong' };

function setterFor(value: Node): string {
  if (value.type !== 'identifier') return 'setObject';
  const type = declaredType(value, value.text)?.replace(/^java\.lang\./, '') ?? '';
  return Object.hasOwn(SETTERS, type) ? (SETTERS[type] ?? 'setObject') : 'setObject';
}

/** `Statement name = conn.createStatement();` declaring the statement variable, in an enclosing block before `call`. */
function statementDeclaration(call: Node, name: string, root: Node): { declaration: Node; connection: Node } | string {
  for (let scope: Node | null = call.parent; scope !== null; scope = scope.parent) {
    if (scope.type === 'class_body') break;
    if (scope.type !== 'block') continue;
    for (const stmt of scope.namedChildren) {
      if (stmt?.type !== 'local_variable_declaration' || stmt.startIndex >= call.startIndex) continue;
      const declarators = stmt.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
      const declarator = declarators.find((d) => d.childForFieldName('name')?.text === name);
      if (declarator === undefined) continue;
      if (declarators.length > 1) return `${name} is declared together with other variables`;
      if (!refersTo(stmt.childForFieldName('type'), root, 'java.sql.Statement')) return `${name} is not declared as a java.sql.Statement`;
      const value = declarator.childForFieldName('value');
      const connection = value?.childForFieldName('object');
      const noArgs = value?.childForFieldName('arguments')?.namedChildren.length === 0;
      if (value?.type !== 'method_invocation' || value.childForFieldName('name')?.text !== 'createStatement' || !noArgs || connection == null || connection.type !== 'identifier') {
        return `${name} is not created by conn.createStatement() on a connection variable`;
      }
      return { declaration: stmt, connection };
    }
  }
  return `${name} is not a local variable of this method (a field, parameter or try-with-resources resource)`;
}

/** The block statement holding `node`, when that block also holds `declaration`. */
function statementIn(node: Node, block: Node): Node | undefined {
  for (let n: Node | null = node; n !== null; n = n.parent) if (n.parent?.equals(block) === true) return n;
  return undefined;
}

function ownLine(node: Node, source: string): { start: number; end: number; indent: string } | undefined {
  const start = source.lastIndexOf('\n', node.startIndex - 1) + 1;
  const indent = source.slice(start, node.startIndex);
  const rest = /^[ \t]*(\/\/[^\n]*)?(\r?\n|$)/.exec(source.slice(node.endIndex));
  if (!/^[ \t]*$/.test(indent) || rest === null) return undefined;
  return { start, end: node.endIndex + rest[0].length, indent };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const method = node.childForFieldName('name')?.text ?? 'execute';
  const object = node.childForFieldName('object');
  const [query, ...extra] = javaArguments(node);
  if (query === undefined || extra.length > 0) return { unfixed: `${method} on line ${line} does not take just a query` };
  const variable = query.type === 'identifier' ? queryVariable(query, node) : undefined;
  if (typeof variable === 'string') return { unfixed: `${method} on line ${line}: ${variable}; parameterise it where it is built` };
  const built = variable?.value ?? query;
  if (isStringLiteral(built)) return { unfixed: `${method} on line ${line} runs a constant query; nothing to fix`, alreadySafe: true };
  if (built.type !== 'binary_expression') return { unfixed: `the query on line ${line} is not built by concatenation (${built.text.slice(0, 30)}); parameterise it where it is built` };
  const parts: QueryPart<Node>[] = operands(built).map((o) => (isStringLiteral(o) ? { sql: o.text.slice(1, -1) } : { value: o }));
  if (!parts.some((p) => 'sql' in p)) return { unfixed: `the query on line ${line} has no SQL text of its own` };
  const result = parameterise(parts, '?', (v) => v.text);
  if (typeof result === 'string') return { unfixed: `${result} (line ${line})` };
  if (variable !== undefined) {
    const moved = valuesMovable(result.values, variable.value, node);
    if (moved !== undefined) return { unfixed: `the query on line ${line}: ${moved}; review it by hand` };
  }
  // The SQL text now goes either into the variable (kept, with placeholders) or straight into prepareStatement.
  const sqlEdit: TextEdit[] = variable === undefined ? [] : [{ start: built.startIndex, end: built.endIndex, text: `"${result.sql}"` }];
  const prepared = variable === undefined ? `"${result.sql}"` : query.text;
  const eol = detectEol(source);
  const list = node.childForFieldName('arguments');
  const shown = result.values.map((v) => v.text).join(', ');
  const bound = `${shown} ${result.values.length === 1 ? 'is' : 'are'} bound as ${result.values.length === 1 ? 'a parameter' : 'parameters'} instead of concatenated into the SQL`;
  const chained = object?.type === 'method_invocation' && object.childForFieldName('name')?.text === 'createStatement' && object.childForFieldName('arguments')?.namedChildren.length === 0;
  if (chained) {
    // `conn.createStatement().executeQuery(sql)`: a PreparedStatement declared on the line before takes its place.
    const connection = object.childForFieldName('object');
    const host = (() => {
      for (let n: Node | null = node; n !== null; n = n.parent) if (n.parent?.type === 'block') return n;
      return undefined;
    })();
    const hostLine = host === undefined ? undefined : ownLine(host, source);
    if (connection == null || host === undefined || hostLine === undefined || !['expression_statement', 'local_variable_declaration', 'return_statement'].includes(host.type)) {
      return { unfixed: `the chained createStatement() on line ${line} is not in a simple statement of its own; rewrite it by hand` };
    }
    const name = freshName(enclosingMethod(node), 'statement');
    const lines = [`PreparedStatement ${name} = ${connection.text}.prepareStatement(${prepared});`, ...result.values.map((v, i) => `${name}.${setterFor(v)}(${i + 1}, ${v.text});`)];
    return {
      edits: [
        ...sqlEdit,
        { start: hostLine.start, end: hostLine.start, text: lines.map((l) => `${hostLine.indent}${l}${eol}`).join('') },
        { start: object.startIndex, end: object.endIndex, text: name },
        ...(list === null ? [] : [{ start: list.startIndex, end: list.endIndex, text: '()' }]),
      ],
      imports: [{ module: 'java.sql', name: 'PreparedStatement' }],
      description: `Ran the query on line ${line} through a PreparedStatement instead of createStatement(): ${bound}.`,
    };
  }
  if (object?.type !== 'identifier') return { unfixed: `the statement on line ${line} is not in a local variable; rewrite it by hand` };
  const resource = statementResource(node, object.text);
  if (typeof resource === 'string') return { unfixed: `${resource} (line ${line})` };
  if (resource !== undefined) {
    // try (Statement st = conn.createStatement()): the resource becomes the PreparedStatement, bound just before use.
    if (variable !== undefined && variable.declaration.startIndex > resource.tryStatement.startIndex) {
      return { unfixed: `the query on line ${line} is built inside the try, after the resource that would now need it; rewrite it by hand` };
    }
    const uses = resource.tryStatement.descendantsOfType('identifier').filter((i) => i?.text === object.text && !i.parent?.equals(resource.resource));
    if (uses.length !== 1) return { unfixed: `${object.text} on line ${line} is used ${uses.length} times; only a statement used once is rewritten` };
    const type = resource.resource.childForFieldName('type');
    const value = resource.resource.childForFieldName('value');
    const at = ownLine(resource.statement, source);
    if (type === null || value === null || at === undefined) return { unfixed: `the statement on line ${line} shares its line with other code` };
    const setters = result.values.map((v, i) => `${at.indent}${object.text}.${setterFor(v)}(${i + 1}, ${v.text});${eol}`).join('');
    return {
      edits: [
        ...sqlEdit,
        { start: type.startIndex, end: type.endIndex, text: 'PreparedStatement' },
        { start: value.startIndex, end: value.endIndex, text: `${resource.connection.text}.prepareStatement(${prepared})` },
        { start: at.start, end: at.start, text: setters },
        ...(list === null ? [] : [{ start: list.startIndex, end: list.endIndex, text: '()' }]),
      ],
      imports: [{ module: 'java.sql', name: 'PreparedStatement' }],
      description: `Turned the try resource ${object.text} into a PreparedStatement for the query on line ${line}: ${bound}.`,
    };
  }
  const declared = statementDeclaration(node, object.text, root);
  if (typeof declared === 'string') return { unfixed: `${declared} (line ${line})` };
  const block = declared.declaration.parent;
  const statement = block === null ? undefined : statementIn(node, block);
  const simple = statement !== undefined && ['expression_statement', 'local_variable_declaration', 'return_statement'].includes(statement.type);
  if (block === null || statement === undefined || !simple) {
    return { unfixed: `the statement on line ${line} runs in a nested block (if, loop, try) of its declaration; binding values before it would change when they are bound, rewrite it by hand` };
  }
  const declarator = declared.declaration.childForFieldName('declarator');
  const uses = block.descendantsOfType('identifier').filter((i) => i?.text === object.text && (declarator === null || !i.parent?.equals(declarator)));
  if (uses.length !== 1) return { unfixed: `${object.text} on line ${line} is used ${uses.length} times; only a statement used once is rewritten` };
  const declarationLine = ownLine(declared.declaration, source);
  const statementLine = ownLine(statement, source);
  if (declarationLine === undefined || statementLine === undefined) return { unfixed: `the statement on line ${line} shares its line with other code` };
  const name = object.text;
  const lines = [
    `PreparedStatement ${name} = ${declared.connection.text}.prepareStatement(${prepared});`,
    ...result.values.map((v, i) => `${name}.${setterFor(v)}(${i + 1}, ${v.text});`),
  ];
  const edits: TextEdit[] = [
    ...sqlEdit,
    { start: declarationLine.start, end: declarationLine.end, text: '' },
    { start: statementLine.start, end: statementLine.start, text: lines.map((l) => `${statementLine.indent}${l}${eol}`).join('') },
    ...(list === null ? [] : [{ start: list.startIndex, end: list.endIndex, text: '()' }]),
  ];
  return {
    edits,
    imports: [{ module: 'java.sql', name: 'PreparedStatement' }],
    description: `Turned the Statement ${name} into a PreparedStatement on line ${line}: ${bound}.`,
  };
}

export const sqlParameterizeJdbc: Codemod = {
  id: 'sql-parameterize-jdbc',
  title: 'Use a PreparedStatement (JDBC)',
  summary: 'Bind SQL values with a PreparedStatement instead of concatenating them',
  description: [
    'A value concatenated into SQL text is parsed as SQL: a quote in it ends the string and the rest runs as SQL',
    "(`' OR '1'='1`). A `PreparedStatement` sends the values separately, so the database always treats them as",
    'values. This change replaces a local `Statement` used for one concatenated query with a `PreparedStatement`',
    'whose `?` placeholders are bound with `setString`/`setInt`/`setLong` (by the declared type) or `setObject`.',
    '',
    '```diff',
    '-Statement st = conn.createStatement();',
    `-ResultSet rs = st.executeQuery("SELECT id FROM users WHERE name = '" + name + "'");`,
    '+PreparedStatement st = conn.prepareStatement("SELECT id FROM users WHERE name = ?");',
    '+st.setString(1, name);',
    '+ResultSet rs = st.executeQuery();',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Values are now sent with their Java type (setObject lets the driver choose); check queries that relied on the database converting the literal text, and identifiers, which are never bound.',
  languages: ['java'],
  cwes: ['CWE-89'],
  owasp: ['A03:2021'],
  references: [
    { title: 'OWASP SQL Injection Prevention Cheat Sheet: prepared statements', url: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html#defense-option-1-prepared-statements-with-parameterized-queries' },
    { title: 'Java tutorial: Using Prepared Statements', url: 'https://docs.oracle.com/javase/tutorial/jdbc/basics/prepared.html' },
    { title: 'CWE-89: SQL Injection', url: 'https://cwe.mitre.org/data/definitions/89.html' },
  ],
  ruleIds: {
    codeql: ['java/sql-injection', 'java/concatenated-sql-query'],
    semgrep: ['java.lang.security.audit.sqli.jdbc-sqli.jdbc-sqli', 'java.lang.security.audit.formatted-sql-string.formatted-sql-string'],
    sonar: ['java:S2077', 'javasecurity:S3649'],
    snyk: ['java/Sqli'],
    checkmarx: ['SQL_Injection'],
    generic: ['sql-parameterizer'],
  },
  target: 'Statement.execute call with a query',
  candidates(root) {
    return root.descendantsOfType('method_invocation').filter((call): call is Node =>
      call !== null && METHODS.has(call.childForFieldName('name')?.text ?? '') && (call.childForFieldName('arguments')?.namedChildren.length ?? 0) > 0,
    );
  },
  fix,
};
