/**
 * Runtime checks for the fixes written after the corpus run of `npm run eval:fixes` (issue 17): the before and
 * after versions of each fixture run with node or python3; what a caller relies on stays the same and the unsafe
 * behaviour is gone. A case is skipped only when its interpreter is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'codemods');
const fixture = (codemod: string, file: string): string => readFileSync(join(FIXTURES, codemod, file), 'utf8');
const has = (command: string): boolean => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
const python = has('python3');
const node = has('node');

/** Writes the files into a fresh directory, runs the command there, returns the last stdout line as JSON and the whole stdout. */
function runJson(files: Record<string, string>, command: string, args: string[]): { result: unknown; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'codemod-corpus-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const run = spawnSync(command, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  try {
    assert.equal(run.status, 0, run.stderr);
    return { result: JSON.parse(run.stdout.trim().split('\n').pop() ?? 'null'), stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('eval-number-parse: numbers are stored as before, bad input gets the form\'s own message, and input no longer runs', { skip: !node && 'node missing' }, () => {
  const harness = [
    "const Routes = require('./mod.cjs');",
    'const saved = [];',
    'const routes = new Routes({ update: (user, a, b, cb) => { saved.push([a, b]); cb(null); } });',
    'const post = (savings, giving) => {',
    '  let outcome;',
    "  const res = { render: (view, data) => { outcome = data.error; }, redirect: () => { outcome = 'saved'; } };",
    "  try { routes.save({ body: { savings, giving }, session: { userId: 'u1' } }, res, (err) => { outcome = `next: ${err}`; }); }",
    "  catch (error) { outcome = `threw ${error.name}`; }",
    '  return outcome;',
    '};',
    "const outcomes = [post('10', '5'), post('2.5', ' 7 '), post('1e1', '0'), post('', '5'), post('ten', '5'), post('40', '20'), post('-1', '5')];",
    "const injected = post('(globalThis.pwned = 3)', '5');",
    'console.log(JSON.stringify({ outcomes, saved, injected, pwned: globalThis.pwned === 3 }));',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.cjs': fixture('eval-number-parse', `fix-validated-amounts.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs']).result;
  const common = { saved: [[10, 5], [2.5, 7], [10, 0]] };
  assert.deepEqual(run('input'), {
    ...common,
    saved: [...common.saved, [3, 5]],
    outcomes: ['saved', 'saved', 'saved', 'Please enter numbers', 'threw ReferenceError', 'At most half of the income', 'Please enter numbers'],
    injected: 'saved',
    pwned: true,
  }, 'before the fix eval ran the posted text');
  assert.deepEqual(run('output'), {
    ...common,
    outcomes: ['saved', 'saved', 'saved', 'Please enter numbers', 'Please enter numbers', 'At most half of the income', 'Please enter numbers'],
    injected: 'Please enter numbers',
    pwned: false,
  });
});

test('regex-nested-quantifier: the same answers on every short input, and an almost-matching long input is answered at once', { skip: !node && 'node missing' }, () => {
  const harness = [
    "const { isAccount, isCode } = require('./mod.cjs');",
    "const alphabet = ['1', '9', '#', 'A', 'Z', '-', 'x'];",
    'const all = [];',
    "const grow = (s) => { all.push(s); if (s.length < 6) for (const c of alphabet) grow(s + c); };",
    "grow('');",
    "const answers = all.map((s) => `${isAccount(s) ? 1 : 0}${isCode(s) ? 1 : 0}`).join('');",
    "const started = Date.now(); isAccount('1'.repeat(40) + 'x'); isCode('A-' + '1'.repeat(40) + 'x'); const ms = Date.now() - started;",
    'console.log(JSON.stringify({ answers, count: all.length, fast: ms < 500 }));',
  ].join('\n');
  const input = fixture('regex-nested-quantifier', 'fix-routing-number.input.js');
  const output = fixture('regex-nested-quantifier', 'fix-routing-number.output.js');
  // Before the fix only short inputs are tried: 40 digits and an x would take minutes.
  const shortOnly = harness.replace(/repeat\(40\)/g, 'repeat(4)');
  const before = runJson({ 'mod.cjs': input, 'run.cjs': shortOnly }, 'node', ['run.cjs']).result as { answers: string; count: number };
  const after = runJson({ 'mod.cjs': output, 'run.cjs': harness }, 'node', ['run.cjs']).result as { answers: string; count: number; fast: boolean };
  assert.ok(before.count > 100_000);
  assert.ok(/1./.test(before.answers.match(/../g)?.find((pair) => pair[0] === '1') ?? '') && before.answers.match(/../g)?.some((pair) => pair[1] === '1'), 'some inputs are valid for each expression');
  assert.equal(after.answers, before.answers, 'every input up to six characters gets the same answer');
  assert.equal(after.fast, true, 'no catastrophic backtracking');
});

test('sql-parameterize-python, a query also printed: the same rows and the same printed text; a quote in the name no longer widens the query', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json, sqlite3',
    'db = sqlite3.connect(":memory:")',
    'db.execute("CREATE TABLE users (id INTEGER, name TEXT)")',
    'db.executemany("INSERT INTO users VALUES (?, ?)", [(1, "alice"), (2, "bob"), (3, "alice")])',
    'print(json.dumps({"alice": find_user(db, "alice"), "nobody": find_user(db, "carol"), "injected": find_user(db, "x\' OR \'1\'=\'1")}))',
  ].join('\n');
  const run = (which: string) => runJson({ 'mod.py': `${fixture('sql-parameterize-python', `fix-query-printed.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']);
  const before = run('input');
  const after = run('output');
  assert.deepEqual(before.result, { alice: [1, 3], nobody: [], injected: [1, 2, 3] }, 'before the fix the quote widened the query');
  assert.deepEqual(after.result, { alice: [1, 3], nobody: [], injected: [] });
  const printed = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('running:'));
  assert.deepEqual(printed(after.stdout), printed(before.stdout), 'what the function prints is unchanged');
});

