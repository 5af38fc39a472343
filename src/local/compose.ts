import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../services/deps';
import type { AppFetch, Logger } from '../ports';
import { nodeFetch } from './adapters/node-fetch';
import { migrations } from '../storage/migrations';
import { makeJobConsumer } from '../entry/consumer';
import { makePullRequestEventHandler } from '../entry/pull-request-events';
import { makeReconcileHandler } from '../entry/reconcile';
import { makeMergeCheckHandler } from '../entry/merge-check';
import { makeResolverHandler } from '../entry/resolvers';
import { makeSarifUploadHandler } from '../entry/webtrigger-sarif-upload';
import { createSqliteDatabase, openSqlite } from './adapters/sqlite-database';
import { createSqliteKeyValueStore, createSqliteSecretStore } from './adapters/sqlite-stores';
import { createSqliteQueue, type LocalQueue } from './adapters/sqlite-queue';

export interface LocalAppOptions {
  dataDir: string;
  /** Base of the Bitbucket API, e.g. the embedded emulator's `http://127.0.0.1:8080/bitbucket`. */
  bitbucketBaseUrl: string;
  /** Where this host is reachable, for the web trigger URL shown on the settings page. */
  publicUrl: string;
  /** The token the emulator accepts as the Forge app itself (`asApp`). */
  appToken: string;
  logger: Logger;
  /** See `Deps.uploadSettleSeconds` (default 0: an upload is processed at once). */
  uploadSettleSeconds?: number;
}

export interface LocalApp {
  deps: Deps;
  queue: LocalQueue;
  resolver: ReturnType<typeof makeResolverHandler>;
  sarifUpload: ReturnType<typeof makeSarifUploadHandler>;
  /** The `pull-request-events` trigger; the emulator calls it when a pull request is merged or declined. */
  pullRequestEvents: ReturnType<typeof makePullRequestEventHandler>;
  /** The `reconcile-pull-requests` scheduled trigger; the host runs it on a timer. */
  reconcile: ReturnType<typeof makeReconcileHandler>;
  /** The `remediate-merge-check` custom merge check; the emulator runs it where a repository made it Required. */
  mergeCheck: ReturnType<typeof makeMergeCheckHandler>;
  close(): Promise<void>;
}


/** The local stand-in for `api.asApp().requestBitbucket`: the emulator knows the app by a bearer token. */
const localAppFetch = (appToken: string): AppFetch => (url, init) =>
  nodeFetch(url, { ...init, headers: { ...init?.headers, Authorization: `Bearer ${appToken}` } });

/** Wires the same entry points Forge runs to the local adapters: SQLite, a persisted queue, global fetch. */
export async function createLocalApp(options: LocalAppOptions): Promise<LocalApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const sqlite = openSqlite(join(options.dataDir, 'remediate.sqlite'));
  const db = createSqliteDatabase(sqlite);
  await db.migrate(migrations);
  let consumer: ReturnType<typeof makeJobConsumer> | undefined;
  const queue = createSqliteQueue(sqlite, {
    queueName: 'remediate-jobs',
    logger: options.logger,
    run: async (event) => consumer?.(event),
  });
  const deps: Deps = {
    kv: createSqliteKeyValueStore(sqlite),
    secrets: createSqliteSecretStore(sqlite),
    db,
    queue: queue.queue,
    fetch: nodeFetch,
    appFetch: localAppFetch(options.appToken),
    webTriggerUrls: { getUrl: async (key) => `${options.publicUrl}/forge/webtrigger/${key}` },
    clock: { now: () => new Date() },
    logger: options.logger,
    ids: { newId: () => randomUUID(), randomSecret: (bytes) => randomBytes(bytes).toString('base64url') },
    bitbucketBaseUrl: options.bitbucketBaseUrl,
    bitbucketWebUrl: options.bitbucketBaseUrl,
    ...(options.uploadSettleSeconds ? { uploadSettleSeconds: options.uploadSettleSeconds } : {}),
    repositoryPageUrl: (fullName) => `${options.publicUrl}/repository/${fullName.split('/').map(encodeURIComponent).join('/')}`,
  };
  const getDeps = async (): Promise<Deps> => deps;
  consumer = makeJobConsumer(getDeps);
  return {
    deps,
    queue,
    resolver: makeResolverHandler(getDeps),
    sarifUpload: makeSarifUploadHandler(getDeps),
    pullRequestEvents: makePullRequestEventHandler(getDeps),
    reconcile: makeReconcileHandler(getDeps),
    mergeCheck: makeMergeCheckHandler(getDeps),
    async close() {
      await queue.stop();
      sqlite.close();
    },
  };
}

/** Structured log lines on stdout; callers pass fixed messages and never a secret. */
export function consoleLogger(quiet: boolean): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (quiet && level === 'info') return;
    process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
  };
  return {
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}
