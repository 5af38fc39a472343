/**
 * Resumable scan jobs (issue 7): a job that nears its time re-queues itself and the continuation
 * picks up where it stopped; a job that dies between "committed" and "PR opened" resumes without
 * committing again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsRepository } from '../src/storage/findings-repository';
import { PullRequestsRepository } from '../src/storage/pull-requests-repository';
import { ScansRepository } from '../src/storage/scans-repository';
import { pushCommit, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, yamlFindingIn, yamlLoader, type SimpleResult } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.admin('/faults', undefined, 'DELETE').catch(() => undefined);
  await h.close();
});

const files = { 'a.py': yamlLoader('a'), 'b.py': yamlLoader('b'), 'c.py': yamlLoader('c') };
const repoOf = (slug: string) => h.host.emulator.state.repositories.find((r) => r.workspace === slug);

async function perFileWorkspace(slug: string): Promise<Workspace> {
  const ws = await setUpWorkspace(h, slug, files);
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: { grouping: 'per-file' } }, ws.adminContext);
  assert.ok(saved.ok);
  return ws;
}

async function upload(slug: string, ws: Workspace): Promise<string> {
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFindingIn('a.py'), yamlFindingIn('b.py'), yamlFindingIn('c.py')]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202);
  return reply.json.scanId as string;
}

test('a job past its time budget re-queues itself; the continuation finishes without repeating a group', async () => {
  const slug = 'resume-time';
  const ws = await perFileWorkspace(slug);
  // The clock leaps ten minutes once the first PR exists: the job must stop before the next group.
  const deps = h.host.app.deps;
  const realNow = deps.clock.now;
  deps.clock.now = () => new Date(Date.now() + ((repoOf(slug)?.pullRequests.length ?? 0) >= 1 ? 700_000 : 0));
  try {
    await h.admin('/requests', undefined, 'DELETE');
    const scanId = await upload(slug, ws);
    await h.host.app.queue.idle();
    const scan = await new ScansRepository(deps.db).get(scanId);
    assert.equal(scan?.status, 'done', scan?.error);
    assert.equal(scan?.progress?.continuations, 1, 'continued once');
    assert.equal(scan?.pullRequests.length, 3, 'the scan lists all three PRs');
  const steps = Object.values(scan?.progress?.groups ?? {});
  assert.equal(steps.length, 3);
  assert.ok(steps.every((step) => step.step === 'done' && step.pullRequestId !== undefined && /^[0-9a-f]{12,40}$/.test(step.commit ?? '')), JSON.stringify(steps));
  } finally {
    deps.clock.now = realNow;
  }
  assert.equal(repoOf(slug)?.pullRequests.length, 3);
  const commits = (await h.admin<{ method: string; path: string; status: number }[]>('/requests')).filter((r) => r.method === 'POST' && r.path.endsWith('/src'));
  assert.equal(commits.length, 3, 'one commit per PR, none repeated');
});

test('a job that fails after committing resumes at "open the PR": no second commit, one PR', async () => {
  const slug = 'resume-crash';
  const ws = await perFileWorkspace(slug);
  await h.admin('/requests', undefined, 'DELETE');
  // Every PR creation fails for a while (answers before anything is written): the first job attempt gives up.
  await h.admin('/faults', { rate5xx: 1, match: `POST /2.0/repositories/${slug}/app/pullrequests`, count: 4 });
  let scanId: string;
  try {
    scanId = await upload(slug, ws);
    await h.host.app.queue.idle();
  } finally {
    await h.admin('/faults', undefined, 'DELETE');
  }
  const scan = await new ScansRepository(h.host.app.deps.db).get(scanId);
  assert.equal(scan?.status, 'done', scan?.error);
  const log = await h.admin<{ method: string; path: string; status: number }[]>('/requests');
  const failedCreates = log.filter((r) => r.method === 'POST' && r.path.endsWith('/pullrequests') && r.status >= 500);
  assert.equal(failedCreates.length, 4, 'the faults hit');
  const commits = log.filter((r) => r.method === 'POST' && r.path.endsWith('/src') && r.status === 201);
  assert.equal(commits.length, 3, 'each branch committed once');
  const repo = repoOf(slug);
  assert.equal(repo?.pullRequests.length, 3);
  for (const pr of repo?.pullRequests ?? []) assert.deepEqual(repo?.commits[repo.branches[pr.sourceBranch] ?? '']?.parents, [ws.commit]);
});

test('a job nearing its request budget re-queues itself; the continuation opens the rest, none twice', async () => {
  const slug = 'resume-budget';
  const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`m${i}.py`, yamlLoader(`m${i}`)]));
  const ws = await setUpWorkspace(h, slug, many);
  const saved = await h.invoke('saveSettings', {
    username: `${slug}-bot`, email: `bot@${slug}.test`, policy: { grouping: 'per-file', maxNewPullRequestsPerScan: 50, maxOpenPullRequests: 100 },
  }, ws.adminContext);
  assert.ok(saved.ok);
  await h.admin('/requests', undefined, 'DELETE');
  const results = Object.keys(many).map((path) => yamlFindingIn(path));
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202);
  await h.host.app.queue.idle();
  const scan = await new ScansRepository(h.host.app.deps.db).get(reply.json.scanId as string);
  assert.equal(scan?.status, 'done', scan?.error);
  assert.ok((scan?.progress?.continuations ?? 0) >= 1, 'continued in a new job');
  assert.equal(repoOf(slug)?.pullRequests.length, 48);
  const log = await h.admin<{ method: string; path: string; status: number }[]>('/requests');
  assert.equal(log.filter((r) => r.method === 'POST' && r.path.endsWith('/pullrequests')).length, 48, 'no PR created twice');
  assert.equal(log.filter((r) => r.method === 'POST' && r.path.endsWith('/src')).length, 48, 'no commit twice');
});

test('a PR created but never stored (the job died in between) is adopted by the next scan, not duplicated', async () => {
  const slug = 'resume-adopt';
  const ws = await setUpWorkspace(h, slug, files);
  const first = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFindingIn('a.py'), yamlFindingIn('b.py')]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(first.status, 202);
  await h.host.app.queue.idle();
  const db = h.host.app.deps.db;
  // Forget the PR as if the job had died right after creating it.
  await db.execute('DELETE FROM pull_requests WHERE repo_uuid = ?', [ws.repoUuid]);
  for (const finding of await new FindingsRepository(db).listAll(ws.repoUuid)) {
    const { pullRequest: _pr, fix: _fix, ...rest } = finding;
    await new FindingsRepository(db).update({ ...rest, status: 'open' });
  }
  const tipBefore = repoOf(slug)?.branches['remediate/pyyaml-safe-load'];

  const again = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFindingIn('a.py'), yamlFindingIn('b.py')]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(again.status, 202);
  await h.host.app.queue.idle();
  const repo = repoOf(slug);
  assert.equal(repo?.pullRequests.length, 1, 'no second PR');
  assert.equal(repo?.branches['remediate/pyyaml-safe-load'], tipBefore, 'the branch was not rewritten');
  const [stored] = await new PullRequestsRepository(db).listForRepository(ws.repoUuid);
  assert.equal(stored?.id, repo?.pullRequests[0]?.id, 'the PR is stored again');
  assert.deepEqual((await new FindingsRepository(db).listAll(ws.repoUuid)).map((f) => [f.status, f.pullRequest?.id]), [['fix_proposed', stored?.id], ['fix_proposed', stored?.id]]);
});

test('a job that died after storing its PR but before updating the findings finishes them on the next run, at no Bitbucket write', async () => {
  const slug = 'resume-findings';
  const ws = await setUpWorkspace(h, slug, files);
  const send = () => h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFindingIn('a.py')]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal((await send()).status, 202);
  await h.host.app.queue.idle();
  const db = h.host.app.deps.db;
  for (const finding of await new FindingsRepository(db).listAll(ws.repoUuid)) {
    const { pullRequest: _pr, ...rest } = finding;
    await new FindingsRepository(db).update({ ...rest, status: 'open' });
  }
  await h.admin('/requests', undefined, 'DELETE');
  assert.equal((await send()).status, 202);
  await h.host.app.queue.idle();
  const [finding] = await new FindingsRepository(db).listAll(ws.repoUuid);
  assert.equal(finding?.status, 'fix_proposed');
  assert.equal(finding?.pullRequest?.id, repoOf(slug)?.pullRequests[0]?.id);
  const writes = (await h.admin<{ method: string; path: string }[]>('/requests')).filter((r) => r.method !== 'GET' && !r.path.includes('/reports/'));
  assert.deepEqual(writes, []);
});

test('closing a stale PR that fails half-way is finished by the retry with one comment, not two', async () => {
  const slug = 'resume-close';
  const ws = await setUpWorkspace(h, slug, files);
  const send = (results: SimpleResult[], commit = ws.commit) => h.upload({ repository: `${slug}/app`, commit, branch: 'main' }, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal((await send([yamlFindingIn('a.py')])).status, 202);
  await h.host.app.queue.idle();
  const [pr] = repoOf(slug)?.pullRequests ?? [];
  assert.ok(pr);
  const later = await pushCommit(h, slug, { 'README.md': '# app, later\n' });
  await h.admin('/faults', { rate5xx: 1, match: `POST /2.0/repositories/${slug}/app/pullrequests/${pr.id}/decline`, count: 2 });
  try {
    // A later commit of main, scanned by the same analysis (Semgrep on Python files), no longer reports a.py's finding.
    assert.equal((await send([{ ruleId: 'generic.nothing-to-fix', path: 'b.py', line: 1 }], later)).status, 202);
    await h.host.app.queue.idle();
  } finally {
    await h.admin('/faults', undefined, 'DELETE');
  }
  const closed = repoOf(slug)?.pullRequests.find((p) => p.id === pr.id);
  assert.equal(closed?.state, 'DECLINED');
  assert.equal(closed?.comments.length, 1);
});
