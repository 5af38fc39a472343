/**
 * What production's configuration and deployment say (written after holdout-10/11's first runs;
 * see src/domain/triage/TUNING-LOG.md), each beside the near miss that must stay a
 * finding: a private /tmp (a non-root container, a pod's emptyDir, systemd PrivateTmp), a setting
 * only the development .ini turns on, an .ini production does not choose, the application's own
 * CSRF middleware, a development compose file, and demo data behind a switch production never
 * passes. DEBUG logging is in triage-production-logging.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestsToRead } from '../src/domain/triage/repository-facts';
import { app, dockerfile, entrypoint, facts, ini } from './support/production-config';
import { ruleFinding, triageMarked } from './support/triage-at';

const tmpCode = 'import os\nRECEIPT_DIR = "/tmp/shop-receipts"\nTOKEN_FILE = "/tmp/shop-token"\n';

test("a fixed /tmp path in code a non-root container runs is that container's own; root, a host mount of /tmp or a host crontab keep it", () => {
  const b108 = ruleFinding('B108', 'Bandit', ['CWE-377'], 'medium');
  const decided = triageMarked(b108, 'svc/shop/receipts.py', tmpCode, 'RECEIPT_DIR', app(ini('false', 'INFO')));
  assert.equal(decided.verdict, 'false_positive', decided.justification);
  assert.equal(decided.category, 'not_security');
  assert.match(decided.justification, /svc\/Dockerfile:8: `USER shop`/);
  // A secret at a predictable path is confirmed first.
  const secret = triageMarked(b108, 'svc/shop/receipts.py', tmpCode, 'TOKEN_FILE', app(ini('false', 'INFO')));
  assert.equal(secret.verdict, 'true_positive', secret.justification);
  // Near misses: the image runs as root; the host's /tmp is mounted; a host crontab runs the code outside the container.
  const root = facts({ 'svc/Dockerfile': dockerfile.replace('USER shop', 'USER root'), 'svc/deploy/entrypoint.sh': entrypoint });
  assert.equal(triageMarked(b108, 'svc/shop/receipts.py', tmpCode, 'RECEIPT_DIR', root).verdict, 'true_positive');
  const mounted = app(ini('false', 'INFO'), { 'svc/compose.prod.yml': 'services:\n  app:\n    volumes:\n      - /tmp:/tmp\n' });
  assert.equal(triageMarked(b108, 'svc/shop/receipts.py', tmpCode, 'RECEIPT_DIR', mounted).verdict, 'true_positive');
  const cron = app(ini('false', 'INFO'), { 'svc/deploy/crontab': '15 8 * * * python3 /srv/shop/shop/receipts.py\n' });
  assert.equal(triageMarked(b108, 'svc/shop/receipts.py', tmpCode, 'RECEIPT_DIR', cron).verdict, 'true_positive');
  // Through `docker exec`, a host crontab runs the code inside the container.
  const exec = app(ini('false', 'INFO'), { 'svc/deploy/crontab': '15 8 * * * docker exec shop shop_remind /app/production.ini\n' });
  assert.equal(triageMarked(b108, 'svc/shop/receipts.py', tmpCode, 'RECEIPT_DIR', exec).verdict, 'false_positive');
});

const errorsView = [
  'def server_error(exc, request):',
  '    if request.registry.settings.get("shop.show_errors") == "true":',
  '        return Response(traceback.format_exc(), status=500)',
  '    return Response("Something went wrong.", status=500)',
].join('\n');

test("a block run only when a setting is on is off in production when production's .ini sets it false or leaves it out", () => {
  assert.ok(manifestsToRead(['svc/production.ini', 'svc/pytest.ini']).includes('svc/production.ini'));
  const trace = ruleFinding('py/stack-trace-exposure', 'CodeQL', ['CWE-209', 'CWE-497'], 'medium');
  const off = triageMarked(trace, 'svc/shop/views/errors.py', errorsView, 'format_exc', app(ini('false', 'INFO')));
  assert.equal(off.verdict, 'false_positive', off.justification);
  assert.equal(off.category, 'defused');
  assert.match(off.justification, /svc\/production\.ini:3 sets `shop\.show_errors = false`/);
  assert.match(off.justification, /svc\/deploy\/entrypoint\.sh:3/);
  const absent = triageMarked(trace, 'svc/shop/views/errors.py', errorsView, 'format_exc', app(ini(undefined, 'INFO')));
  assert.equal(absent.verdict, 'false_positive', absent.justification);
  // Near misses: production turns it on (or from the environment), or the condition does not require it on.
  const on = triageMarked(trace, 'svc/shop/views/errors.py', errorsView, 'format_exc', app(ini('true', 'INFO')));
  assert.notEqual(on.verdict, 'false_positive', on.justification);
  const fromEnv = triageMarked(trace, 'svc/shop/views/errors.py', errorsView, 'format_exc', app(ini('%(ENV_SHOW_ERRORS)s', 'INFO')));
  assert.notEqual(fromEnv.verdict, 'false_positive', fromEnv.justification);
  const negated = errorsView.replace('== "true"', '!= "false"');
  assert.notEqual(triageMarked(trace, 'svc/shop/views/errors.py', negated, 'format_exc', app(ini(undefined, 'INFO'))).verdict, 'false_positive');
});

const csrfModule = [
  "import { randomBytes, timingSafeEqual } from 'node:crypto';",
  "const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);",
  'export function csrf(req, res, next) {',
  "  req.session.csrfToken ??= randomBytes(24).toString('base64url');",
  '  res.locals.csrfToken = req.session.csrfToken;',
  '  if (SAFE.has(req.method)) return next();',
  "  const sent = String(req.get('x-csrf-token') ?? req.body?._csrf ?? '');",
  '  const expected = Buffer.from(req.session.csrfToken);',
  '  if (sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), expected)) {',
  "    res.status(403).send('Form expired');",
  '    return;',
  '  }',
  '  next();',
  '}',
].join('\n');
const appFile = [
  "import express from 'express';",
  "import { csrf } from './middleware/csrf.js';",
  "import { ordersRouter } from './routes/orders.js';",
  'export function createApp() {',
  '  const app = express();',
  '  app.use(csrf);',
  '  app.use(ordersRouter);',
  '  return app;',
  '}',
].join('\n');
const csrfApp = (middleware: string) => facts({ 'web/package.json': '{"name":"web"}', 'web/src/app.ts': appFile, 'web/src/middleware/csrf.ts': middleware, 'web/src/routes/orders.ts': '' });

test("an application's own CSRF middleware registered for every route answers the CSRF rule when its body checks a session token and refuses with 403", () => {
  const rule = ruleFinding('javascript.express.security.audit.express-check-csurf-middleware-usage.express-check-csurf-middleware-usage', 'Semgrep OSS', ['CWE-352'], 'medium');
  const checked = triageMarked(rule, 'web/src/app.ts', appFile, 'const app = express()', csrfApp(csrfModule));
  assert.equal(checked.verdict, 'false_positive', checked.justification);
  assert.equal(checked.category, 'defused');
  assert.match(checked.justification, /web\/src\/app\.ts:6: `app\.use\(csrf\);`/);
  // Near misses: a middleware that only issues the token, one that compares but lets the request through, one that skips POST.
  const issuesOnly = csrfModule.split('\n').filter((l, i) => i < 5 || i > 11).join('\n');
  assert.equal(triageMarked(rule, 'web/src/app.ts', appFile, 'const app = express()', csrfApp(issuesOnly)).verdict, 'true_positive');
  const logsOnly = csrfModule.replace("res.status(403).send('Form expired');", "console.warn('bad token');");
  assert.equal(triageMarked(rule, 'web/src/app.ts', appFile, 'const app = express()', csrfApp(logsOnly)).verdict, 'true_positive');
  const skipsPost = csrfModule.replace("['GET', 'HEAD', 'OPTIONS']", "['GET', 'HEAD', 'OPTIONS', 'POST']");
  assert.equal(triageMarked(rule, 'web/src/app.ts', appFile, 'const app = express()', csrfApp(skipsPost)).verdict, 'true_positive');
  // Registered below the routes, it guards nothing (Express order).
  const late = appFile.replace('  app.use(csrf);\n  app.use(ordersRouter);', '  app.use(ordersRouter);\n  app.use(csrf);');
  assert.equal(triageMarked(rule, 'web/src/app.ts', late, 'const app = express()', facts({ 'web/src/app.ts': late, 'web/src/middleware/csrf.ts': csrfModule, 'web/src/routes/orders.ts': '' })).verdict, 'true_positive');
});

test('a compose file whose opening comment says it is for local development is not production when another file deploys the application', () => {
  const dev = '# Local development only: `docker compose up`, then seed the database.\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "s3cr3t-Value-123"\n';
  const prod = '# Production on the VM.\nservices:\n  app:\n    image: registry.example/app:1\n';
  const rule = ruleFinding('yaml.docker-compose.security.no-new-privileges.no-new-privileges', 'Semgrep OSS', ['CWE-732'], 'medium');
  const decided = triageMarked(rule, 'app/docker-compose.yml', dev, 'services:', facts({ 'app/docker-compose.yml': dev, 'app/deploy/compose.prod.yml': prod }));
  assert.equal(decided.verdict, 'wont_fix', decided.justification);
  assert.equal(decided.category, 'non_production');
  assert.match(decided.justification, /production deploys with app\/deploy\/compose\.prod\.yml/);
  // A credential committed in it still leaks to every reader.
  const secret = ruleFinding('generic.secrets.security.detected-generic-secret', 'Semgrep OSS', ['CWE-798'], 'high');
  assert.notEqual(triageMarked(secret, 'app/docker-compose.yml', dev, 'POSTGRES_PASSWORD', facts({ 'app/docker-compose.yml': dev, 'app/deploy/compose.prod.yml': prod })).verdict, 'wont_fix');
  // Near misses: no production deployment file beside it; a header that says it is production's too.
  assert.equal(triageMarked(rule, 'app/docker-compose.yml', dev, 'services:', facts({ 'app/docker-compose.yml': dev })).verdict, 'true_positive');
  const both = dev.replace('Local development only', 'Local development only, and the base of production');
  assert.equal(triageMarked(rule, 'app/docker-compose.yml', both, 'services:', facts({ 'app/docker-compose.yml': both, 'app/deploy/compose.prod.yml': prod })).verdict, 'true_positive');
});

const initDb = [
  'import argparse',
  'import random',
  '',
  'def load_demo_jobs(db):',
  '    for i in range(25):',
  '        db.add(Job(booked=now - timedelta(days=random.randint(0, 40))))',
  '',
  'def parse_args(argv):',
  '    parser = argparse.ArgumentParser()',
  '    parser.add_argument("config_uri")',
  '    parser.add_argument("--with-demo-data", action="store_true")',
  '    return parser.parse_args(argv[1:])',
  '',
  'def main(argv):',
  '    args = parse_args(argv)',
  '    ensure_admin(db)',
  '    if args.with_demo_data:',
  '        load_demo_jobs(db)',
].join('\n');
const demoApp = (entry: string, script = initDb) => facts({
  'svc/Dockerfile': dockerfile,
  'svc/deploy/entrypoint.sh': `#!/bin/sh\n${entry}\nexec pserve /app/production.ini\n`,
  'svc/setup.py': 'setup(entry_points={"console_scripts": ["init_shop_db=shop.scripts.initialize_db:main"]})\n',
  'svc/shop/__init__.py': '',
  'svc/shop/scripts/__init__.py': '',
  'svc/shop/scripts/initialize_db.py': script,
});

test('demo data behind a switch production never passes does not run in production; passing it, or no production run, keeps the finding', () => {
  const b311 = ruleFinding('B311', 'Bandit', ['CWE-330'], 'low');
  const path = 'svc/shop/scripts/initialize_db.py';
  const skipped = triageMarked(b311, path, initDb, 'random.randint', demoApp('init_shop_db /app/production.ini'));
  assert.equal(skipped.verdict, 'wont_fix', skipped.justification);
  assert.equal(skipped.category, 'non_production');
  assert.match(skipped.justification, /--with-demo-data/);
  assert.match(skipped.justification, /svc\/deploy\/entrypoint\.sh:2/);
  assert.notEqual(triageMarked(b311, path, initDb, 'random.randint', demoApp('init_shop_db /app/production.ini --with-demo-data')).verdict, 'wont_fix');
  assert.notEqual(triageMarked(b311, path, initDb, 'random.randint', demoApp('echo starting')).verdict, 'wont_fix');
  // Called outside the flag's block too: it runs in production.
  const always = initDb.replace('    ensure_admin(db)', '    load_demo_jobs(db)');
  assert.notEqual(triageMarked(b311, path, always, 'random.randint', demoApp('init_shop_db /app/production.ini', always)).verdict, 'wont_fix');
});

test("a /tmp folder that is a pod's own emptyDir, or /tmp under a systemd unit's PrivateTmp, is private; a path outside the mount, or a unit without it, stays a finding", () => {
  const b108 = ruleFinding('B108', 'Bandit', ['CWE-377'], 'medium');
  const settings = 'import os\nWORK_DIR = os.environ.get("WORK_DIR", "/tmp/scans")\nOTHER = "/tmp/elsewhere"\n';
  const workload = (mount: string) => facts({
    'arch/Dockerfile': 'FROM python:3.12-slim\nCOPY arch ./arch\nCMD ["arch-worker"]\n',
    'arch/deploy/k8s/worker.yaml': ['kind: Deployment', 'spec:', '  template:', '    spec:', '      containers:', '        - name: worker', '          volumeMounts:', `            - {name: work, mountPath: ${mount}}`, '      volumes:', '        - name: work', '          emptyDir: {sizeLimit: 2Gi}'].join('\n'),
    'arch/arch/__init__.py': '',
  });
  const pod = triageMarked(b108, 'arch/arch/settings.py', settings, 'WORK_DIR', workload('/tmp/scans'));
  assert.equal(pod.verdict, 'false_positive', pod.justification);
  assert.match(pod.justification, /arch\/deploy\/k8s\/worker\.yaml:8/);
  assert.equal(triageMarked(b108, 'arch/arch/settings.py', settings, 'OTHER', workload('/tmp/scans')).verdict, 'true_positive');
  assert.equal(triageMarked(b108, 'arch/arch/settings.py', settings, 'WORK_DIR', workload('/var/scratch')).verdict, 'true_positive');

  const unit = (extra: string) => facts({
    'svc/deploy/report.service': `[Service]\nUser=report\n${extra}ExecStart=/usr/bin/python3 /srv/svc/tools/report.py\n`,
    'svc/tools/report.py': '',
  });
  const code = 'OUT = "/tmp/report.csv"\n';
  const privateTmp = triageMarked(b108, 'svc/tools/report.py', code, 'OUT', unit('PrivateTmp=true\n'));
  assert.equal(privateTmp.verdict, 'false_positive', privateTmp.justification);
  assert.match(privateTmp.justification, /svc\/deploy\/report\.service:3: `PrivateTmp=true`/);
  assert.equal(triageMarked(b108, 'svc/tools/report.py', code, 'OUT', unit('')).verdict, 'true_positive');
});

test("an .ini beside the one production's entry point names is not what production runs; with no production choice, or for a credential, it stays", () => {
  const devIni = '[app:main]\nuse = egg:shop\npyramid.includes =\n    pyramid_debugtoolbar\nauth.secret = Zx81-live-signing-key-2024\n';
  const rule = ruleFinding('python.pyramid.security.debugtoolbar-enabled', 'Semgrep OSS', ['CWE-489'], 'medium');
  const chosen = app(ini('false', 'INFO'), { 'svc/development.ini': devIni });
  const decided = triageMarked(rule, 'svc/development.ini', devIni, 'pyramid_debugtoolbar', chosen);
  assert.equal(decided.verdict, 'wont_fix', decided.justification);
  assert.equal(decided.category, 'non_production');
  assert.match(decided.justification, /production runs with svc\/production\.ini/);
  const secret = ruleFinding('generic.secrets.security.detected-generic-secret', 'Semgrep OSS', ['CWE-798'], 'high');
  assert.notEqual(triageMarked(secret, 'svc/development.ini', devIni, 'auth.secret', chosen).verdict, 'wont_fix');
  const unchosen = facts({ 'svc/production.ini': ini('false', 'INFO'), 'svc/development.ini': devIni });
  assert.notEqual(triageMarked(rule, 'svc/development.ini', devIni, 'pyramid_debugtoolbar', unchosen).verdict, 'wont_fix');
});

test('a program of its own in the image that no production entry point runs keeps its /tmp finding (an operator may run it on a host)', () => {
  const b108 = ruleFinding('B108', 'Bandit', ['CWE-377'], 'medium');
  const tool = 'import argparse\nOUT = "/tmp/shop-export.csv"\nif __name__ == "__main__":\n    argparse.ArgumentParser().parse_args()\n';
  const repository = app(ini('false', 'INFO'), { 'svc/shop/export.py': tool });
  assert.equal(triageMarked(b108, 'svc/shop/export.py', tool, 'OUT', repository).verdict, 'true_positive');
});
