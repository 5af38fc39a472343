/**
 * Bundle proof: the codemod engine compiled into a single file with esbuild runs from a temp
 * directory where no node_modules is reachable. A `forge deploy` bundle (@forge/bundler: webpack,
 * CommonJS, `import.meta.url` baked to the build machine's path, only the output folder uploaded)
 * gets the grammars from the bytes scripts/embed-grammars.ts embeds; other bundles may also load
 * the .wasm files from beside themselves or from REMEDIATE_GRAMMAR_DIR.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { wasmFiles } from '../src/domain/codemods/parser';
import { embeddedGrammarsFile, writeEmbeddedGrammars } from '../scripts/embed-grammars';

const require = createRequire(import.meta.url);
const ENTRY = join(import.meta.dirname, 'fixtures', 'codemods', 'bundle-entry.ts');

function noNodeModulesAbove(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return false;
    if (d === parse(d).root) return true;
  }
}

function copyWasm(into: string): void {
  mkdirSync(into, { recursive: true });
  for (const { file, specifier } of wasmFiles()) copyFileSync(require.resolve(specifier), join(into, file));
}

type Outcome = Record<string, { content: string; fixed: string[]; unfixed: { findingId: string; reason: string }[] }>;

function spawnBundle(bundle: string, cwd: string, env: Record<string, string> = {}): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bundle], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_PATH: '', ...env },
    timeout: 60_000,
  });
}

function run(bundle: string, cwd: string, env: Record<string, string> = {}): Outcome {
  const child = spawnBundle(bundle, cwd, env);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Outcome;
}

/** One fix per grammar: the engine, the catalogue and all five grammars work from the bundle. */
function assertFixed(out: Outcome): void {
  for (const [key, result] of Object.entries(out)) assert.deepEqual([result.fixed, result.unfixed], [[`${key}-1`], []], key);
  assert.equal(out.python?.content, 'import yaml\n\nconfig = yaml.safe_load(open("c.yml"))\n');
  assert.equal(out.typescript?.content, 'const agent = new Agent({ rejectUnauthorized: true });\n');
  assert.equal(out.javascript?.content, "const { execFile } = require('child_process');\nexecFile('git', ['log', ref], done);\n");
  assert.equal(out.tsx?.content, "import { Pool } from 'pg';\nexport const load = (id: string) => pool.query(`SELECT * FROM users WHERE id = $1`, [id]);\n");
  assert.match(out.java?.content ?? '', /MessageDigest\.getInstance\("SHA-256"\)/);
  assert.deepEqual(Object.keys(out).sort(), ['java', 'javascript', 'python', 'tsx', 'typescript']);
}

/** esbuild options for a CommonJS bundle, with the import.meta.url shim web-tree-sitter needs (see README, Bundling). */
const CJS_SHIM = {
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * What @forge/bundler's webpack does to `import.meta.url` in a CommonJS handler bundle: it writes in the path the
 * module had on the build machine (seen in its output: "file:///…/src/domain/codemods/parser.ts"). At run time on
 * Forge that path does not exist, so nothing can be found beside it or in node_modules above it.
 */
const BUILD_MACHINE_URL = { define: { 'import.meta.url': JSON.stringify('file:///build-machine/app/src/domain/codemods/parser.ts') } };

/** The embedded grammars, as `npm run build` writes them before a deploy (idempotent, atomic). */
function embedGrammars(): void {
  writeEmbeddedGrammars();
}

/** Stands in an empty table for the embedded grammars: a bundle built from a checkout where they were never embedded. */
const withoutEmbeddedGrammars: Plugin = {
  name: 'without-embedded-grammars',
  setup(b) {
    b.onResolve({ filter: /grammars\.generated$/ }, (args) => ({ path: args.path, namespace: 'no-grammars' }));
    b.onLoad({ filter: /.*/, namespace: 'no-grammars' }, () => ({ contents: 'export const embeddedWasm = {};', loader: 'js' }));
  },
};

// Every bundle below resolves the embedded module, as `forge deploy` must; write it once before any of them.
before(() => embedGrammars());

function assertNoWasmFiles(dir: string): void {
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.wasm')), [], `no .wasm file beside the bundle in ${dir}`);
}

test('a Forge-style bundle (CJS, import.meta.url baked to the build machine) runs a fix per grammar from embedded bytes alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-forge-embedded-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir));
  embedGrammars();
  const outfile = join(dir, 'index.cjs');
  const result = await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    metafile: true,
    ...BUILD_MACHINE_URL,
  });
  assert.ok(Object.keys(result.metafile.inputs).includes('src/domain/codemods/grammars.generated.ts'), 'the embedded grammars are in the bundle');
  assertNoWasmFiles(dir);
  // REMEDIATE_GRAMMAR_DIR points at an empty folder: a leftover setting must not matter either.
  mkdirSync(join(dir, 'empty'));
  assertFixed(run(outfile, dir, { REMEDIATE_GRAMMAR_DIR: join(dir, 'empty') }));
});

