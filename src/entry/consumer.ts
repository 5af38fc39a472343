import { z } from 'zod';
import type { Deps } from '../services/deps';
import { processScan } from '../services/scan/process-scan';

const jobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('process-scan'), workspaceId: z.string(), scanId: z.string(), attempt: z.number().optional() }),
]);

/** Retries after the first attempt before a scan is marked failed (the local queue allows 3 too). */
const MAX_RETRIES = 3;

/** The event Forge gives a queue consumer (`@forge/events` AsyncEvent), reduced to what we read. */
export interface ConsumerEvent {
  body: unknown;
  jobId?: string;
  retryContext?: { retryCount: number };
}

/** Queue consumer: one job, one service call. Unexpected errors propagate so the platform retries. */
export function makeJobConsumer(getDeps: () => Promise<Deps>) {
  return async (event: ConsumerEvent): Promise<void> => {
    const deps = await getDeps();
    const job = jobSchema.safeParse(event.body);
    if (!job.success) {
      deps.logger.error('Dropped a malformed job', { jobId: event.jobId ?? null, issue: job.error.issues[0]?.message ?? '' });
      return;
    }
    // Forge retries a failed event a few times; the last attempt ends the scan as failed instead.
    const finalAttempt = (event.retryContext?.retryCount ?? 0) >= MAX_RETRIES;
    const outcome = await processScan(deps, job.data.scanId, { finalAttempt });
    deps.logger.info('Job finished', { jobId: event.jobId ?? null, scanId: job.data.scanId, outcome: outcome.kind });
  };
}
