/**
 * A bare suppression comment is read the way its tool reads it (`# nosec` is Bandit's, `nosemgrep`
 * Semgrep's); a comment naming a rule covers that rule and every rule naming the same weakness,
 * whichever tool reported it, and never an unrelated rule. A covered suppression is trusted unless
 * request data reaches the flagged code unchecked: then its reason is contradicted and the finding kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleReport } from '../src/domain/finding';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, path: string, ruleId: string, tool: string, cwes: string[], reports?: RuleReport[]) =>
  triageMarked({ ...ruleFinding(ruleId, tool, cwes), ...(reports ? { reports, tools: [...new Set(reports.map((r) => r.tool))].map((name) => ({ name })) } : {}) }, path, file, marker);

const invoices = [
  "const fs = require('fs');",
  "const path = require('path');",
  '',
  "router.get('/invoice', (req, res) => {",
  '  // eslint-disable-next-line security/detect-non-literal-fs-filename -- invoice numbers come from our own billing run',
  "  const pdf = fs.readFileSync(path.join(INVOICE_DIR, req.query.number + '.pdf'));",
  "  res.type('application/pdf').send(pdf);",
  '});',
].join('\n');

test('a suppression whose reason the code contradicts (request data reaches the sink unchecked) keeps the finding', () => {
  const codeql = triageAt(invoices, 'const pdf = fs.readFileSync', 'billing/routes.js', 'js/path-injection', 'CodeQL', ['CWE-22']);
  assert.equal(codeql.verdict, 'true_positive', codeql.justification);
  assert.match(codeql.justification, /reason does not hold: `req\.query\.number` reaches/);
  assert.ok(codeql.factors.some((f) => f.id === 'suppression-contradicted'));
  const eslint = triageAt(invoices, 'const pdf = fs.readFileSync', 'billing/routes.js', 'security/detect-non-literal-fs-filename', 'ESLint', []);
  assert.equal(eslint.verdict, 'wont_fix');
  assert.equal(eslint.category, 'suppressed_in_code');
  assert.match(eslint.justification, /ESLint suppression comment/);
});

const jobs = [
  'import subprocess',
  '',
  'def rotate_logs(service):',
  '    subprocess.run("logrotate /etc/logrotate.d/" + service, shell=True)  # nosec B602 - service is one of our unit names',
  '',
  'def compress(folder):',
  '    subprocess.run("tar czf /tmp/out.tgz " + folder, shell=True)  # nosec B108',
  '',
  'def reindex(table):',
  '    subprocess.run("psql -c \'REINDEX TABLE " + table + "\'", shell=True)  # nosemgrep',
].join('\n');

test('# nosec B602 covers the rules it names and those of the same weakness (any tool), not an unrelated rule', () => {
  assert.equal(triageAt(jobs, 'logrotate', 'ops/jobs.py', 'B602', 'Bandit', ['CWE-78']).verdict, 'wont_fix');
  // B605 names the same weakness as B602 (command injection): the reviewed reason covers it.
  assert.equal(triageAt(jobs, 'logrotate', 'ops/jobs.py', 'B605', 'Bandit', ['CWE-78']).verdict, 'wont_fix');
  // `# nosec B602` names the weakness Semgrep's subprocess-shell-true reports: the same reviewed decision.
  const semgrep = triageAt(jobs, 'logrotate', 'ops/jobs.py', 'python.lang.security.audit.subprocess-shell-true.subprocess-shell-true', 'Semgrep OSS', ['CWE-78']);
  assert.equal(semgrep.verdict, 'wont_fix', semgrep.justification);
  assert.equal(semgrep.category, 'suppressed_in_code');
  assert.match(semgrep.justification, /names the same weakness as Semgrep OSS/);
  // A nosec naming the temp-file rule does not cover the command injection on the same line.
  assert.equal(triageAt(jobs, 'tar czf', 'ops/jobs.py', 'B602', 'Bandit', ['CWE-78']).verdict, 'true_positive');
  assert.equal(triageAt(jobs, 'tar czf', 'ops/jobs.py', 'B108', 'Bandit', ['CWE-377']).verdict, 'wont_fix');
});

test('nosemgrep is Semgrep\'s; a finding folded from Bandit and Semgrep needs a comment covering both', () => {
  const rule = 'python.lang.security.audit.subprocess-shell-true.subprocess-shell-true';
  assert.equal(triageAt(jobs, 'REINDEX', 'ops/jobs.py', rule, 'Semgrep OSS', ['CWE-78']).verdict, 'wont_fix');
  assert.equal(triageAt(jobs, 'REINDEX', 'ops/jobs.py', 'B602', 'Bandit', ['CWE-78']).verdict, 'true_positive');
  const folded: RuleReport[] = [
    { tool: 'Bandit', ruleId: 'B602', analysis: 'bandit' },
    { tool: 'Semgrep OSS', ruleId: rule, analysis: 'semgrep oss' },
  ];
  assert.equal(triageAt(jobs, 'REINDEX', 'ops/jobs.py', 'B602', 'Bandit', ['CWE-78'], folded).verdict, 'true_positive', 'Bandit\'s report is not covered by nosemgrep');
});

test('lgtm/codeql comments are CodeQL\'s and name their query', () => {
  const file = [
    'def load(name):',
    '    return open(os.path.join(BASE, name)).read()  # lgtm[py/path-injection]',
  ].join('\n');
  assert.equal(triageAt(file, 'return open', 'app/files.py', 'py/path-injection', 'CodeQL', ['CWE-22']).verdict, 'wont_fix');
  assert.equal(triageAt(file, 'return open', 'app/files.py', 'B310', 'Bandit', ['CWE-22']).verdict, 'true_positive');
});

test('an /* eslint-disable rule */ block above applies to ESLint until /* eslint-enable */', () => {
  const file = [
    '/* eslint-disable security/detect-object-injection -- keys come from the schema */',
    'function pick(row, key) {',
    '  return row[key];',
    '}',
    '/* eslint-enable security/detect-object-injection */',
    'function put(row, key, value) {',
    '  row[key] = value;',
    '}',
  ].join('\n');
  assert.equal(triageAt(file, 'return row[key]', 'lib/rows.js', 'security/detect-object-injection', 'ESLint', []).verdict, 'wont_fix');
  assert.notEqual(triageAt(file, 'row[key] = value', 'lib/rows.js', 'security/detect-object-injection', 'ESLint', []).verdict, 'wont_fix');
});

