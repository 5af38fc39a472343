/** The per-dialect statement builder and the statement-size cutter, without a database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkRows, upsertStatement } from '../src/storage/sql-dialect';
import { clip } from '../src/storage/finding-rows';

test('upserts name the conflict key on SQLite and use VALUES() on MySQL/TiDB, updating only the given columns', () => {
  const input = { table: 't', columns: ['id', 'k', 'v'], rows: 2, conflictKey: ['k'], updateColumns: ['v'] };
  assert.equal(upsertStatement({ ...input, dialect: 'sqlite' }), 'INSERT INTO t (id, k, v) VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
  assert.equal(upsertStatement({ ...input, dialect: 'mysql' }), 'INSERT INTO t (id, k, v) VALUES (?, ?, ?), (?, ?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)');
  assert.throws(() => upsertStatement({ ...input, rows: 0, dialect: 'mysql' }), /at least one row/);
});

test('a guarded upsert assigns its guard column last, since MySQL\'s later assignments see earlier ones', () => {
  const guarded = { table: 't', columns: ['k', 's', 'v', 'seen'], rows: 1, conflictKey: ['k'], updateColumns: ['s', 'v', 'seen'], keepStored: { column: 's', value: 'x', guarded: ['s', 'v'] } };
  assert.equal(
    upsertStatement({ ...guarded, dialect: 'mysql' }),
    "INSERT INTO t (k, s, v, seen) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE v = CASE WHEN s = 'x' AND VALUES(s) <> 'x' THEN v ELSE VALUES(v) END, seen = VALUES(seen), s = CASE WHEN s = 'x' AND VALUES(s) <> 'x' THEN s ELSE VALUES(s) END",
  );
  assert.match(upsertStatement({ ...guarded, dialect: 'sqlite' }), /DO UPDATE SET v = CASE WHEN t\.s = 'x' AND excluded\.s <> 'x' THEN t\.v ELSE excluded\.v END, seen = excluded\.seen, s = CASE/);
});

test('rows are cut by count and by their size as JSON, and a row larger than the limit goes alone', () => {
  const rows = Array.from({ length: 7 }, (_, i) => [i, 'x'.repeat(10)]);
  assert.deepEqual(chunkRows(rows, { maxRows: 3, maxParamBytes: 1_000 }).map((chunk) => chunk.length), [3, 3, 1]);
  // Each row is 24 + 12 bytes as JSON: two fit in 80 bytes, a third does not.
  assert.deepEqual(chunkRows(rows, { maxRows: 100, maxParamBytes: 80 }).map((chunk) => chunk.length), [2, 2, 2, 1]);
  // Quotes count twice in the request body, so escaped text is cut sooner than its raw length says.
  const quoted = [[0, '"'.repeat(30)], [1, '"'.repeat(30)]];
  assert.equal(chunkRows(quoted, { maxRows: 100, maxParamBytes: 150 }).length, 2, 'raw they would fit together (2 × 56), escaped they do not (2 × 86)');
  const huge = [[0, 'y'.repeat(500)], [1, 'z']];
  assert.deepEqual(chunkRows(huge, { maxRows: 100, maxParamBytes: 100 }).map((chunk) => chunk.length), [1, 1]);
  assert.deepEqual(chunkRows([], { maxRows: 3, maxParamBytes: 10 }), []);
});

test('clip keeps whole characters', () => {
  assert.equal(clip('abc', 5), 'abc');
  assert.equal(clip('ab😀cd', 3), 'ab😀');
  assert.equal(clip('ab😀cd', 2), 'ab');
});
