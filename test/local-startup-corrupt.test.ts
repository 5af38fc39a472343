/**
 * Issue 14, row 7: a corrupt file under DATA_DIR stops `npm start` with one line naming the file and
 * how to start over, never with the file's contents (the emulator's state holds API tokens) or a
 * stack trace. Spawns the real entry point (src/local/main.ts) as `npm start` does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const root = resolve(import.meta.dirname, '..');
const SECRET = 'ATATT3xSuperSecretToken0123456789abcdef';

async function start(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/local/main.ts')], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', REMEDIATE_NO_DEMO: '1', RECONCILE_INTERVAL_SECONDS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function assertClearFailure(result: { code: number | null; stdout: string; stderr: string }, file: string, dataDir: string) {
  assert.notEqual(result.code, 0, 'the host did not start');
  assert.notEqual(result.code, null, 'the host exited by itself');
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.ok(lines[0]!.includes(file), `names the file: ${lines[0]}`);
  assert.ok(lines[0]!.includes(`delete ${dataDir}`), `says how to start over: ${lines[0]}`);
  for (const output of [result.stdout, result.stderr]) {
    assert.ok(!output.includes(SECRET) && !output.includes('ATATT3x'), 'no token from the file');
    assert.ok(!/\n\s+at /.test(output), 'no stack trace');
  }
}

test('a corrupt emulator state file names itself and DATA_DIR, and never prints the token inside', { timeout: 90_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'remediate-corrupt-'));
  try {
    const file = join(dataDir, 'bitbucket-emulator.json');
    // A state file cut short mid-write: V8's JSON error would quote its first bytes, token included.
    writeFileSync(file, `{"users":[{"token":"${SECRET}","username":"dana"`);
    assertClearFailure(await start(dataDir), file, dataDir);
    // Valid JSON of the wrong shape: the path is named, not the value.
    writeFileSync(file, JSON.stringify({ users: SECRET }));
    assertClearFailure(await start(dataDir), file, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a file that is not SQLite, and a SQLite file with damaged pages, stop the start with one line (quick_check)', { timeout: 90_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'remediate-corrupt-'));
  try {
    const file = join(dataDir, 'remediate.sqlite');
    writeFileSync(file, `not a database at all ${SECRET} `.repeat(200));
    assertClearFailure(await start(dataDir), file, dataDir);

    rmSync(file);
    const db = new Database(file);
    db.exec('CREATE TABLE secrets (key TEXT PRIMARY KEY, value TEXT)');
    const insert = db.prepare('INSERT INTO secrets VALUES (?, ?)');
    for (let i = 0; i < 2_000; i++) insert.run(`key-${i}`, `${SECRET}-${i}`);
    db.exec('CREATE INDEX secrets_by_value ON secrets (value)');
    db.close();
    // Overwrite the middle of the file (table and index pages) with junk; the header stays valid.
    const bytes = readFileSync(file);
    for (let i = 8 * 4096; i < 12 * 4096 && i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(file, bytes);
    assertClearFailure(await start(dataDir), file, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
