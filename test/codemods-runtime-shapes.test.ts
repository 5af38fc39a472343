/**
 * Runtime checks for the shapes real applications write (issue 17): the before and after versions of a fixture
 * run with node or python3; what a caller relies on stays the same and the injection stops working.
 * A case is skipped only when its interpreter is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('math-random-crypto, the common forms: the same ranges and shapes, from crypto', { skip: !node && 'node missing' }, () => {
  const harness = [
    "const m = require('./mod.cjs');",
    'const many = (f) => Array.from({ length: 300 }, f);',
    'const resets = many(() => m.resetToken()); const otps = many(() => m.otpCode()); const pins = many(() => m.pinDigit());',
    'const uuids = many(() => m.sessionKey());',
    'console.log(JSON.stringify({',
    '  reset: resets.every((x) => Number.isInteger(x) && x >= 0 && x < 1e9),',
    '  otp: otps.every((x) => Number.isInteger(x) && x >= 100000 && x <= 999999),',
    '  pin: pins.every((x) => Number.isInteger(x) && x >= 0 && x <= 9) && new Set(pins).size === 10,',
    '  uuid: uuids.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)) && new Set(uuids).size === 300,',
    '}));',
  ].join('\n');
  for (const which of ['input', 'output']) {
    const { result } = runJson({ 'mod.cjs': fixture('math-random-crypto', `fix-forms.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs']);
    assert.deepEqual(result, { reset: true, otp: true, pin: true, uuid: true }, which);
  }
  const fixed = fixture('math-random-crypto', 'fix-forms.output.js');
  assert.ok(!fixed.includes('Math.random'), 'no Math.random left in the fixed file');
});

test('math-random-crypto, toString(36) tokens: the same alphabet, and the stated length kept', { skip: !node && 'node missing' }, () => {
  const harness = [
    "import('./mod.mjs').then((m) => {",
    '  const ids = Array.from({ length: 200 }, () => m.sessionId()); const codes = Array.from({ length: 200 }, () => m.inviteCode());',
    '  console.log(JSON.stringify({ ids: ids.every((x) => /^[0-9a-z]+$/.test(x)), codeAlphabet: codes.every((x) => /^[0-9A-Z]+$/.test(x)), codeLength: [...new Set(codes.map((x) => x.length))].sort() }));',
    '});',
  ].join('\n');
  const run = (which: string): unknown => {
    // The fixture imports express only to look like the app it came from; the check does not need it.
    const source = fixture('math-random-crypto', `fix-tostring.${which}.js`).replace("import express from 'express';\n", '');
    return runJson({ 'mod.mjs': source, 'run.cjs': harness }, 'node', ['run.cjs']).result;
  };
  const before = run('input') as { ids: boolean; codeAlphabet: boolean; codeLength: number[] };
  assert.equal(before.ids && before.codeAlphabet, true);
  assert.ok(before.codeLength.every((n) => n <= 8));
  assert.deepEqual(run('output'), { ids: true, codeAlphabet: true, codeLength: [8] });
});

test('tempfile-mktemp in expressions: the same kind of path comes back, now created 0600 before anyone can take it; no descriptor leaks', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json, os, io, contextlib',
    'before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0',
    'p = report_path()',
    'w = write_report([["a", "b"]])',
    'buf = io.StringIO()',
    'with contextlib.redirect_stdout(buf):',
    '    debug_paths()',
    'printed = buf.getvalue().strip()',
    'after = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0',
    'print(json.dumps({"csv": p.endswith(".csv"), "exists": os.path.exists(p), "mode": oct(os.stat(p).st_mode & 0o777) if os.path.exists(p) else None,',
    '  "written": open(w).read(), "report": os.path.basename(w).startswith("report-"), "printedExists": os.path.exists(printed), "fdLeak": after - before}))',
  ].join('\n');
  const run = (which: string): Record<string, unknown> =>
    runJson({ 'mod.py': `${fixture('tempfile-mktemp', `fix-expressions.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result as Record<string, unknown>;
  assert.deepEqual(run('input'), { csv: true, exists: false, mode: null, written: 'a,b\n', report: true, printedExists: false, fdLeak: 0 });
  assert.deepEqual(run('output'), { csv: true, exists: true, mode: '0o600', written: 'a,b\n', report: true, printedExists: true, fdLeak: 0 });
});

test('sql-parameterize-python, query built in a variable: the same rows for a plain name; a quote no longer widens the query', { skip: !python && 'python3 missing' }, () => {
  const prelude = [
    'import sqlite3 as _s',
    '_c = _s.connect("shop.db")',
    '_c.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total INTEGER)")',
    '_c.executemany("INSERT INTO orders (customer, total) VALUES (?, ?)", [("alice", 5), ("bob", 7), ("o\'brien", 9)])',
    '_c.commit()',
    '_c.close()',
  ].join('\n');
  const harness = [
    'import json',
    'def safe(name):',
    '    try:',
    '        return [list(r) for r in orders_for(name)]',
    '    except Exception as e:',
    '        return "error"',
    'print(json.dumps({"alice": safe("alice"), "quote": safe("o\'brien"), "injected": safe("x\' OR \'1\'=\'1")}))',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.py': `${prelude}\n${fixture('sql-parameterize-python', `fix-sqlite-variable.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result;
  assert.deepEqual(run('input'), { alice: [[1, 5]], quote: 'error', injected: [[1, 5], [2, 7], [3, 9]] }, 'before the fix the quote breaks the query and the injection returns every row');
  assert.deepEqual(run('output'), { alice: [[1, 5]], quote: [[3, 9]], injected: [] });
});

test('sql-parameterize-python, nested f-string: the value is bound without the quotes around it', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json, sqlite3',
    'conn = sqlite3.connect(":memory:")',
    'conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, kind INTEGER)")',
    'conn.executemany("INSERT INTO users (name, kind) VALUES (?, ?)", [("ann", 1), ("bo", 1), ("cy", 2)])',
    'def safe(name):',
    '    try:',
    '        return [r[0] for r in find_quoted(conn, name)]',
    '    except Exception:',
    '        return "error"',
    'print(json.dumps({"ann": safe("ann"), "injected": safe("x\' OR \'1\'=\'1")}))',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.py': `${fixture('sql-parameterize-python', `fix-nested-fstring.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result;
  assert.deepEqual(run('input'), { ann: [1], injected: [1, 2] }, 'before the fix the injection widens the query');
  assert.deepEqual(run('output'), { ann: [1], injected: [] });
});

test('eval-json-parse inside try/catch: valid JSON saves the same, bad JSON still gets the handler\'s 400, code no longer runs', { skip: !node && 'node missing' }, () => {
  const harness = [
    "const { importSettings } = require('./mod.cjs');",
    'const call = (text) => { const out = {}; const res = { status(c) { out.status = c; return res; }, send(b) { out.body = b; }, json(b) { out.status = 200; out.body = b; } };',
    '  importSettings({ body: { settingsJson: text } }, res); return out; };',
    'globalThis.ran = false;',
    "const code = call('(globalThis.ran = true, {a: 1})');",
    "console.log(JSON.stringify({ ok: call('[\"a\",\"b\"]'), bad: call('{a:'), ran: globalThis.ran, code: code.status }));",
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.cjs': fixture('eval-json-parse', `fix-request-in-try.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs']).result;
  const bad = { status: 400, body: 'The settings are not valid JSON' };
  assert.deepEqual(run('input'), { ok: { status: 200, body: { saved: 2 } }, bad, ran: true, code: 200 }, 'before the fix the payload ran');
  assert.deepEqual(run('output'), { ok: { status: 200, body: { saved: 2 } }, bad, ran: false, code: 400 });
});

const pythonYaml = python && has('python3', ['-c', 'import yaml']);

test('pyyaml-safe-load, Loader subclass: its own !env tag still works; python tags no longer build objects', { skip: !pythonYaml && 'python3 with PyYAML missing' }, () => {
  const harness = [
    'import json, os',
    'os.environ["APP_PORT"] = "8080"',
    'open("plain.yml", "w").write("port: !env APP_PORT\\nname: shop\\n")',
    'open("evil.yml", "w").write("x: !!python/object/apply:os.getcwd []\\n")',
    'def attempt(p):',
    '    try:',
    '        return read_config(p)',
    '    except yaml.YAMLError as e:',
    '        return "refused"',
    'print(json.dumps({"plain": attempt("plain.yml"), "evil": attempt("evil.yml") if attempt("evil.yml") == "refused" else "built"}))',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.py': `${fixture('pyyaml-safe-load', `fix-loader-subclass.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result;
  assert.deepEqual(run('input'), { plain: { port: '8080', name: 'shop' }, evil: 'built' });
  assert.deepEqual(run('output'), { plain: { port: '8080', name: 'shop' }, evil: 'refused' });
});

test('python-weak-tls, minimum_version and default contexts: every context now refuses anything below TLS 1.2', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json, ssl, socket',
    'captured = {}',
    'class _Sock:',
    '    def __enter__(self): return self',
    '    def __exit__(self, *a): return False',
    'socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("offline"))',
    '_orig = ssl.create_default_context',
    'def _spy(*a, **k):',
    '    c = _orig(*a, **k)',
    '    captured["client"] = c',
    '    return c',
    'ssl.create_default_context = _spy',
    'try:',
    '    legacy_client("example.invalid")',
    'except OSError:',
    '    pass',
    'print(json.dumps({"client": captured["client"].minimum_version.name, "plain": plain_context().minimum_version.name}))',
  ].join('\n');
  const run = (which: string): { client: string; plain: string } =>
    runJson({ 'mod.py': `${fixture('python-weak-tls', `fix-minimum-and-default.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result as { client: string; plain: string };
  assert.equal(run('input').client, 'TLSv1', 'before the fix the client accepted TLS 1.0');
  assert.deepEqual(run('output'), { client: 'TLSv1_2', plain: 'TLSv1_2' });
});

test('js-path-traversal-guard, sendFile, download and "dir/" + name: files inside are served the same; "../" is refused', { skip: !node && 'node missing' }, () => {
  // A stand-in for express (not installed here): Router().get(path, handler) keeps the handlers.
  const expressStub = "module.exports = { Router: () => { const routes = {}; return { routes, get: (p, h) => { routes[p] = h; } }; } };";
  const harness = [
    "const fs = require('fs'); const path = require('path');",
    "fs.mkdirSync('exports'); fs.mkdirSync('avatars'); fs.mkdirSync('notes');",
    "fs.writeFileSync('exports/r.csv', 'csv'); fs.writeFileSync('avatars/ann.png', 'png'); fs.writeFileSync('notes/a.txt', 'note'); fs.writeFileSync('secret.txt', 'TOP-SECRET');",
    "const router = require('./mod.cjs');",
    'const call = (route, req) => new Promise((done) => {',
    "  const res = { sendStatus: (s) => done('status ' + s), send: (b) => done('sent ' + b), download: (p) => done('file ' + fs.readFileSync(p, 'utf8')), sendFile: (p) => done('file ' + fs.readFileSync(p, 'utf8')) };",
    '  router.routes[route](req, res);',
    '});',
    '(async () => {',
    "  const out = { download: await call('/download/:name', { params: { name: 'r.csv' } }), downloadUp: await call('/download/:name', { params: { name: '../secret.txt' } }),",
    "    avatar: await call('/avatar', { query: { user: 'ann' } }), notes: await call('/notes', { query: { file: 'a.txt' } }), notesUp: await call('/notes', { query: { file: '../secret.txt' } }) };",
    '  console.log(JSON.stringify(out));',
    '})();',
  ].join('\n');
  const run = (which: string): Record<string, string> => {
    // The fixture reads from __dirname/exports: place the module where those folders are made.
    const source = fixture('js-path-traversal-guard', `fix-send-and-concat.${which}.js`);
    const dir = mkdtempSync(join(tmpdir(), 'codemod-path-'));
    try {
      mkdirSync(join(dir, 'node_modules', 'express'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'express', 'index.js'), expressStub);
      writeFileSync(join(dir, 'mod.cjs'), source);
      writeFileSync(join(dir, 'run.cjs'), harness);
      const result = spawnSync('node', ['run.cjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout.trim()) as Record<string, string>;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const before = run('input');
  assert.equal(before.notesUp, 'sent TOP-SECRET', 'before the fix ../ reads outside notes/');
  assert.equal(before.download, 'file csv');
  assert.equal(before.downloadUp, 'file TOP-SECRET', 'before the fix ../ downloads a file outside exports/');
  const after = run('output');
  assert.deepEqual(after, { download: 'file csv', downloadUp: 'status 403', avatar: 'file png', notes: 'sent note', notesUp: 'status 403' });
});
