/**
 * Broad readers of what production is (written after holdout-6's first run; see the tuning log in
 * src/domain/triage/README.md), each beside the near miss that must stay a finding: what a
 * production image copies (COPY lines, .dockerignore), configuration production does not select
 * (classes, environment-keyed objects, environment-named files), files developer scripts hand to
 * tools, protections registered for every route, and timing comparisons of values bound by
 * framework decorators inside class methods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, shippingFactOf, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>) => collectRepositoryFacts(files, new Map(Object.entries(contents)));

const triageAt = (file: string, marker: string, ruleId: string, path: string, repository?: RepositoryFacts, cwes: string[] = []) =>
  triageMarked(ruleFinding(ruleId, 'ESLint', cwes), path, file, marker, repository);

const listing = ['svc/Dockerfile', 'svc/requirements.txt', 'svc/core/__init__.py', 'svc/core/views.py', 'svc/serve.py', 'svc/local_runner.py', 'svc/tools/fix_data.py'];
const image = 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY core ./core\nCOPY serve.py ./\nCMD ["gunicorn", "serve:app"]\n';

test('a code file the production image does not copy is not production; what it copies is', () => {
  const repository = facts(listing, { 'svc/Dockerfile': image });
  for (const file of ['svc/local_runner.py', 'svc/tools/fix_data.py']) {
    const fact = shippingFactOf(repository, file);
    assert.equal(fact?.category, 'non_production', file);
    assert.match(fact?.evidence ?? '', /copies only .*core.*serve\.py/);
  }
  for (const file of ['svc/core/views.py', 'svc/serve.py']) assert.equal(shippingFactOf(repository, file), undefined, file);
  const runner = 'from core import make\napp = make("dev")\nif __name__ == "__main__":\n    app.run(debug=True)\n';
  const verdict = triageAt(runner, 'debug=True', 'py/flask-debug', 'svc/local_runner.py', repository);
  assert.equal(verdict.verdict, 'wont_fix', verdict.justification);
  assert.equal(verdict.category, 'non_production');
  assert.match(verdict.justification, /not in it/);
});

test('near misses: the whole context copied, sources outside the listing, a development Dockerfile, a Procfile run', () => {
  const whole = facts(listing, { 'svc/Dockerfile': image.replace('COPY core ./core', 'COPY . .') });
  assert.equal(shippingFactOf(whole, 'svc/local_runner.py'), undefined);
  // The build context is elsewhere (`docker build -f svc/Dockerfile .`): its sources are not beside it.
  const elsewhere = facts(listing, { 'svc/Dockerfile': image.replace('COPY core ./core', 'COPY svc/core ./core') });
  assert.equal(shippingFactOf(elsewhere, 'svc/local_runner.py'), undefined);
  const dev = facts([...listing, 'svc/Dockerfile.dev'], { 'svc/Dockerfile.dev': image });
  assert.equal(shippingFactOf(dev, 'svc/local_runner.py'), undefined);
  const procfile = facts([...listing, 'svc/Procfile'], { 'svc/Dockerfile': image, 'svc/Procfile': 'web: python local_runner.py\n' });
  assert.equal(shippingFactOf(procfile, 'svc/local_runner.py'), undefined);
  const mounted = facts([...listing, 'svc/docker-compose.yml'], { 'svc/Dockerfile': image, 'svc/docker-compose.yml': 'services:\n  web:\n    build: .\n    volumes:\n      - .:/srv\n' });
  assert.equal(shippingFactOf(mounted, 'svc/local_runner.py'), undefined);
  const noCommand = facts(listing, { 'svc/Dockerfile': image.replace(/CMD.*\n/, '') });
  assert.equal(shippingFactOf(noCommand, 'svc/local_runner.py'), undefined);
});

const controller = [
  "@Controller('hooks')",
  'export class HooksController {',
  "  @Post('orders')",
  "  receive(@Body() body: unknown, @Headers('x-signature') signature: string) {",
  "    const expected = createHmac('sha256', this.secret).update(JSON.stringify(body)).digest('hex');",
  '    if (signature !== expected) throw new UnauthorizedException();',
  '    return { ok: true };',
  '  }',
  '',
  "  @Post('register')",
  '  async register(@Body() dto: RegisterDto) {',
  "    if (dto.password !== dto.confirmPassword) throw new BadRequestException('no match');",
  '    return this.users.create(dto);',
  '  }',
  '',
  '  async check(dto: RegisterDto, user: User) {',
  '    if (dto.password !== user.password) throw new UnauthorizedException();',
  '  }',
  '}',
].join('\n');
const timing = 'security/detect-possible-timing-attacks';

test('a decorator-bound request value compared with a computed HMAC is a timing leak', () => {
  const hmac = triageAt(controller, 'signature !== expected', timing, 'src/hooks.controller.ts');
  assert.equal(hmac.verdict, 'true_positive', hmac.justification);
  assert.ok(hmac.factors.some((f) => f.id === 'secret-vs-request' && /@Headers\('x-signature'\) signature/.test(f.detail)));
});

test('two fields of the same request body compared are not a timing leak; a plain parameter proves nothing', () => {
  const confirm = triageAt(controller, 'dto.confirmPassword', timing, 'src/hooks.controller.ts');
  assert.equal(confirm.verdict, 'false_positive', confirm.justification);
  assert.equal(confirm.category, 'not_security');
  const stored = triageAt(controller, 'user.password', timing, 'src/hooks.controller.ts');
  assert.notEqual(stored.verdict, 'false_positive', stored.justification);
});

const settings = [
  'import os',
  '',
  'class BaseConfig:',
  '    SESSION_COOKIE_SECURE = True',
  '',
  'class DevelopmentConfig(BaseConfig):',
  '    SECRET_KEY = "dev-only-signing-key"',
  '',
  'class TestingConfig(BaseConfig):',
  '    SECRET_KEY = "testing-key"',
  '',
  'class ProductionConfig(BaseConfig):',
  '    SECRET_KEY = os.environ["SECRET_KEY"]',
  '    API_TOKEN = "live-token-in-production"',
].join('\n');
const deployed = facts(['Dockerfile', 'app/settings.py'], { Dockerfile: 'FROM python:3.12\nCOPY . .\nENV APP_CONFIG=production\nCMD ["gunicorn", "app:app"]\n' });

test('a value in a development or testing configuration class is set aside when production selects another', () => {
  const dev = triageAt(settings, 'dev-only-signing-key', 'B105', 'app/settings.py', deployed, ['CWE-259']);
  assert.equal(dev.verdict, 'wont_fix', dev.justification);
  assert.equal(dev.category, 'non_production');
  assert.match(dev.justification, /APP_CONFIG=production/);
  const testing = triageAt(settings, 'testing-key', 'B105', 'app/settings.py', deployed, ['CWE-259']);
  assert.equal(testing.category, 'test_code', testing.justification);
});

test('near misses: the production class, no production selection, and a production class inheriting the development one', () => {
  const prod = triageAt(settings, 'live-token-in-production', 'B105', 'app/settings.py', deployed, ['CWE-259']);
  assert.equal(prod.verdict, 'true_positive', prod.justification);
  const unselected = facts(['Dockerfile', 'app/settings.py'], { Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "app:app"]\n' });
  assert.equal(triageAt(settings, 'dev-only-signing-key', 'B105', 'app/settings.py', unselected, ['CWE-259']).verdict, 'true_positive');
  const inherits = settings.replace('class ProductionConfig(BaseConfig):', 'class ProductionConfig(DevelopmentConfig):');
  assert.equal(triageAt(inherits, 'dev-only-signing-key', 'B105', 'app/settings.py', deployed, ['CWE-259']).verdict, 'true_positive');
});

test('a file a developer script hands to a tool by path is tooling unless shipping code loads it', () => {
  const manifest = JSON.stringify({ scripts: { 'start:prod': 'node dist/main.js', seed: 'ts-node scripts/seed.ts', 'migration:generate': 'typeorm migration:generate -d src/db/source.local.ts' } });
  const files = ['package.json', 'src/db/source.local.ts', 'scripts/seed.ts', 'src/app.module.ts'];
  const bySeed = facts(files, { 'package.json': manifest, 'scripts/seed.ts': "import source from '../src/db/source.local';\n" });
  const fact = shippingFactOf(bySeed, 'src/db/source.local.ts');
  assert.equal(fact?.category, 'non_production');
  assert.match(fact?.evidence ?? '', /migration:generate.*scripts\/seed\.ts/);
  const byApp = facts(files, { 'package.json': manifest, 'src/app.module.ts': "import source from './db/source.local';\n" });
  assert.equal(shippingFactOf(byApp, 'src/db/source.local.ts'), undefined);
  const byProduction = facts(files, { 'package.json': JSON.stringify({ scripts: { start: 'node dist/db/source.local.js', gen: 'typeorm migration:generate -d src/db/source.local.ts' } }) });
  assert.equal(shippingFactOf(byProduction, 'src/db/source.local.ts'), undefined);
});

test('a rate-limit rule is answered by a global throttler guard; a route that skips it, or a guard on some controllers only, is not', () => {
  const handler = "@Controller('files')\nexport class FilesController {\n  @Get(':id')\n  async get(@Param('id') id: string) {\n    return this.files.render(id);\n  }\n}\n";
  const rule = 'javascript/NoRateLimitingForExpensiveWebOperation';
  const global = facts(['src/app.module.ts', 'src/files.controller.ts'], { 'src/app.module.ts': '@Module({\n  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],\n})\nexport class AppModule {}\n' });
  const limited = triageAt(handler, 'this.files.render', rule, 'src/files.controller.ts', global, ['CWE-770']);
  assert.equal(limited.verdict, 'false_positive', limited.justification);
  assert.match(limited.justification, /app\.module\.ts:2/);
  const skipped = triageAt(handler.replace("@Get(':id')", "@SkipThrottle()\n  @Get(':id')"), 'this.files.render', rule, 'src/files.controller.ts', global, ['CWE-770']);
  assert.equal(skipped.verdict, 'true_positive', skipped.justification);
  const some = facts(['src/app.module.ts'], { 'src/other.controller.ts': '@UseGuards(ThrottlerGuard)\nexport class OtherController {}\n' });
  assert.equal(triageAt(handler, 'this.files.render', rule, 'src/files.controller.ts', some, ['CWE-770']).verdict, 'true_positive');
  // Express applies middleware to what is mounted after it: the router module must be mounted below the limiter.
  const express = facts(['app.js'], { 'app.js': "const rateLimit = require('express-rate-limit');\nconst files = require('./src/files.controller');\nconst limiter = rateLimit({ windowMs: 60000, max: 30 });\napp.use(limiter);\napp.use('/files', files);\n" });
  assert.equal(triageAt(handler, 'this.files.render', rule, 'src/files.controller.ts', express, ['CWE-770']).verdict, 'false_positive');
});

test('a code file .dockerignore leaves out of a whole-context image is not production; exceptions or a mounted folder decide nothing', () => {
  const files = ['Dockerfile', '.dockerignore', 'app/main.py', 'scripts/backfill.py', 'docs/demo.py'];
  const whole = 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "app.main:app"]\n';
  const repository = facts(files, { Dockerfile: whole, '.dockerignore': '# not in the image\nscripts/\n**/*.md\n' });
  assert.match(shippingFactOf(repository, 'scripts/backfill.py')?.evidence ?? '', /\.dockerignore leaves out `scripts\/`/);
  assert.equal(shippingFactOf(repository, 'app/main.py'), undefined);
  const excepted = facts(files, { Dockerfile: whole, '.dockerignore': 'scripts/\n!scripts/backfill.py\n' });
  assert.equal(shippingFactOf(excepted, 'scripts/backfill.py'), undefined);
  const mounted = facts([...files, 'docker-compose.yml'], { Dockerfile: whole, '.dockerignore': 'scripts/\n', 'docker-compose.yml': 'services:\n  web:\n    build: .\n    volumes:\n      - ./:/srv\n' });
  assert.equal(shippingFactOf(mounted, 'scripts/backfill.py'), undefined);
});

