/**
 * Bundles the app with Forge's own bundler (@forge/bundler: the webpack build `forge deploy` and `forge tunnel` run),
 * then runs a fix per grammar from that output in a folder with no node_modules, and loads the Forge entry there.
 * A manual check before a deploy; @forge/bundler is not a dependency of this project (it needs no login to bundle).
 *
 *   mkdir /tmp/fb && (cd /tmp/fb && npm init -y && npm install @forge/bundler)
 *   FORGE_BUNDLER_DIR=/tmp/fb npx tsx scripts/check-forge-bundle.ts
 *
 * Entries: src/index.ts (every handler in manifest.yml) and test/fixtures/codemods/bundle-entry.ts (one fix per
 * grammar). The Forge runtime wrapper the CLI adds beside the bundle is fetched from Atlassian's CDN at deploy time; a
 * stub stands in for it here, since it plays no part in loading the grammars.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEmbeddedGrammars } from './embed-grammars';

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @forge/bundler needs `require.main` (a CommonJS main module), so it runs in a child process from this small driver;
 * it prints the folder webpack wrote, which is what the CLI uploads.
 */
const DRIVER = `
const path = require('node:path');
const [bundlerDir, runtimeDir, appDirectory, ...entries] = process.argv.slice(2);
const there = require('node:module').createRequire(path.join(bundlerDir, 'package.json'));
const forge = there('@forge/bundler');
const { FileSystemReader } = there('@forge/cli-shared');
const quiet = () => undefined;
const logger = { info: quiet, debug: quiet, warn: (m) => console.error('webpack warning: ' + m), error: console.error };
const bundler = forge.getNodeBundler(logger, new forge.LocalWrapperProvider(new FileSystemReader(), runtimeDir), { readConfig: async () => ({ app: {} }) });
process.chdir(appDirectory);
bundler
  .bundle({ appDirectory, entryPoints: entries.map((e) => ({ name: path.basename(e).replace(/\\.tsx?$/, ''), path: path.join(appDirectory, e) })) })
  .then((out) => console.log(out.outputDir), (e) => { console.error(e.message); process.exit(1); });
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const bundlerDir = process.env.FORGE_BUNDLER_DIR;
  if (bundlerDir === undefined || bundlerDir === '') fail('Set FORGE_BUNDLER_DIR to a folder where `npm install @forge/bundler` ran.');
  writeEmbeddedGrammars();
  const work = mkdtempSync(join(tmpdir(), 'remediate-forge-bundle-'));
  try {
    const runtime = join(work, 'runtime', 'dist');
    mkdirSync(runtime, { recursive: true });
    for (const name of ['wrapper.js', 'loader.js']) writeFileSync(join(runtime, name), '// stand-in for the Forge runtime wrapper\n');
    writeFileSync(join(work, 'driver.cjs'), DRIVER);
    const entries = ['src/index.ts', 'test/fixtures/codemods/bundle-entry.ts'];
    const bundled = spawnSync(process.execPath, [join(work, 'driver.cjs'), resolve(bundlerDir), join(work, 'runtime'), projectDir, ...entries], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (bundled.status !== 0) fail('@forge/bundler failed (see above).');
    const outputDir = bundled.stdout.trim();
    // What the CLI uploads is this folder's content; copy it where no node_modules is above it.
    const shipped = join(work, 'shipped');
    cpSync(outputDir, shipped, { recursive: true });
    rmSync(outputDir, { recursive: true, force: true });
    for (const file of readdirSync(shipped).filter((f) => !f.endsWith('.map'))) {
      process.stdout.write(`shipped ${file} ${(statSync(join(shipped, file)).size / 1024).toFixed(0)} KiB\n`);
    }

    const env = { PATH: process.env.PATH ?? '', NODE_PATH: '' };
    // Where `unshare` may (root), the project folder is hidden from the run: webpack baked its paths into the bundle.
    const hidden = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs none '${projectDir}' && test ! -e '${join(projectDir, 'package.json')}'`]);
    const fix =
      hidden.status === 0
        ? spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs none '${projectDir}' && exec '${process.execPath}' bundle-entry.cjs`], { cwd: shipped, encoding: 'utf8', env, timeout: 120_000 })
        : spawnSync(process.execPath, ['bundle-entry.cjs'], { cwd: shipped, encoding: 'utf8', env, timeout: 120_000 });
    process.stdout.write(hidden.status === 0 ? `ran with ${projectDir} hidden (unshare)\n` : `ran with ${projectDir} still visible (no unshare)\n`);
    if (fix.status !== 0) fail(`bundle-entry.cjs failed:\n${fix.stderr}`);
    const out = JSON.parse(fix.stdout) as Record<string, { fixed: string[]; unfixed: unknown[] }>;
    for (const [language, result] of Object.entries(out)) {
      if (result.fixed.length !== 1 || result.unfixed.length !== 0) fail(`${language}: not fixed from the Forge bundle: ${JSON.stringify(result)}`);
      process.stdout.write(`fixed from the Forge bundle: ${language}\n`);
    }

    const load = spawnSync(process.execPath, ['-e', "console.log(JSON.stringify(Object.keys(require('./index.cjs')).sort()))"], { cwd: shipped, encoding: 'utf8', env });
    if (load.status !== 0) fail(`index.cjs does not load:\n${load.stderr}`);
    const manifest = readFileSync(join(projectDir, 'manifest.yml'), 'utf8');
    const handlers = [...manifest.matchAll(/handler:\s*index\.(\w+)/g)].map((m) => m[1]).sort();
    if (load.stdout.trim() !== JSON.stringify(handlers)) fail(`index.cjs exports ${load.stdout.trim()}, manifest.yml names ${JSON.stringify(handlers)}`);
    process.stdout.write(`index.cjs loads and exports ${handlers.join(', ')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
