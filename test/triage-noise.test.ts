/**
 * The cases issue 13 names, each through `triageFinding` with the source read as the scan job
 * reads it (`codeWindow`): the credential column in a query, the secret under /tmp, B110 failing
 * closed and failing open, captcha randomness, snippet data handled as text, and the repository
 * evidence (manifest scripts, build-tool tasks, Django settings, Dockerfiles).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding, TriageResult } from '../src/domain/finding';
import { codeWindow } from '../src/domain/triage/code-window';
import { collectRepositoryFacts, manifestsToRead, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { shownFactors } from '../src/domain/triage/shown-factors';
import { triageFinding } from '../src/domain/triage/triage';
import { triageMarked } from './support/triage-at';

function bandit(ruleId: string, ruleName: string, cwe: string, weaknesses: string[] = []): Omit<NormalisedFinding, 'location'> {
  return { fingerprint: `fp-${ruleId}`, ruleId, ruleName, tools: [{ name: 'Bandit' }], severity: 'medium', cwes: [cwe], message: ruleName, precision: 'medium', weaknesses };
}

/** Triage `finding` at the line of `file` holding `marker`, with the file read. */
const triageAt = (finding: Omit<NormalisedFinding, 'location'>, path: string, file: string, marker: string, repository?: RepositoryFacts): TriageResult =>
  triageMarked(finding, path, file, marker, repository);

const addsUp = (result: TriageResult): void => {
  assert.equal(result.factors.reduce((sum, f) => sum + f.weight, 0), result.confidence, 'factors add up to the confidence');
  assert.match(result.factors[0]?.detail ?? '', /^Base: /, 'the base is shown first');
};

const accounts = [
  'from django.db import connection',
  '',
  'PASSWORD_CHECK_SQL = "SELECT id FROM accounts WHERE email = %s AND password_hash = %s"',
  '',
  'def login(request):',
  '    email = request.POST["email"]',
  '    password = request.POST["password"]',
  '    with connection.cursor() as cursor:',
  '        cursor.execute(PASSWORD_CHECK_SQL, [email, hash_password(password)])',
  '        row = cursor.fetchone()',
  '    return row',
  '',
  'def search(request):',
  '    name = request.POST["name"]',
  '    pw = request.POST["pw"]',
  `    query = "SELECT * FROM accounts WHERE name='" + name + "' AND password='" + pw + "'"`,
  '    return Account.objects.raw(query)',
].join('\n');

test('a credential column in a parameterised query is not a hard-coded secret (false positive, not security)', () => {
  const result = triageAt(bandit('B105', 'hardcoded_password_string', 'CWE-259', ['hardcoded-credentials']), 'accounts/views.py', accounts, 'PASSWORD_CHECK_SQL =');
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.category, 'not_security');
  assert.match(result.justification, /SQL statement naming a credential column/);
  addsUp(result);
});