test('a development entry of an environment-keyed configuration object is set aside when production sets NODE_ENV=production', () => {
  const config = [
    'export const databases = {',
    '  development: {',
    "    password: 'local-dev-password',",
    '  },',
    '  production: {',
    '    password: process.env.DB_PASSWORD,',
    "    fallback: 'hunter2-production',",
    '  },',
    '};',
  ].join('\n');
  const deployed = facts(['Dockerfile', 'src/config.ts'], { Dockerfile: 'FROM node:20\nCOPY . .\nENV NODE_ENV=production\nCMD ["node", "dist/main.js"]\n' });
  const dev = triageAt(config, 'local-dev-password', 'sonarjs/no-hardcoded-passwords', 'src/config.ts', deployed, ['CWE-798']);
  assert.equal(dev.verdict, 'wont_fix', dev.justification);
  assert.equal(dev.category, 'non_production');
  const prod = triageAt(config, 'hunter2-production', 'sonarjs/no-hardcoded-passwords', 'src/config.ts', deployed, ['CWE-798']);
  assert.equal(prod.verdict, 'true_positive', prod.justification);
});

test('near misses of what ships: an image of build output, and a file a script names that does not say it is for development', () => {
  const built = facts(['Dockerfile', 'dist/main.js', 'src/main.ts', 'src/tools.ts'], { Dockerfile: 'FROM node:20\nCOPY dist ./dist\nCMD ["node", "dist/main.js"]\n' });
  assert.equal(shippingFactOf(built, 'src/tools.ts'), undefined);
  const manifest = JSON.stringify({ scripts: { 'start:prod': 'node dist/main.js', 'migration:run': 'typeorm migration:run -d src/db/source.ts' } });
  const named = facts(['package.json', 'src/db/source.ts'], { 'package.json': manifest });
  assert.equal(shippingFactOf(named, 'src/db/source.ts'), undefined);
});

