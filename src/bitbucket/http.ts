import type { z } from 'zod';
import type { AppError } from '../domain/errors';
import type { HttpFetch, Logger } from '../ports';
import { RequestCounter, type BudgetLimits } from './budget';
import { networkError, toAppError, unexpectedResponse } from './errors';
import { basicAuthValue, createRedactor, type Redactor } from './redact';
import type { ApiPath } from './paths';
import { pageSchema } from './schemas';
import type { BitbucketCredentials, RequestBudget } from './types';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportOptions {
  /** `https://api.bitbucket.org`, or the emulator's `http://127.0.0.1:8080/bitbucket`; `/2.0/...` is appended. */
  baseUrl: string;
  fetch: HttpFetch;
  /**
   * The service account's API token, sent as Basic auth. Absent for the app's own identity, whose
   * `fetch` authenticates itself (Forge `asApp().requestBitbucket`; locally a Bearer app token).
   */
  credentials?: BitbucketCredentials;
  logger?: Logger;
  /** Waits between retries (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per request for 429 / 5xx, including the first (default 4; total wait ≤ 30 s). */
  maxAttempts?: number;
  /** Milliseconds clock for the request budget and `Retry-After` dates. */
  now?: () => number;
  /** [0, 1) source for backoff jitter and multipart boundaries. */
  random?: () => number;
  /** Lower budgets than Forge's 100 per minute and Bitbucket's 1,000 per hour (tests, or a share of the hour). */
  limits?: BudgetLimits;
}

export interface SendOptions {
  method?: Method;
  body?: string | Uint8Array;
  contentType?: string;
  accept?: string;
  /**
   * Re-send after a 5xx or a network failure. Default: every method but POST, whose effect may
   * have landed. A 429 is always re-sent: Bitbucket refused it before doing anything.
   */
  retryOnServerError?: boolean;
}

export interface Reply {
  status: number;
  headers: { get(name: string): string | null };
  body: string;
}

/** Query parameters in order; an array repeats the key (`state=OPEN&state=MERGED`). */
export type Query = Record<string, string | number | readonly string[] | undefined>;

const MAX_TOTAL_WAIT_MS = 30_000;
const BASE_DELAY_MS = 1_000;
const MAX_PAGES = 100;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' || typeof value === 'number' ? [String(value)] : value;
    for (const item of values) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * One HTTP wrapper for Bitbucket: Basic auth, budget counting, bounded retries, errors mapped
 * once to AppError, JSON validated by schema, `next` followed verbatim.
 */
