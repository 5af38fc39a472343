/**
 * A development secret the application refuses in production, the refusal in another file read
 * (written after holdout-15's first run; see src/domain/triage/TUNING-LOG.md), beside
 * the near misses that must stay findings: a refusal that only warns, one tied to another variable,
 * a literal production uses, a literal in a vendor's live format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (contents: Record<string, string>) => collectRepositoryFacts(Object.keys(contents), new Map(Object.entries(contents)));
const b105 = ruleFinding('B105', 'Bandit', ['CWE-259']);

const config = 'class DevelopmentConfig:\n    DEBUG = True\n    SECRET_KEY = "dev-only-not-a-secret"\n\n\nclass ProductionConfig:\n    SECRET_KEY = os.environ.get("SECRET_KEY")\n';
const factory = (check: string) => `from flask import Flask\nfrom .config import CONFIGS, DevelopmentConfig\n\n\ndef create_app(name):\n    app = Flask(__name__)\n    app.config.from_object(CONFIGS[name])\n    if name == "production":\n        key = app.config.get("SECRET_KEY")\n${check}\n    return app\n`;
const refusing = '        if not key or key == DevelopmentConfig.SECRET_KEY:\n            raise RuntimeError("SECRET_KEY must be set for production")';
const flask = (check: string, literal = 'dev-only-not-a-secret') => {
  const file = config.replace('dev-only-not-a-secret', literal);
  return triageMarked(b105, 'shop/shop/config.py', file, literal, facts({ 'shop/shop/config.py': file, 'shop/shop/__init__.py': factory(check) }));
};

test("Flask's create_app refusing production's SECRET_KEY when it equals DevelopmentConfig's sets that key aside", () => {
  const verdict = flask(refusing);
  assert.equal(verdict.verdict, 'false_positive', verdict.justification);
  assert.match(verdict.justification, /shop\/shop\/__init__\.py:\d+ refuses to run in production while SECRET_KEY/);
  assert.doesNotMatch(verdict.justification, /dev-only-not-a-secret/);
});

test('a zod superRefine refusing production without DB_PASSWORD sets the ?? fallback in another file aside', () => {
  const source = "import { config } from './config';\nexport const options = {\n  host: config.DB_HOST,\n  password: config.DB_PASSWORD ?? 'orchard-local',\n};\n";
  const schema = (check: string) => `import { z } from 'zod';\nconst schema = z.object({ NODE_ENV: z.string(), DB_PASSWORD: z.string().optional(), DB_TOKEN: z.string().optional() })\n  .superRefine((env, ctx) => {\n${check}\n  });\nexport const config = schema.parse(process.env);\n`;
  const at = (check: string) => triageMarked(ruleFinding('javascript/NoHardcodedPasswords', 'DeepSource', ['CWE-798']), 'api/src/data-source.ts', source, 'orchard-local', facts({ 'api/src/data-source.ts': source, 'api/src/config.ts': schema(check) }));
  const refused = at("    if (env.NODE_ENV === 'production' && !env.DB_PASSWORD) {\n      ctx.addIssue({ code: 'custom', message: 'DB_PASSWORD is required in production' });\n    }");
  assert.equal(refused.verdict, 'false_positive', refused.justification);
  // Near misses: the check only warns; the check is of another variable.
  assert.equal(at("    if (env.NODE_ENV === 'production' && !env.DB_PASSWORD) {\n      console.warn('DB_PASSWORD is not set');\n    }").verdict, 'true_positive');
  assert.equal(at("    if (env.NODE_ENV === 'production' && !env.DB_TOKEN) {\n      ctx.addIssue({ code: 'custom', message: 'DB_TOKEN is required' });\n    }").verdict, 'true_positive');
});

test('the literal compared in order to refuse it outside development is set aside', () => {
  const settings = 'import os\n\nDEBUG = os.environ.get("APP_DEV") == "1"\n\nSECRET_KEY = os.environ.get("APP_SECRET", "dev-secret-change-me")\nif not DEBUG and SECRET_KEY == "dev-secret-change-me":\n    raise RuntimeError("APP_SECRET must be set outside development")\n';
  const verdict = triageMarked(b105, 'app/settings.py', settings, 'if not DEBUG', facts({ 'app/settings.py': settings }));
  assert.equal(verdict.verdict, 'false_positive', verdict.justification);
  assert.doesNotMatch(verdict.justification, /dev-secret-change-me/);
  const warns = settings.replace('raise RuntimeError', 'print');
  assert.equal(triageMarked(b105, 'app/settings.py', warns, 'if not DEBUG', facts({ 'app/settings.py': warns })).verdict, 'true_positive');
});

test('near misses: no refusal, a refusal that only logs, a literal in a live key format', () => {
  assert.equal(flask('        pass').verdict, 'true_positive');
  assert.equal(flask(refusing.replace('raise RuntimeError', 'app.logger.warning')).verdict, 'true_positive');
  assert.equal(flask(refusing, 'sk_live_51Habcdefghijklmnopqrstuv').verdict, 'true_positive');
});

test('a constant refused outside the local environments, or returned only in a dev branch before a throw, is set aside', () => {
  const settings = 'import os\n\nDEV_SESSION_SECRET = "dev-only-session-secret"\nLOCAL_ENVS = {"local", "test"}\n\n\ndef get_settings():\n    env = os.environ.get("APP_ENV", "local")\n    secret = os.environ.get("APP_SESSION_SECRET") or DEV_SESSION_SECRET\n    if env not in LOCAL_ENVS and secret == DEV_SESSION_SECRET:\n        raise RuntimeError("APP_SESSION_SECRET must be set outside local/test")\n    return secret\n';
  const at = (file: string) => triageMarked(b105, 'app/settings.py', file, 'DEV_SESSION_SECRET = ', facts({ 'app/settings.py': file }));
  assert.equal(at(settings).verdict, 'false_positive', at(settings).justification);
  assert.equal(at(settings.replace('raise RuntimeError', 'print')).verdict, 'true_positive');

  const config = "import { dev } from '$app/environment';\nimport { env } from '$env/dynamic/private';\n\nconst LOCAL_ADMIN_PASSWORD = 'granite-local-admin';\n\nexport function adminPassword(): string {\n  if (env.ADMIN_PASSWORD) return env.ADMIN_PASSWORD;\n  if (dev) return LOCAL_ADMIN_PASSWORD;\n  throw new Error('ADMIN_PASSWORD must be set in production');\n}\n";
  const js = (file: string) => triageMarked(ruleFinding('sonarjs/no-hardcoded-passwords', 'ESLint', ['CWE-798']), 'app/src/lib/server/config.ts', file, "LOCAL_ADMIN_PASSWORD = '", facts({ 'app/src/lib/server/config.ts': file }));
  assert.equal(js(config).verdict, 'false_positive', js(config).justification);
  // Near misses: production falls back to the constant; the constant is also used unconditionally.
  assert.equal(js(config.replace("  throw new Error('ADMIN_PASSWORD must be set in production');\n", '  return LOCAL_ADMIN_PASSWORD;\n')).verdict, 'true_positive');
  assert.equal(js(`${config}export const seed = { password: LOCAL_ADMIN_PASSWORD };\n`).verdict, 'true_positive');
});
