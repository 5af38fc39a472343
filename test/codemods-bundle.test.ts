/**
 * Bundle proof: the codemod engine compiled into a single file with esbuild runs from a temp
 * directory where no node_modules is reachable, loading every .wasm file from beside the bundle
 * (ESM) or from REMEDIATE_GRAMMAR_DIR (CJS). This is how the Forge bundle must ship the grammars.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { build } from 'esbuild';
import { wasmFiles } from '../src/domain/codemods/parser';

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

function run(bundle: string, cwd: string, env: Record<string, string> = {}): { python: { content: string; fixed: string[] }; typescript: { content: string; fixed: string[] } } {
  const child = spawnSync(process.execPath, [bundle], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_PATH: '', ...env },
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as ReturnType<typeof run>;
}

function assertFixed(out: ReturnType<typeof run>): void {
  assert.equal(out.python.content, 'import yaml\n\nconfig = yaml.safe_load(open("c.yml"))\n');
  assert.deepEqual(out.python.fixed, ['py-1']);
  assert.equal(out.typescript.content, 'const agent = new Agent({ rejectUnauthorized: true });\n');
  assert.deepEqual(out.typescript.fixed, ['ts-1']);
}

test('an ESM bundle loads the .wasm files shipped beside it, with no node_modules in reach', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-esm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir), `a node_modules is reachable from ${dir}; the proof would be void`);
  const outfile = join(dir, 'index.mjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
  copyWasm(dir);
  assertFixed(run(outfile, dir));
});

test('a CJS bundle loads the .wasm files from REMEDIATE_GRAMMAR_DIR', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-cjs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(noNodeModulesAbove(dir));
  const outfile = join(dir, 'app', 'index.cjs');
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    // web-tree-sitter is ESM and reads import.meta.url, which CJS output lacks: give it the bundle's URL.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  copyWasm(join(dir, 'grammars'));
  assertFixed(run(outfile, dir, { REMEDIATE_GRAMMAR_DIR: join(dir, 'grammars') }));
});

test('without the .wasm files the bundle fails loudly, naming the fix', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-bundle-bare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'index.mjs');
  await build({ entryPoints: [ENTRY], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
  const child = spawnSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /tree-sitter\.wasm not found: ship it beside the bundle, or set REMEDIATE_GRAMMAR_DIR/);
});
