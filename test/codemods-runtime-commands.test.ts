/**
 * Runtime checks for command codemods added for real-code shapes (issue 17): before and after versions of a
 * fixture run with python3; a plain value works the same and a value with shell syntax no longer runs a command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fixture = (codemod: string, file: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'codemods', codemod, file), 'utf8');
const python = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
const touch = spawnSync('touch', ['--version'], { stdio: 'ignore' }).status === 0;

test('os-system-subprocess: a plain name is marked the same; "; touch pwned" is one file name, not a command; failures still raise', { skip: !(python && touch) && 'python3 or touch missing' }, () => {
  const harness = [
    'import json, os',
    'os.makedirs("marks")',
    'mark("alpha")',
    'try:',
    '    mark("beta; touch pwned")',
    '    odd = "ran"',
    'except RuntimeError:',
    '    odd = "raised"',
    'try:',
    '    mark("missing/dir/x")',
    '    failed = "no error"',
    'except RuntimeError:',
    '    failed = "raised"',
    'print(json.dumps({"alpha": os.path.exists("marks/alpha"), "pwned": os.path.exists("pwned"), "literal": os.path.exists("marks/beta; touch pwned"), "odd": odd, "failed": failed}))',
  ].join('\n');
  const run = (which: string): unknown => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-cmd-'));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'mod.py'), `${fixture('os-system-subprocess', `fix-marks.${which}.py`)}\n${harness}\n`);
      const result = spawnSync('python3', ['mod.py'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  assert.deepEqual(run('input'), { alpha: true, pwned: true, literal: false, odd: 'ran', failed: 'raised' }, 'before the fix the shell ran touch pwned');
  // After it the whole value is one file name: touch creates exactly that file, and nothing else runs.
  assert.deepEqual(run('output'), { alpha: true, pwned: false, literal: true, odd: 'ran', failed: 'raised' });
});
