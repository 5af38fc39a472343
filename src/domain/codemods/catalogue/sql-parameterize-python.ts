import type { Node } from 'web-tree-sitter';
import { appendArgument, importsModule } from '../python/args';
import { readPythonQuery } from '../python/sql';
import { enclosingFunction, localAssignments, onlyShown, valuesMovable } from '../python/locals';
import { callArguments, keywordValue, pythonBindings, resolveCallee } from '../python/syntax';
import { parameterise } from '../sql-values';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/** DB-API drivers by top-level module, with their default paramstyle's placeholder. */
const DRIVERS: Record<string, string> = {
  sqlite3: '?',
  aiosqlite: '?',
  psycopg2: '%s',
  psycopg: '%s',
  pymysql: '%s',
  MySQLdb: '%s',
  mysql: '%s',
  pg8000: '%s',
  // Django's connection.cursor() takes %s whatever the database.
  django: '%s',
};

const METHODS = new Set(['execute', 'executemany']);
const TEXT = new Set(['sqlalchemy.text', 'sqlalchemy.sql.text', 'sqlalchemy.sql.expression.text']);

/** The placeholder the file's driver wants, or why it cannot be told. */
function placeholderFor(root: Node): string | { reason: string } {
  const found = Object.entries(DRIVERS).filter(([module]) => importsModule(root, module));
  const styles = new Set(found.map(([, p]) => p));
  const [only] = styles;
  if (only !== undefined && styles.size === 1) return only;
  if (styles.size > 1) return { reason: `the file imports drivers with different paramstyles (${found.map(([m]) => m).join(', ')}); the placeholder cannot be chosen` };
  return { reason: 'the database driver is unknown (no import of sqlite3, psycopg2, psycopg, pymysql, MySQLdb, mysql.connector or django), so its paramstyle cannot be chosen' };
}

/** What kind of call runs the SQL: a DB-API `execute`, Django's `Model.objects.raw` or `.extra(where=[…])`, or SQLAlchemy's `text()`. */
type Kind = 'execute' | 'raw' | 'extra' | 'text';

/** The SQL argument: the first positional one, or the one condition of Django's `extra(where=[…])`. */
function queryArgument(call: Node, kind: Kind): Node | undefined {
  const args = callArguments(call);
  if (kind !== 'extra') return args?.positional[0];
  const where = args?.keywords.get('where');
  const list = where === undefined ? null : keywordValue(where);
  const items = list?.type === 'list' ? list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [];
  return items.length === 1 ? items[0] : undefined;
}

function kindOf(call: Node, root: Node): Kind | undefined {
  const fn = call.childForFieldName('function');
  const attribute = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  const args = callArguments(call);
  if (attribute === 'extra' && args?.keywords.has('where') === true) return 'extra';
  if (args === undefined || args.positional.length === 0) return undefined;
  if (attribute !== undefined && METHODS.has(attribute)) {
    // `session.execute(text(…))`: the text() call is the one to fix, and the one candidate on its line.
    const first = args.positional[0];
    return first?.type === 'call' && TEXT.has(resolveCallee(first, pythonBindings(root))?.qualified ?? '') ? undefined : 'execute';
  }
  if (attribute === 'raw' && /\bobjects$/.test(fn?.childForFieldName('object')?.text ?? '')) return 'raw';
  return TEXT.has(resolveCallee(call, pythonBindings(root))?.qualified ?? '') ? 'text' : undefined;
}

const NAMED = '\u0000';

/**
 * Bandit reports a query built in a variable where it is built (`sql = "…" + name`), not where it runs: the
 * built value is a candidate too, paired with the one call that runs it.
 */
function builtQueries(root: Node, source: string): Map<Node, Node> {
  const found = new Map<Node, Node>();
  for (const call of root.descendantsOfType('call')) {
    if (call === null || kindOf(call, root) === undefined) continue;
    const kind = kindOf(call, root);
    const query = kind === undefined ? undefined : queryArgument(call, kind);
    if (query?.type !== 'identifier') continue;
    // Every plain `name = <query built from values>` before the call; fix() then says whether it can be rewritten.
    const scope = enclosingFunction(call);
    for (const assignment of scope?.descendantsOfType('assignment') ?? []) {
      const value = assignment?.childForFieldName('right');
      if (assignment?.childForFieldName('left')?.text !== query.text || value == null || value.startIndex > call.startIndex) continue;
      if (typeof readPythonQuery(value, source) !== 'string') found.set(value, call);
    }
  }
  return found;
}

