import type Database from 'better-sqlite3';
import type { Job, JobQueue, Logger } from '../../ports';

/** What a consumer returns to ask for a retry, like `@forge/events`' InvocationError. */
export interface RetryRequest {
  retryAfter: number;
  retryReason?: string;
}

/** The event shape Forge hands a queue consumer (`AsyncEvent`), so the same handler runs here. */
export interface LocalAsyncEvent {
  body: Job;
  queueName: string;
  jobId: string;
  eventId: string;
  retryContext?: { retryCount: number; retryReason: string };
}

export type JobRunner = (event: LocalAsyncEvent) => Promise<unknown>;

export interface LocalQueue {
  queue: JobQueue;
  /** Resolves once no job is waiting or running (delayed retries included). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 4;

/**
 * The persisted in-process queue: jobs are rows in SQLite, run one at a time (which also keeps
 * scans of one repository in order), survive a restart (a job left `running` by a crash runs
 * again), and are retried with back-off when the consumer throws or asks for it.
 */
export function createSqliteQueue(db: Database.Database, options: { queueName: string; run: JobRunner; logger: Logger }): LocalQueue {
  db.exec(`CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    run_after INTEGER NOT NULL, last_reason TEXT, created_at TEXT NOT NULL)`);
  db.prepare(`UPDATE jobs SET status = 'queued' WHERE status = 'running'`).run();

  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const waiters: (() => void)[] = [];

  const pending = (): number =>
    (db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running')`).get() as { n: number }).n;

  const settleWaiters = (): void => {
    if (pending() > 0) return;
    for (const resolve of waiters.splice(0)) resolve();
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void pump(), delayMs);
  };

  async function runOne(row: { id: number; body: string; attempts: number; last_reason: string | null }): Promise<void> {
    db.prepare(`UPDATE jobs SET status = 'running', attempts = attempts + 1 WHERE id = ?`).run(row.id);
    const event: LocalAsyncEvent = {
      body: JSON.parse(row.body) as Job,
      queueName: options.queueName,
      jobId: `job-${row.id}`,
      eventId: `event-${row.id}-${row.attempts + 1}`,
      ...(row.attempts > 0 ? { retryContext: { retryCount: row.attempts, retryReason: row.last_reason ?? 'error' } } : {}),
    };
    let retryAfter: number | undefined;
    let reason = '';
    try {
      const result = await options.run(event);
      if (result && typeof result === 'object' && 'retryAfter' in result) {
        retryAfter = Number((result as RetryRequest).retryAfter);
        reason = String((result as RetryRequest).retryReason ?? 'retry requested');
      }
    } catch (error) {
      retryAfter = 2 ** row.attempts;
      reason = error instanceof Error ? error.message : String(error);
      options.logger.error('Queue job failed', { jobId: event.jobId, attempt: row.attempts + 1, reason });
    }
    if (retryAfter === undefined) {
      db.prepare(`UPDATE jobs SET status = 'done' WHERE id = ?`).run(row.id);
    } else if (row.attempts + 1 >= MAX_ATTEMPTS) {
      db.prepare(`UPDATE jobs SET status = 'failed', last_reason = ? WHERE id = ?`).run(reason, row.id);
    } else {
      db.prepare(`UPDATE jobs SET status = 'queued', run_after = ?, last_reason = ? WHERE id = ?`).run(
        Date.now() + retryAfter * 1000, reason, row.id,
      );
    }
  }

  async function pump(): Promise<void> {
    if (running || stopped) return;
    running = (async () => {
      for (;;) {
        if (stopped) return;
        const row = db
          .prepare(`SELECT id, body, attempts, last_reason FROM jobs WHERE status = 'queued' AND run_after <= ? ORDER BY run_after, id LIMIT 1`)
          .get(Date.now()) as { id: number; body: string; attempts: number; last_reason: string | null } | undefined;
        if (!row) break;
        await runOne(row);
      }
    })();
    await running;
    running = undefined;
    const next = db.prepare(`SELECT MIN(run_after) AS at FROM jobs WHERE status = 'queued'`).get() as { at: number | null };
    if (next.at !== null) schedule(Math.max(0, next.at - Date.now()));
    settleWaiters();
  }

  schedule(0);
  return {
    queue: {
      async push(job: Job, pushOptions?: { delaySeconds?: number }): Promise<void> {
        const delayMs = Math.max(0, (pushOptions?.delaySeconds ?? 0) * 1000);
        db.prepare(`INSERT INTO jobs (body, status, run_after, created_at) VALUES (?, 'queued', ?, ?)`).run(
          JSON.stringify(job), Date.now() + delayMs, new Date().toISOString(),
        );
        schedule(0);
      },
    },
    idle(): Promise<void> {
      if (pending() === 0 && !running) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
