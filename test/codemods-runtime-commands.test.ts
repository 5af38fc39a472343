/**
 * Runtime checks for Python codemods added for real-code shapes (issue 17): before and after versions of a
 * fixture run with python3; what the caller relies on stays the same and the weakness is gone.
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

const flask = python && spawnSync('python3', ['-c', 'import flask'], { stdio: 'ignore' }).status === 0;

test('flask-session-cookie-flags: the same session cookie, now Secure, HttpOnly and SameSite=Lax', { skip: !flask && 'python3 with Flask missing' }, () => {
  const harness = [
    'import json',
    'from flask import session',
    '@app.route("/login")',
    'def login():',
    '    session["user"] = "ann"',
    '    return "ok"',
    'cookie = app.test_client().get("/login").headers.get("Set-Cookie", "")',
    'parts = [p.strip().lower() for p in cookie.split(";")]',
    'print(json.dumps({"session": cookie.startswith("session="), "secure": "secure" in parts, "httponly": "httponly" in parts, "samesite": next((p for p in parts if p.startswith("samesite=")), None)}))',
  ].join('\n');
  const run = (which: string): unknown => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-flask-'));
    try {
      writeFileSync(join(dir, 'mod.py'), `${fixture('flask-session-cookie-flags', `fix-config.${which}.py`)}\n${harness}\n`);
      const result = spawnSync('python3', ['mod.py'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SECRET_KEY: 'test-only-key' } });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  assert.deepEqual(run('input'), { session: true, secure: false, httponly: false, samesite: null });
  assert.deepEqual(run('output'), { session: true, secure: true, httponly: true, samesite: 'samesite=lax' });
});

test('flask-send-from-directory: files in the folder download the same; "../" now gets 404 instead of the file', { skip: !flask && 'python3 with Flask missing' }, () => {
  const harness = [
    'import json, os',
    'os.makedirs(UPLOADS, exist_ok=True); os.makedirs(os.path.join(app.root_path, "reports"), exist_ok=True)',
    'open(os.path.join(UPLOADS, "a.txt"), "w").write("A")',
    'open(os.path.join(app.root_path, "reports", "r.csv"), "w").write("x,y")',
    'open(os.path.join(app.root_path, "secret.txt"), "w").write("TOP-SECRET")',
    'c = app.test_client()',
    'def get(url):',
    '    r = c.get(url)',
    '    return [r.status_code, r.get_data(as_text=True)]',
    'print(json.dumps({"file": get("/files?name=a.txt"), "up": get("/files?name=../secret.txt"), "report": get("/reports/r.csv"), "reportUp": get("/reports/..%2Fsecret.txt")}))',
  ].join('\n');
  const run = (which: string): Record<string, [number, string]> => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-flask-'));
    try {
      writeFileSync(join(dir, 'mod.py'), `${fixture('flask-send-from-directory', `fix-uploads.${which}.py`)}\n${harness}\n`);
      const result = spawnSync('python3', ['mod.py'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as Record<string, [number, string]>;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const before = run('input');
  assert.deepEqual(before.up, [200, 'TOP-SECRET'], 'before the fix ../ downloads a file outside the uploads');
  const after = run('output');
  assert.deepEqual(after.file, [200, 'A']);
  assert.deepEqual(after.report, [200, 'x,y']);
  assert.equal(after.up?.[0], 404);
  assert.equal(after.reportUp?.[0], 404);
});
