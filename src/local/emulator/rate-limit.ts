import { errorReply, type Reply } from './http-io';

/**
 * Bitbucket's per-user limit on repository data: `perHour` requests to `/2.0/repositories/*` in a
 * rolling hour (1,000 for a user API token), answered past that with a plain-text 429 and no
 * `Retry-After` (Bitbucket documents none). Counts live in memory only, like Bitbucket's.
 */
const DEFAULT_REQUESTS_PER_HOUR = 1000;
const HOUR_MS = 3_600_000;

const rateLimitExceededReply = (): Reply => ({
  status: 429,
  headers: { 'content-type': 'text/plain' },
  body: 'Rate limit for this resource has been exceeded',
});

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    public perHour: number = DEFAULT_REQUESTS_PER_HOUR,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits one request of `user` to `path` (counted) or answers the 429 (not counted). */
  admit(user: string, path: string): Reply | undefined {
    if (!path.startsWith('/2.0/repositories/')) return undefined;
    const now = this.now();
    const times = (this.sent.get(user) ?? []).filter((time) => time > now - HOUR_MS);
    this.sent.set(user, times);
    if (times.length >= this.perHour) return rateLimitExceededReply();
    times.push(now);
    return undefined;
  }

  /** Requests left this hour per user. */
  remaining(): Record<string, number> {
    const now = this.now();
    const left: Record<string, number> = {};
    for (const [user, times] of this.sent) left[user] = Math.max(0, this.perHour - times.filter((time) => time > now - HOUR_MS).length);
    return left;
  }

  clear(): void {
    this.sent.clear();
  }
}

/** CHANGE-2770 removed the cross-workspace listings; Bitbucket answers them 410 Gone. */
const REMOVED = new Set(['/2.0/repositories', '/2.0/workspaces', '/2.0/user/permissions/repositories']);

export function removedEndpoint(method: string, path: string): Reply | undefined {
  if (method !== 'GET' || !REMOVED.has(path.replace(/\/+$/, ''))) return undefined;
  return errorReply(410, 'CHANGE-2770 - Functionality has been deprecated', {
    detail: 'Please read the changelog entry for more details.',
    data: { announcement_url: 'https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-2770' },
  });
}
