import type { SqlDatabase, SqlValue } from '../ports';

/**
 * The few statements that MySQL/TiDB (Forge SQL) and SQLite spell differently, built in one place
 * so every repository stays dialect-free. Everything else in `src/storage/` is written once in
 * the common subset of both.
 */

/** `(?, ?, …)` for one row of `width` values. */
export const placeholders = (width: number): string => `(${Array.from({ length: width }, () => '?').join(', ')})`;

/**
 * A multi-row `INSERT` that updates `updateColumns` when a row's unique key (`conflictKey`) is
 * already taken. SQLite names the key (`ON CONFLICT (…) DO UPDATE SET c = excluded.c`); MySQL and
 * TiDB use `ON DUPLICATE KEY UPDATE c = VALUES(c)` (MariaDB and TiDB do not accept MySQL 8's
 * row alias, and `VALUES()` is still accepted by all three). Columns outside `updateColumns`
 * (ids, first-seen fields) keep the stored row's values.
 *
 * `keepStored` protects a state the writer did not know about: when the stored row's
 * `column` is `value` and the new row's is not, the `guarded` columns keep their stored values
 * (the other update columns are still written). The guard column is assigned last, because
 * MySQL evaluates the assignments in order and later ones would see its new value.
 */
export function upsertStatement(input: {
  dialect: SqlDatabase['dialect'];
  table: string;
  columns: readonly string[];
  rows: number;
  conflictKey: readonly string[];
  updateColumns: readonly string[];
  keepStored?: { column: string; value: string; guarded: readonly string[] };
}): string {
  const { dialect, table, columns, rows, conflictKey, updateColumns, keepStored } = input;
  if (rows < 1) throw new Error('An upsert needs at least one row');
  const values = Array.from({ length: rows }, () => placeholders(columns.length)).join(', ');
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`;
  const sqlite = dialect === 'sqlite';
  const stored = (column: string) => (sqlite ? `${table}.${column}` : column);
  const incoming = (column: string) => (sqlite ? `excluded.${column}` : `VALUES(${column})`);
  const ordered = keepStored
    ? [...updateColumns.filter((column) => column !== keepStored.column), ...updateColumns.filter((column) => column === keepStored.column)]
    : updateColumns;
  const assignment = (column: string): string => {
    if (!keepStored?.guarded.includes(column)) return `${column} = ${incoming(column)}`;
    const literal = `'${keepStored.value.replace(/'/g, "''")}'`;
    const keep = `${stored(keepStored.column)} = ${literal} AND ${incoming(keepStored.column)} <> ${literal}`;
    return `${column} = CASE WHEN ${keep} THEN ${stored(column)} ELSE ${incoming(column)} END`;
  };
  const sets = ordered.map(assignment).join(', ');
  return sqlite
    ? `${insert} ON CONFLICT (${conflictKey.join(', ')}) DO UPDATE SET ${sets}`
    : `${insert} ON DUPLICATE KEY UPDATE ${sets}`;
}

/**
 * Limits for one statement. Forge SQL takes at most 1 MiB per request (the statement and its
 * parameters as JSON) and 4 MiB per response; these leave room for JSON escaping and the SQL text.
 */
export const statementLimits = {
  /** Rows per multi-row write or values per `IN (…)` list. */
  maxRows: 250,
  /** Bytes the parameters of one write take in the request's JSON (escapes included). */
  maxParamBytes: 768 * 1024,
} as const;

/** What a parameter adds to Forge SQL's JSON request body, quotes and escapes included. */
const valueBytes = (value: SqlValue): number => (typeof value === 'string' ? Buffer.byteLength(JSON.stringify(value)) : 24);

/**
 * Splits rows of parameters into groups that each fit one statement: at most `maxRows` rows and
 * `maxParamBytes` of parameters as JSON (a single larger row still gets a statement of its own).
 */
export function chunkRows(rows: readonly SqlValue[][], limits: { maxRows: number; maxParamBytes: number } = statementLimits): SqlValue[][][] {
  const chunks: SqlValue[][][] = [];
  let current: SqlValue[][] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = row.reduce<number>((sum, value) => sum + valueBytes(value), 0);
    if (current.length > 0 && (current.length >= limits.maxRows || bytes + size > limits.maxParamBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Consecutive slices of at most `size` items. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
