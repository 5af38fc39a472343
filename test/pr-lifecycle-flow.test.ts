/**
 * The PR lifecycle through the real web trigger, queue and emulator: grouping, findings added to an
 * open PR as a commit on its tip, a branch with someone else's commit left alone with one comment,
 * a PR whose findings are gone declined, caps that leave findings waiting.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { FindingsRepository } from '../src/storage/findings-repository';
import { ScansRepository } from '../src/storage/scans-repository';
import { pushCommit, serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, yamlFindingIn, yamlLoader, type SimpleResult } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const files = { 'a.py': yamlLoader('a'), 'b.py': yamlLoader('b'), 'c.py': yamlLoader('c'), 'README.md': '# app\n' };

async function scan(slug: string, ws: Workspace, results: SimpleResult[], branch = 'main', commit = ws.commit) {
  const reply = await h.upload({ repository: `${slug}/app`, commit, branch }, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  const stored = await new ScansRepository(h.host.app.deps.db).get(reply.json.scanId as string);
  assert.equal(stored?.status, 'done', stored?.error);
  return stored;
}
const repoOf = (slug: string) => {
  const repo = h.host.emulator.state.repositories.find((r) => r.workspace === slug);
  assert.ok(repo);
  return repo;
};
const blobAt = (slug: string, commit: string | undefined, path: string) => {
  const repo = repoOf(slug);
  return repo.blobs[repo.commits[commit ?? '']?.tree[path]?.blob ?? ''] ?? '';
};
const setPolicy = async (slug: string, ws: Workspace, policy: Record<string, unknown>) => {
  const service = serviceAccount(slug);
  const saved = await h.invoke('saveSettings', { username: service.username, email: service.email, policy }, ws.adminContext);
  assert.ok(saved.ok, JSON.stringify(saved.error));
};

test('per-file grouping: one PR per file, branch remediate/<codemod>/<path>, the title names the file', async () => {
  const ws = await setUpWorkspace(h, 'group-file', files);
  await setPolicy('group-file', ws, { grouping: 'per-file' });
  await scan('group-file', ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py')]);
  const prs = repoOf('group-file').pullRequests.map((pr) => pr.sourceBranch).sort();
  assert.deepEqual(prs, ['remediate/pyyaml-safe-load/a.py', 'remediate/pyyaml-safe-load/b.py']);
  for (const pr of repoOf('group-file').pullRequests) assert.match(pr.title, new RegExp(` in ${pr.sourceBranch.split('/').pop()?.replace('.', '\\.')} \\(1 finding\\)$`));
});

test('a new scan with more findings of an open PR\'s group adds one commit on its tip and updates the description', async () => {
  const slug = 'grow';
  const ws = await setUpWorkspace(h, slug, files);
  await scan(slug, ws, [yamlFindingIn('a.py')]);
  const [pr] = repoOf(slug).pullRequests;
  assert.ok(pr);
  const firstTip = repoOf(slug).branches[pr.sourceBranch];
  assert.doesNotMatch(pr.description, /b\.py/);

  await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py')]);
  const repo = repoOf(slug);
  assert.equal(repo.pullRequests.length, 1, 'no second PR');
  const tip = repo.branches[pr.sourceBranch];
  assert.notEqual(tip, firstTip);
  assert.deepEqual(repo.commits[tip ?? '']?.parents, [firstTip], 'the new commit sits on the old tip');
  assert.match(blobAt(slug, tip, 'a.py'), /yaml\.safe_load\(text\)/);
  assert.match(blobAt(slug, tip, 'b.py'), /yaml\.safe_load\(text\)/);
  assert.match(repo.pullRequests[0]?.description ?? '', /b\.py:5/);
  assert.match(repo.pullRequests[0]?.title ?? '', /2 findings/);
  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  assert.deepEqual(findings.map((f) => [f.location?.path, f.status, f.pullRequest?.id]).sort(), [['a.py', 'fix_proposed', pr.id], ['b.py', 'fix_proposed', pr.id]]);

  // The same scan again: nothing to add, no commit, no PUT.
  await h.admin('/requests', undefined, 'DELETE');
  await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py')]);
  const writes = (await h.admin<{ method: string; path: string }[]>('/requests')).filter((r) => r.method !== 'GET' && !r.path.includes('/reports/'));
  assert.deepEqual(writes, []);
});

test('a branch with someone else\'s commit is left alone: one comment names the findings not added', async () => {
  const slug = 'theirs';
  const ws = await setUpWorkspace(h, slug, files);
  await scan(slug, ws, [yamlFindingIn('a.py')]);
  const [pr] = repoOf(slug).pullRequests;
  assert.ok(pr);
  const owner = createBitbucketClient({ baseUrl: `${h.url}/bitbucket`, fetch: nodeFetch, credentials: { email: `owner@${slug}.test`, apiToken: `ATATT3xOwner${slug}0000000000000000000001` } });
  const repoRef = { workspace: slug, repo: 'app' };
  const theirTip = repoOf(slug).branches[pr.sourceBranch] ?? '';
  const theirs = await owner.commitFiles({ repo: repoRef, branch: pr.sourceBranch, parent: theirTip, message: 'reviewer tweak', files: [{ path: 'README.md', content: '# app, reviewed\n' }] });

  await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py')]);
  await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py')]);
  const repo = repoOf(slug);
  assert.equal(repo.branches[pr.sourceBranch], theirs.hash, 'their commit is still the tip');
  assert.equal(repo.pullRequests.length, 1);
  const comments = repo.pullRequests[0]?.comments ?? [];
  assert.equal(comments.length, 1, 'commented once, not once per scan');
  assert.match(comments[0]?.raw ?? '', /did not add it: the branch has commits that Remediate did not make/);
  assert.match(comments[0]?.raw ?? '', /b\.py:5/);
  const b = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).find((f) => f.location?.path === 'b.py');
  assert.equal(b?.status, 'open');
});

test('a main-branch scan that no longer reports a PR\'s findings declines it with a comment; the findings are fixed', async () => {
  const slug = 'gone';
  const ws = await setUpWorkspace(h, slug, files);
  await scan(slug, ws, [yamlFindingIn('a.py')]);
  const [pr] = repoOf(slug).pullRequests;
  assert.ok(pr);
  // A scan of another branch says nothing about main.
  const unrelated: SimpleResult = { ruleId: 'generic.secrets.nothing-to-fix', path: 'README.md', line: 1 };
  await scan(slug, ws, [unrelated], 'feature/x');
  assert.equal(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.state, 'OPEN');

  // Nor does another upload for the commit the finding was seen at: it is not a later scan.
  await scan(slug, ws, [{ ...unrelated, path: 'c.py' }]);
  assert.equal(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.state, 'OPEN');
  // Nor a scan of a later commit of main in which the tool read no Python file: it is not the analysis that reported a.py.
  const later = await pushCommit(h, slug, { 'README.md': '# app, later\n' });
  await scan(slug, ws, [unrelated], 'main', later);
  assert.equal(repoOf(slug).pullRequests.find((p) => p.id === pr.id)?.state, 'OPEN');

  const latest = await pushCommit(h, slug, { 'README.md': '# app, latest\n' });
  await scan(slug, ws, [{ ...unrelated, path: 'c.py' }], 'main', latest);
  const closed = repoOf(slug).pullRequests.find((p) => p.id === pr.id);
  assert.equal(closed?.state, 'DECLINED');
  assert.match(closed?.comments[0]?.raw ?? '', /no longer reports the finding/);
  const a = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).find((f) => f.location?.path === 'a.py');
  assert.equal(a?.status, 'fixed');

  // It comes back on main: open again, and proposed again in a new PR.
  await scan(slug, ws, [yamlFindingIn('a.py')], 'main', await pushCommit(h, slug, { 'README.md': '# app, again\n' }));
  const again = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).find((f) => f.location?.path === 'a.py');
  assert.equal(again?.status, 'fix_proposed');
  assert.deepEqual(repoOf(slug).pullRequests.map((p) => p.state), ['DECLINED', 'OPEN']);
});

test('caps: new PRs per scan and open PRs per repository; the rest wait and the scan says how many', async () => {
  const slug = 'capped';
  const ws = await setUpWorkspace(h, slug, files);
  await setPolicy(slug, ws, { grouping: 'per-file', maxNewPullRequestsPerScan: 1, maxOpenPullRequests: 2 });
  const first = await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py'), yamlFindingIn('c.py')]);
  assert.equal(repoOf(slug).pullRequests.length, 1);
  assert.equal(first?.progress?.waitingForCap, 2);
  const listed = await h.invoke<{ items: { id: string; waitingForCap?: number }[] }>('listScans', {}, ws.repoContext);
  assert.equal(listed.data?.items.find((item) => item.id === first?.id)?.waitingForCap, 2, 'the repository page can show it');
  const second = await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py'), yamlFindingIn('c.py')]);
  assert.equal(repoOf(slug).pullRequests.length, 2, 'one more, up to two open');
  assert.equal(second?.progress?.waitingForCap, 1);
  const third = await scan(slug, ws, [yamlFindingIn('a.py'), yamlFindingIn('b.py'), yamlFindingIn('c.py')]);
  assert.equal(repoOf(slug).pullRequests.length, 2, 'the repository cap holds');
  assert.equal(third?.progress?.waitingForCap, 1);
});

test('with automatic PRs turned off, a PR whose findings are gone is still declined, and nothing new is opened', async () => {
  const slug = 'gone-manual';
  const ws = await setUpWorkspace(h, slug, files);
  await scan(slug, ws, [yamlFindingIn('a.py')]);
  await setPolicy(slug, ws, { autoPullRequests: false });
  await scan(slug, ws, [yamlFindingIn('b.py')], 'main', await pushCommit(h, slug, { 'README.md': '# app, later\n' }));
  const prs = repoOf(slug).pullRequests;
  assert.deepEqual(prs.map((p) => p.state), ['DECLINED'], 'declined, and no PR for b.py');
  const b = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).find((f) => f.location?.path === 'b.py');
  assert.equal(b?.status, 'open');
});
