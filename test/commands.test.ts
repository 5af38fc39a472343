/** The README's commands as a user runs them: `npm start` serves the pages; `npm run demo` exits 0 with a PR. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsx = ['--import', 'tsx'];

function run(args: string[], env: Record<string, string>, until?: RegExp) {
  const child = spawn(process.execPath, [...tsx, ...args], { cwd: root, env: { ...process.env, ...env, REMEDIATE_NO_DEMO: env.REMEDIATE_NO_DEMO ?? '' } });
  let output = '';
  const done = new Promise<number>((resolveExit) => child.on('exit', (code) => resolveExit(code ?? -1)));
  const matched = new Promise<RegExpMatchArray>((resolveMatch, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = until ? output.match(until) : null;
      if (match) resolveMatch(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void done.then((code) => reject(new Error(`exited ${code} before matching: ${output.slice(-2000)}`)));
  });
  matched.catch(() => undefined); // awaited only by callers that wait for a line

  return { child, done, matched, output: () => output };
}

test('npm start serves /healthz, the index and both pages', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'remediate-start-'));
  const started = run(['src/local/main.ts'], { PORT: '0', DATA_DIR: dataDir }, /Remediate local host: (http:\/\/[0-9.:]+)/);
  try {
    const [, url] = await started.matched;
    assert.ok(url);
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true });
    for (const path of ['/', '/workspace/acme/settings', '/repository/acme/vulnerable-app', '/repository/acme/vulnerable-app/source']) {
      const response: Response = await fetch(`${url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    }
    assert.match(started.output(), /Pull requests in the emulator \([1-9]/);
    assert.match(started.output(), /Settings page: +http/);
    assert.match(started.output(), /Sidebar card: +http:\/\/[0-9.:]+\/repository\/acme\/vulnerable-app\/source /, 'the card\'s source view is printed');
  } finally {
    started.child.kill('SIGTERM');
    await started.done;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm run demo exits 0 and reports the pull requests it opened', { timeout: 120_000 }, async () => {
  const demo = run(['src/local/demo.ts'], {});
  const code = await demo.done;
  assert.equal(code, 0, demo.output());
  assert.match(demo.output(), /Demo OK: \d+ findings, [1-9]\d* pull request\(s\) opened/);
  assert.match(demo.output(), /Repository page: +http\S+\/repository\/acme\/vulnerable-app\n/);
  assert.match(demo.output(), /Sidebar card: +http\S+\/repository\/acme\/vulnerable-app\/source /);
});
