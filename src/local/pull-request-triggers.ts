import type { Logger } from '../ports';
import type { ReconcileResult } from '../services/pull-requests/reconcile';
import type { LocalApp } from './compose';
import type { PullRequestEvent } from './emulator';

/**
 * What Forge does for the two pull-request triggers, done locally: emulator events go to the
 * `pull-request-events` handler (asynchronously, like Bitbucket's delivery), and the
 * `reconcile-pull-requests` handler runs on a timer instead of hourly.
 */
export interface LocalPullRequestTriggers {
  /** Hands one event to the trigger handler and returns at once. */
  deliver(event: PullRequestEvent): void;
  /** Resolves once every event delivered so far has been handled. */
  idle(): Promise<void>;
  /** One reconcile run now (what the timer does); waits for a run already going. */
  reconcileNow(): Promise<ReconcileResult>;
  stop(): Promise<void>;
}

export function startPullRequestTriggers(
  app: Pick<LocalApp, 'pullRequestEvents' | 'reconcile'>,
  logger: Logger,
  options: { reconcileIntervalSeconds?: number } = {},
): LocalPullRequestTriggers {
  const pending = new Set<Promise<void>>();
  let running: Promise<ReconcileResult> | undefined;

  const reconcileNow = (): Promise<ReconcileResult> => {
    running ??= app
      .reconcile()
      .then(({ result }) => result)
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const seconds = options.reconcileIntervalSeconds ?? 0;
  const timer =
    seconds > 0
      ? setInterval(() => {
          reconcileNow().catch((error: unknown) => logger.error('Scheduled reconcile failed', { error: error instanceof Error ? error.message : String(error) }));
        }, seconds * 1000)
      : undefined;
  timer?.unref();

  return {
    deliver(event) {
      const delivery = Promise.resolve()
        .then(() => app.pullRequestEvents(event, {}))
        .then(
          () => undefined,
          (error: unknown) => logger.error('Pull request event failed', { eventType: event.eventType, error: error instanceof Error ? error.message : String(error) }),
        )
        .finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    reconcileNow,
    async stop() {
      if (timer) clearInterval(timer);
      await this.idle();
      await running?.catch(() => undefined);
    },
  };
}
