/**
 * For the JavaScript SQL codemod: which library a `x.query(…)` / `x.raw(…)` call belongs to (and so its
 * placeholder syntax and how values are passed), and the local variable a query was built in before the call.
 */
import type { Node } from 'web-tree-sitter';
import type { ProjectContext } from '../types';
import type { Paramstyle } from './sql-text';
import { callArgs, jsBindings, sameModule } from './syntax';

/** How the values reach the library: a values array after the SQL, or Sequelize's `replacements` option. */
export interface SqlDriver {
  module: string;
  style: Paramstyle;
  values: 'array' | 'replacements';
}

const PG: SqlDriver = { module: 'pg', style: 'numbered', values: 'array' };
const MYSQL: SqlDriver = { module: 'mysql', style: 'question', values: 'array' };
const MYSQL2: SqlDriver = { module: 'mysql2', style: 'question', values: 'array' };
const SEQUELIZE: SqlDriver = { module: 'sequelize', style: 'question', values: 'replacements' };
const KNEX: SqlDriver = { module: 'knex', style: 'question', values: 'array' };

/** Driver modules a file may import, the methods that run SQL on their connections, and what they take. */
const DRIVERS: { module: string; methods: string[]; driver: SqlDriver }[] = [
  { module: 'pg', methods: ['query'], driver: PG },
  { module: 'mysql', methods: ['query'], driver: MYSQL },
  { module: 'mysql2', methods: ['query', 'execute'], driver: MYSQL2 },
  { module: 'mysql2/promise', methods: ['query', 'execute'], driver: MYSQL2 },
];

export const SQL_METHODS = new Set(['query', 'execute', 'raw']);

/** Statement keywords that show a string is SQL when no driver is imported. */
export const SQL_TEXT = /^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b/i;

function imported(root: Node, module: string): boolean {
  return [...jsBindings(root).values()].some((b) => sameModule(b.module, module));
}

