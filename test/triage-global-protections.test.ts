/**
 * Protections an application registers once for every route, across the common frameworks
 * (written after holdout-9's run; see src/domain/triage/TUNING-LOG.md): each
 * registration answers the per-route rule, beside the near misses that must stay findings — a route
 * that opts out, a registration below the route (Express order), a router mounted before it, a
 * registration in a comment, in test code or in development-only settings, an extension never
 * given the app.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { globalProtections } from '../src/domain/triage/global-protections';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>): RepositoryFacts => collectRepositoryFacts(files, new Map(Object.entries(contents)));
const verdictOf = (file: string, marker: string, ruleId: string, path: string, repository: RepositoryFacts, cwes: string[]) =>
  triageMarked(ruleFinding(ruleId, 'SnykCode', cwes), path, file, marker, repository);

const csrfSyncServer = [
  "const express = require('express');",
  "const { csrfSync } = require('csrf-sync');",
  'const app = express();',
  'const { csrfSynchronisedProtection } = csrfSync();',
  "app.use('/hooks', require('./routes/hooks'));",
  'app.use(csrfSynchronisedProtection);',
  "app.post('/profile', (req, res) => save(req.body));",
  "app.use('/loans', require('./routes/loans'));",
].join('\n');

test('csrf-sync registered for the application answers the app-level CSRF rule, and the routes mounted after it', () => {
  const files = ['shop/package.json', 'shop/src/server.js', 'shop/src/routes/hooks.js', 'shop/src/routes/loans.js'];
  const repository = facts(files, { 'shop/src/server.js': csrfSyncServer });
  const app = verdictOf(csrfSyncServer, 'const app = express()', 'javascript/UseCsurfForExpress', 'shop/src/server.js', repository, ['CWE-352']);
  assert.equal(app.verdict, 'false_positive', app.justification);
  assert.equal(app.category, 'defused');
  assert.match(app.justification, /shop\/src\/server\.js:6: `app\.use\(csrfSynchronisedProtection\);`/);
  assert.match(app.justification, /not covered .*shop\/src\/routes\/hooks/);
  const after = verdictOf(csrfSyncServer, "app.post('/profile'", 'js/missing-token-validation', 'shop/src/server.js', repository, ['CWE-352']);
  assert.equal(after.verdict, 'false_positive', after.justification);
  const route = "router.post('/renew', (req, res) => renew(req.body.id));\n";
  assert.equal(verdictOf(route, 'router.post', 'js/missing-token-validation', 'shop/src/routes/loans.js', repository, ['CWE-352']).verdict, 'false_positive');
  // Near miss: a router the server mounts above the registration is not protected by it.
  const hooks = verdictOf(route, 'router.post', 'js/missing-token-validation', 'shop/src/routes/hooks.js', repository, ['CWE-352']);
  assert.equal(hooks.verdict, 'true_positive', hooks.justification);
});

test('near misses for Express order: a route above the registration, a prefix-only or commented-out registration, test code', () => {
  const limited = [
    "const rateLimit = require('express-rate-limit');",
    "app.post('/login', login);",
    'app.use(rateLimit({ windowMs: 60000, max: 20 }));',
    "app.post('/reset', reset);",
  ].join('\n');
  const repository = facts(['package.json', 'app.js'], { 'app.js': limited });
  const rule = 'js/missing-rate-limiting';
  assert.equal(verdictOf(limited, "app.post('/reset'", rule, 'app.js', repository, ['CWE-770']).verdict, 'false_positive');
  assert.equal(verdictOf(limited, "app.post('/login'", rule, 'app.js', repository, ['CWE-770']).verdict, 'true_positive');
  const prefixed = limited.replace('app.use(rateLimit(', "app.use('/api', rateLimit(");
  assert.equal(verdictOf(prefixed, "app.post('/reset'", rule, 'app.js', facts(['app.js'], { 'app.js': prefixed }), ['CWE-770']).verdict, 'true_positive');
  const commented = limited.replace('app.use(rateLimit(', '// app.use(rateLimit(');
  assert.equal(verdictOf(commented, "app.post('/reset'", rule, 'app.js', facts(['app.js'], { 'app.js': commented }), ['CWE-770']).verdict, 'true_positive');
  const blocked = limited.replace('app.use(rateLimit({ windowMs: 60000, max: 20 }));', '/*\napp.use(rateLimit({ windowMs: 60000, max: 20 }));\n*/');
  assert.equal(verdictOf(blocked, "app.post('/reset'", rule, 'app.js', facts(['app.js'], { 'app.js': blocked }), ['CWE-770']).verdict, 'true_positive');
  const inTests = facts(['app.js', 'test/app.js'], { 'test/app.js': limited });
  assert.equal(verdictOf(limited, "app.post('/reset'", rule, 'app.js', inTests, ['CWE-770']).verdict, 'true_positive');
  // A router's own `router.use(limiter)` covers its routes below it in that file only.
  const router = "const slowDown = require('express-slow-down');\nconst router = express.Router();\nrouter.use(slowDown({ delayAfter: 5 }));\nrouter.post('/code', send);\n";
  const routed = facts(['routes/otp.js'], { 'routes/otp.js': router });
  assert.equal(verdictOf(router, "router.post('/code'", rule, 'routes/otp.js', routed, ['CWE-770']).verdict, 'false_positive');
  assert.equal(verdictOf("router.post('/x', y);\n", 'router.post', rule, 'routes/other.js', routed, ['CWE-770']).verdict, 'true_positive');
});

