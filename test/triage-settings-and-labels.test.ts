/**
 * Configuration and labels that look like secrets but are not, each beside the near miss that
 * must stay a finding: a development secret the settings refuse in production, a default production
 * replaces through its deployment files, a localhost URL as an environment default, an OAuth token
 * type, a log line that names a token but logs none, a telemetry collector's private address, a
 * preference cookie, an unverified JWT decode that only names the user in a log line, and a
 * Dockerfile only a development compose file builds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, ruleId: string, tool: string, cwes: string[], path: string, repository?: RepositoryFacts) =>
  triageMarked(ruleFinding(ruleId, tool, cwes), path, file, marker, repository);
const setAside = (r: { verdict: string }) => ['false_positive', 'wont_fix'].includes(r.verdict);

test('a development secret the settings refuse in production is defused; the same default with no refusal is a true positive', () => {
  const refused = [
    'DEV_SIGNING_KEY = "dev-only-9c1e4f"',
    '',
    'class Settings(BaseSettings):',
    '    app_env: str = "development"',
    '    signing_key: str = DEV_SIGNING_KEY',
    '',
    '    @model_validator(mode="after")',
    '    def no_dev_key(self):',
    '        if self.app_env == "production" and self.signing_key == DEV_SIGNING_KEY:',
    '            raise ValueError("SIGNING_KEY must be set in production")',
    '        return self',
  ].join('\n');
  const result = triageAt(refused, 'DEV_SIGNING_KEY = ', 'B105', 'Bandit', ['CWE-259'], 'app/settings.py');
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.equal(result.category, 'defused');
  assert.match(result.justification, /line 9/);
  const kept = refused.split('\n').filter((l, i) => i < 6).join('\n');
  assert.equal(triageAt(kept, 'DEV_SIGNING_KEY = ', 'B105', 'Bandit', ['CWE-259'], 'app/settings.py').verdict, 'true_positive');
});

test("a settings default that production's deployment files replace is not what runs; one they leave alone stays a finding", () => {
  const settings = [
    'class Settings(BaseSettings):',
    '    export_dir: Path = Path("/tmp/exports")',
    '    scratch_dir: Path = Path("/tmp/scratch")',
  ].join('\n');
  const files = ['Dockerfile', 'docker-compose.yml', 'docker-compose.dev.yml', 'app/settings.py'];
  const contents = new Map([
    ['Dockerfile', 'FROM python:3.12\nENV EXPORT_DIR=/var/lib/app/exports\nCMD ["uvicorn", "app.main:app"]\n'],
    ['docker-compose.yml', 'services:\n  api:\n    build: .\n'],
    ['docker-compose.dev.yml', 'services:\n  api:\n    environment:\n      SCRATCH_DIR: /var/scratch\n'],
  ]);
  const repository = collectRepositoryFacts(files, contents);
  const exported = triageAt(settings, 'export_dir', 'B108', 'Bandit', ['CWE-377'], 'app/settings.py', repository);
  assert.equal(exported.verdict, 'false_positive', exported.justification);
  assert.match(exported.justification, /Dockerfile/);
  // Only the development compose file sets SCRATCH_DIR: production would use /tmp.
  const scratch = triageAt(settings, 'scratch_dir', 'B108', 'Bandit', ['CWE-377'], 'app/settings.py', repository);
  assert.ok(!setAside(scratch), scratch.justification);
});

test('credentials in a localhost URL given as an environment default are not a deployed secret; a remote host is', () => {
  const file = [
    'const env = z.object({',
    "  DATABASE_URL: z.string().default('postgres://app:app@localhost:5432/app'),",
    "  REPLICA_URL: z.string().default('postgres://app:Str0ngPass@db.prod.example.net/app'),",
    '}).parse(process.env);',
  ].join('\n');
  const local = triageAt(file, 'DATABASE_URL', 'javascript/NoHardcodedCredentials', 'Snyk Code', ['CWE-798'], 'src/config.ts');
  assert.equal(local.verdict, 'false_positive', local.justification);
  assert.doesNotMatch(local.justification, /app:app@/, 'the credentials are not repeated');
  const remote = triageAt(file, 'REPLICA_URL', 'javascript/NoHardcodedCredentials', 'Snyk Code', ['CWE-798'], 'src/config.ts');
  assert.equal(remote.verdict, 'true_positive', remote.justification);
});

test('an OAuth token type is a label; a token value is not', () => {
  const file = ['TOKEN_TYPE = "bearer"', 'SERVICE_TOKEN = "bearer-4f9a1c7e2d"'].join('\n');
  assert.equal(triageAt(file, 'TOKEN_TYPE', 'B105', 'Bandit', ['CWE-259'], 'app/auth.py').verdict, 'false_positive');
  assert.equal(triageAt(file, 'SERVICE_TOKEN', 'B105', 'Bandit', ['CWE-259'], 'app/auth.py').verdict, 'true_positive');
  // A kind beside a password in one literal is no label: the password is what the rule reports.
  const both = 'CREDS = {"password": "hunter2x", "type": "basic"}';
  assert.equal(triageAt(both, 'CREDS', 'B105', 'Bandit', ['CWE-259'], 'app/auth.py').verdict, 'true_positive');
});

test('a log line that names a token but logs only ids is not a leak; one that logs the token is', () => {
  const file = [
    'def issue(user):',
    '    token = jwt.encode(claims, key)',
    '    log.info("issued token for user %s (%s)", user.id, user.role)',
    '    log.debug("issued token %s", token)',
    '    log.info("token request %s", request.form)',
    '    return token',
  ].join('\n');
  const rule = 'python.lang.security.audit.logging.logger-credential-leak.python-logger-credential-disclosure';
  assert.equal(triageAt(file, 'user.id, user.role', rule, 'Semgrep OSS', ['CWE-532'], 'app/auth.py').verdict, 'false_positive');
  assert.equal(triageAt(file, '"issued token %s", token', rule, 'Semgrep OSS', ['CWE-532'], 'app/auth.py').verdict, 'true_positive');
  // The whole form may hold the password, whatever it is called.
  assert.equal(triageAt(file, 'request.form', rule, 'Semgrep OSS', ['CWE-532'], 'app/auth.py').verdict, 'true_positive');
});

test("a metrics collector's private address grants nothing; an admin API's address stays a finding", () => {
  const file = ["  STATSD_HOST: z.string().default('10.40.0.12'),", "  ADMIN_API_HOST: z.string().default('10.40.0.20'),"].join('\n');
  assert.equal(triageAt(file, 'STATSD_HOST', 'sonarjs/no-hardcoded-ip', 'ESLint', [], 'src/config.ts').verdict, 'false_positive');
  assert.equal(triageAt(file, 'ADMIN_API_HOST', 'sonarjs/no-hardcoded-ip', 'ESLint', [], 'src/config.ts').verdict, 'true_positive');
});

test('a preference cookie without the secure flag protects nothing; a session cookie without it is a finding', () => {
  const file = [
    "router.post('/preferences/theme', async (ctx) => {",
    "  ctx.cookies.set('theme', theme, { httpOnly: false, secure: false });",
    "  ctx.cookies.set('sid', sid, { httpOnly: true, secure: false });",
    "  ctx.cookies.set('oauth_state', state, { secure: false });",
    '});',
  ].join('\n');
  assert.equal(triageAt(file, "'theme', theme", 'sonarjs/insecure-cookie', 'ESLint', ['CWE-614'], 'src/routes/prefs.ts').verdict, 'false_positive');
  assert.equal(triageAt(file, "'sid', sid", 'sonarjs/insecure-cookie', 'ESLint', ['CWE-614'], 'src/routes/prefs.ts').verdict, 'true_positive');
  assert.equal(triageAt(file, "'oauth_state'", 'sonarjs/insecure-cookie', 'ESLint', ['CWE-614'], 'src/routes/prefs.ts').verdict, 'true_positive');
});

test('an unverified JWT decode that only names the user for a log line is not authentication; one that finds the current user is', () => {
  const file = [
    'def subject_for_logging(request):',
    '    header = request.headers.get("authorization", "")',
    '    claims = jwt.decode(header[7:], options={"verify_signature": False})',
    '    return str(claims.get("sub", "-"))',
    '',
    'def user_from_request(request):',
    '    header = request.headers.get("authorization", "")',
    '    claims = jwt.decode(header[7:], options={"verify_signature": False})',
    '    return User.get(claims["sub"])',
  ].join('\n');
  const rule = 'python.jwt.security.unverified-jwt-decode.unverified-jwt-decode';
  const lines = file.split('\n');
  const first = lines.findIndex((l) => l.includes('jwt.decode'));
  const logging = triageAt(file, lines[first] ?? '', rule, 'Semgrep OSS', ['CWE-287'], 'app/auth.py');
  assert.equal(logging.verdict, 'false_positive', logging.justification);
  const second = lines.slice(first + 1).join('\n');
  const kept = triageAt(second, 'jwt.decode', rule, 'Semgrep OSS', ['CWE-287'], 'app/auth.py');
  assert.equal(kept.verdict, 'true_positive', kept.justification);
  // A logging-named function that also sets the request's user acts on the claims.
  const acting = [
    'def log_request_user(request):',
    '    claims = jwt.decode(request.headers["authorization"][7:], options={"verify_signature": False})',
    '    request.user = User.get(claims["sub"])',
    '    return claims["sub"]',
  ].join('\n');
  assert.equal(triageAt(acting, 'jwt.decode', rule, 'Semgrep OSS', ['CWE-287'], 'app/auth.py').verdict, 'true_positive');
});

test('a Dockerfile only a development compose file builds does not ship; one a Makefile target also builds does', () => {
  const files = ['Dockerfile', 'Dockerfile.dev', 'Dockerfile.worker', 'docker-compose.yml', 'docker-compose.dev.yml', 'Makefile'];
  const contents = new Map([
    ['docker-compose.yml', 'services:\n  api:\n    image: registry/app:1\n'],
    ['docker-compose.dev.yml', 'services:\n  api:\n    build: { context: ., dockerfile: Dockerfile.dev }\n  worker:\n    build: { context: ., dockerfile: Dockerfile.worker }\n'],
    ['Makefile', 'image:\n\tdocker build -f Dockerfile.worker -t registry/worker .\n'],
  ]);
  const facts = collectRepositoryFacts(files, contents);
  assert.match(facts.notShipped.get('Dockerfile.dev')?.evidence ?? '', /docker-compose\.dev\.yml/);
  assert.equal(facts.notShipped.get('Dockerfile.worker'), undefined);
  assert.equal(facts.notShipped.get('Dockerfile'), undefined);
});

test('a development-looking secret default that production replaces is defused; a real-format one, or one production leaves unset, is not', () => {
  const file = [
    "SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-insecure-key-for-laptops')",
    "STRIPE_KEY = os.environ.get('STRIPE_KEY', 'sk_live_51Hx9aQ2eZvKYlo2C0dev')",
    "MAIL_PASSWORD = os.environ.get('MAIL_PASSWORD', 'dev-mail-password')",
  ].join('\n');
  const repository = collectRepositoryFacts(['Dockerfile', 'app/settings.py'], new Map([['Dockerfile', 'FROM python:3.12\nENV SECRET_KEY_FILE=/run/secrets/key SECRET_KEY=from-build-arg STRIPE_KEY=unset\n']]));
  const dev = triageAt(file, "'SECRET_KEY'", 'B105', 'Bandit', ['CWE-259'], 'app/settings.py', repository);
  assert.equal(dev.verdict, 'false_positive', dev.justification);
  assert.equal(triageAt(file, "'STRIPE_KEY'", 'B105', 'Bandit', ['CWE-259'], 'app/settings.py', repository).verdict, 'true_positive');
  assert.equal(triageAt(file, "'MAIL_PASSWORD'", 'B105', 'Bandit', ['CWE-259'], 'app/settings.py', repository).verdict, 'true_positive');
});

test("a __main__ block is a developer's entry point when production imports the module through a server; not when production runs the file", () => {
  const file = [
    'from fastapi import FastAPI',
    'app = FastAPI()',
    '',
    'if __name__ == "__main__":',
    '    import uvicorn',
    '    uvicorn.run("shop.main:app", host="0.0.0.0", port=8000, reload=True)',
  ].join('\n');
  const served = collectRepositoryFacts(['Dockerfile', 'shop/main.py'], new Map([['Dockerfile', 'FROM python:3.12\nCMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "shop.main:app"]\n']]));
  const dev = triageAt(file, 'uvicorn.run', 'B104', 'Bandit', ['CWE-605'], 'shop/main.py', served);
  assert.equal(dev.verdict, 'wont_fix', dev.justification);
  assert.equal(dev.category, 'non_production');
  const direct = collectRepositoryFacts(['Dockerfile', 'shop/main.py'], new Map([['Dockerfile', 'FROM python:3.12\nCMD ["python", "shop/main.py"]\n']]));
  const run = triageAt(file, 'uvicorn.run', 'B104', 'Bandit', ['CWE-605'], 'shop/main.py', direct);
  assert.notEqual(run.category, 'non_production', run.justification);
});

test('a token type among other keys is a label when it is the only secret-named literal; a password literal beside it is not', () => {
  const file = [
    'def issue(user):',
    '    return {"access_token": make_token(user), "token_type": "bearer"}',
    '',
    'def legacy(user):',
    '    return {"access_token": "9f8a7c6b5d4e3f2a1b0c", "token_type": "bearer"}',
  ].join('\n');
  assert.equal(triageAt(file, 'make_token', 'B105', 'Bandit', ['CWE-259'], 'app/auth.py').verdict, 'false_positive');
  assert.equal(triageAt(file, '"9f8a7c', 'B105', 'Bandit', ['CWE-259'], 'app/auth.py').verdict, 'true_positive');
});

test('a count stored in a variable, and a path built in the call from the module folder, are read as such', () => {
  const js = ['function render(items) {', '  const count = items.length;', '  badge.innerHTML = count + " open";', '  title.innerHTML = items[0].title + " open";', '}'].join('\n');
  assert.equal(triageAt(js, 'count + " open"', 'no-unsanitized/property', 'ESLint', [], 'public/app.js').verdict, 'false_positive');
  assert.equal(triageAt(js, 'items[0].title', 'no-unsanitized/property', 'ESLint', [], 'public/app.js').verdict, 'true_positive');
  const py = [
    'def page(name):',
    '    with open(os.path.join(os.path.dirname(__file__), "templates", "page.html")) as fh:',
    '        return fh.read()',
    'def other(name):',
    '    with open(os.path.join(os.path.dirname(__file__), "templates", name)) as fh:',
    '        return fh.read()',
  ].join('\n');
  assert.equal(triageAt(py, '"page.html"', 'py/path-injection', 'CodeQL', ['CWE-22'], 'app/pages.py').verdict, 'false_positive');
  assert.notEqual(triageAt(py, '"templates", name', 'py/path-injection', 'CodeQL', ['CWE-22'], 'app/pages.py').verdict, 'false_positive');
});

test('a Dockerfile named dev.Dockerfile or Dockerfile-dev is recognised like Dockerfile.dev', () => {
  const files = ['Dockerfile', 'dev.Dockerfile', 'Dockerfile-dev', 'docker-compose.yml', 'docker-compose.override.yml'];
  const contents = new Map([
    ['docker-compose.yml', 'services:\n  api:\n    build: .\n'],
    ['docker-compose.override.yml', 'services:\n  api:\n    build: { context: ., dockerfile: dev.Dockerfile }\n  tools:\n    build: { context: ., dockerfile: Dockerfile-dev }\n'],
  ]);
  const facts = collectRepositoryFacts(files, contents);
  assert.ok(facts.notShipped.get('dev.Dockerfile'));
  assert.ok(facts.notShipped.get('Dockerfile-dev'));
});

test('a structured log (fields first, message second) is judged by its fields', () => {
  const file = [
    'export function issue(user) {',
    '  const token = sign(user);',
    "  logger.info({ userId: user.id, role: user.role }, 'issued token');",
    "  logger.debug({ userId: user.id, token }, 'issued token');",
    '  return token;',
    '}',
  ].join('\n');
  const rule = 'javascript.lang.security.audit.logging.logger-credential-leak';
  assert.equal(triageAt(file, 'role: user.role', rule, 'Semgrep OSS', ['CWE-532'], 'src/auth.ts').verdict, 'false_positive');
  assert.equal(triageAt(file, 'user.id, token }', rule, 'Semgrep OSS', ['CWE-532'], 'src/auth.ts').verdict, 'true_positive');
});
