/**
 * The Forge adapters against fakes that keep the documented behaviour of `@forge/kvs`,
 * `@forge/sql` and `@forge/events` (key rules, value size, result shapes, payload limits).
 * The fake SQL client runs the statements on real SQLite, so the app's SQL is exercised through
 * the same `prepare().bindParams().execute()` call shape Forge SQL has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { forgeAppFetch, forgeJobQueue, forgeKeyValueStore, forgeSecretStore, forgeSqlDatabase, type KvsApi, type MigrationApi, type SqlApi, type QueueFactory } from '../src/forge/adapters';
import { migrations } from '../src/storage/migrations';
import { ScansRepository } from '../src/storage/scans-repository';

const KEY = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;

function fakeKvs(): KvsApi & { plain: Map<string, unknown>; secret: Map<string, unknown> } {
  const plain = new Map<string, unknown>();
  const secret = new Map<string, unknown>();
  const check = (key: string, value?: unknown) => {
    if (!KEY.test(key) || key.length > 500) throw new Error(`KEY_INVALID ${key}`);
    if (value !== undefined && Buffer.byteLength(JSON.stringify(value)) > 240 * 1024) throw new Error('MAX_SIZE');
  };
  const clone = <T>(value: unknown): T | undefined => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T));
  return {
    plain,
    secret,
    get: (async (key: string) => (check(key), clone(plain.get(key)))) as KvsApi['get'],
    set: (async (key: string, value: unknown) => void (check(key, value), plain.set(key, clone(value)))) as KvsApi['set'],
    delete: async (key: string) => void (check(key), plain.delete(key)),
    getSecret: (async (key: string) => (check(key), clone(secret.get(key)))) as KvsApi['getSecret'],
    setSecret: (async (key: string, value: unknown) => void (check(key, value), secret.set(key, clone(value)))) as KvsApi['setSecret'],
    deleteSecret: async (key: string) => void (check(key), secret.delete(key)),
  };
}

function fakeSql(db: Database.Database): { client: SqlApi; runner: MigrationApi; applied: string[] } {
  const applied: string[] = [];
  const client = {
    prepare: (query: string) => {
      let params: unknown[] = [];
      const statement = {
        bindParams: (...args: unknown[]) => ((params = args), statement),
        execute: async () => {
          const prepared = db.prepare(query);
          if (prepared.reader) return { rows: prepared.all(...(params as never[])) };
          const info = prepared.run(...(params as never[]));
          return { rows: { affectedRows: info.changes, fieldCount: 0, info: '', insertId: 0, serverStatus: 0, warningStatus: 0 } };
        },
      };
      return statement;
    },
  } as unknown as SqlApi;
  const queued: { name: string; statement: string }[] = [];
  const runner = {
    enqueue(name: string, statement: string) {
      queued.push({ name, statement });
      return runner;
    },
    async run() {
      for (const { name, statement } of queued.splice(0)) {
        if (applied.includes(name)) continue;
        db.exec(statement);
        applied.push(name);
      }
      return applied;
    },
  } as unknown as MigrationApi;
  return { client, runner, applied };
}

test('settings and secrets go to KVS under valid keys, secrets apart from settings', async () => {
  const api = fakeKvs();
  const store = forgeKeyValueStore(api);
  const secrets = forgeSecretStore(api);
  await store.set('settings:1b2c', { username: 'bot' });
  await secrets.setSecret('api-token:1b2c', 'ATATT-secret');
  assert.deepEqual(await store.get('settings:1b2c'), { username: 'bot' });
  assert.equal(await secrets.getSecret('api-token:1b2c'), 'ATATT-secret');
  assert.equal(api.plain.has('api-token:1b2c'), false);
  await assert.rejects(store.set('settings:{1b2c}', {}), /Invalid storage key/);
  await secrets.deleteSecret('api-token:1b2c');
  assert.equal(await secrets.getSecret('api-token:1b2c'), undefined);
});

test('the schema migrates once and repositories work through the Forge SQL call shape', async () => {
  const db = new Database(':memory:');
  const { client, runner, applied } = fakeSql(db);
  const database = forgeSqlDatabase(client, runner);
  await database.migrate(migrations);
  await database.migrate(migrations);
  assert.deepEqual(applied, migrations.map((m) => m.name));
  const scans = new ScansRepository(database);
  const now = new Date(0).toISOString();
  await scans.insert({
    id: 's1', workspaceId: '{w}', repoUuid: '{r}', repoFullName: 'w/r', mainBranch: 'main', commit: 'a'.repeat(40),
    status: 'queued', tools: [{ name: 'Semgrep' }], counts: { results: 1, findings: 1, merged: 0, skipped: 0 },
    skipped: [], pullRequests: [], createdAt: now, updatedAt: now,
  });
  assert.equal((await scans.get('s1'))?.repoFullName, 'w/r');
  assert.equal(await scans.countActive('{r}'), 1);
  const result = await database.execute('UPDATE scans SET status = ? WHERE id = ?', ['done', 's1']);
  assert.equal(result.affectedRows, 1);
});

test('jobs are pushed to the remediate-jobs queue as small events', async () => {
  const pushed: { key: string; events: unknown }[] = [];
  const factory: QueueFactory = (key) => ({
    push: async (events: unknown) => {
      if (Buffer.byteLength(JSON.stringify(events)) > 200 * 1024) throw new Error('PayloadTooBigError');
      pushed.push({ key, events });
      return { jobId: 'job-1' } as never;
    },
  }) as never;
  await forgeJobQueue(factory).push({ type: 'process-scan', workspaceId: '{w}', scanId: 's1' });
  assert.deepEqual(pushed, [{ key: 'remediate-jobs', events: { body: { type: 'process-scan', workspaceId: '{w}', scanId: 's1' } } }]);
});

test('asApp requests go to Bitbucket by path, with the encoding the typed client gave them; other hosts are refused', async () => {
  const seen: { path: string; method: string }[] = [];
  const appFetch = forgeAppFetch(async (path, init) => {
    seen.push({ path, method: init.method });
    return { status: 200, headers: { get: () => null }, text: async () => '{"values":[]}' };
  });
  const path = '/2.0/workspaces/%7Bws%7D/permissions/repositories/%7Brepo%7D?q=user.account_id%3D%22712020%3Aa%22';
  assert.equal((await appFetch(`https://api.bitbucket.org${path}`)).status, 200);
  assert.deepEqual(seen, [{ path, method: 'GET' }]);
  await assert.rejects(appFetch('https://evil.example/2.0/user'), /only reaches https:\/\/api\.bitbucket\.org/);
  await assert.rejects(appFetch('https://api.bitbucket.org.evil.example/2.0/user'), /only reaches/);
});