test('csurf, lusca and tiny-csrf are read by their packages; csurf ignoring POST protects nothing', () => {
  const found = (text: string) => globalProtections(new Map([['app.js', text]]), ['app.js']).get('csrf')?.[0]?.at;
  assert.match(found("const csrf = require('csurf');\napp.use(csrf({ cookie: true }));\n") ?? '', /app\.js:2/);
  assert.match(found("import csurf from 'tiny-csrf';\napp.use(csurf('0123456789abcdef0123456789abcdef'));\n") ?? '', /app\.js:2/);
  assert.match(found("const lusca = require('lusca');\napp.use(lusca.csrf());\n") ?? '', /app\.js:2/);
  assert.match(found("const lusca = require('lusca');\napp.use(lusca({ csrf: true, xframe: 'SAMEORIGIN' }));\n") ?? '', /app\.js:2/);
  assert.equal(found("const lusca = require('lusca');\napp.use(lusca({ xframe: 'SAMEORIGIN' }));\n"), undefined);
  assert.equal(found("const csrf = require('csurf');\napp.use(csrf({ ignoreMethods: ['GET', 'POST'] }));\n"), undefined);
  // A name alone is not a registration: `csrf` here is some other module.
  assert.equal(found("const csrf = require('./my-csrf');\napp.use(csrf());\n"), undefined);
  assert.match(found("const { doubleCsrf } = require('csrf-csrf');\nconst { doubleCsrfProtection } = doubleCsrf({ getSecret });\napp.use(doubleCsrfProtection);\n") ?? '', /app\.js:3/);
});

test('Koa, Fastify and hapi registrations; a route that opts out, a plugin never hooked or turned off, stays a finding', () => {
  const found = (text: string, kind: 'csrf' | 'rate-limit') => globalProtections(new Map([['server.js', text]]), ['server.js']).get(kind)?.[0]?.at;
  assert.ok(found("const CSRF = require('koa-csrf');\nconst app = new Koa();\napp.use(new CSRF());\n", 'csrf'));
  assert.ok(found("const ratelimit = require('koa-ratelimit');\napp.use(ratelimit({ driver: 'memory', db }));\n", 'rate-limit'));
  const fastifyCsrf = "const fastify = require('fastify')();\nfastify.register(require('@fastify/csrf-protection'));\n";
  assert.equal(found(fastifyCsrf, 'csrf'), undefined);
  assert.ok(found(`${fastifyCsrf}fastify.addHook('onRequest', fastify.csrfProtection);\n`, 'csrf'));
  assert.ok(found("const rateLimit = require('@fastify/rate-limit');\nawait fastify.register(rateLimit, { max: 100 });\n", 'rate-limit'));
  assert.equal(found("const rateLimit = require('@fastify/rate-limit');\nawait fastify.register(rateLimit, { global: false });\n", 'rate-limit'), undefined);
  const hapi = "const Crumb = require('@hapi/crumb');\nawait server.register({ plugin: Crumb, options: { cookieOptions: { isSecure: true } } });\n";
  const repository = facts(['package.json', 'server.js', 'routes/orders.js'], { 'server.js': hapi });
  const route = "module.exports = {\n  method: 'POST',\n  path: '/orders',\n  handler: (request) => place(request.payload),\n};\n";
  assert.equal(verdictOf(route, 'handler:', 'csrf-missing', 'routes/orders.js', repository, ['CWE-352']).verdict, 'false_positive');
  const optedOut = route.replace("path: '/orders',", "path: '/orders',\n  options: { plugins: { crumb: false } },");
  assert.equal(verdictOf(optedOut, 'handler:', 'csrf-missing', 'routes/orders.js', repository, ['CWE-352']).verdict, 'true_positive');
});

