/**
 * A reviewer's `# nosec B608 - reason` on the statement that builds the SQL covers another tool's
 * same-weakness report where that SQL is run on the next line. Near misses: a bare `# nosec`, a
 * comment on a statement building a value the flagged line does not use, and request data reaching
 * the SQL unchecked (the reason does not hold) are not set aside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const semgrep = ruleFinding('python.sqlalchemy.security.audit.avoid-sqlalchemy-text.avoid-sqlalchemy-text', 'Semgrep', ['CWE-89']);

const route = (column: string, comment: string, used = 'sql') => [
  'ORDER = {"start": "b.starts_at", "desk": "d.label"}',
  '',
  '@router.get("/")',
  'async def list_bookings(sort: str = Query("start"), session: AsyncSession = Depends(get_session)):',
  `    column = ${column}`,
  `    sql = "SELECT b.id FROM bookings b JOIN desks d ON d.id = b.desk_id ORDER BY " + column  ${comment}`,
  '    other = "SELECT 1"',
  `    rows = await session.execute(text(${used}))`,
  '    return [dict(r._mapping) for r in rows]',
].join('\n');

test('a nosec naming the SQL rule on the statement that builds the SQL covers the report where it is run', () => {
  const file = route('ORDER.get(sort, "b.starts_at")', '# nosec B608 - column comes from ORDER').replace('    other = "SELECT 1"\n', '');
  const result = triageMarked(semgrep, 'app/routes/bookings.py', file, 'session.execute(text(sql))');
  assert.equal(result.verdict, 'wont_fix', result.justification);
  assert.match(result.justification, /nosec B608/);
});

test('a bare nosec, a comment on an unrelated statement, or request data reaching the SQL do not set it aside', () => {
  const bare = triageMarked(semgrep, 'app/routes/bookings.py', route('ORDER.get(sort, "b.starts_at")', '# nosec').replace('    other = "SELECT 1"\n', ''), 'session.execute(text(sql))');
  assert.notEqual(bare.verdict, 'wont_fix', bare.justification);
  const file = route('ORDER.get(sort, "b.starts_at")', '').replace('other = "SELECT 1"', 'other = "SELECT 1"  # nosec B608');
  const unrelated = triageMarked(semgrep, 'app/routes/bookings.py', file, 'session.execute(text(sql))');
  assert.notEqual(unrelated.verdict, 'wont_fix', unrelated.justification);
  const raw = triageMarked(semgrep, 'app/routes/bookings.py', route('request.query_params.get("sort")', '# nosec B608 - trusted').replace('    other = "SELECT 1"\n', ''), 'session.execute(text(sql))');
  assert.equal(raw.verdict, 'true_positive', raw.justification);
});