test('a bundle built without embedded grammars and shipped without .wasm files fails naming both remedies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-forge-bare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'index.cjs');
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    plugins: [withoutEmbeddedGrammars],
    ...BUILD_MACHINE_URL,
  });
  const child = spawnBundle(outfile, dir);
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /tree-sitter\.wasm not found: this bundle has no embedded grammars \(run `npm run build`/);
  assert.match(child.stderr, /set REMEDIATE_GRAMMAR_DIR/);
});

test('the embedding script writes every .wasm file the engine loads, gzipped to under a fifth of their size', () => {
  embedGrammars();
  const text = readFileSync(embeddedGrammarsFile, 'utf8');
  for (const { file } of wasmFiles()) assert.match(text, new RegExp(`^  "${file.replace(/\./g, '\\.')}": "H4sI`, 'm'), file);
  const raw = wasmFiles().reduce((sum, { specifier }) => sum + statSync(require.resolve(specifier)).size, 0);
  assert.ok(text.length < raw / 5, `${text.length} chars embed ${raw} bytes`);
});

// The three below are built without the embedded grammars, so only the .wasm files on disk can make them pass.
test('an ESM bundle loads the .wasm files shipped beside it, with no node_modules in reach', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-esm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir), `a node_modules is reachable from ${dir}; the proof would be void`);
  const outfile = join(dir, 'index.mjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', plugins: [withoutEmbeddedGrammars] });
  copyWasm(dir);
  assertFixed(run(outfile, dir));
});

test('a CJS bundle loads the .wasm files from REMEDIATE_GRAMMAR_DIR', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-cjs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir));
  const outfile = join(dir, 'app', 'index.cjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent', plugins: [withoutEmbeddedGrammars], ...CJS_SHIM });
  copyWasm(join(dir, 'grammars'));
  assertFixed(run(outfile, dir, { REMEDIATE_GRAMMAR_DIR: join(dir, 'grammars') }));
});

test('a CJS bundle also finds the .wasm files shipped beside it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-cjs-beside-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir));
  const outfile = join(dir, 'index.cjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent', plugins: [withoutEmbeddedGrammars], ...CJS_SHIM });
  copyWasm(dir);
  assertFixed(run(outfile, join(dir, '..')));
});

test('a CJS bundle built without the import.meta.url shim fails naming the build setting, not deep inside emscripten', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-cjs-noshim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'index.cjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  copyWasm(dir);
  const child = spawnBundle(outfile, dir);
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /this CommonJS bundle has no import\.meta\.url\. Build it with define/);
  assert.doesNotMatch(child.stderr, /createRequire/);
});

test('an ESM bundle without embedded grammars or .wasm files fails loudly, naming the fix', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-bare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'index.mjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', plugins: [withoutEmbeddedGrammars] });
  const child = spawnBundle(outfile, dir);
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /tree-sitter\.wasm not found: .*ship it beside the bundle, or set REMEDIATE_GRAMMAR_DIR/);
});

test('the Forge entry (src/index.ts) bundles into one CJS file that loads with no node_modules and carries the engine and grammar loader', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-forge-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir));
  const outfile = join(dir, 'index.cjs');
  const result = await build({
    entryPoints: [join(import.meta.dirname, '..', 'src', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    metafile: true,
    ...CJS_SHIM,
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const part of [
    'src/domain/codemods/engine.ts',
    'src/domain/codemods/parser.ts',
    'src/domain/codemods/catalogue/index.ts',
    'src/domain/codemods/grammars.generated.ts',
    'node_modules/web-tree-sitter/tree-sitter.js',
  ]) {
    assert.ok(inputs.includes(part), `${part} is in the bundle`);
  }
  // Loading runs every module's top level (web-tree-sitter's included); the handlers themselves need the Forge runtime.
  const child = spawnSync(process.execPath, ['-e', "console.log(JSON.stringify(Object.keys(require('./index.cjs')).sort()))"], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_PATH: '' },
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const manifest = readFileSync(join(import.meta.dirname, '..', 'manifest.yml'), 'utf8');
  const handlers = [...manifest.matchAll(/handler:\s*index\.(\w+)/g)].map((m) => m[1]).sort();
  assert.ok(handlers.includes('processJob'));
  assert.deepEqual(JSON.parse(child.stdout), handlers, 'the bundle exports every handler manifest.yml names');
});
