/**
 * Runtime checks for the shapes real applications write (issue 17): the before and after versions of a fixture
 * run with node or python3; what a caller relies on stays the same and the injection stops working.
 * A case is skipped only when its interpreter is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'codemods');
const fixture = (codemod: string, file: string): string => readFileSync(join(FIXTURES, codemod, file), 'utf8');
const has = (command: string, args: string[] = ['--version']): boolean => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const python = has('python3');
const node = has('node');
const ls = has('ls');

/** Writes the files into a fresh directory (plus an `inside` folder holding `a.txt`), runs the command there, returns the last stdout line as JSON. */
function runJson(files: Record<string, string>, command: string, args: string[]): { result: unknown; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'codemod-shape-'));
  writeFileSync(join(dir, 'a.txt'), 'a');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const run = spawnSync(command, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  try {
    assert.equal(run.status, 0, run.stderr);
    return { result: JSON.parse(run.stdout.trim().split('\n').pop() ?? 'null'), dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('node-exec-execfile, destructured exec: the same listing for a folder; "; touch pwned" no longer runs', { skip: !(node && ls) && 'node or ls missing' }, () => {
  const harness = [
    "const fs = require('fs');",
    "const { listing } = require('./mod.cjs');",
    "listing('.', (e1, out) => listing('.; touch pwned', (e2) => {",
    "  console.log(JSON.stringify({ lists: !e1 && out.includes('a.txt'), injectedFailed: e2 !== null, pwned: fs.existsSync('pwned') }));",
    '}));',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.cjs': fixture('node-exec-execfile', `fix-destructured-shared.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs']).result;
  assert.deepEqual(run('input'), { lists: true, injectedFailed: false, pwned: true }, 'before the fix the shell ran touch');
  assert.deepEqual(run('output'), { lists: true, injectedFailed: true, pwned: false });
});

test('subprocess-shell-false, command held in a variable: the same listing; "; touch pwned" no longer runs', { skip: !(python && ls) && 'python3 or ls missing' }, () => {
  const harness = 'import json, os\nplain = list_folder(".")\nlist_folder(".; touch pwned")\nprint(json.dumps({"lists": "a.txt" in plain, "pwned": os.path.exists("pwned")}))';
  const run = (which: string): unknown => runJson({ 'mod.py': `${fixture('subprocess-shell-false', `fix-variable-concat.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result;
  assert.deepEqual(run('input'), { lists: true, pwned: true }, 'before the fix the shell ran touch');
  assert.deepEqual(run('output'), { lists: true, pwned: false });
});