test("a real SQL injection whose string contains password= is not mistaken for a secret: Bandit's hardcoded_sql_expressions stays a true positive naming the request data", () => {
  const result = triageAt(bandit('B608', 'hardcoded_sql_expressions', 'CWE-89', ['sql-injection']), 'accounts/views.py', accounts, "AND password='");
  assert.equal(result.verdict, 'true_positive');
  assert.equal(result.category, undefined);
  assert.match(result.justification, /`pw` \(from `request\.POST\["pw"\]`, line 15\) reaches `query = /);
  assert.equal(result.factors[0]?.id, 'prior');
  assert.match(result.factors[0]?.detail ?? '', /prior for injection findings/);
  assert.ok(result.factors.some((f) => f.id === 'request-data' && f.weight > 0));
  addsUp(result);
});

const tokenCache = [
  'import json',
  'import requests',
  '',
  'TOKEN_CACHE = "/tmp/partner_api_token.json"',
  '',
  'def cached_token():',
  '    with open(TOKEN_CACHE) as f:',
  '        return json.load(f)["access_token"]',
].join('\n');

test('a secret kept at a predictable /tmp path is a true positive, for the secrets rule and the temp-file rule alike', () => {
  for (const finding of [
    bandit('B105', 'hardcoded_password_string', 'CWE-259', ['hardcoded-credentials']),
    bandit('B108', 'hardcoded_tmp_directory', 'CWE-377', ['insecure-temp-file']),
  ]) {
    const result = triageAt(finding, 'partners/client.py', tokenCache, 'TOKEN_CACHE =');
    assert.equal(result.verdict, 'true_positive', finding.ruleId);
    assert.match(result.justification, /predictable path `\/tmp\/partner_api_token\.json`/);
    assert.doesNotMatch(result.justification, /name, path or placeholder/);
    addsUp(result);
  }
});

const b110 = bandit('B110', 'try_except_pass', 'CWE-703');
const sessions = [
  'def dashboard(request):',
  '    try:',
  '        profile = Profile.objects.get(user=request.user)',
  '        return render(request, "dashboard.html", {"profile": profile})',
  '    except:',
  '        pass',
  '    return redirect("login")',
  '',
  'def export(request, report_id):',
  '    try:',
  '        check_export_permission(request.user, report_id)',
  '    except:',
  '        pass',
  '    return build_export(report_id)',
].join('\n');

test('B110: except/pass after a plain lookup fails closed (false positive, not security); after a permission check it fails open (true positive)', () => {
  const closed = triageAt(b110, 'reports/views.py', sessions, '    except:');
  assert.equal(closed.verdict, 'false_positive');
  assert.equal(closed.category, 'not_security');
  assert.match(closed.justification, /try block at line 2/);
  addsUp(closed);
  const lines = sessions.split('\n');
  const open = triageFinding({ ...b110, location: { path: 'reports/views.py', startLine: lines.lastIndexOf('    except:') + 1 } }, { fixAvailable: false, code: sessions, codeStartLine: 1 });
  assert.equal(open.verdict, 'true_positive');
  assert.match(open.justification, /fails open/);
  assert.match(open.justification, /check_export_permission/);
  addsUp(open);
});

const captcha = [
  'import random',
  '',
  'def new_captcha(session):',
  '    left = random.randint(1, 9)',
  '    right = random.randint(1, 9)',
  "    operator = random.choice(['+', '-', '*'])",
  '    session["captcha_answer"] = eval_simple(left, operator, right)',
  '    return f"{left} {operator} {right}"',
  '',
  'def reset_code():',
  '    pin = random.randint(100000, 999999)',
  '    return pin',
].join('\n');

test('captcha operands and operators from random are not security findings; a reset PIN from random stays a true positive', () => {
  const b311 = bandit('B311', 'blacklist', 'CWE-330', ['insecure-randomness']);
  for (const marker of ['left = random', "operator = random.choice(['+'"]) {
    const result = triageAt(b311, 'captcha/views.py', captcha, marker);
    assert.equal(result.verdict, 'false_positive', marker);
    assert.equal(result.category, 'not_security');
    assert.match(result.justification, /nothing secret/);
    addsUp(result);
  }
  const js = 'function jitter(attempt) {\n  const delay = 2 ** attempt * 100 + Math.random() * 50;\n  return delay;\n}';
  const sonar = { fingerprint: 'r', ruleId: 'sonarjs/pseudo-random', tools: [{ name: 'ESLint' }], severity: 'high' as const, cwes: [], message: 'PRNG', weaknesses: ['insecure-randomness'] };
  assert.equal(triageAt(sonar, 'src/retry.js', js, 'Math.random').verdict, 'false_positive');
  const pin = triageAt(b311, 'captcha/views.py', captcha, 'pin = random');
  assert.equal(pin.verdict, 'true_positive', 'a PIN is a secret, whatever its range');
});

test('snippet data: a code file another file reads by path and serves as text is not production, and the evidence names that file and line', () => {
  const files = ['app/routes/help.js', 'app/snippets/sql-example.js', 'app/server.js', 'package.json'];
  const help = "const fs = require('fs');\nrouter.get('/help/sql', (req, res) => {\n  res.type('text/plain').send(fs.readFileSync(path.join(__dirname, '../snippets/sql-example.js'), 'utf8'));\n});";
  const snippet = "// Example shown on the help page\nconst rows = db.query('SELECT * FROM t WHERE id = ' + req.query.id);";
  const facts = collectRepositoryFacts(files, new Map([['app/routes/help.js', help], ['package.json', '{"scripts":{"start":"node app/server.js"}}']]));
  const finding = { fingerprint: 's', ruleId: 'sonarjs/sql-queries', tools: [{ name: 'ESLint' }], severity: 'high' as const, cwes: [], message: 'SQL', weaknesses: ['sql-injection'] };
  const result = triageAt(finding, 'app/snippets/sql-example.js', snippet, 'db.query', facts);
  assert.equal(result.verdict, 'wont_fix');
  assert.equal(result.category, 'non_production');
  assert.match(result.justification, /app\/routes\/help\.js:3 handles it as text by its path/);
  // Browser code served as a file, and modules loaded by a built path, are code that runs, not text.
  const server = "app.get('/', (req, res) => res.sendFile(path.join(__dirname, '../public/app.js')));\nconst routes = require(path.join(__dirname, 'routes/api.js'));";
  const served = collectRepositoryFacts(['app/server.js', 'app/public/app.js', 'app/routes/api.js'], new Map([['app/server.js', server]]));
  assert.equal(served.notShipped.size, 0, JSON.stringify([...served.notShipped]));
  // Without the repository's evidence the same code is judged as code: request data reaches a query.
  assert.equal(triageAt(finding, 'app/snippets/sql-example.js', snippet, 'db.query').verdict, 'true_positive');
});

test('repository evidence: Grunt tasks and what they run, Cypress, pytest testpaths, Django local settings, Dockerfiles', () => {
  const files = [
    'package.json', 'Gruntfile.js', 'scripts/reset-db.js', 'server.js', 'cypress.config.js', 'cypress/e2e/login.cy.js',
    'clinic/manage.py', 'clinic/clinic/wsgi.py', 'clinic/clinic/settings/local.py', 'clinic/clinic/settings/production.py', 'clinic/pytest.ini', 'clinic/checks/test_views.py',
    'labs/xss/Dockerfile', 'labs/xss/app.py',
  ];
  // server.js and app.py are applications' entry points, read for global validation and protections (declared-fields.ts, global-protections.ts).
  assert.deepEqual(manifestsToRead(files).sort(), ['Gruntfile.js', 'clinic/clinic/settings/production.py', 'clinic/clinic/wsgi.py', 'clinic/manage.py', 'clinic/pytest.ini', 'cypress.config.js', 'labs/xss/Dockerfile', 'labs/xss/app.py', 'package.json', 'server.js']);
  const contents = new Map([
    ['package.json', JSON.stringify({ scripts: { start: 'node server.js', 'db:reset': 'grunt db-reset', 'test:e2e': 'cypress run' } })],
    ['Gruntfile.js', "grunt.registerTask('db-reset', function () { exec('node scripts/reset-db.js'); });"],
    ['cypress.config.js', 'module.exports = { e2e: {} };'],
    ['clinic/manage.py', "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'clinic.settings.local')"],
    ['clinic/clinic/wsgi.py', "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'clinic.settings.production')"],
    ['clinic/pytest.ini', '[pytest]\nDJANGO_SETTINGS_MODULE = clinic.settings.local\ntestpaths = checks'],
    ['labs/xss/Dockerfile', 'FROM python:3.12\nCMD ["python", "app.py"]'],
  ]);
  const facts = collectRepositoryFacts(files, contents);
  assert.match(facts.notShipped.get('Gruntfile.js')?.evidence ?? '', /"db:reset" \(`grunt db-reset`\), not from "start"/);
  assert.match(facts.notShipped.get('scripts/reset-db.js')?.evidence ?? '', /Gruntfile\.js, a build tool's task file, runs it/);
  assert.equal(facts.notShipped.get('cypress/')?.category, 'test_code');
  assert.equal(facts.notShipped.get('clinic/checks/')?.category, 'test_code');
  assert.match(facts.notShipped.get('clinic/clinic/settings/local.py')?.evidence ?? '', /clinic\/manage\.py selects clinic\.settings\.local for local use, while clinic\/clinic\/wsgi\.py runs clinic\.settings\.production/);
  assert.equal(facts.notShipped.has('clinic/clinic/settings/production.py'), false);
  assert.equal(facts.notShipped.has('server.js'), false);

  const secret = triageAt(bandit('B105', 'hardcoded_password_string', 'CWE-259', ['hardcoded-credentials']), 'clinic/clinic/settings/local.py', "SECRET_KEY = 'dev-only-9f8e7d'", 'SECRET_KEY', facts);
  assert.equal(secret.verdict, 'wont_fix');
  assert.equal(secret.category, 'non_production');
  const bind = triageAt(bandit('B104', 'hardcoded_bind_all_interfaces', 'CWE-605', ['bind-all-interfaces']), 'labs/xss/app.py', "app.run(host='0.0.0.0', port=5000)", '0.0.0.0', facts);
  assert.equal(bind.verdict, 'false_positive');
  assert.equal(bind.category, 'not_security');
  assert.match(bind.justification, /labs\/xss\/Dockerfile/);
  // Without a Dockerfile the same binding is judged by its prior.
  assert.equal(triageAt(bandit('B104', 'hardcoded_bind_all_interfaces', 'CWE-605', ['bind-all-interfaces']), 'web/app.py', "app.run(host='0.0.0.0')", '0.0.0.0', facts).verdict, 'true_positive');
});

test('pytest testpaths that list the application package mark only its test modules, not the application', () => {
  // Pyramid's layout (and many packages'): tests live beside the code, and testpaths names the package.
  const files = ['shop/pytest.ini', 'shop/setup.py', 'shop/shop/__init__.py', 'shop/shop/views/track.py', 'shop/shop/test_views.py', 'shop/shop/conftest.py', 'shop/tests/test_functional.py', 'shop/tests/factories.py'];
  const contents = new Map([['shop/pytest.ini', '[pytest]\naddopts = --strict-markers\ntestpaths =\n    shop\n    tests\npython_files = test_*.py *_tests.py\n']]);
  const facts = collectRepositoryFacts(files, contents);
  assert.equal(facts.notShipped.has('shop/shop/'), false, 'the application package is not test code');
  assert.equal(facts.notShipped.has('shop/shop/views/track.py'), false);
  assert.equal(facts.notShipped.get('shop/shop/test_views.py')?.category, 'test_code');
  assert.match(facts.notShipped.get('shop/shop/test_views.py')?.evidence ?? '', /shop\/pytest\.ini lists shop in pytest's testpaths, and pytest collects test_views\.py there/);
  assert.equal(facts.notShipped.get('shop/shop/conftest.py')?.category, 'test_code');
  // A folder of tests only is test code as a whole, helpers included.
  assert.equal(facts.notShipped.get('shop/tests/')?.category, 'test_code');
  const sql = triageAt(bandit('B608', 'hardcoded_sql_expressions', 'CWE-89', ['sql-injection']), 'shop/shop/views/track.py', 'rows = db.execute(f"SELECT * FROM jobs WHERE ticket = \'{ticket}\'")', 'SELECT', facts);
  assert.equal(sql.verdict, 'true_positive', sql.justification);
});

test('shown factors always add up: a verdict stored before bases were shown gets its base back as the difference', () => {
  const legacy = [{ id: 'precision', weight: 22, detail: 'The rule precision is high.' }, { id: 'code-read', weight: 0, detail: 'Judged on x.' }];
  const shown = shownFactors(72, legacy);
  assert.deepEqual(shown.map((f) => [f.id, f.weight]), [['base', 50], ['precision', 22], ['code-read', 0]]);
  const current = triageFinding({ ...bandit('B602', 'subprocess_popen_with_shell_equals_true', 'CWE-78', ['command-injection']), location: { path: 'a.py', startLine: 1 }, snippet: 'subprocess.Popen(cmd, shell=True)' }, { fixAvailable: false });
  assert.deepEqual(shownFactors(current.confidence, current.factors), current.factors, 'a current verdict is shown as it is');
  assert.deepEqual(shownFactors(100, []), [], "a person's decision shows no factors");
});

test('request data is named as evidence only when the value is the request data, not a lookup computed from it', () => {
  const view = [
    'def agenda(request):',
    '    order = ORDERINGS.get(request.GET.get("sort"), "created")',
    '    sql = "SELECT id FROM visits ORDER BY " + order',
    '    return run(sql)',
  ].join('\n');
  const result = triageAt(bandit('B608', 'hardcoded_sql_expressions', 'CWE-89', ['sql-injection']), 'visits/views.py', view, 'ORDER BY');
  assert.equal(result.factors.some((f) => f.id === 'request-data'), false);
  assert.doesNotMatch(result.justification, /from `request/);
});
