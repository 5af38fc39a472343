/**
 * Ports: what services need from the outside world. Forge adapters live in `src/forge/`,
 * local adapters in `src/local/`. Services and the domain import only these interfaces.
 */

/** Plain settings storage (Forge: `@forge/kvs`; local: SQLite). Keys match `^[a-zA-Z0-9:._\s#-]+$`. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Encrypted secret storage (Forge: `kvs.setSecret`; local: SQLite table kept apart from settings). */
export interface SecretStore {
  getSecret(key: string): Promise<string | undefined>;
  setSecret(key: string, value: string): Promise<void>;
  deleteSecret(key: string): Promise<void>;
}

export type SqlValue = string | number | null;

/**
 * One SQL statement at a time (Forge SQL allows nothing else). Statements are written to run on
 * both MySQL/TiDB and SQLite; the few that differ (upserts) ask `dialect`.
 */
export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'mysql';
  query<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  execute(sql: string, params?: readonly SqlValue[]): Promise<{ affectedRows: number }>;
  /** Applies each named DDL statement once, in order. */
  migrate(migrations: readonly { name: string; statement: string }[]): Promise<void>;
}

/** A queued unit of work. Jobs carry ids, never data (Forge: ≤ 100 KB per event). */
export type Job =
  | { type: 'process-scan'; workspaceId: string; scanId: string; attempt?: number };

export interface JobQueue {
  /** `delaySeconds` (at most 900 on Forge) holds the job back: a scan waiting for its repository or its budget. */
  push(job: Job, options?: { delaySeconds?: number }): Promise<void>;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** Outbound HTTP (Forge: `@forge/api` fetch through the declared egress; local: global fetch). */
export type HttpFetch = (url: string, init?: HttpRequestInit) => Promise<HttpResponse>;

/**
 * Outbound HTTP to Bitbucket **as the app itself** (Forge: `asApp().requestBitbucket`; local: a
 * Bearer app token the emulator knows). It authenticates each request; the typed client sends no
 * credentials over it. Used to ask what a caller may do (`src/services/caller-access.ts`), which
 * must not depend on the service account being configured or being an admin.
 */
export type AppFetch = HttpFetch;

/** The public URL of a web trigger for this installation. */
export interface WebTriggerUrls {
  getUrl(key: 'sarif-upload'): Promise<string>;
}

export interface Clock {
  now(): Date;
}

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Fixed messages with structured fields. Never pass a secret in either. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface Ids {
  /** A new unique id for stored records (scan, finding). */
  newId(): string;
  /** A high-entropy random string for secrets (upload tokens). */
  randomSecret(bytes: number): string;
}