test('a configuration file named for development or testing is not production when production selects its production sibling', () => {
  const files = ['Dockerfile', 'config/environments/development.rb', 'config/environments/test.rb', 'config/environments/production.rb', 'src/main/resources/application-dev.yml', 'src/main/resources/application-prod.yml', 'config/local.json'];
  const deployed = facts(files, { Dockerfile: 'FROM ruby:3.3\nCOPY . .\nENV RAILS_ENV=production\nCMD ["rails", "server"]\n' });
  assert.equal(shippingFactOf(deployed, 'config/environments/development.rb')?.category, 'non_production');
  assert.equal(shippingFactOf(deployed, 'config/environments/test.rb')?.category, 'test_code');
  assert.match(shippingFactOf(deployed, 'config/environments/development.rb')?.evidence ?? '', /production\.rb.*RAILS_ENV/);
  assert.equal(shippingFactOf(deployed, 'src/main/resources/application-dev.yml')?.category, 'non_production');
  // Near misses: production's own file, a development file with no production sibling, no production selection.
  assert.equal(shippingFactOf(deployed, 'config/environments/production.rb'), undefined);
  assert.equal(shippingFactOf(deployed, 'config/local.json'), undefined);
  const unselected = facts(files, { Dockerfile: 'FROM ruby:3.3\nCOPY . .\nCMD ["rails", "server"]\n' });
  assert.equal(shippingFactOf(unselected, 'config/environments/development.rb'), undefined);
});

