/** The local stand-ins for Forge's pull-request trigger and scheduled trigger: delivery and the timer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPullRequestTriggers } from '../src/local/pull-request-triggers';
import type { PullRequestEvent } from '../src/local/emulator';
import type { ReconcileResult } from '../src/services/pull-requests/reconcile';

const quietLogger = () => {
  const lines: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, logger: { info: log, warn: log, error: log } };
};
const result: ReconcileResult = { checked: 0, changed: [], leftForNextRun: 0 };
const event = { eventType: 'avi:bitbucket:fulfilled:pullrequest' } as PullRequestEvent;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('events are handled after deliver returns; idle waits for them; a failing handler is logged, not thrown', async () => {
  const handled: string[] = [];
  const { lines, logger } = quietLogger();
  const triggers = startPullRequestTriggers(
    {
      pullRequestEvents: async (e) => {
        await sleep(20);
        if (handled.push((e as PullRequestEvent).eventType) === 2) throw new Error('database is locked');
        return { kind: 'ignored', reason: 'test' };
      },
      reconcile: async () => ({ statusCode: 200, result }),
    },
    logger,
  );
  triggers.deliver(event);
  triggers.deliver(event);
  assert.equal(handled.length, 0, 'delivery is asynchronous');
  await triggers.idle();
  assert.equal(handled.length, 2);
  assert.ok(lines.some((line) => line.startsWith('Pull request event failed') && line.includes('database is locked')));
  await triggers.stop();
});

test('the reconcile timer runs at its interval, one run at a time, and stops', async () => {
  let runs = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  const { logger } = quietLogger();
  const triggers = startPullRequestTriggers(
    {
      pullRequestEvents: async () => ({ kind: 'ignored', reason: 'test' }),
      reconcile: async () => {
        runs += 1;
        maxConcurrent = Math.max(maxConcurrent, (concurrent += 1));
        await sleep(60);
        concurrent -= 1;
        return { statusCode: 200, result };
      },
    },
    logger,
    { reconcileIntervalSeconds: 0.02 },
  );
  // Wait for a few runs (generous deadline: the machine may be busy).
  for (const deadline = Date.now() + 10_000; runs < 3 && Date.now() < deadline; ) await sleep(10);
  await triggers.stop();
  const seen = runs;
  assert.ok(seen >= 3, `ran ${seen} times`);
  assert.equal(maxConcurrent, 1, 'never two runs at once');
  await sleep(100);
  assert.equal(runs, seen, 'no run after stop');
});

test('without an interval there is no timer', async () => {
  let runs = 0;
  const { logger } = quietLogger();
  const triggers = startPullRequestTriggers(
    { pullRequestEvents: async () => ({ kind: 'ignored', reason: 'test' }), reconcile: async () => ((runs += 1), { statusCode: 200, result }) },
    logger,
  );
  await sleep(100);
  assert.equal(runs, 0);
  await triggers.reconcileNow();
  assert.equal(runs, 1, 'but a run on demand works');
  await triggers.stop();
});
