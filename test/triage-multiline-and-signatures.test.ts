/**
 * Values that reach a sink through a multi-line string (a Python triple-quoted f-string, a
 * template literal) or a concatenation continued on the next line (`\\`, a trailing or leading
 * `+`) are read whole; a SQL fragment from a table of literals (values may hold
 * commas) and a query wrapped in SQLAlchemy's `text()` are read through; and a timing-attack
 * warning on a computed MAC compared with a request header is confirmed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, path: string, ruleId: string, tool: string, cwes: string[], weaknesses?: string[]) =>
  triageMarked({ ...ruleFinding(ruleId, tool, cwes), ...(weaknesses ? { weaknesses } : {}) }, path, file, marker);

const reports = [
  'from typing import Literal',
  'from fastapi import APIRouter',
  'from sqlalchemy import text',
  '',
  'router = APIRouter()',
  '',
  '@router.get("/due")',
  'def due(depot: str, db=None):',
  '    sql = f"""',
  '        SELECT v.registration FROM vehicles v',
  "        WHERE v.depot_code = '{depot}'",
  '    """',
  '    return db.execute(text(sql))',
  '',
  '@router.get("/fixed")',
  'def fixed(db=None):',
  '    sql = f"""',
  '        SELECT v.registration FROM vehicles v',
  "        WHERE v.depot_code = '{DEFAULT_DEPOT}'",
  '    """',
  '    return db.execute(text(sql))',
  '',
  'PERIODS = {',
  '    "week": "date_trunc(\'week\', done_at)",',
  '    "month": "date_trunc(\'month\', done_at)",',
  '}',
  '',
  '@router.get("/per-period")',
  'def per_period(period: Literal["week", "month"] = "month", db=None):',
  '    bucket = PERIODS[period]',
  '    return db.execute(text(f"SELECT {bucket} AS period, count(*) FROM inspections GROUP BY 1"))',
  '',
  '@router.get("/per-column")',
  'def per_column(column: str, db=None):',
  '    return db.execute(text(f"SELECT {column}, count(*) FROM inspections GROUP BY 1"))',
  '',
  'DEFAULT_DEPOT = "north"',
].join('\n');

test('a parameter put between quotes inside a multi-line f-string is read: the SQL injection stays a true positive', () => {
  const result = triageAt(reports, 'sql = f"""', 'app/reports.py', 'B608', 'Bandit', ['CWE-89']);
  assert.equal(result.verdict, 'true_positive', result.justification);
  // Near miss: the same f-string interpolating only a module constant is defused.
  const constant = reports.split('\n').findIndex((l) => l.includes('DEFAULT_DEPOT}')) - 2;
  const window = codeWindow(reports, constant + 1);
  assert.ok(window);
  const fixed = triageFinding({ fingerprint: 'c', ruleId: 'B608', tools: [{ name: 'Bandit' }], severity: 'high', cwes: ['CWE-89'], message: '', location: { path: 'app/reports.py', startLine: constant + 1 } }, { fixAvailable: false, ...window });
  assert.notEqual(fixed.verdict, 'true_positive', 'the module constant is not input');
});

test('a SQL fragment read from a top-level table of literals is defused, even when its values hold commas; a raw parameter is not', () => {
  const table = triageAt(reports, 'SELECT {bucket}', 'app/reports.py', 'B608', 'Bandit', ['CWE-89']);
  assert.equal(table.verdict, 'false_positive', table.justification);
  assert.equal(table.category, 'defused');
  assert.match(table.justification, /PERIODS/);
  const raw = triageAt(reports, 'SELECT {column}', 'app/reports.py', 'B608', 'Bandit', ['CWE-89']);
  assert.equal(raw.verdict, 'true_positive', raw.justification);
});

const webhook = [
  "import { createHmac } from 'node:crypto';",
  '',
  'export function routes(router) {',
  "  router.post('/webhooks/payouts', async (ctx) => {",
  "    const signature = ctx.get('x-signature');",
  "    const hash = createHmac('sha256', SECRET).update(ctx.request.rawBody).digest('hex');",
  '    if (signature !== hash) {',
  "      ctx.throw(401, 'bad signature');",
  '    }',
  '  });',
  "  router.post('/signup', async (ctx) => {",
  '    const { password, confirm } = ctx.request.body;',
  '    if (password !== confirm) {',
  "      ctx.throw(400, 'passwords differ');",
  '    }',
  '  });',
  "  router.get('/status', async (ctx) => {",
  "    const digest = createHmac('sha256', SECRET).update('status').digest('hex');",
  "    if (digest !== EXPECTED_STATUS_DIGEST) ctx.throw(500);",
  '  });',
  '}',
].join('\n');
const timing = 'security/detect-possible-timing-attacks';

test('a computed HMAC compared with a request header by !== is a true positive (timing attack), with the evidence named', () => {
  const result = triageAt(webhook, 'signature !== hash', 'src/routes/webhooks.ts', timing, 'ESLint', [], ['timing-attack']);
  assert.equal(result.verdict, 'true_positive', result.justification);
  assert.ok(result.confidence >= 80);
  assert.match(result.justification, /createHmac/);
  assert.match(result.justification, /ctx\.get\('x-signature'\)/);
  assert.equal(result.factors.reduce((sum, f) => sum + f.weight, 0), result.confidence);
});

test('near misses: two request values, or a digest compared with a constant, confirm nothing', () => {
  const confirm = triageAt(webhook, 'password !== confirm', 'src/routes/webhooks.ts', timing, 'ESLint', [], ['timing-attack']);
  assert.notEqual(confirm.verdict, 'true_positive', confirm.justification);
  const constant = triageAt(webhook, 'digest !== EXPECTED', 'src/routes/webhooks.ts', timing, 'ESLint', [], ['timing-attack']);
  assert.equal(constant.verdict, 'suspicious', constant.justification);
});

test('a concatenation continued on the next line is read whole: the request value on the second line keeps the finding', () => {
  const python = [
    'def find(request):',
    '    name = request.args.get("n")',
    '    query = "SELECT * FROM t WHERE a = \'" \\',
    '        + name + "\'"',
    '    query_fixed = "SELECT * FROM t " \\',
    '        + "WHERE a = 1"',
    '    return db.execute(query)',
  ].join('\n');
  assert.equal(triageAt(python, 'query = "SELECT', 'app/find.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'true_positive');
  // Near miss: the continued line adds only literal text.
  assert.equal(triageAt(python, 'query_fixed', 'app/find.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'false_positive');
  const js = [
    "router.get('/x', async (req, res) => {",
    '  const name = req.query.n;',
    '  const trailing = "SELECT * FROM t WHERE a = \'" +',
    '    name + "\'";',
    '  const leading = "SELECT * FROM t WHERE a = \'"',
    '    + name + "\'";',
    '});',
  ].join('\n');
  assert.equal(triageAt(js, 'const trailing', 'src/x.js', 'js/sql-injection', 'CodeQL', ['CWE-89']).verdict, 'true_positive');
  assert.equal(triageAt(js, 'const leading', 'src/x.js', 'js/sql-injection', 'CodeQL', ['CWE-89']).verdict, 'true_positive');
});

test('a query extended with += after a literal start is judged by what is added: request data keeps it, literal text does not', () => {
  const js = [
    "router.get('/x', async (req, res) => {",
    '  let sql = "SELECT * FROM t";',
    '  if (req.query.a) sql += " WHERE a = \'" + req.query.a + "\'";',
    '  await pool.query(sql);',
    '});',
    "router.get('/y', async (req, res) => {",
    '  let ordered = "SELECT * FROM t";',
    '  if (req.query.sorted) ordered += " ORDER BY id";',
    '  await pool.query(ordered);',
    '});',
  ].join('\n');
  const added = triageAt(js, 'pool.query(sql)', 'src/x.js', 'js/sql-injection', 'CodeQL', ['CWE-89']);
  assert.equal(added.verdict, 'true_positive', added.justification);
  assert.match(added.justification, /req\.query\.a/);
  const literal = triageAt(js, 'pool.query(ordered)', 'src/x.js', 'js/sql-injection', 'CodeQL', ['CWE-89']);
  assert.equal(literal.verdict, 'false_positive', literal.justification);
  const python = [
    'def f(request):',
    '    sql = "SELECT * FROM t"',
    '    if request.args.get("a"):',
    '        sql += " WHERE a = \'%s\'" % request.args["a"]',
    '    return db.execute(sql)',
  ].join('\n');
  assert.equal(triageAt(python, 'db.execute(sql)', 'app/f.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'true_positive');
});

test('a FastAPI parameter typed Literal[…] or as an Enum is one of its values; one typed str is not', () => {
  const file = [
    'from enum import Enum',
    'from typing import Literal',
    'from fastapi import APIRouter',
    'router = APIRouter()',
    '',
    'class Order(str, Enum):',
    '    ASC = "asc"',
    '    DESC = "desc"',
    '',
    '@router.get("/a")',
    'def a(sort: Literal["name", "date"] = "name", db=None):',
    '    return db.execute(text(f"SELECT * FROM t ORDER BY {sort}"))',
    '',
    '@router.get("/b")',
    'def b(order: Order = Order.ASC, db=None):',
    '    return db.execute(text(f"SELECT * FROM t ORDER BY name {order}"))',
    '',
    '@router.get("/d")',
    'def d(',
    '    direction: Literal["asc", "desc"] = "asc",',
    '    db=None,',
    '):',
    '    return db.execute(text(f"SELECT * FROM t ORDER BY name {direction}"))',
    '',
    '@router.get("/c")',
    'def c(column: str = "name", db=None):',
    '    return db.execute(text(f"SELECT * FROM t ORDER BY {column}"))',
  ].join('\n');
  assert.equal(triageAt(file, 'ORDER BY {sort}', 'app/r.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'false_positive');
  assert.equal(triageAt(file, 'ORDER BY name {order}', 'app/r.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'false_positive');
  assert.equal(triageAt(file, 'ORDER BY name {direction}', 'app/r.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'false_positive', 'a signature over several lines');
  assert.equal(triageAt(file, 'ORDER BY {column}', 'app/r.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'true_positive');
});