export class BitbucketTransport {
  readonly redact: Redactor;
  private readonly base: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly authorization: string | undefined;
  private readonly counter: RequestCounter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.base).origin;
    this.basePath = new URL(this.base).pathname.replace(/\/+$/, '');
    this.authorization = options.credentials ? `Basic ${basicAuthValue(options.credentials)}` : undefined;
    this.redact = options.credentials ? createRedactor(options.credentials) : (text) => text;
    this.now = options.now ?? Date.now;
    this.counter = new RequestCounter(this.now, options.limits);
    this.sleep = options.sleep ?? defaultSleep;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.random = options.random ?? Math.random;
  }

  /** An absolute URL for an API path (`/2.0/...`, already encoded) and query. */
  url(path: ApiPath, query?: Query): string {
    return `${this.base}${path}${queryString(query)}`;
  }

  budget(): RequestBudget {
    return this.counter.budget();
  }

  canAfford(requests: number): boolean {
    return this.counter.canAfford(requests);
  }

  /**
   * Waits before re-sending a non-idempotent request the caller has checked did not land; false
   * when the attempts or the total wait are used up.
   */
  async pauseBeforeRetry(attempt: number): Promise<boolean> {
    if (attempt >= this.maxAttempts) return false;
    const delay = this.backoff(attempt);
    if (delay > MAX_TOTAL_WAIT_MS / 2) return false;
    await this.sleep(delay);
    return true;
  }

  /** Sends one request; resolves with a 2xx reply or throws the mapped AppError. */
  async send(url: string, options: SendOptions = {}): Promise<Reply> {
    const method = options.method ?? 'GET';
    const path = this.describe(url);
    const retryOnServerError = options.retryOnServerError ?? method !== 'POST';
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
    if (this.authorization !== undefined) headers.Authorization = this.authorization;
    if (options.contentType) headers['Content-Type'] = options.contentType;

    let waited = 0;
    for (let attempt = 1; ; attempt += 1) {
      this.counter.ensure(method, path);
      this.counter.record(path);
      let error: AppError;
      let retryable: boolean;
      let retryAfter: number | undefined;
      try {
        const response = await this.options.fetch(url, { method, headers, body: options.body });
        const body = await response.text();
        if (response.status >= 200 && response.status < 300) {
          return { status: response.status, headers: response.headers, body };
        }
        retryAfter = retryAfterSeconds(response.headers.get('retry-after'), this.now());
        error = toAppError({ method, path, status: response.status, body, retryAfterSeconds: retryAfter }, this.redact);
        retryable = response.status === 429 || (response.status >= 500 && retryOnServerError);
      } catch (thrown) {
        error = networkError(method, path, thrown, this.redact);
        retryable = retryOnServerError;
      }

      if (!retryable || attempt >= this.maxAttempts) throw error;
      const delay = retryAfter !== undefined ? retryAfter * 1000 : this.backoff(attempt);
      if (waited + delay > MAX_TOTAL_WAIT_MS) throw error;
      this.options.logger?.warn('bitbucket request retried', {
        method,
        path,
        status: typeof error.details?.status === 'number' ? error.details.status : null,
        attempt,
        delayMs: Math.round(delay),
      });
      await this.sleep(delay);
      waited += delay;
    }
  }

  async json<S extends z.ZodType>(url: string, schema: S, options: SendOptions = {}): Promise<z.infer<S>> {
    const reply = await this.send(url, options);
    return this.parse(url, options.method ?? 'GET', reply.body, schema);
  }

  /** A JSON request body, answered with JSON. */
  async sendJson<S extends z.ZodType>(
    method: Method,
    url: string,
    payload: unknown,
    schema: S,
    options: Omit<SendOptions, 'method' | 'body' | 'contentType'> = {},
  ): Promise<z.infer<S>> {
    return this.json(url, schema, { ...options, method, body: JSON.stringify(payload), contentType: 'application/json' });
  }

  /** Every value of a paginated listing, following `next` verbatim (at most 100 pages). */
  async paginate<S extends z.ZodType>(
    firstUrl: string,
    itemSchema: S,
    options: Pick<SendOptions, 'retryOnServerError'> = {},
  ): Promise<z.infer<S>[]> {
    const items: z.infer<S>[] = [];
    let url: string | undefined = firstUrl;
    for (let page = 0; url !== undefined; page += 1) {
      if (page === MAX_PAGES) {
        this.options.logger?.warn('bitbucket listing truncated', { path: this.describe(firstUrl), pages: MAX_PAGES });
        break;
      }
      const data: z.infer<typeof pageSchema> = await this.json(url, pageSchema, options);
      for (const value of data.values) items.push(this.validate(url, 'GET', value, itemSchema));
      url = data.next === undefined ? undefined : this.checkNext(url, data.next);
    }
    return items;
  }

  /** A JSON body text, checked against `schema`. */
  parse<S extends z.ZodType>(url: string, method: string, body: string, schema: S): z.infer<S> {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw unexpectedResponse(method, this.describe(url), 'the body is not JSON', this.redact);
    }
    return this.validate(url, method, value, schema);
  }

  /** An already-parsed value (e.g. one item of a page), checked against `schema`. */
  validate<S extends z.ZodType>(url: string, method: string, value: unknown, schema: S): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw unexpectedResponse(method, this.describe(url), `${where}: ${issue?.message ?? 'invalid'}`, this.redact);
  }

  /** The credentials go only to the configured origin, whatever a `next` link says. */
  private checkNext(current: string, next: string): string {
    const resolved = new URL(next, current);
    if (resolved.origin !== this.origin) {
      throw unexpectedResponse('GET', this.describe(current), `next link points to another host (${resolved.origin})`, this.redact);
    }
    return resolved.toString();
  }

  /** The API path of a URL (`/2.0/...`, without host, mount prefix or query), for budgets, messages and logs. */
  private describe(url: string): string {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = url.split('?')[0] ?? url;
    }
    return path.startsWith(this.basePath) ? path.slice(this.basePath.length) : path;
  }

  private backoff(attempt: number): number {
    const ceiling = BASE_DELAY_MS * 2 ** (attempt - 1);
    return ceiling / 2 + (ceiling / 2) * this.random();
  }
}