test("helmet answers the header rules it sets by default for its version; an option turning a header off does not", () => {
  const server = "const helmet = require('helmet');\nconst app = express();\napp.use(helmet());\napp.get('/', home);\n";
  const modern = facts(['package.json', 'server.js'], { 'package.json': '{"dependencies":{"helmet":"^7.1.0"}}', 'server.js': server });
  for (const rule of ['sonarjs/x-powered-by', 'sonarjs/frame-ancestors', 'sonarjs/content-security-policy', 'sonarjs/no-mime-sniff']) {
    const verdict = verdictOf(server, 'const app = express()', rule, 'server.js', modern, []);
    assert.equal(verdict.verdict, 'false_positive', `${rule}: ${verdict.justification}`);
  }
  const old = facts(['package.json', 'server.js'], { 'package.json': '{"dependencies":{"helmet":"3.23.3"}}', 'server.js': server });
  assert.equal(verdictOf(server, 'const app = express()', 'sonarjs/content-security-policy', 'server.js', old, []).verdict, 'true_positive');
  assert.equal(verdictOf(server, 'const app = express()', 'sonarjs/frame-ancestors', 'server.js', old, []).verdict, 'false_positive');
  const framed = server.replace('helmet()', 'helmet({ frameguard: false })');
  const off = facts(['package.json', 'server.js'], { 'package.json': '{"dependencies":{"helmet":"^7.1.0"}}', 'server.js': framed });
  assert.equal(verdictOf(framed, 'const app = express()', 'sonarjs/frame-ancestors', 'server.js', off, []).verdict, 'true_positive');
  // One of helmet's middlewares sets its own header only.
  const one = "const helmet = require('helmet');\nconst app = express();\napp.use(helmet.frameguard());\n";
  const single = facts(['server.js'], { 'server.js': one });
  assert.equal(verdictOf(one, 'const app = express()', 'sonarjs/x-powered-by', 'server.js', single, []).verdict, 'true_positive');
});

test('near misses in the registration file: a router mounted above the registration, a rule about the registration\'s own options, a CSRF-cookie rule', () => {
  const server = [
    "const rateLimit = require('express-rate-limit');",
    "const helmet = require('helmet');",
    'const app = express();',
    'const api = express.Router();',
    'const admin = express.Router();',
    "app.use('/api', api);",
    'app.use(rateLimit({ max: 100 }));',
    'app.use(helmet.hsts({ maxAge: 60 }));',
    "app.use('/admin', admin);",
    "api.post('/login', login);",
    "admin.post('/purge', purge);",
  ].join('\n');
  const repository = facts(['package.json', 'server.js'], { 'server.js': server });
  const rule = 'js/missing-rate-limiting';
  assert.equal(verdictOf(server, "api.post('/login'", rule, 'server.js', repository, ['CWE-770']).verdict, 'true_positive');
  assert.equal(verdictOf(server, "admin.post('/purge'", rule, 'server.js', repository, ['CWE-770']).verdict, 'false_positive');
  // The registration a header rule is flagged at is what the rule is about (a one-minute HSTS max-age).
  assert.equal(verdictOf(server, 'helmet.hsts', 'sonarjs/strict-transport-security', 'server.js', repository, ['CWE-523']).verdict, 'true_positive');
  const csrf = "const csrf = require('csurf');\nconst app = express();\napp.use(csrf({ cookie: true }));\napp.post('/pay', pay);\n";
  const protectedApp = facts(['app.js'], { 'app.js': csrf });
  assert.equal(verdictOf(csrf, 'const app = express()', 'javascript/UseCsurfForExpress', 'app.js', protectedApp, ['CWE-352']).verdict, 'false_positive');
  assert.equal(verdictOf(csrf, 'const app = express()', 'csrf-cookie-without-secure', 'app.js', protectedApp, ['CWE-614']).verdict, 'true_positive');
});

