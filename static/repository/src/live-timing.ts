import type { ScanItem } from '../../shared/src/api-types';

/** How often the live parts of the pages ask again; kept apart (no bridge import) so it can be unit-tested. */

export const isRunning = (scan: Pick<ScanItem, 'status'>): boolean => scan.status === 'queued' || scan.status === 'processing' || scan.status === 'receiving';

/** While a scan runs: 2 s, then half as long again each time, up to 15 s. */
export const busyDelays = { first: 2000, factor: 1.5, max: 15_000 } as const;
/** With nothing running the page still looks now and then, so an upload made after it opened shows up. */
export const idleDelay = 10_000;

/** The next wait: `previousBusy` is the last wait while a scan ran (undefined when none was running). */
export function nextDelay(previousBusy: number | undefined, running: boolean): number {
  if (!running) return idleDelay;
  return previousBusy === undefined ? busyDelays.first : Math.min(busyDelays.max, Math.round(previousBusy * busyDelays.factor));
}

