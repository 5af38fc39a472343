/**
 * The session cookie an application configures once for every request (written after holdout-9's
 * run; see src/domain/triage/TUNING-LOG.md): express-session / cookie-session
 * registrations answer the cookie-flag rules flagged at them when they set the flags (`secure: true`,
 * `'auto'`, or true in production by NODE_ENV that a production deployment file sets), and Django's
 * production settings answer a cookie or HTTPS rule flagged in the base settings they extend. Near
 * misses stay findings: `secure: false`, a production comparison production never makes true, a
 * flag set from an unknown value, a setting production leaves alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>): RepositoryFacts => collectRepositoryFacts(files, new Map(Object.entries(contents)));
const server = (cookie: string): string => [
  "const session = require('express-session');",
  'const app = express();',
  'app.use(session({',
  '  secret: process.env.SESSION_SECRET,',
  `  cookie: { ${cookie} },`,
  '}));',
].join('\n');
const production = facts(['Dockerfile', 'server.js'], { Dockerfile: 'FROM node:20\nENV NODE_ENV=production\nCMD ["node", "server.js"]\n' });
const at = (file: string, ruleId: string, repository?: RepositoryFacts, cwes: string[] = ['CWE-614']) =>
  triageMarked(ruleFinding(ruleId, 'ESLint', cwes), 'server.js', file, 'app.use(session(', repository);

test("express-session's cookie marked secure ('auto', or true in production) answers the secure-cookie rule at the registration", () => {
  const auto = at(server("secure: 'auto', sameSite: 'lax'"), 'sonarjs/insecure-cookie', production);
  assert.equal(auto.verdict, 'false_positive', auto.justification);
  assert.match(auto.justification, /secure: 'auto'/);
  const byEnv = at(server("secure: process.env.NODE_ENV === 'production', httpOnly: true"), 'sonarjs/insecure-cookie', production);
  assert.equal(byEnv.verdict, 'false_positive', byEnv.justification);
  assert.match(byEnv.justification, /NODE_ENV=production \(Dockerfile/);
  const constant = `const isProd = process.env.NODE_ENV === 'production';\n${server('secure: isProd')}`;
  assert.equal(at(constant, 'sonarjs/insecure-cookie', production).verdict, 'false_positive');
  // HttpOnly is express-session's default: an httpOnly rule is answered unless the options turn it off.
  assert.equal(at(server('secure: true'), 'cookie-no-httponly', production, ['CWE-1004']).verdict, 'false_positive');
  // cookie-session takes its flags at the top level.
  const cookieSession = "const cookieSession = require('cookie-session');\napp.use(session_placeholder);\n".replace('session_placeholder', "cookieSession({ name: 'sid', keys, secure: true, sameSite: 'strict' })");
  const flagged = triageMarked(ruleFinding('sonarjs/insecure-cookie', 'ESLint', ['CWE-614']), 'server.js', cookieSession, 'app.use(cookieSession(', production);
  assert.equal(flagged.verdict, 'false_positive', flagged.justification);
});

test('near misses: secure false, a production comparison no production deployment makes true, an unknown value, httpOnly turned off, another rule', () => {
  assert.equal(at(server('secure: false'), 'sonarjs/insecure-cookie', production).verdict, 'true_positive');
  assert.equal(at(server("secure: process.env.NODE_ENV === 'production'"), 'sonarjs/insecure-cookie', facts(['server.js'], {})).verdict, 'true_positive');
  assert.equal(at(server('secure: config.cookieSecure'), 'sonarjs/insecure-cookie', production).verdict, 'true_positive');
  assert.equal(at(server('secure: true, httpOnly: false'), 'cookie-no-httponly', production, ['CWE-1004']).verdict, 'true_positive');
  assert.equal(at(server('secure: true'), 'express-cookie-session-no-samesite', production, ['CWE-1275']).verdict, 'true_positive');
  // A `secure` of the store's options is not the cookie's; a session function of no known package decides nothing.
  const store = server('maxAge: 3600000').replace('  secret:', '  store: new RedisStore({ client, secure: true }),\n  secret:');
  assert.equal(at(store, 'sonarjs/insecure-cookie', production).verdict, 'true_positive');
  assert.equal(at(server("secure: 'auto'").replace("require('express-session')", "require('./session')"), 'sonarjs/insecure-cookie', production).verdict, 'true_positive');
  // Reassigned constants are not read as production-only.
  const reassigned = `let isProd = process.env.NODE_ENV === 'production';\nisProd = true;\n${server('secure: isProd')}`;
  assert.equal(at(reassigned, 'sonarjs/insecure-cookie', facts(['server.js'], {})).verdict, 'true_positive');
});

test("Django: production settings that mark the session cookie secure answer the rule flagged in the base they extend; settings production leaves alone do not", () => {
  const files = ['site/wsgi.py', 'site/settings/base.py', 'site/settings/prod.py', 'requirements.txt'];
  const base = 'DEBUG = True\nSESSION_COOKIE_SECURE = False\nSECURE_SSL_REDIRECT = False\n';
  const repository = facts(files, {
    'site/wsgi.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.prod")\n',
    'site/settings/base.py': base,
    'site/settings/prod.py': 'from .base import *\nSESSION_COOKIE_SECURE = True\n',
  });
  const secure = triageMarked(ruleFinding('django-session-cookie-secure-false', 'Semgrep OSS', ['CWE-614']), 'site/settings/base.py', base, 'SESSION_COOKIE_SECURE', repository);
  assert.equal(secure.verdict, 'false_positive', secure.justification);
  assert.match(secure.justification, /marks the session cookie Secure \(line 2/);
  const redirect = triageMarked(ruleFinding('django-secure-ssl-redirect-false', 'Semgrep OSS', ['CWE-319']), 'site/settings/base.py', base, 'SECURE_SSL_REDIRECT', repository);
  assert.equal(redirect.verdict, 'true_positive', redirect.justification);
});