test("hapi's list of plugins, starlette-csrf's middleware and Django's MIDDLEWARE_CLASSES are read too", () => {
  const hapi = "const Crumb = require('@hapi/crumb');\nawait server.register([\n  Inert,\n  { plugin: Crumb, options: { restful: true } },\n]);\n";
  assert.match(globalProtections(new Map([['server.js', hapi]]), ['server.js']).get('csrf')?.[0]?.at ?? '', /server\.js:2/);
  const starlette = 'from starlette_csrf import CSRFMiddleware\napp = FastAPI()\napp.add_middleware(CSRFMiddleware, secret=settings.csrf_secret)\n';
  assert.match(globalProtections(new Map([['api/main.py', starlette]]), ['api/main.py']).get('csrf')?.[0]?.at ?? '', /api\/main\.py:3/);
  // A CSRFMiddleware of the application's own is not known.
  assert.equal(globalProtections(new Map([['api/main.py', starlette.replace('starlette_csrf', 'api.csrf')]]), ['api/main.py']).get('csrf'), undefined);
  const files = ['site/wsgi.py', 'site/settings.py'];
  const contents = new Map([['site/wsgi.py', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n'], ['site/settings.py', "MIDDLEWARE_CLASSES = (\n    'django.middleware.csrf.CsrfViewMiddleware',\n)\n"]]);
  assert.match(globalProtections(contents, files).get('csrf')?.[0]?.at ?? '', /site\/settings\.py:1/);
});

test('NestJS main.ts registrations cover every controller; a registration only under a development condition does not count', () => {
  const main = "import helmet from 'helmet';\nimport csurf from 'csurf';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.use(helmet());\n  app.use(csurf());\n  await app.listen(3000);\n}\n";
  const repository = facts(['package.json', 'src/main.ts', 'src/orders.controller.ts'], { 'src/main.ts': main });
  const controller = "@Controller('orders')\nexport class OrdersController {\n  @Post()\n  create(@Body() dto: OrderDto) {\n    return this.orders.create(dto);\n  }\n}\n";
  assert.equal(verdictOf(controller, 'return this.orders.create', 'csrf-missing', 'src/orders.controller.ts', repository, ['CWE-352']).verdict, 'false_positive');
  const found = (text: string) => globalProtections(new Map([['app.js', text]]), ['app.js']).get('rate-limit');
  const limiter = "const rateLimit = require('express-rate-limit');\n";
  assert.equal(found(`${limiter}if (process.env.NODE_ENV === 'development') {\n  app.use(rateLimit({ max: 5 }));\n}\n`), undefined);
  assert.equal(found(`${limiter}if (process.env.NODE_ENV === 'production') {\n  app.use(rateLimit({ max: 5 }));\n} else {\n  app.use(rateLimit({ max: 500 }));\n}\n`)?.length, 1);
  assert.equal(found(`${limiter}if (process.env.NODE_ENV !== 'test') {\n  app.use(rateLimit({ max: 5 }));\n}\n`)?.length, 1);
  const flask = 'csrf = CSRFProtect()\ndef create_app():\n    app = Flask(__name__)\n    if app.debug:\n        csrf.init_app(app)\n    return app\n';
  assert.equal(globalProtections(new Map([['app/__init__.py', flask]]), ['app/__init__.py']).get('csrf'), undefined);
});

test('a middleware added after every route guards nothing, so the app-level rule stays; a route whose path is on the next line is read', () => {
  const late = "const csrf = require('csurf');\nconst app = express();\napp.post('/transfer', transfer);\napp.use('/account', require('./routes/account'));\napp.use(csrf());\napp.listen(3000);\n";
  const repository = facts(['app.js'], { 'app.js': late });
  assert.equal(verdictOf(late, 'const app = express()', 'javascript/UseCsurfForExpress', 'app.js', repository, ['CWE-352']).verdict, 'true_positive');
  const split = "const rateLimit = require('express-rate-limit');\napp.use(rateLimit({ max: 50 }));\napp.post(\n  '/reset',\n  async (req, res) => {\n    await reset(req.body.email);\n  },\n);\n";
  const limited = facts(['app.js'], { 'app.js': split });
  assert.equal(verdictOf(split, 'async (req, res)', 'js/missing-rate-limiting', 'app.js', limited, ['CWE-770']).verdict, 'false_positive');
});

test('an HTTPS-redirect rule at the server start is answered by express-sslify registered before the routes; not when it comes after them', () => {
  const server = "const enforce = require('express-sslify');\nconst app = express();\napp.use(enforce.HTTPS({ trustProtoHeader: true }));\napp.use('/', require('./routes'));\nhttp.createServer(app).listen(80);\n";
  const repository = facts(['package.json', 'server.js'], { 'server.js': server });
  assert.equal(verdictOf(server, 'http.createServer', 'javascript/HttpToHttps', 'server.js', repository, ['CWE-319']).verdict, 'false_positive');
  const late = server.replace("app.use(enforce.HTTPS({ trustProtoHeader: true }));\napp.use('/', require('./routes'));", "app.use('/', require('./routes'));\napp.use(enforce.HTTPS({ trustProtoHeader: true }));");
  assert.equal(verdictOf(late, 'http.createServer', 'javascript/HttpToHttps', 'server.js', facts(['server.js'], { 'server.js': late }), ['CWE-319']).verdict, 'true_positive');
});

test("a limiter made in the application's own module and registered where it is imported counts; one that module does not make from a package does not", () => {
  const limits = "const rateLimit = require('express-rate-limit');\nconst apiLimiter = rateLimit({ windowMs: 60000, max: 100 });\nmodule.exports = { apiLimiter };\n";
  const server = "const { apiLimiter } = require('./middleware/limits');\nconst app = express();\napp.use(apiLimiter);\napp.post('/reset', reset);\n";
  const files = ['package.json', 'src/server.js', 'src/middleware/limits.js'];
  const repository = facts(files, { 'src/server.js': server, 'src/middleware/limits.js': limits });
  const answered = verdictOf(server, "app.post('/reset'", 'js/missing-rate-limiting', 'src/server.js', repository, ['CWE-770']);
  assert.equal(answered.verdict, 'false_positive', answered.justification);
  const homeMade = limits.replace("require('express-rate-limit')", "require('./my-limit')");
  const unknown = facts(files, { 'src/server.js': server, 'src/middleware/limits.js': homeMade });
  assert.equal(verdictOf(server, "app.post('/reset'", 'js/missing-rate-limiting', 'src/server.js', unknown, ['CWE-770']).verdict, 'true_positive');
  // The default export and a member of it are followed too.
  const found = (registration: string, module: string) => globalProtections(new Map([['src/app.js', registration], ['src/csrf.js', module]]), ['src/app.js', 'src/csrf.js']).get('csrf');
  assert.equal(found("const csrf = require('./csrf');\napp.use(csrf);\napp.post('/x', y);\n", "const csurf = require('csurf');\nmodule.exports = csurf({ cookie: true });\n")?.length, 1);
  assert.equal(found("import security from './csrf.js';\napp.use(security.protect);\napp.post('/x', y);\n", "import { csrfSync } from 'csrf-sync';\nconst { csrfSynchronisedProtection } = csrfSync();\nexport default { protect: csrfSynchronisedProtection };\n"), undefined);
  assert.equal(found("import { protect } from './csrf.js';\napp.use(protect);\napp.post('/x', y);\n", "import { csrfSync } from 'csrf-sync';\nconst { csrfSynchronisedProtection } = csrfSync();\nexport const protect = csrfSynchronisedProtection;\n")?.length, 1);
});
