import type { RequestBudget } from './types';

/** Forge allows 100 outbound requests per invocation-minute. */
export const REQUESTS_PER_MINUTE = 100;
/** Bitbucket allows a user 1,000 repository requests per rolling hour. */
export const REQUESTS_PER_HOUR = 1000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Counts the requests one client sent, in rolling windows, from their own timestamps. */
export class RequestCounter {
  private made = 0;
  /** Send times within the last hour, oldest first. */
  private readonly times: number[] = [];

  constructor(private readonly now: () => number) {}

  record(): void {
    this.made += 1;
    this.times.push(this.now());
  }

  budget(): RequestBudget {
    const now = this.now();
    while (this.times.length > 0 && (this.times[0] ?? now) <= now - HOUR_MS) this.times.shift();
    const lastMinute = this.times.filter((time) => time > now - MINUTE_MS).length;
    return {
      made: this.made,
      remainingThisMinute: Math.max(0, REQUESTS_PER_MINUTE - lastMinute),
      remainingThisHour: Math.max(0, REQUESTS_PER_HOUR - this.times.length),
    };
  }
}
