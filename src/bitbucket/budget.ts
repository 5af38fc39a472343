import { AppError } from '../domain/errors';
import type { RequestBudget } from './types';

/** Forge allows 100 outbound requests per invocation-minute. */
export const REQUESTS_PER_MINUTE = 100;
/** Bitbucket allows a user 1,000 requests to `/2.0/repositories/*` per rolling hour. */
export const REQUESTS_PER_HOUR = 1000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface BudgetLimits {
  perMinute?: number;
  perHour?: number;
}

/** Requests that count against Bitbucket's hourly repository-data limit. */
const countsAgainstHour = (path: string): boolean => path.startsWith('/2.0/repositories/');

/**
 * Counts the requests one client sent, in rolling windows, from their own timestamps: every
 * request against Forge's per-minute egress budget, repository requests against Bitbucket's hour.
 */
export class RequestCounter {
  private made = 0;
  /** Send times within the last minute / the last hour (repository requests), oldest first. */
  private readonly minute: number[] = [];
  private readonly hour: number[] = [];
  private readonly perMinute: number;
  private readonly perHour: number;

  constructor(
    private readonly now: () => number,
    limits: BudgetLimits = {},
  ) {
    this.perMinute = limits.perMinute ?? REQUESTS_PER_MINUTE;
    this.perHour = limits.perHour ?? REQUESTS_PER_HOUR;
  }

  record(path: string): void {
    const now = this.now();
    this.made += 1;
    this.minute.push(now);
    if (countsAgainstHour(path)) this.hour.push(now);
  }

  budget(): RequestBudget {
    this.prune();
    return {
      made: this.made,
      remainingThisMinute: Math.max(0, this.perMinute - this.minute.length),
      remainingThisHour: Math.max(0, this.perHour - this.hour.length),
    };
  }

  /** Whether `requests` more (repository requests, the worst case) fit in both windows now. */
  canAfford(requests: number): boolean {
    const { remainingThisMinute, remainingThisHour } = this.budget();
    return requests <= remainingThisMinute && requests <= remainingThisHour;
  }

  /**
   * Throws `rate_limited` with `details.budget` ('minute' | 'hour') and `retryAfterSeconds` when
   * one more request to `path` would overspend: the job should stop and re-queue itself.
   */
  ensure(method: string, path: string): void {
    const { remainingThisMinute, remainingThisHour } = this.budget();
    const window =
      remainingThisMinute < 1 ? { budget: 'minute', times: this.minute, span: MINUTE_MS, limit: this.perMinute }
      : remainingThisHour < 1 && countsAgainstHour(path) ? { budget: 'hour', times: this.hour, span: HOUR_MS, limit: this.perHour }
      : undefined;
    if (window === undefined) return;
    const oldest = window.times[0] ?? this.now();
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + window.span - this.now()) / 1000));
    throw new AppError(
      'rate_limited',
      `The ${window.budget === 'minute' ? 'per-minute' : 'hourly'} budget of ${window.limit} Bitbucket requests is spent; ` +
        `${method} ${path} was not sent. Resume in a new job in ${retryAfterSeconds} s.`,
      { budget: window.budget, retryAfterSeconds, method, path, made: this.made },
    );
  }

  private prune(): void {
    const now = this.now();
    while (this.minute.length > 0 && (this.minute[0] ?? now) <= now - MINUTE_MS) this.minute.shift();
    while (this.hour.length > 0 && (this.hour[0] ?? now) <= now - HOUR_MS) this.hour.shift();
  }
}
