/**
 * Protections registered once for every view in Python applications, and protections a route
 * carries itself (written after holdout-9's run; see the tuning log in
 * src/domain/triage/README.md), each beside the near misses that must stay findings: an extension
 * never given the app, a blueprint exempted, slowapi without its middleware, middleware only in
 * local Django settings, django-ratelimit that only marks, a middleware of the application's own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { globalProtections } from '../src/domain/triage/global-protections';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>): RepositoryFacts => collectRepositoryFacts(files, new Map(Object.entries(contents)));
const verdictOf = (file: string, marker: string, ruleId: string, path: string, repository: RepositoryFacts, cwes: string[]) =>
  triageMarked(ruleFinding(ruleId, 'SnykCode', cwes), path, file, marker, repository);

test('Flask: CSRFProtect and Flask-Limiter in the app-factory shape, Talisman; an extension never given the app, or a view that opts out, is not', () => {
  const factory = [
    'from flask_wtf.csrf import CSRFProtect',
    'from flask_limiter import Limiter',
    'csrf = CSRFProtect()',
    'limiter = Limiter(',
    '    get_remote_address,',
    '    default_limits=["200 per day", "50 per hour"],',
    ')',
    'def create_app():',
    '    app = Flask(__name__)',
    '    csrf.init_app(app)',
    '    limiter.init_app(app)',
    '    return app',
  ].join('\n');
  const files = ['shop/requirements.txt', 'shop/app/__init__.py', 'shop/app/views.py'];
  const repository = facts(files, { 'shop/app/__init__.py': factory });
  const view = '@bp.route("/transfer", methods=["POST"])\ndef transfer():\n    return move(request.form["to"])\n';
  const csrf = verdictOf(view, 'def transfer', 'csrf-missing', 'shop/app/views.py', repository, ['CWE-352']);
  assert.equal(csrf.verdict, 'false_positive', csrf.justification);
  assert.match(csrf.justification, /shop\/app\/__init__\.py:10: `csrf\.init_app\(app\)`/);
  assert.equal(verdictOf(view, 'def transfer', 'no-rate-limit', 'shop/app/views.py', repository, ['CWE-770']).verdict, 'false_positive');
  const exempt = view.replace('def transfer', '@csrf.exempt\ndef transfer');
  assert.equal(verdictOf(exempt, 'def transfer', 'csrf-missing', 'shop/app/views.py', repository, ['CWE-352']).verdict, 'true_positive');
  // Near miss: a blueprint exempted as a whole in the factory (its views cannot be told apart here).
  const blueprint = facts(files, { 'shop/app/__init__.py': factory.replace('    csrf.init_app(app)\n', '    csrf.init_app(app)\n    csrf.exempt(api_bp)\n') });
  assert.equal(verdictOf(view, 'def transfer', 'csrf-missing', 'shop/app/views.py', blueprint, ['CWE-352']).verdict, 'true_positive');
  const never = facts(files, { 'shop/app/__init__.py': factory.replace('    csrf.init_app(app)\n', '').replace('    limiter.init_app(app)\n', '') });
  assert.equal(verdictOf(view, 'def transfer', 'csrf-missing', 'shop/app/views.py', never, ['CWE-352']).verdict, 'true_positive');
  assert.equal(verdictOf(view, 'def transfer', 'no-rate-limit', 'shop/app/views.py', never, ['CWE-770']).verdict, 'true_positive');
  const noDefaults = facts(files, { 'shop/app/__init__.py': factory.replace('    default_limits=["200 per day", "50 per hour"],\n', '') });
  assert.equal(verdictOf(view, 'def transfer', 'no-rate-limit', 'shop/app/views.py', noDefaults, ['CWE-770']).verdict, 'true_positive');
  const talisman = facts(['app.py'], { 'app.py': 'app = Flask(__name__)\nTalisman(app, content_security_policy=None)\n' });
  assert.equal(talisman.protections?.get('https')?.length, 1);
  assert.deepEqual([...(talisman.protections?.get('headers')?.[0]?.headers ?? [])].sort(), ['frame', 'hsts', 'nosniff', 'referrer']);
});

test('slowapi limits every route only with its middleware added', () => {
  const main = 'limiter = Limiter(key_func=get_remote_address, default_limits=["100/minute"])\napp = FastAPI()\napp.state.limiter = limiter\n';
  const found = (text: string) => globalProtections(new Map([['api/main.py', text]]), ['api/main.py']).get('rate-limit');
  assert.equal(found(main), undefined);
  assert.equal(found(`${main}app.add_middleware(SlowAPIMiddleware)\n`)?.length, 1);
});

test('Django: CsrfViewMiddleware in the settings production runs answers a CSRF rule; an exempt view, or middleware only in local settings, does not', () => {
  const files = ['site/manage.py', 'site/site/wsgi.py', 'site/site/settings/base.py', 'site/site/settings/prod.py', 'site/site/settings/local.py', 'site/orders/views.py', 'site/requirements.txt'];
  const middleware = 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]\n';
  const contents = {
    'site/site/wsgi.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.prod")\n',
    'site/manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.local")\n',
    'site/site/settings/base.py': middleware,
    'site/site/settings/prod.py': 'from .base import *\nDEBUG = False\n',
    'site/site/settings/local.py': 'from .base import *\nDEBUG = True\n',
  };
  const view = 'def cancel(request, pk):\n    Order.objects.filter(pk=pk).delete()\n    return redirect("/")\n';
  const repository = facts(files, contents);
  const answered = verdictOf(view, 'def cancel', 'csrf-missing', 'site/orders/views.py', repository, ['CWE-352']);
  assert.equal(answered.verdict, 'false_positive', answered.justification);
  assert.match(answered.justification, /CsrfViewMiddleware.*site\/site\/settings\/prod\.py/);
  const exempt = `@csrf_exempt\n${view}`;
  assert.equal(verdictOf(exempt, 'def cancel', 'csrf-missing', 'site/orders/views.py', repository, ['CWE-352']).verdict, 'true_positive');
  const localOnly = facts(files, { ...contents, 'site/site/settings/base.py': 'MIDDLEWARE = []\n', 'site/site/settings/local.py': `from .base import *\n${middleware}` });
  assert.equal(verdictOf(view, 'def cancel', 'csrf-missing', 'site/orders/views.py', localOnly, ['CWE-352']).verdict, 'true_positive');
  const removed = facts(files, { ...contents, 'site/site/settings/prod.py': 'from .base import *\nMIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")\n' });
  assert.equal(verdictOf(view, 'def cancel', 'csrf-missing', 'site/orders/views.py', removed, ['CWE-352']).verdict, 'true_positive');
});

test('a route that carries the protection itself answers the rule: a limiter decorator or middleware argument; a marking-only or unknown one does not', () => {
  const rule = 'js/missing-rate-limiting';
  const none = facts(['app.py'], {});
  const django = 'from django_ratelimit.decorators import ratelimit\n\n@ratelimit(key="ip", rate="5/m")\ndef login(request):\n    return authenticate(request.POST["user"])\n';
  const decorated = verdictOf(django, 'return authenticate', rule, 'accounts/views.py', none, ['CWE-770']);
  assert.equal(decorated.verdict, 'false_positive', decorated.justification);
  assert.match(decorated.justification, /line 3: `@ratelimit/);
  // django-ratelimit before 4.0 (module `ratelimit`) only marked the request unless `block=True`.
  const old = django.replace('from django_ratelimit.decorators', 'from ratelimit.decorators');
  assert.equal(verdictOf(old, 'return authenticate', rule, 'accounts/views.py', none, ['CWE-770']).verdict, 'true_positive');
  assert.equal(verdictOf(old.replace('rate="5/m")', 'rate="5/m", block=True)'), 'return authenticate', rule, 'accounts/views.py', none, ['CWE-770']).verdict, 'false_positive');
  assert.equal(verdictOf(django.replace('rate="5/m")', 'rate="5/m", block=False)'), 'return authenticate', rule, 'accounts/views.py', none, ['CWE-770']).verdict, 'true_positive');
  const flask = '@bp.route("/login", methods=["POST"])\n@limiter.limit("5 per minute")\ndef login():\n    return check(request.form)\n';
  assert.equal(verdictOf(flask, 'return check', rule, 'app/auth.py', none, ['CWE-770']).verdict, 'false_positive');
  const express = "const rateLimit = require('express-rate-limit');\nconst loginLimiter = rateLimit({ max: 5 });\nrouter.post('/login', loginLimiter, async (req, res) => {\n  res.json(await login(req.body));\n});\n";
  assert.equal(verdictOf(express, "router.post('/login'", rule, 'routes/auth.js', none, ['CWE-770']).verdict, 'false_positive');
  const unknown = express.replace("require('express-rate-limit')", "require('./limits')");
  assert.equal(verdictOf(unknown, "router.post('/login'", rule, 'routes/auth.js', none, ['CWE-770']).verdict, 'true_positive');
  const nest = "@UseGuards(ThrottlerGuard)\n@Controller('auth')\nexport class AuthController {\n  @Post('login')\n  async login(@Body() dto: LoginDto) {\n    return this.auth.login(dto);\n  }\n}\n";
  assert.equal(verdictOf(nest, 'return this.auth.login', rule, 'src/auth.controller.ts', none, ['CWE-770']).verdict, 'false_positive');
  assert.equal(verdictOf(nest.replace('@UseGuards(ThrottlerGuard)\n', ''), 'return this.auth.login', rule, 'src/auth.controller.ts', none, ['CWE-770']).verdict, 'true_positive');
});

test('a registration that leaves some paths out is not global; a Fastify route hooked to csrfProtection is protected itself', () => {
  const found = (text: string) => globalProtections(new Map([['app.js', text]]), ['app.js']).get('csrf');
  assert.equal(found("const csrf = require('csurf');\napp.use(csrf().unless({ path: ['/api'] }));\napp.post('/x', y);\n"), undefined);
  const route = "fastify.post('/transfer', { onRequest: fastify.csrfProtection }, async (request) => {\n  return move(request.body);\n});\n";
  const none = facts(['app.js'], {});
  assert.equal(verdictOf(route, 'return move', 'csrf-missing', 'routes/transfer.js', none, ['CWE-352']).verdict, 'false_positive');
  assert.equal(verdictOf(route.replace('{ onRequest: fastify.csrfProtection }, ', ''), 'return move', 'csrf-missing', 'routes/transfer.js', none, ['CWE-352']).verdict, 'true_positive');
});