function fix(ctx: FixContext): FixOutcome {
  if (ctx.node.type !== 'call') {
    const call = [...builtQueries(ctx.root, ctx.source)].find(([value]) => value.equals(ctx.node))?.[1];
    if (call === undefined) return { unfixed: `line ${ctx.node.startPosition.row + 1} builds no query that a call then runs` };
    return fixCall({ ...ctx, node: call });
  }
  return fixCall(ctx);
}

function fixCall(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const kind = kindOf(node, root);
  const args = callArguments(node);
  const query = kind === undefined ? undefined : queryArgument(node, kind);
  const what = kind === 'raw' ? 'objects.raw call' : kind === 'extra' ? 'extra(where=…) call' : kind === 'text' ? 'text() call' : 'execute call';
  if (kind === undefined || args === undefined || query === undefined) return { unfixed: `the ${what} on line ${line} passes no query` };
  if (args.splat) return { unfixed: `the ${what} on line ${line} passes *args/**kwargs` };
  // `sql = "…" + name; cursor.execute(sql)`: the query is rewritten where it is built, its values passed at the call.
  let assigned = query.type === 'identifier' ? localAssignments(query, node, 'query') : [query];
  // A query also printed or shown (a template context) keeps its text for those: the call gets its own
  // parameterised copy, so what is logged or shown does not change and what runs binds its values.
  let copyAtCall = false;
  if (typeof assigned === 'string' && query.type === 'identifier') {
    const shown = localAssignments(query, node, 'query', onlyShown);
    if (typeof shown !== 'string') [assigned, copyAtCall] = [shown, true];
  }
  if (typeof assigned === 'string') return { unfixed: `the ${what} on line ${line}: ${assigned}; parameterise it where it is built` };
  const [built, ...more] = assigned;
  if (built === undefined || more.length > 0) return { unfixed: `the ${what} on line ${line}: ${query.text} is built in several places; parameterise it by hand` };
  const read = readPythonQuery(built, source);
  const hasParams = args.positional.length > 1 || args.keywords.has('parameters') || args.keywords.has('params') || (kind === 'text' && node.parent?.type === 'attribute' && node.parent.childForFieldName('attribute')?.text === 'bindparams');
  if (read === 'constant') {
    const how = hasParams ? 'already passes its values as parameters' : 'runs a constant query';
    return { unfixed: `the ${what} on line ${line} ${how}; nothing to fix`, alreadySafe: true };
  }
  if (typeof read === 'string') return { unfixed: `${read} (line ${line})` };
  if (hasParams) return { unfixed: `the ${what} on line ${line} builds its query with values and also passes parameters; rewrite it by hand` };
  const placeholder = kind === 'execute' ? placeholderFor(root) : kind === 'text' ? NAMED : '%s';
  if (typeof placeholder !== 'string') return { unfixed: `${placeholder.reason} (line ${line})` };
  // With the format paramstyle (and always in Django's raw()) a literal % must be doubled once parameters are passed.
  const parts = read.parts.map((p) => ('sql' in p && placeholder === '%s' ? { sql: p.sql.replace(/%/g, '%%') } : p));
  const result = parameterise(parts, placeholder, (value) => value.text);
  if (typeof result === 'string') return { unfixed: `${result} (line ${line})` };
  if (!built.equals(query)) {
    const moved = valuesMovable(result.values, built, node);
    if (moved !== undefined) return { unfixed: `the ${what} on line ${line}: ${moved}; review it by hand` };
  }
  const values = result.values.map((v) => source.slice(v.startIndex, v.endIndex));
  let sql = result.sql;
  const names: string[] = [];
  if (kind === 'text') {
    // SQLAlchemy binds by name: a plain variable keeps its own name, anything else gets param_<n>.
    for (const [i, value] of result.values.entries()) {
      const own = value.type === 'identifier' && !names.includes(value.text) ? value.text : `param_${i + 1}`;
      names.push(own);
      sql = sql.replace(NAMED, `:${own}`);
    }
  }
  const unescapedQuote = read.quote.length === 3 ? sql.includes(read.quote) : new RegExp(`(^|[^\\\\])(\\\\\\\\)*${read.quote}`).test(sql);
  if (unescapedQuote || (read.quote.length === 1 && /(^|[^\\])[\r\n]/.test(sql))) {
    return { unfixed: `the rewritten query would not fit in one ${read.quote} literal (line ${line})` };
  }
  const literalText = `${read.prefix}${read.quote}${sql}${read.quote}`;
  const edits: TextEdit[] = [copyAtCall ? { start: query.startIndex, end: query.endIndex, text: literalText } : { start: built.startIndex, end: built.endIndex, text: literalText }];
  if (kind === 'text') {
    edits.push({ start: node.endIndex, end: node.endIndex, text: `.bindparams(${names.map((n, i) => `${n}=${values[i]}`).join(', ')})` });
  } else if (kind === 'extra') {
    const edit = appendArgument(node, `params=[${values.join(', ')}]`, source);
    if (edit === undefined) return { unfixed: `the ${what} on line ${line} has an argument list the fix cannot extend` };
    edits.push(edit);
  } else {
    const params = kind === 'raw' ? `[${values.join(', ')}]` : values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
    if (copyAtCall) edits[0] = { start: query.startIndex, end: query.endIndex, text: `${literalText}, ${params}` };
    else edits.push(built.equals(query) ? { start: built.endIndex, end: built.endIndex, text: `, ${params}` } : { start: query.endIndex, end: query.endIndex, text: `, ${params}` });
  }
  const shown = kind === 'text' ? 'named bind parameters' : `${values.length === 1 ? 'a parameter' : 'parameters'} (${placeholder})`;
  const held = built.equals(query)
    ? ''
    : copyAtCall
      ? ` (the call runs its own copy of the query with placeholders; ${query.text} keeps the spliced text for what prints or shows it, and a scanner may still report where it is built)`
      : ` (the query built in ${query.text} now holds placeholders)`;
  return {
    edits,
    description: `Passed ${values.join(', ')} to the database as ${shown} instead of splicing ${values.length === 1 ? 'it' : 'them'} into the SQL by ${read.form} on line ${line}${held}.`,
  };
}

