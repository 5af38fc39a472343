import api, { assumeTrustedRoute, fetch as forgeFetch, webTrigger } from '@forge/api';
import { kvs } from '@forge/kvs';
import { migrationRunner, sql } from '@forge/sql';
import { Queue } from '@forge/events';
import type {
  AppFetch, HttpFetch, JobQueue, KeyValueStore, SecretStore, SqlDatabase, SqlValue, WebTriggerUrls,
} from '../ports';
import { assertStorageKey } from '../services/storage-keys';

/** Adapters over the Forge runtime's own modules. The only backend code that imports `@forge/*`. */

export const JOB_QUEUE_KEY = 'remediate-jobs';

/** The parts of `@forge/kvs` these adapters use; tests pass a fake with the same documented behaviour. */
export type KvsApi = Pick<typeof kvs, 'get' | 'set' | 'delete' | 'getSecret' | 'setSecret' | 'deleteSecret'>;
export type SqlApi = { prepare: typeof sql.prepare };
export type MigrationApi = Pick<typeof migrationRunner, 'enqueue' | 'run'>;
export type QueueFactory = (key: string) => Pick<Queue, 'push'>;

export const forgeKeyValueStore = (api: KvsApi = kvs): KeyValueStore => ({
  async get<T>(key: string) {
    assertStorageKey(key);
    return api.get<T>(key);
  },
  async set<T>(key: string, value: T) {
    assertStorageKey(key);
    await api.set(key, value);
  },
  async delete(key: string) {
    assertStorageKey(key);
    await api.delete(key);
  },
});

export const forgeSecretStore = (api: KvsApi = kvs): SecretStore => ({
  async getSecret(key: string) {
    assertStorageKey(key);
    return api.getSecret<string>(key);
  },
  async setSecret(key: string, value: string) {
    assertStorageKey(key);
    await api.setSecret(key, value);
  },
  async deleteSecret(key: string) {
    assertStorageKey(key);
    await api.deleteSecret(key);
  },
});

export const forgeSqlDatabase = (client: SqlApi = sql, runner: MigrationApi = migrationRunner): SqlDatabase => ({
  dialect: 'mysql',
  async query<Row extends object>(statement: string, params: readonly SqlValue[] = []) {
    const result = await client.prepare<Row>(statement).bindParams(...params).execute();
    return result.rows as Row[];
  },
  async execute(statement: string, params: readonly SqlValue[] = []) {
    const result = await client.prepare<{ affectedRows: number }>(statement).bindParams(...params).execute();
    const rows = result.rows as unknown as { affectedRows?: number };
    return { affectedRows: Number(rows.affectedRows ?? 0) };
  },
  async migrate(migrations) {
    let pending = runner;
    for (const migration of migrations) pending = pending.enqueue(migration.name, migration.statement);
    await pending.run();
  },
});

export const forgeJobQueue = (makeQueue: QueueFactory = (key) => new Queue({ key })): JobQueue => {
  const queue = makeQueue(JOB_QUEUE_KEY);
  return {
    async push(job, options) {
      const delay = options?.delaySeconds;
      await queue.push(delay ? { body: job, delayInSeconds: Math.min(900, Math.max(1, Math.round(delay))) } : { body: job });
    },
  };
};

export const forgeFetchAdapter: HttpFetch = async (url, init) => {
  const response = await forgeFetch(url, {
    method: init?.method ?? 'GET',
    headers: init?.headers ?? {},
    // Forge's fetch takes a string or an ArrayBuffer; multipart commits arrive as bytes.
    ...(init?.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : (init.body.slice().buffer as ArrayBuffer) }),
  });
  return response;
};

export const BITBUCKET_API = 'https://api.bitbucket.org';

/**
 * Bitbucket as the app (`asApp().requestBitbucket`), for the typed client's permission questions.
 * The client builds every path with `apiPath` (each segment and query value encoded), so the
 * path is trusted as it stands; a URL for any other host is refused rather than sent.
 */
export const forgeAppFetch = (requestBitbucket: RequestBitbucket = (path, init) => api.asApp().requestBitbucket(assumeTrustedRoute(path), init)): AppFetch =>
  async (url, init) => {
    if (!url.startsWith(`${BITBUCKET_API}/2.0/`)) throw new Error(`asApp() only reaches ${BITBUCKET_API}/2.0/, not ${url.slice(0, 80)}`);
    return requestBitbucket(url.slice(BITBUCKET_API.length), {
      method: init?.method ?? 'GET',
      headers: init?.headers ?? {},
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    });
  };
export type RequestBitbucket = (path: string, init: { method: string; headers: Record<string, string>; body?: string }) => ReturnType<HttpFetch>;

export const forgeWebTriggerUrls = (): WebTriggerUrls => ({
  getUrl: (key) => webTrigger.getUrl(key),
});