test('a missing X-Powered-By rule is answered where the application disables the header for every route', () => {
  const server = "const app = express();\napp.get('/', (req, res) => res.send('ok'));\n";
  const disabled = facts(['src/main.ts', 'src/server.js'], { 'src/main.ts': "const app = await NestFactory.create(AppModule);\napp.disable('x-powered-by');\n" });
  const answered = triageAt(server, 'const app = express()', 'javascript/DisablePoweredBy', 'src/server.js', disabled, ['CWE-200']);
  assert.equal(answered.verdict, 'false_positive', answered.justification);
  const none = facts(['src/main.ts'], { 'src/main.ts': 'const app = await NestFactory.create(AppModule);\n' });
  assert.equal(triageAt(server, 'const app = express()', 'javascript/DisablePoweredBy', 'src/server.js', none, ['CWE-200']).verdict, 'true_positive');
});

test('a repository of several applications: one application\'s guard, pipe or production setting says nothing about another', () => {
  const files = ['api/package.json', 'api/src/app.module.ts', 'api/src/main.ts', 'web/requirements.txt', 'web/Dockerfile', 'web/app/views.py', 'api/config/development.json', 'api/config/production.json', 'web/config/development.json', 'web/config/production.json'];
  const repository = facts(files, {
    'api/src/app.module.ts': '@Module({\n  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],\n})\nexport class AppModule {}\n',
    'web/Dockerfile': 'FROM python:3.12\nCOPY . .\nENV APP_ENV=production\nCMD ["gunicorn", "app.views:app"]\n',
  });
  const handler = '@app.get("/report")\ndef report():\n    return render_template("report.html")\n';
  const rule = 'javascript/NoRateLimitingForExpensiveWebOperation';
  assert.equal(triageAt(handler, 'render_template', rule, 'web/app/views.py', repository, ['CWE-770']).verdict, 'true_positive');
  assert.equal(triageAt(handler, 'render_template', rule, 'api/src/report.controller.ts', repository, ['CWE-770']).verdict, 'false_positive');
  assert.equal(shippingFactOf(repository, 'web/config/development.json')?.category, 'non_production');
  assert.equal(shippingFactOf(repository, 'api/config/development.json'), undefined);
});

test('a field the server put on the request object (req.user) is not a client value in a timing comparison', () => {
  const controller = [
    'export class AccountController {',
    '  confirm(@Req() req: Request) {',
    '    if (req.user.pin !== req.body.pin) throw new UnauthorizedException();',
    '    if (req.body.pin !== req.body.pinAgain) throw new BadRequestException();',
    '  }',
    '}',
  ].join('\n');
  const rule = 'security/detect-possible-timing-attacks';
  assert.notEqual(triageAt(controller, 'req.user.pin', rule, 'src/account.controller.ts').verdict, 'false_positive');
  assert.equal(triageAt(controller, 'req.body.pinAgain', rule, 'src/account.controller.ts').verdict, 'false_positive');
});
