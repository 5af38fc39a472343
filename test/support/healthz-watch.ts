/**
 * Polls the local host's `/healthz` back to back while some work runs, and keeps the slowest
 * answer: the host runs in the test's process, so a blocked event loop shows up as a slow answer.
 */
import { performance } from 'node:perf_hooks';

export interface HealthzWatch {
  /** Stops polling; resolves with the slowest answer in milliseconds and how many answers came. */
  stop(): Promise<{ slowestMs: number; answers: number }>;
}

export function watchHealthz(baseUrl: string): HealthzWatch {
  let running = true;
  let slowestMs = 0;
  let answers = 0;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const response = await fetch(`${baseUrl}/healthz`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
      slowestMs = Math.max(slowestMs, performance.now() - start);
      answers++;
      // Let the work being watched run between polls.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { slowestMs, answers };
    },
  };
}