/** `db.sequelize.query`, `sequelize.query`, or a name bound by `new Sequelize(…)` in the file. */
function isSequelize(object: Node, root: Node): boolean {
  const last = object.type === 'member_expression' ? object.childForFieldName('property')?.text : object.text;
  if (last !== undefined && /^sequelize$/i.test(last)) return true;
  return root.descendantsOfType('variable_declarator').some((d) => d?.childForFieldName('name')?.text === object.text && /^new\s+(\w+\.)*Sequelize\s*\(/.test(d.childForFieldName('value')?.text ?? ''));
}

/** node-postgres shows itself in how the result is read: `{ rows }` or `.rows`. */
function readsRows(call: Node): boolean {
  let n: Node = call;
  while (n.parent?.type === 'await_expression' || n.parent?.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (parent?.type === 'member_expression' && parent.childForFieldName('property')?.text === 'rows') return true;
  const pattern = parent?.type === 'variable_declarator' ? parent.childForFieldName('name') : null;
  if (pattern?.type === 'object_pattern') return pattern.namedChildren.some((p) => p?.text === 'rows' || p?.text.startsWith('rows:') === true);
  // `const result = await client.query(…)` … `result.rows`
  if (pattern?.type !== 'identifier') return false;
  const scope = enclosingFunction(call) ?? call;
  return scope.descendantsOfType('member_expression').some((m) => m?.childForFieldName('object')?.text === pattern.text && m.childForFieldName('property')?.text === 'rows');
}

/** The library behind the call, or why it cannot be told (and so neither can the placeholder syntax). */
export function driverFor(call: Node, root: Node, project: ProjectContext | undefined): SqlDriver | string {
  const callee = call.childForFieldName('function');
  const object = callee?.type === 'member_expression' ? callee.childForFieldName('object') : null;
  const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
  if (object == null || method === undefined) return 'the call is not a method call';
  const deps = new Set(project?.dependencies ?? []);
  if (method === 'raw') {
    if (imported(root, 'knex') || object.text === 'knex' || deps.has('knex')) return KNEX;
    return 'the raw() call is not knex (not imported, and the project does not depend on it)';
  }
  if (method === 'query' && isSequelize(object, root)) return SEQUELIZE;
  const inFile = DRIVERS.filter((d) => d.methods.includes(method) && imported(root, d.module));
  const styles = new Set(inFile.map((d) => d.driver.style));
  if (styles.size > 1) return `the file imports ${inFile.map((d) => d.module).join(' and ')}, so the placeholder syntax is unclear`;
  if (inFile[0] !== undefined) return inFile[0].driver;
  if (method === 'query' && readsRows(call)) return PG;
  // The file does not say: the project's dependencies may (a client passed in from another module). An ORM in them
  // brings its driver along (sequelize + mysql2), and its own query() takes options, not a values array: ambiguous.
  const orm = ['sequelize', 'knex', 'typeorm', 'objection', 'bookshelf'].find((m) => deps.has(m));
  if (orm !== undefined) return `the project depends on ${orm} as well as a driver, so whether ${object.text} is a driver connection or ${orm} is not known from this file`;
  const fromProject = DRIVERS.filter((d) => d.methods.includes(method) && deps.has(d.module));
  const projectStyles = new Set(fromProject.map((d) => d.driver.style));
  if (fromProject[0] !== undefined && projectStyles.size === 1) return fromProject[0].driver;
  if (projectStyles.size > 1) return `the project depends on ${fromProject.map((d) => d.module).join(' and ')}, so the placeholder syntax is unclear`;
  return `the database library is not known from this file (no import of pg, mysql, mysql2, sequelize or knex)${project === undefined ? '' : ' or from the project\'s dependencies'}, so the placeholder syntax cannot be chosen`;
}

/** Does a `.query/.execute/.raw` call belong to an imported driver or ORM? */
export function driverImported(root: Node, method: string): boolean {
  if (method === 'raw') return imported(root, 'knex');
  return imported(root, 'sequelize') || DRIVERS.some((d) => d.methods.includes(method) && imported(root, d.module));
}

const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function', 'generator_function_declaration']);

function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (FUNCTIONS.has(n.type)) return n;
  return undefined;
}

/** Root names a value expression reads (`req` for `req.body.login`), or undefined when it is not a plain name chain. */
function rootName(expression: Node): string | undefined {
  let n: Node | null = expression;
  while (n?.type === 'member_expression') n = n.childForFieldName('object');
  return n?.type === 'identifier' ? n.text : undefined;
}

/**
 * The initial value of the local variable the SQL is passed in (`var query = "…" + x; db.query(query)`), when
 * it is declared once in this function before the call, never assigned again and read only by this call: then
 * its text can be rewritten with placeholders and its values passed at the call. Otherwise why not.
 */
export function queryVariable(id: Node, call: Node): Node | string {
  const fn = enclosingFunction(call);
  if (fn === undefined) return `the SQL comes from ${id.text}, which is not a local variable of a function`;
  let value: Node | undefined;
  let reads = 0;
  for (const use of fn.descendantsOfType(['identifier', 'shorthand_property_identifier'])) {
    if (use === null || use.text !== id.text) continue;
    const parent = use.parent;
    if (parent?.type === 'variable_declarator' && parent.childForFieldName('name')?.equals(use) === true) {
      const init = parent.childForFieldName('value');
      if (init === null || value !== undefined) return `${id.text} is declared more than once or without a value`;
      if (enclosingFunction(use)?.equals(fn) !== true) return `${id.text} is declared in a nested function`;
      value = init;
      continue;
    }
    if (parent?.type === 'formal_parameters' || parent?.type === 'required_parameter' || parent?.type === 'optional_parameter') return `the SQL comes from the parameter ${id.text}, built by the callers`;
    if ((parent?.type === 'assignment_expression' || parent?.type === 'augmented_assignment_expression') && parent.childForFieldName('left')?.equals(use) === true) {
      return `${id.text} is assigned again`;
    }
    reads += 1;
  }
  if (value === undefined) return `the SQL comes from ${id.text}, which this function does not declare`;
  if (value.endIndex > call.startIndex) return `${id.text} is declared after the call`;
  if (reads !== 1) return `${id.text} is also used elsewhere in the function (logged or returned), which would then see placeholders`;
  return value;
}

/**
 * Values move from where the query was built to the call: fine only when nothing they read is assigned in
 * between. Returns the reason when one is, or when a value is not a plain name chain.
 */
export function valuesStable(values: readonly Node[], from: Node, call: Node): string | undefined {
  const fn = enclosingFunction(call);
  for (const value of values) {
    const name = rootName(value);
    if (name === undefined) return `${value.text} is computed where the query is built; moving it to the call could change when it runs`;
    const writes = (fn ?? call).descendantsOfType(['assignment_expression', 'augmented_assignment_expression', 'update_expression']).some((w) => {
      if (w === null || w.startIndex < from.endIndex || w.startIndex > call.startIndex) return false;
      const target = w.childForFieldName('left') ?? w.childForFieldName('argument');
      return target !== null && rootName(target) === name;
    });
    if (writes) return `${name} is assigned between building the query and running it`;
  }
  return undefined;
}

/** Where the values go for Sequelize: a `replacements` entry in the options object (added when absent), or why not. */
export function replacementsEdit(call: Node, sql: Node, list: string, source: string): { start: number; end: number; text: string } | string {
  const options = callArgs(call)[1];
  if (options === undefined) return { start: sql.endIndex, end: sql.endIndex, text: `, { replacements: ${list} }` };
  if (options.type !== 'object') return `passes its options from an expression (${options.text})`;
  const pairs = options.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  if (pairs.some((p) => p.type !== 'pair' && p.type !== 'shorthand_property_identifier')) return 'spreads its options';
  if (pairs.some((p) => ['replacements', 'bind'].includes(p.childForFieldName('key')?.text ?? p.text))) return 'already passes replacements or bind values';
  const first = pairs[0];
  if (first === undefined) return { start: options.startIndex + 1, end: options.endIndex - 1, text: ` replacements: ${list} ` };
  if (first.startPosition.row === options.startPosition.row) return { start: first.startIndex, end: first.startIndex, text: `replacements: ${list}, ` };
  const lineStart = source.lastIndexOf('\n', first.startIndex - 1) + 1;
  const indent = source.slice(lineStart, first.startIndex);
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  return { start: first.startIndex, end: first.startIndex, text: `replacements: ${list},${eol}${indent}` };
}
