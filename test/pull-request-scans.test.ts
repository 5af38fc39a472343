/**
 * Issue 16 through the web trigger, the queue and the emulator: a member's pull request adds
 * `yaml.load`; the PR's scan opens one fix PR into the PR's own branch (none into main), keeps one
 * comment on the PR, and the Required merge check refuses the merge until the fix is merged and the
 * branch rescanned. The main branch's findings and pull requests never change.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import type { BitbucketClient } from '../src/bitbucket/types';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { FindingsRepository } from '../src/storage/findings-repository';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, yamlFindingIn, yamlLoader } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const mainFiles = { 'app.py': 'import json\n\n\ndef load(text):\n    return json.loads(text)\n', 'README.md': '# app\n' };

const memberClient = (slug: string): BitbucketClient =>
  createBitbucketClient({ baseUrl: `${h.url}/bitbucket`, fetch: nodeFetch, credentials: { email: `member@${slug}.test`, apiToken: `ATATT3xMember${slug}000000000000000000001` } });

const repoOf = (slug: string) => {
  const repo = h.host.emulator.state.repositories.find((r) => r.workspace === slug);
  assert.ok(repo);
  return repo;
};

/** The member pushes a branch adding `files` and opens a pull request into main, as a developer would. */
async function memberPullRequest(slug: string, branch: string, files: Record<string, string>) {
  const member = memberClient(slug);
  const repo = { workspace: slug, repo: 'app' };
  const tip = repoOf(slug).branches.main ?? '';
  const pushed = await member.commitFiles({ repo, branch, parent: tip, message: 'Add a loader', files: Object.entries(files).map(([path, content]) => ({ path, content })) });
  const pr = await member.createPullRequest({ repo, title: 'Add a loader', description: 'New loader', sourceBranch: branch, destinationBranch: 'main' });
  return { pr, commit: pushed.hash };
}