test('a checked request value does not contradict a suppression naming the same weakness; an unchecked one does', () => {
  const covers = [
    "router.get('/api/shows/:id/cover', async (ctx) => {",
    '  if (!/^\\d+$/.test(ctx.params.id)) ctx.throw(400);',
    '  // eslint-disable-next-line security/detect-non-literal-fs-filename -- id is digits only (checked above)',
    "  ctx.body = fs.createReadStream(path.join(config.coverDir, `${ctx.params.id}.jpg`));",
    '});',
    "router.get('/api/shows/:id/banner', async (ctx) => {",
    '  // eslint-disable-next-line security/detect-non-literal-fs-filename -- id is digits only',
    "  ctx.body = fs.createReadStream(path.join(config.coverDir, `${ctx.params.id}.png`));",
    '});',
  ].join('\n');
  const rule = 'javascript.lang.security.audit.path-traversal.path-join-resolve-traversal.path-join-resolve-traversal';
  const checked = triageAt(covers, '.jpg`', 'src/routes/covers.ts', rule, 'Semgrep OSS', ['CWE-22']);
  assert.equal(checked.verdict, 'wont_fix', checked.justification);
  assert.equal(checked.category, 'suppressed_in_code');
  // Near miss: the same comment with no check above it: the reason is contradicted.
  const unchecked = triageAt(covers, '.png`', 'src/routes/covers.ts', rule, 'Semgrep OSS', ['CWE-22']);
  assert.equal(unchecked.verdict, 'true_positive', unchecked.justification);
  assert.match(unchecked.justification, /does not hold/);
});

test('a suppression naming an unrelated rule of another tool sets nothing aside', () => {
  const file = [
    'def export(name):',
    '    subprocess.run("zip -r /srv/out.zip " + name, shell=True)  # nosec B108 - the zip lands in our own folder',
  ].join('\n');
  const semgrep = triageAt(file, 'zip -r', 'ops/export.py', 'python.lang.security.audit.subprocess-shell-true.subprocess-shell-true', 'Semgrep OSS', ['CWE-78']);
  assert.equal(semgrep.verdict, 'true_positive', semgrep.justification);
});

test("a Ruff `# noqa: S608` is Bandit's B608 under another letter: it covers a SQL finding of any tool, not a command one", () => {
  const file = [
    'def report(table_name):',
    '    return db.execute("SELECT count(*) FROM " + table_name)  # noqa: S608 - table_name is one of our model tables',
  ].join('\n');
  assert.equal(triageAt(file, 'SELECT count', 'app/report.py', 'B608', 'Bandit', ['CWE-89']).verdict, 'wont_fix');
  assert.equal(triageAt(file, 'SELECT count', 'app/report.py', 'python.sqlalchemy.security.sqlalchemy-execute-raw-query.sqlalchemy-execute-raw-query', 'Semgrep OSS', ['CWE-89']).verdict, 'wont_fix');
  assert.notEqual(triageAt(file, 'SELECT count', 'app/report.py', 'B602', 'Bandit', ['CWE-78']).verdict, 'wont_fix');
});

test('a request value converted on its way to the sink does not contradict the suppression; the raw value does', () => {
  const file = [
    'def show(request):',
    '    return db.execute("SELECT * FROM t WHERE id = %d" % int(request.args["id"]))  # nosec B608 - id is an integer',
    'def find(request):',
    '    return db.execute("SELECT * FROM t WHERE name = \'%s\'" % request.args["name"])  # nosec B608 - names are checked upstream',
  ].join('\n');
  const rule = 'python.sqlalchemy.security.sqlalchemy-execute-raw-query.sqlalchemy-execute-raw-query';
  assert.equal(triageAt(file, 'int(request', 'app/t.py', rule, 'Semgrep OSS', ['CWE-89']).verdict, 'wont_fix');
  const raw = triageAt(file, 'request.args["name"]', 'app/t.py', rule, 'Semgrep OSS', ['CWE-89']);
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  assert.match(raw.justification, /does not hold/);
});
