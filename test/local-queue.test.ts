import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../src/local/adapters/sqlite-database';
import { createSqliteQueue, type LocalAsyncEvent } from '../src/local/adapters/sqlite-queue';
import type { Logger } from '../src/ports';

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

test('jobs run in order, one at a time, with the Forge event shape', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-'));
  const db = openSqlite(join(dir, 'q.sqlite'));
  const seen: LocalAsyncEvent[] = [];
  let running = 0;
  let maxRunning = 0;
  const q = createSqliteQueue(db, {
    queueName: 'remediate-jobs',
    logger: silent,
    run: async (event) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(event);
      running -= 1;
    },
  });
  for (const scanId of ['a', 'b', 'c']) await q.queue.push({ type: 'process-scan', workspaceId: '{w}', scanId });
  await q.idle();
  assert.deepEqual(seen.map((e) => (e.body as { scanId: string }).scanId), ['a', 'b', 'c']);
  assert.equal(maxRunning, 1);
  assert.equal(seen[0]?.queueName, 'remediate-jobs');
  assert.match(seen[0]?.jobId ?? '', /^job-\d+$/);
  await q.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a failing job is retried with its retry context, and a retry request is honoured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-'));
  const db = openSqlite(join(dir, 'q.sqlite'));
  const attempts: (number | undefined)[] = [];
  const q = createSqliteQueue(db, {
    queueName: 'q',
    logger: silent,
    run: async (event) => {
      attempts.push(event.retryContext?.retryCount);
      if (attempts.length === 1) throw new Error('boom');
      if (attempts.length === 2) return { retryAfter: 0, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' };
      return undefined;
    },
  });
  await q.queue.push({ type: 'process-scan', workspaceId: '{w}', scanId: 'x' });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await q.idle();
  assert.deepEqual(attempts, [undefined, 1, 2]);
  await q.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('jobs survive a restart: a job left running by a crash runs again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-'));
  const file = join(dir, 'q.sqlite');
  const first = openSqlite(file);
  const never = createSqliteQueue(first, { queueName: 'q', logger: silent, run: () => new Promise(() => undefined) });
  await never.queue.push({ type: 'process-scan', workspaceId: '{w}', scanId: 'crash' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal((first.prepare(`SELECT status FROM jobs`).get() as { status: string }).status, 'running');
  first.close();
  const second = openSqlite(file);
  const ran: string[] = [];
  const q = createSqliteQueue(second, { queueName: 'q', logger: silent, run: async (event) => void ran.push((event.body as { scanId: string }).scanId) });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await q.idle();
  assert.deepEqual(ran, ['crash']);
  await q.stop();
  second.close();
  rmSync(dir, { recursive: true, force: true });
});
