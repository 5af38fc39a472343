/**
 * Turning codemods off for a workspace (policy.disabledCodemods): the catalogue reaches the
 * settings page through `listCodemods`, unknown ids are refused by name, and a turned-off codemod
 * opens no pull request — neither after a scan nor when a person asks — while the repository page
 * is told why no fix is offered.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { storageKeys } from '../src/services/storage-keys';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let ws: Workspace;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'codemod-off-ws', vulnerablePython);
});
after(async () => h.close());

interface Settings { username: string; email: string; policy: { disabledCodemods: string[]; autoPullRequests: boolean } }
interface Item { id: string; status: string; fixAvailable?: boolean; fixDisabled?: { codemodId: string; title: string }; pullRequest?: { url: string } }

const saveWith = async (policy: Record<string, unknown>) => {
  const current = await h.invoke<Settings>('getSettings', {}, ws.adminContext);
  assert.ok(current.data);
  return h.invoke<Settings>('saveSettings', { username: current.data.username, email: current.data.email, policy }, ws.adminContext);
};

test('listCodemods lists every codemod of the catalogue with its title, summary and languages', async () => {
  const listed = await h.invoke<{ items: { id: string; title: string; summary: string; languages: string[]; cwes: string[] }[] }>(
    'listCodemods', {}, ws.repoContext,
  );
  assert.equal(listed.ok, true);
  const catalogue = createDefaultRegistry().all();
  assert.deepEqual(listed.data?.items.map((c) => c.id), catalogue.map((c) => c.id));
  const yaml = listed.data?.items.find((c) => c.id === 'pyyaml-safe-load');
  assert.ok(yaml && yaml.title.length > 0 && yaml.summary.length > 0);
  assert.deepEqual(yaml.languages, ['python']);
  const bad = await h.invoke('listCodemods', { extra: 1, nested: { deep: true } }, ws.repoContext);
  assert.equal(bad.ok, true, 'extra payload keys are ignored like the other empty-payload keys');
});

test('every codemod is on by default; an unknown id is refused by name and nothing is saved', async () => {
  const fresh = await h.invoke<Settings>('getSettings', {}, ws.adminContext);
  assert.deepEqual(fresh.data?.policy.disabledCodemods, []);

  const refused = await saveWith({ disabledCodemods: ['pyyaml-safe-load', 'no-such-fix'] });
  assert.equal(refused.ok, false);
  assert.equal(refused.error?.code, 'bad_request');
  assert.match(refused.error?.message ?? '', /policy\.disabledCodemods: "no-such-fix" is not a codemod/);
  const unchanged = await h.invoke<Settings>('getSettings', {}, ws.adminContext);
  assert.deepEqual(unchanged.data?.policy.disabledCodemods, []);

  const asMember = { accountId: ws.memberAccountId, workspaceId: ws.workspaceId };
  const member = await h.invoke('saveSettings', { username: 'a', email: 'a@b.test', policy: { disabledCodemods: ['no-such-fix'] } }, asMember);
  assert.equal(member.error?.code, 'not_admin', 'a non-admin learns nothing about the ids');
});

test('a turned-off codemod opens no pull request after a scan or on request, and the page is told why', async () => {
  const saved = await saveWith({ disabledCodemods: ['pyyaml-safe-load'], autoPullRequests: true });
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  assert.deepEqual(saved.data?.policy.disabledCodemods, ['pyyaml-safe-load']);

  const upload = await h.upload({ repository: 'codemod-off-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202);
  await h.host.app.queue.idle();
  const prs = await h.invoke<{ items: unknown[] }>('listPullRequests', {}, ws.repoContext);
  assert.deepEqual(prs.data?.items, [], 'automatic fixes skip the turned-off codemod');

  const list = await h.invoke<{ items: Item[] }>('listFindings', {}, ws.repoContext);
  const row = list.data?.items[0];
  assert.ok(row);
  assert.equal(row.status, 'open');
  assert.equal(row.fixAvailable, false);
  assert.equal(row.fixDisabled?.codemodId, 'pyyaml-safe-load');
  const detail = await h.invoke<Item>('getFinding', { id: row.id }, ws.repoContext);
  assert.equal(detail.data?.fixDisabled?.codemodId, 'pyyaml-safe-load');

  const manual = await h.invoke('createPullRequest', { findingIds: [row.id] }, ws.repoContext);
  assert.equal(manual.ok, false);
  assert.match(manual.error?.message ?? '', /is turned off in the workspace's Remediate settings/);

  // On again: offered, and a person's request opens the pull request.
  assert.equal((await saveWith({ disabledCodemods: [] })).ok, true);
  const again = await h.invoke<{ items: Item[] }>('listFindings', {}, ws.repoContext);
  assert.equal(again.data?.items[0]?.fixAvailable, true);
  assert.equal(again.data?.items[0]?.fixDisabled, undefined);
  const opened = await h.invoke<{ pullRequests: { url: string }[] }>('createPullRequest', { findingIds: [row.id] }, ws.repoContext);
  assert.equal(opened.ok, true, JSON.stringify(opened.error));
  assert.equal(opened.data?.pullRequests.length, 1);
});

test('an id a later version removed from the catalogue does not block saving: it is dropped, new unknown ids are still refused', async () => {
  // As if an older version of the app had stored a codemod id this version no longer has.
  const key = storageKeys.settings(ws.workspaceId);
  const stored = await h.host.app.deps.kv.get<{ policy: Record<string, unknown> }>(key);
  assert.ok(stored);
  await h.host.app.deps.kv.set(key, { ...stored, policy: { ...stored.policy, disabledCodemods: ['retired-fix', 'pyyaml-safe-load'] } });

  const saved = await saveWith({ disabledCodemods: ['retired-fix', 'pyyaml-safe-load', 'pyyaml-safe-load'], minConfidence: 70 });
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  assert.deepEqual(saved.data?.policy.disabledCodemods, ['pyyaml-safe-load']);
  const refused = await saveWith({ disabledCodemods: ['retired-fix'] });
  assert.match(refused.error?.message ?? '', /"retired-fix" is not a codemod/, 'once dropped, it is unknown like any other');
  assert.equal((await saveWith({ disabledCodemods: [] })).ok, true);
});