export const sqlParameterizePython: Codemod = {
  id: 'sql-parameterize-python',
  title: 'Parameterise SQL queries (Python DB-API)',
  summary: 'Pass SQL values as query parameters instead of formatting them in',
  description: [
    'A value formatted into SQL text (`+`, f-string, `%`, `.format()`) is parsed as SQL: a quote in it ends the',
    "string and the rest runs as SQL (`' OR '1'='1`). Passing it as a parameter sends it separately, so the",
    "database always treats it as a value. This change puts the driver's placeholder (`?` for sqlite3, `%s` for",
    'psycopg2, PyMySQL, MySQLdb) where the value was, drops the quotes that surrounded it, and passes the values',
    'as the second argument of `execute`.',
    '',
    '```diff',
    `-cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")`,
    '+cursor.execute("SELECT * FROM users WHERE name = ?", (name,))',
    '```',
    '',
    'Values in identifier positions (table or column names, `ORDER BY`) are left alone: parameters cannot stand for',
    'names; check those against an allow-list instead.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'A value the SQL compared as a number or string literal is now sent with its Python type; check queries that relied on implicit conversion, and that the placeholder matches the driver the cursor really comes from.',
  languages: ['python'],
  cwes: ['CWE-89'],
  owasp: ['A03:2021'],
  references: [
    { title: 'PEP 249: paramstyle', url: 'https://peps.python.org/pep-0249/#paramstyle' },
    { title: 'OWASP SQL Injection Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html' },
    { title: 'CWE-89: SQL Injection', url: 'https://cwe.mitre.org/data/definitions/89.html' },
  ],
  ruleIds: {
    codeql: ['py/sql-injection'],
    semgrep: [
      'python.lang.security.audit.formatted-sql-query.formatted-sql-query',
      'python.django.security.audit.raw-query.avoid-raw-sql',
      'python.django.security.injection.sql.sql-injection-using-db-cursor-execute.sql-injection-db-cursor-execute',
      'python.sqlalchemy.security.sqlalchemy-execute-raw-query.sqlalchemy-execute-raw-query',
      'python.flask.security.injection.tainted-sql-string.tainted-sql-string',
      'python.django.security.injection.tainted-sql-string.tainted-sql-string',
    ],
    bandit: ['B608'],
    sonar: ['pythonsecurity:S3649', 'python:S2077'],
    snyk: ['python/Sqli'],
    checkmarx: ['Python_SQL_Injection'],
  },
  target: 'execute call with a built query',
  candidates(root) {
    const calls = root.descendantsOfType('call').filter((call): call is Node => call !== null && kindOf(call, root) !== undefined);
    return [...calls, ...builtQueries(root, root.text).keys()].sort((a, b) => a.startIndex - b.startIndex);
  },
  fix,
};
