import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import type { HttpFetch, Logger } from '../src/ports';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

/**
 * Captures everything the client's error paths can emit (stdout/stderr writes, logger calls,
 * thrown messages, stacks, details, JSON) and scans it for the API token in every form.
 */

const EMAIL = 'bot@example.com';
const TOKEN = 'ATATT3xSuperSecretToken_0123456789';
const repo = { workspace: 'acme', repo: 'api' };

test('no output of the client error paths contains the API token', async (t) => {
  const captured: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  const tap = (original: typeof process.stdout.write) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(originalOut);
  process.stderr.write = tap(originalErr);
  t.after(() => {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  });
  const logger: Logger = {
    info: (message, fields) => captured.push(message, JSON.stringify(fields ?? {})),
    warn: (message, fields) => captured.push(message, JSON.stringify(fields ?? {})),
    error: (message, fields) => captured.push(message, JSON.stringify(fields ?? {})),
  };

  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ username: 'remediate-bot', email: EMAIL, token: TOKEN, scopes: ['read:repository:bitbucket'], workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'a.js': 'x\n' } });
  const make = (options: { email?: string; apiToken?: string; fetch?: HttpFetch; baseUrl?: string; limits?: { perMinute?: number } } = {}) =>
    createBitbucketClient({
      baseUrl: options.baseUrl ?? running.baseUrl,
      fetch: options.fetch ?? nodeFetch,
      credentials: { email: options.email ?? EMAIL, apiToken: options.apiToken ?? TOKEN },
      sleep: async () => {},
      maxAttempts: 2,
      logger,
      ...(options.limits ? { limits: options.limits } : {}),
    });
  // A server that echoes the Authorization header and the token back in its error body.
  const echo: HttpFetch = async (_url, init) => ({
    status: 500,
    headers: { get: () => null },
    text: async () => JSON.stringify({ type: 'error', error: { message: `${String(init?.headers?.Authorization)} ${TOKEN} ${encodeURIComponent(TOKEN)}` } }),
  });
  const throwing: HttpFetch = async (url, init) => {
    throw new Error(`socket hang up for ${url} with ${String(init?.headers?.Authorization)} and ${TOKEN}`);
  };

  const attempts: [string, () => Promise<unknown>][] = [
    ['401 bad token', () => make({ apiToken: `${TOKEN}x` }).getCurrentUser()],
    ['401 username', () => make({ email: 'remediate-bot' }).getRepository(repo)],
    ['403 missing scope', () => make().commitFiles({ repo, branch: 'b', parent: commit, message: 'm', files: [{ path: 'a.js', content: 'y' }] })],
    ['404', () => make().getRepository({ workspace: 'other', repo: 'x' })],
    ['5xx echoing the token', () => make({ fetch: echo }).getCurrentUser()],
    ['network failure quoting the token', () => make({ fetch: throwing }).getRepository(repo)],
    ['unexpected body', () => make({ fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => TOKEN }) }).getCurrentUser()],
    ['budget spent', () => make({ limits: { perMinute: 0 } }).getRepository(repo)],
    ['connection refused', () => make({ baseUrl: 'http://127.0.0.1:9/bitbucket' }).getCurrentUser()],
    ['429 plain text', async () => {
      await admin.setRateLimit(0);
      try {
        return await make().getRepository(repo);
      } finally {
        await admin.setRateLimit(1000);
      }
    }],
  ];
  for (const [name, run] of attempts) {
    try {
      await run();
      assert.fail(`${name} should fail`);
    } catch (error) {
      const e = error as Error & { details?: unknown; code?: string };
      captured.push(name, String(e), e.message, e.stack ?? '', JSON.stringify(e), JSON.stringify(e.details ?? {}), JSON.stringify({ cause: String(e.cause ?? '') }));
      console.error(`[${name}]`, e);
    }
  }

  const everything = captured.join('\n');
  assert.ok(everything.includes('[redacted]'), 'the echoed token was seen and redacted');
  for (const secret of [TOKEN, encodeURIComponent(TOKEN), Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'), Buffer.from(`remediate-bot:${TOKEN}`).toString('base64')]) {
    assert.ok(!everything.includes(secret), `a form of the token leaked: ${secret.slice(0, 6)}…`);
  }
  assert.ok(!everything.includes(TOKEN.slice(6)), 'not even the token without its prefix');
});