test('token-from-clock-secrets: the reset link has the same shape and still finds its account; the token is no hash of the email and the time', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import hashlib, json, re',
    'from datetime import datetime, timedelta',
    'start = datetime.now()',
    'links = [start_reset("ann@example.test", "ann") for _ in range(50)]',
    'tokens = [link.rsplit("/", 1)[1] for link in links]',
    '# What an attacker who knows the email tries: the hash of every microsecond around the request (first link only).',
    'guesses = {hashlib.md5(f"ann@example.test|{start + timedelta(microseconds=us)}".encode()).hexdigest() for us in range(0, 200000)}',
    'print(json.dumps({"shape": all(re.fullmatch(r"/reset/[0-9a-f]{32}", link) for link in links), "found": all(pending_resets[t] == "ann" for t in tokens), "guessed": tokens[0] in guesses}))',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.py': `${fixture('token-from-clock-secrets', `fix-reset-token.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result;
  assert.deepEqual(run('input'), { shape: true, found: true, guessed: true }, 'before the fix the token is the hash of the email and the time');
  assert.deepEqual(run('output'), { shape: true, found: true, guessed: false });
});

test('subprocess-shell-false, a command passed in as a parameter: the same output for plain commands; "; touch pwned" no longer runs', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json, os',
    'plain = run_tool("echo one  two \'three four\'")[0].decode()',
    'injected = run_tool("echo hi; touch pwned")[0].decode()',
    'print(json.dumps({"plain": plain, "injected": injected, "pwned": os.path.exists("pwned")}))',
  ].join('\n');
  const run = (which: string): unknown => runJson({ 'mod.py': `${fixture('subprocess-shell-false', `fix-parameter-callers.${which}.py`)}\n${harness}\n` }, 'python3', ['mod.py']).result;
  assert.deepEqual(run('input'), { plain: 'one two three four\n', injected: 'hi\n', pwned: true }, 'before the fix the shell ran touch');
  assert.deepEqual(run('output'), { plain: 'one two three four\n', injected: 'hi; touch pwned\n', pwned: false });
});
