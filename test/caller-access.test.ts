/**
 * `requireRepositoryAccess` with a scripted Bitbucket (the app's fetch) and an in-memory store:
 * the branches the emulator does not reach (Bitbucket refusing the app, a workspace admin with
 * only read on the repository) and what is asked how often.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deps } from '../src/services/deps';
import { ACCESS_CACHE_MS, requireRepositoryAccess } from '../src/services/caller-access';
import type { AppError } from '../src/domain/errors';

const WS = '{11111111-2222-4333-8444-555555555555}';
const REPO = '{66666666-7777-4888-9999-000000000000}';
const ACCOUNT = '712020:reader';

function fakeDeps(answer: (path: string) => { status: number; body: unknown }) {
  const store = new Map<string, unknown>();
  const asked: string[] = [];
  let now = Date.parse('2026-12-06T12:00:00Z');
  const deps = {
    bitbucketBaseUrl: 'https://api.bitbucket.org',
    appFetch: async (url: string, init?: { headers?: Record<string, string> }) => {
      assert.equal(init?.headers?.Authorization, undefined, 'the app fetch authenticates itself; the client adds no credentials');
      const path = new URL(url).pathname;
      asked.push(path);
      const { status, body } = answer(path);
      return { status, headers: { get: () => null }, text: async () => JSON.stringify(body) };
    },
    kv: {
      get: async (key: string) => store.get(key),
      set: async (key: string, value: unknown) => void store.set(key, value),
      delete: async (key: string) => void store.delete(key),
    },
    clock: { now: () => new Date(now) },
    logger: { info() {}, warn() {}, error() {} },
  } as unknown as Deps;
  return { deps, asked, later: (ms: number) => (now += ms) };
}

const caller = { workspaceId: WS, repositoryUuid: REPO, accountId: ACCOUNT };
const page = (values: unknown[]) => ({ status: 200, body: { values, pagelen: 10 } });

test('a reader who is a workspace admin may change; the admin answer is kept with the permission', async () => {
  const { deps, asked } = fakeDeps((path) =>
    path.includes('/permissions/repositories/')
      ? page([{ type: 'repository_permission', permission: 'read', repository: { uuid: REPO } }])
      : page([{ type: 'workspace_membership', permission: 'owner' }]),
  );
  await requireRepositoryAccess(deps, caller, 'change', 'dismiss findings');
  await requireRepositoryAccess(deps, caller, 'change', 'dismiss findings');
  assert.match(asked[0] ?? '', /\/2\.0\/workspaces\/[^/]+\/permissions\/repositories\/[^/]+$/);
  assert.match(asked[1] ?? '', /\/2\.0\/workspaces\/[^/]+\/permissions$/);
  assert.equal(asked.length, 2, 'one question each, then the stored answer');
});

test('the stored answer expires after five minutes', async () => {
  const { deps, asked, later } = fakeDeps(() => page([{ permission: 'write', repository: { uuid: REPO } }]));
  await requireRepositoryAccess(deps, caller, 'view', 'see its findings');
  later(ACCESS_CACHE_MS - 1);
  await requireRepositoryAccess(deps, caller, 'view', 'see its findings');
  assert.equal(asked.length, 1);
  later(2);
  await requireRepositoryAccess(deps, caller, 'view', 'see its findings');
  assert.equal(asked.length, 2);
});

test('when Bitbucket refuses the app the question, the caller is refused too (never allowed on a guess)', async () => {
  const { deps } = fakeDeps(() => ({ status: 403, body: { type: 'error', error: { message: "The requesting user isn't an admin of the repository." } } }));
  await assert.rejects(requireRepositoryAccess(deps, caller, 'view', 'see its findings'), (error: AppError) => {
    assert.equal(error.code, 'forbidden');
    assert.match(error.message, /could not ask Bitbucket .* isn't an admin of the repository/);
    return true;
  });
});

test('a reply about another repository is not believed', async () => {
  const { deps } = fakeDeps(() => page([{ permission: 'admin', repository: { uuid: '{aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee}' } }]));
  await assert.rejects(requireRepositoryAccess(deps, caller, 'view', 'see its findings'), /not part of the workspace/);
});