async function scanPullRequest(slug: string, ws: Workspace, commit: string, branch: string, prId: number | undefined, results = [yamlFindingIn('loader.py')]) {
  const query: Record<string, string> = { repository: `${slug}/app`, commit, branch };
  if (prId !== undefined) query.pullRequest = String(prId);
  const reply = await h.upload(query, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  await h.host.emulator.mergeChecksSettled();
  const status = await h.scanStatus(reply.json.scanId as string, ws.uploadToken);
  assert.equal(status.json.status, 'done', JSON.stringify(status.json));
  return status.json;
}

const mainFindings = async (ws: Workspace) => (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).map((f) => `${f.location?.path}:${f.status}`);
const mainPullRequests = (slug: string) => repoOf(slug).pullRequests.filter((pr) => pr.destinationBranch === 'main' && pr.sourceBranch.startsWith('remediate/'));

test('a PR that introduces yaml.load: one fix PR into its branch, one comment, the Required check refuses the merge until the fix is merged and rescanned', async () => {
  const slug = 'prscan';
  const ws = await setUpWorkspace(h, slug, mainFiles);
  await h.admin(`/merge-checks/${slug}/app`, { required: true });
  const mainBefore = await mainFindings(ws);

  const { pr, commit } = await memberPullRequest(slug, 'feature/loader', { 'loader.py': yamlLoader('config') });
  await scanPullRequest(slug, ws, commit, 'feature/loader', pr.id);

  // Exactly one fix PR, into the member's branch, none into main.
  const fixes = repoOf(slug).pullRequests.filter((p) => p.sourceBranch.startsWith('remediate/'));
  assert.deepEqual(fixes.map((p) => [p.sourceBranch, p.destinationBranch, p.state]), [[`remediate/pr-${pr.id}/pyyaml-safe-load`, 'feature/loader', 'OPEN']]);
  const fix = fixes[0]!;
  assert.deepEqual(mainPullRequests(slug), []);
  assert.deepEqual(await mainFindings(ws), mainBefore, "main's findings are unchanged");

  // One comment on the member's PR, naming the finding and its fix PR.
  const member = repoOf(slug).pullRequests.find((p) => p.id === pr.id)!;
  assert.equal(member.comments.length, 1);
  assert.match(member.comments[0]!.raw, /introduces 1 finding/);
  assert.match(member.comments[0]!.raw, new RegExp(`loader\\.py:5 .*fix: \\[pull request #${fix.id}\\]`));

  // The Required check refuses the merge, naming the finding and the fix PR.
  const refused = await fetch(`${h.url}/bitbucket/2.0/repositories/${slug}/app/pullrequests/${pr.id}/merge`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`member@${slug}.test:ATATT3xMember${slug}000000000000000000001`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(refused.status, 400);
  const body = await refused.json() as { error: { message: string; detail: string } };
  assert.match(body.error.message, /merge checks/);
  assert.match(body.error.detail, new RegExp(`introduces 1 security finding.*loader\\.py:5 \\(fix: pull request #${fix.id}\\)`));
  assert.equal(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.state, 'OPEN');

  // The member merges the fix into their branch (the check runs on the push and says no scan yet), then CI rescans.
  await memberClient(slug).commentOnPullRequest({ workspace: slug, repo: 'app' }, fix.id, 'Thanks!');
  const mergeFix = await fetch(`${h.url}/bitbucket/2.0/repositories/${slug}/app/pullrequests/${fix.id}/merge`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`member@${slug}.test:ATATT3xMember${slug}000000000000000000001`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(mergeFix.status, 200, await mergeFix.text());
  await h.host.emulator.mergeChecksSettled();
  assert.match(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.mergeCheck?.message ?? '', /has not received a scan of this pull request's latest commit/);
  const head = repoOf(slug).branches['feature/loader'] ?? '';
  await scanPullRequest(slug, ws, head, 'feature/loader', pr.id, []);
  assert.equal(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.comments.length, 1, 'the comment is edited, never added again');
  assert.match(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.comments[0]?.raw ?? '', /introduces no security finding/);

  const merged = await memberClient(slug).getPullRequest({ workspace: slug, repo: 'app' }, pr.id);
  assert.equal(merged.state, 'OPEN');
  const allowed = await fetch(`${h.url}/bitbucket/2.0/repositories/${slug}/app/pullrequests/${pr.id}/merge`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`member@${slug}.test:ATATT3xMember${slug}000000000000000000001`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(allowed.status, 200, await allowed.text());
  assert.equal(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.mergeCheck?.success, true);
  await h.host.pullRequestTriggers.idle();
  assert.deepEqual(mainPullRequests(slug), [], 'no fix PR into main, ever');
  assert.deepEqual(await mainFindings(ws), mainBefore, "main's findings are unchanged throughout");
});

test('a finding already on main is not introduced by the PR: no fix PR for it, the comment counts it, the check passes', async () => {
  const slug = 'prscan-existing';
  const ws = await setUpWorkspace(h, slug, { ...mainFiles, 'old.py': yamlLoader('old') });
  // main's own scan reports old.py (its fix PR goes to main, as before).
  const mainScan = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFindingIn('old.py')]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(mainScan.status, 202);
  await h.host.app.queue.idle();
  const mainPrs = mainPullRequests(slug).map((p) => p.id);
  await h.admin(`/merge-checks/${slug}/app`, { required: true });

  // Without pullRequest=…: the branch has exactly one open PR, so the scan is that PR's.
  const { pr, commit } = await memberPullRequest(slug, 'feature/readme', { 'README.md': '# app, documented\n' });
  await scanPullRequest(slug, ws, commit, 'feature/readme', undefined, [yamlFindingIn('old.py')]);
  assert.deepEqual(repoOf(slug).pullRequests.filter((p) => p.sourceBranch.startsWith(`remediate/pr-${pr.id}/`)), []);
  const comment = repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.comments[0]?.raw ?? '';
  assert.match(comment, /introduces no security finding/);
  assert.match(comment, /1 finding is already on the destination branch/);
  assert.deepEqual(mainPullRequests(slug).map((p) => p.id), mainPrs, "main's PRs are as they were");
  const merge = await fetch(`${h.url}/bitbucket/2.0/repositories/${slug}/app/pullrequests/${pr.id}/merge`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`member@${slug}.test:ATATT3xMember${slug}000000000000000000001`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(merge.status, 200, await merge.text());
});

test('a PR from a fork: nothing is pushed, the comment says why', async () => {
  const slug = 'prscan-fork';
  const ws = await setUpWorkspace(h, slug, mainFiles);
  // The member's fork, in the same workspace, with the change on its own main branch.
  await h.admin(`/repositories/${slug}/app-fork`, { files: { ...mainFiles, 'loader.py': yamlLoader('fork') }, mainbranch: 'main' });
  const forkTip = h.host.emulator.state.repositories.find((r) => r.slug === 'app-fork')?.branches.main ?? '';
  const created = await fetch(`${h.url}/bitbucket/2.0/repositories/${slug}/app/pullrequests`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`member@${slug}.test:ATATT3xMember${slug}000000000000000000001`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'From my fork', source: { branch: { name: 'main' }, repository: { full_name: `${slug}/app-fork` } }, destination: { branch: { name: 'main' } } }),
  });
  const createdText = await created.text();
  assert.equal(created.status, 201, createdText);
  const prId = (JSON.parse(createdText) as { id: number }).id;
  // The emulator keeps a fork's commits in the fork, and the upload's commit must be one the repository knows:
  // CI names the pull request and the upstream commit it was built on.
  await scanPullRequest(slug, ws, ws.commit, 'main', prId);
  assert.deepEqual(repoOf(slug).pullRequests.filter((p) => p.sourceBranch.startsWith('remediate/')), [], 'nothing pushed for a fork');
  const comment = repoOf(slug).pullRequests.find((p) => p.id === prId)?.comments[0]?.raw ?? '';
  assert.match(comment, /comes from a fork: Remediate does not push fixes into another repository/);
  assert.ok(forkTip);
});

test('without a scan of the head commit the check passes with a message, or fails when the policy says so; a check costs one SQL read and no Bitbucket call', async () => {
  const slug = 'prscan-noscan';
  const ws = await setUpWorkspace(h, slug, mainFiles);
  const { pr } = await memberPullRequest(slug, 'feature/x', { 'notes.txt': 'hello\n' });
  const event = { workspace: { uuid: ws.workspaceId }, repository: { uuid: ws.repoUuid }, pullrequest: { id: pr.id }, trigger: { type: 'on-merge' } };
  const passed = await h.host.app.mergeCheck(event, {});
  assert.equal(passed.success, true);
  assert.match(passed.message, /has not received a scan of this pull request's latest commit/);

  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: { mergeCheckWithoutScan: 'fail' } }, ws.adminContext);
  assert.ok(saved.ok, JSON.stringify(saved.error));
  const failed = await h.host.app.mergeCheck(event, {});
  assert.equal(failed.success, false);
  assert.match(failed.message, /blocks merging until it arrives/);

  // After a scan: the verdict comes from one row, with no Bitbucket call.
  const { commit } = { commit: repoOf(slug).branches['feature/x'] ?? '' };
  await scanPullRequest(slug, ws, commit, 'feature/x', pr.id, []);
  const db = h.host.app.deps.db;
  const queries = { n: 0 };
  const original = db.query.bind(db);
  db.query = ((sql: string, params?: unknown[]) => ((queries.n += 1), original(sql, params as never))) as typeof db.query;
  await h.admin('/requests', undefined, 'DELETE');
  try {
    const verdict = await h.host.app.mergeCheck(event, {});
    assert.equal(verdict.success, true, verdict.message);
    assert.match(verdict.message, /no new security finding/);
  } finally {
    db.query = original;
  }
  assert.equal(queries.n, 1, 'one SQL read');
  assert.deepEqual(await h.admin<unknown[]>('/requests'), [], 'no Bitbucket call');
});

test('when a scanned PR is merged or declined, its open fix PRs are declined with a comment', async () => {
  const slug = 'prscan-closed';
  const ws = await setUpWorkspace(h, slug, mainFiles);
  const { pr, commit } = await memberPullRequest(slug, 'feature/loader', { 'loader.py': yamlLoader('config') });
  await scanPullRequest(slug, ws, commit, 'feature/loader', pr.id);
  const fix = repoOf(slug).pullRequests.find((p) => p.sourceBranch.startsWith(`remediate/pr-${pr.id}/`));
  assert.equal(fix?.state, 'OPEN');
  await memberClient(slug).declinePullRequest({ workspace: slug, repo: 'app' }, pr.id);
  await h.host.pullRequestTriggers.idle();
  const after = repoOf(slug).pullRequests.find((p) => p.id === fix?.id);
  assert.equal(after?.state, 'DECLINED');
  assert.match(after?.comments.at(-1)?.raw ?? '', new RegExp(`pull request #${pr.id}, whose findings it fixes, was declined`));
});
