/**
 * SQL built from a value admitted by a membership test against literals, else a literal fallback
 * (`x if x in ("day", "week") else "week"`, `['asc', 'desc'].includes(x) ? x : 'asc'`): whatever
 * the request sends, the SQL gets one of the code's literals. Near misses: a test on another name,
 * a fallback that is not a literal, and a list the module changes stay findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const bandit = ruleFinding('B608', 'Bandit', ['CWE-89'], 'medium');
const codeql = ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']);

const python = (admit: string, top = '') => [
  top,
  '@router.get("/{room_id}/usage")',
  'async def usage(room_id: int, period: str = "week", other: str = "", session: AsyncSession = Depends(get_session)):',
  `    trunc = ${admit}`,
  `    sql = f"SELECT date_trunc('{trunc}', starts_at), count(*) FROM bookings WHERE room_id = :rid GROUP BY 1"`,
  '    rows = await session.execute(text(sql), {"rid": room_id})',
  '    return [dict(r._mapping) for r in rows]',
].join('\n');

test('a value kept only when it is one of some literals, else a literal, reaches the SQL as a literal', () => {
  for (const [admit, top] of [['period if period in ("day", "week", "month") else "week"', ''], ['period if period in PERIODS else "week"', 'PERIODS = ("day", "week", "month")']] as const) {
    const result = triageMarked(bandit, 'app/routes/rooms.py', python(admit, top), 'sql = f"SELECT');
    assert.equal(result.verdict, 'false_positive', `${admit}: ${result.justification}`);
    assert.match(result.justification, /kept only when it is one of/);
  }
});

test('a test on another name, a fallback that is not a literal, or a list the module extends stay findings', () => {
  for (const [admit, top] of [
    ['period if other in ("day", "week") else "week"', ''],
    ['period if period in ("day", "week") else other', ''],
    ['period if period in PERIODS else "week"', 'PERIODS = ["day", "week"]\nPERIODS.append(os.environ["EXTRA"])'],
  ] as const) {
    const result = triageMarked(bandit, 'app/routes/rooms.py', python(admit, top), 'sql = f"SELECT');
    assert.notEqual(result.verdict, 'false_positive', `${admit}: ${result.justification}`);
  }
});

test('JavaScript: [literals].includes(x) ? x : literal', () => {
  const file = (admit: string) => [
    "app.get('/parcels', async (req, res) => {",
    `  const dir = ${admit};`,
    "  const rows = await db.query(`SELECT * FROM parcels ORDER BY created_at ${dir}`);",
    '  res.json(rows);',
    '});',
  ].join('\n');
  const safe = triageMarked(codeql, 'src/routes/parcels.js', file("['asc', 'desc'].includes(req.query.dir) ? req.query.dir : 'asc'"), 'db.query(');
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  const raw = triageMarked(codeql, 'src/routes/parcels.js', file("['asc', 'desc'].includes(req.query.dir) ? req.query.order : 'asc'"), 'db.query(');
  assert.notEqual(raw.verdict, 'false_positive', raw.justification);
});
