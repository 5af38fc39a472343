/**
 * manifest.yml is checked offline the way `forge deploy` would: `@forge/manifest`'s full
 * validation, then `@forge/lint`'s client-side linters (all but PermissionLinter, which downloads
 * API specs). `src/index.ts` must export exactly the handlers the manifest names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validate } from '@forge/manifest';
import { buildUi } from '../scripts/build-ui';

const root = resolve(import.meta.dirname, '..');
const manifestPath = join(root, 'manifest.yml');

type LintModule = typeof import('@forge/lint');
function loadLint(): LintModule | undefined {
  try {
    return createRequire(import.meta.url)('@forge/lint') as LintModule;
  } catch {
    return undefined;
  }
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

async function lintManifest(lint: LintModule, manifest: Parameters<LintModule['lint']>[1]) {
  // The linters ask a feature-flag service; offline, every flag is off and no runtime is deprecated.
  const statsig = new Proxy({ getDeprecatedRuntimes: async () => [] } as Record<string, unknown>, {
    get: (target, key: string) => (key in target ? target[key] : async () => false),
  }) as unknown as Parameters<LintModule['lint']>[4];
  const logger = { info: () => undefined };
  const linters = (await lint.getClientSideLintersOnly(manifest, 'development', logger, statsig)).filter(
    (linter) => linter.constructor.name !== 'PermissionLinter',
  );
  const previous = process.cwd();
  process.chdir(root);
  try {
    const files = sourceFiles('src');
    return await lint.lint(files, manifest, 'development', logger, statsig, { linter: { mode: 'client-side' }, linters });
  } finally {
    process.chdir(previous);
  }
}

test('manifest.yml passes full offline validation', { timeout: 120_000 }, async () => {
  await buildUi({ projectDir: root, quiet: true });
  const result = await validate(false, manifestPath);
  assert.deepEqual(result.errors ?? [], [], 'validation errors');
  assert.equal(result.success, true);
  const manifest = result.manifestObject?.typedContent as unknown as { app: { runtime: { name: string } }; permissions: { scopes: string[] } };
  assert.equal(manifest.app.runtime.name, 'nodejs22.x');
  assert.deepEqual([...manifest.permissions.scopes].sort(), [
    'read:pullrequest:bitbucket', 'read:repository:bitbucket', 'read:user:bitbucket', 'read:workspace:bitbucket',
    'storage:app', 'write:pullrequest:bitbucket', 'write:repository:bitbucket',
  ]);
});

test('validation catches a broken manifest (the check can fail)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  try {
    const broken = readFileSync(manifestPath, 'utf8').replace('timeoutSeconds: 900', 'timeoutSeconds: 901');
    writeFileSync(join(dir, 'manifest.yml'), broken);
    const result = await validate(false, join(dir, 'manifest.yml'));
    assert.equal(result.success, false);
    assert.ok(result.errors?.some((error) => /timeoutSeconds/.test(error.message)), JSON.stringify(result.errors));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('src/index.ts exports exactly the handlers the manifest names', async () => {
  const result = await validate(false, manifestPath);
  const functions = (result.manifestObject?.typedContent as unknown as { modules: { function: { handler: string }[] } }).modules.function;
  const named = functions.map((fn) => {
    const [file, exported] = fn.handler.split('.');
    assert.equal(file, 'index', `${fn.handler} must live in src/index.ts`);
    return exported;
  });
  const entry = await import('../src/index');
  assert.deepEqual(Object.keys(entry).sort(), [...named].sort());
  for (const name of named) assert.equal(typeof (entry as Record<string, unknown>)[name as string], 'function');
});

const lint = loadLint();
test('@forge/lint client-side linters report no errors or warnings', { skip: lint ? false : '@forge/lint is not installed (optional: it needs libsecret-1-dev)', timeout: 120_000 }, async () => {
  const result = await validate(false, manifestPath);
  const results = await lintManifest(lint as LintModule, result.manifestObject?.typedContent as Parameters<LintModule['lint']>[1]);
  const problems = results.flatMap((r) => [...r.errors, ...r.warnings].map((p) => `${r.file}:${p.line} ${p.message}`));
  assert.deepEqual(problems, []);
});

test('@forge/lint catches a handler the code does not export (the check can fail)', { skip: lint ? false : '@forge/lint is not installed', timeout: 120_000 }, async () => {
  const result = await validate(false, manifestPath);
  const manifest = structuredClone(result.manifestObject?.typedContent) as unknown as { modules: { function: { key: string; handler: string }[] } };
  const target = manifest.modules.function.find((fn) => fn.key === 'resolver');
  assert.ok(target);
  target.handler = 'index.notExported';
  const results = await lintManifest(lint as LintModule, manifest as unknown as Parameters<LintModule['lint']>[1]);
  const messages = results.flatMap((r) => [...r.errors, ...r.warnings].map((p) => p.message));
  assert.ok(messages.some((message) => message.includes('notExported')), JSON.stringify(messages));
});

test('pull request events and the hourly reconcile are wired to their handlers', async () => {
  const result = await validate(false, manifestPath);
  const modules = (result.manifestObject?.typedContent as unknown as {
    modules: {
      trigger: { key: string; function: string; events: string[] }[];
      scheduledTrigger: { key: string; function: string; interval: string }[];
      function: { key: string; handler: string; timeoutSeconds?: number }[];
    };
  }).modules;
  const handlerOf = (key: string) => modules.function.find((fn) => fn.key === key)?.handler;
  const trigger = modules.trigger.find((t) => t.key === 'pull-request-events');
  assert.deepEqual([...(trigger?.events ?? [])].sort(), ['avi:bitbucket:fulfilled:pullrequest', 'avi:bitbucket:rejected:pullrequest']);
  assert.equal(handlerOf(trigger?.function ?? ''), 'index.pullRequestEvents');
  const schedule = modules.scheduledTrigger.find((t) => t.key === 'reconcile-pull-requests');
  assert.equal(schedule?.interval, 'hour');
  assert.equal(handlerOf(schedule?.function ?? ''), 'index.reconcilePullRequests');
});
