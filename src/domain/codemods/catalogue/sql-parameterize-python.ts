import type { Node } from 'web-tree-sitter';
import { importsModule } from '../python/args';
import { readPythonQuery } from '../python/sql';
import { callArguments } from '../python/syntax';
import { parameterise } from '../sql-values';
import type { Codemod, FixContext, FixOutcome } from '../types';

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
};

const METHODS = new Set(['execute', 'executemany']);

/** The placeholder the file's driver wants, or why it cannot be told. */
function placeholderFor(root: Node): string | { reason: string } {
  const found = Object.entries(DRIVERS).filter(([module]) => importsModule(root, module));
  const styles = new Set(found.map(([, p]) => p));
  const [only] = styles;
  if (only !== undefined && styles.size === 1) return only;
  if (styles.size > 1) return { reason: `the file imports drivers with different paramstyles (${found.map(([m]) => m).join(', ')}); the placeholder cannot be chosen` };
  return { reason: 'the database driver is unknown (no import of sqlite3, psycopg2, psycopg, pymysql, MySQLdb or mysql.connector), so its paramstyle cannot be chosen' };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  const query = args?.positional[0];
  if (args === undefined || query === undefined) return { unfixed: `the execute call on line ${line} passes no query` };
  if (args.splat) return { unfixed: `the execute call on line ${line} passes *args/**kwargs` };
  const read = readPythonQuery(query, source);
  const hasParams = args.positional.length > 1 || args.keywords.has('parameters') || args.keywords.has('params');
  if (read === 'constant') {
    const how = hasParams ? 'already passes its values as parameters' : 'runs a constant query';
    return { unfixed: `the execute call on line ${line} ${how}; nothing to fix`, alreadySafe: true };
  }
  if (typeof read === 'string') return { unfixed: `${read} (line ${line})` };
  if (hasParams) return { unfixed: `the execute call on line ${line} builds its query with values and also passes parameters; rewrite it by hand` };
  const placeholder = placeholderFor(root);
  if (typeof placeholder !== 'string') return { unfixed: `${placeholder.reason} (line ${line})` };
  // With the format paramstyle a literal % must be doubled once parameters are passed.
  const parts = read.parts.map((p) => ('sql' in p && placeholder === '%s' ? { sql: p.sql.replace(/%/g, '%%') } : p));
  const result = parameterise(parts, placeholder, (value) => value.text);
  if (typeof result === 'string') return { unfixed: `${result} (line ${line})` };
  const unescapedQuote = read.quote.length === 3 ? result.sql.includes(read.quote) : new RegExp(`(^|[^\\\\])(\\\\\\\\)*${read.quote}`).test(result.sql);
  if (unescapedQuote || (read.quote.length === 1 && /(^|[^\\])[\r\n]/.test(result.sql))) {
    return { unfixed: `the rewritten query would not fit in one ${read.quote} literal (line ${line})` };
  }
  const values = result.values.map((v) => source.slice(v.startIndex, v.endIndex));
  const tuple = values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
  return {
    edits: [{ start: query.startIndex, end: query.endIndex, text: `${read.prefix}${read.quote}${result.sql}${read.quote}, ${tuple}` }],
    description: `Passed ${values.join(', ')} to the database as ${values.length === 1 ? 'a parameter' : 'parameters'} (${placeholder}) instead of splicing ${values.length === 1 ? 'it' : 'them'} into the SQL by ${read.form} on line ${line}.`,
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
    return root.descendantsOfType('call').filter((call): call is Node => {
      const fn = call?.childForFieldName('function');
      return fn?.type === 'attribute' && METHODS.has(fn.childForFieldName('attribute')?.text ?? '') && (callArguments(call!)?.positional.length ?? 0) > 0;
    });
  },
  fix,
};
