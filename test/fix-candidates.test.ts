/**
 * Issue 17, items 1 and 2, through the web trigger, the scan job, the emulator and the resolvers:
 * every codemod offered for a finding is tried on the code the scan read (most specific first) and
 * the first verified fix wins; "fix available" (and the triage's fix factor) means exactly that —
 * never a rule-id or CWE lookup alone; the outcome is stored per finding, shown by the resolvers,
 * and a pull request names the findings in its files that it left unfixed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingDetail, FindingPage } from '../src/contracts/resolver-api';
import { FindingsRepository } from '../src/storage/findings-repository';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { prSnapshot } from './support/pr-snapshot';
import { sarifLog, YAML_RULE, type SimpleResult } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const wideOpen = { autoPullRequests: true, minSeverity: 'info', minConfidence: 0, grouping: 'per-file', maxOpenPullRequests: 100, maxNewPullRequestsPerScan: 50 };

async function scan(slug: string, files: Record<string, string>, results: SimpleResult[], tool = 'Semgrep OSS'): Promise<Workspace> {
  const ws = await setUpWorkspace(h, slug, files);
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: wideOpen }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog(results, tool), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  return ws;
}

async function items(ws: Workspace): Promise<FindingPage['items']> {
  const page = await h.invoke<FindingPage>('listFindings', { limit: 200 }, ws.repoContext);
  assert.equal(page.ok, true, JSON.stringify(page.error));
  return page.data?.items ?? [];
}

async function detail(ws: Workspace, id: string): Promise<FindingDetail> {
  const answer = await h.invoke<FindingDetail>('getFinding', { id }, ws.repoContext);
  assert.equal(answer.ok, true, JSON.stringify(answer.error));
  return answer.data!;
}

const at = (list: FindingPage['items'], path: string, line: number) => {
  const found = list.find((item) => item.path === path && item.line === line);
  assert.ok(found, `a finding at ${path}:${line} in ${JSON.stringify(list.map((i) => `${i.path}:${i.line}`))}`);
  return found;
};

test('a finding whose first codemod refuses is fixed by the next one, and the PR is that codemod\'s', async () => {
  const slug = 'next-candidate';
  // `exec` bound by destructuring, with no `shell` option: spawn-shell-false (offered first for the
  // rule) refuses; node-exec-execfile, offered second, fixes it.
  const files = {
    'lib/list.js': "const { exec } = require('child_process');\n\nfunction list(dir, cb) {\n  exec('ls -la ' + dir, cb);\n}\n\nmodule.exports = list;\n",
    'package.json': '{"name":"lister","dependencies":{"express":"^4.18.0"}}\n',
  };
  const ws = await scan(slug, files, [{ ruleId: 'security/detect-child-process', path: 'lib/list.js', line: 4, snippet: "  exec('ls -la ' + dir, cb);" }], 'ESLint');
  const snapshot = prSnapshot(h, slug);
  assert.deepEqual(snapshot.pullRequests.map((pr) => pr.sourceBranch.split('/')[1]), ['node-exec-execfile']);
  assert.match(snapshot.pullRequests[0]?.files['lib/list.js'] ?? '', /execFile\('ls', \['-la', dir\], cb\)/);

  const [stored] = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  assert.equal(stored?.fixOutcome?.kind, 'fixed');
  assert.equal(stored?.fixOutcome?.kind === 'fixed' ? stored.fixOutcome.codemodId : undefined, 'node-exec-execfile');
  assert.ok(stored?.factors.some((factor) => factor.id === 'fix-available'), 'the verified fix counts towards confidence');

  const item = at(await items(ws), 'lib/list.js', 4);
  assert.equal(item.fixAvailable, true);
  assert.deepEqual(item.fixOutcome && { kind: item.fixOutcome.kind, codemod: 'codemodId' in item.fixOutcome ? item.fixOutcome.codemodId : undefined }, { kind: 'fixed', codemod: 'node-exec-execfile' });
});

test('"fix available" is never shown for a finding no codemod\'s detector matched, whatever its rule maps to', async () => {
  const slug = 'no-detector-match';
  const files = {
    // The yaml rule maps to pyyaml-safe-load, but line 5 holds no yaml.load call.
    'app/load.py': 'import json\nimport yaml\n\n\ndef load(text):\n    return json.loads(text)\n\n\ndef real(text):\n    return yaml.load(text)\n',
    // A test file: triage decides it by its path and does not read it, so no fix is tried.
    'tests/test_load.py': 'import yaml\n\n\ndef test_load():\n    assert yaml.load("a: 1")\n',
  };
  const ws = await scan(slug, files, [
    { ruleId: YAML_RULE, path: 'app/load.py', line: 6, snippet: '    return json.loads(text)', tags: ['CWE-502'] },
    { ruleId: YAML_RULE, path: 'app/load.py', line: 10, snippet: '    return yaml.load(text)', tags: ['CWE-502'] },
    { ruleId: YAML_RULE, path: 'tests/test_load.py', line: 5, snippet: '    assert yaml.load("a: 1")', tags: ['CWE-502'] },
  ]);
  const list = await items(ws);

  const unmatched = at(list, 'app/load.py', 6);
  assert.equal(unmatched.fixAvailable, false, 'a rule-id lookup alone is no fix');
  assert.equal(unmatched.fixOutcome?.kind, 'not-fixed');
  const tried = unmatched.fixOutcome?.kind === 'not-fixed' ? unmatched.fixOutcome.tried : [];
  assert.deepEqual(tried.map((t) => [t.codemodId, t.matched]), [['pyyaml-safe-load', false]]);
  assert.match(tried[0]?.reason ?? '', /no call to yaml\.load on line 6/);
  const unmatchedDetail = await detail(ws, unmatched.id);
  assert.equal(unmatchedDetail.fixAvailable, false);
  assert.equal(unmatchedDetail.fixOutcome?.kind, 'not-fixed');
  assert.ok(!unmatchedDetail.factors.some((factor) => factor.id === 'fix-available'), 'no confidence for a fix that does not exist');

  const notRead = at(list, 'tests/test_load.py', 5);
  assert.equal(notRead.fixAvailable, false);
  assert.equal(notRead.fixOutcome?.kind, 'not-tried');
  assert.match(notRead.fixOutcome?.kind === 'not-tried' ? notRead.fixOutcome.reason : '', /file was not read during the scan/);

  // The control: the same rule on a real yaml.load is fixable, and shown so.
  const real = at(list, 'app/load.py', 10);
  assert.equal(real.fixAvailable, true);
  assert.ok((await detail(ws, real.id)).factors.some((factor) => factor.id === 'fix-available'));

  // The pull request fixes the one it can and says which one in its file it left, and why.
  const [pr] = h.host.emulator.state.repositories.find((r) => r.workspace === slug)?.pullRequests ?? [];
  assert.ok(pr, 'a PR for app/load.py');
  assert.match(pr.description, /## Not fixed here/);
  assert.match(pr.description, /app\/load\.py:6: no call to yaml\.load on line 6/);
  assert.doesNotMatch(pr.description, /app\/load\.py:10:/, 'the fixed one is not listed as unfixed');
});

test('a person asking for a fix PR for a finding no detector matched is refused with the dry run\'s reason', async () => {
  const slug = 'manual-refused';
  const ws = await scan(slug, { 'app/load.py': 'import json\n\n\ndef load(text):\n    return json.loads(text)\n' }, [
    { ruleId: YAML_RULE, path: 'app/load.py', line: 5, snippet: '    return json.loads(text)', tags: ['CWE-502'] },
  ]);
  const [item] = await items(ws);
  assert.ok(item);
  const asked = await h.invoke('createPullRequest', { findingIds: [item.id] }, ws.repoContext);
  assert.equal(asked.ok, false);
  assert.match(asked.error?.message ?? '', /no call to yaml\.load on line 5/);
  assert.equal(prSnapshot(h, slug).pullRequests.length, 0);
});

const loader = (name: string) => `import yaml\n\n\ndef load_${name}(text):\n    return yaml.load(text)\n`;
/** 70 files: more than triage reads within one invocation's request budget. */
const manyFiles = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`svc/m${i}.py`, loader(`m${i}`)]));
const manyResults = Object.keys(manyFiles).map((path) => ({ ruleId: YAML_RULE, path, line: 5, snippet: '    return yaml.load(text)', tags: ['CWE-502'] }));

test('findings in files triage left unread (the request budget) get their dry run before the PRs, and are fixed', async () => {
  const slug = 'late-dry-run';
  const files = manyFiles;
  const results = manyResults;
  const ws = await setUpWorkspace(h, slug, files);
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: { ...wideOpen, grouping: 'per-codemod' } }, ws.adminContext);
  assert.equal(saved.ok, true);
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202);
  await h.host.app.queue.idle();

  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  assert.equal(findings.length, 70);
  const unreadByTriage = findings.filter((f) => !f.factors.some((factor) => factor.id === 'code-read'));
  assert.ok(unreadByTriage.length > 0, 'the request budget kept triage from reading some files');
  assert.deepEqual(findings.filter((f) => f.fixOutcome?.kind !== 'fixed').map((f) => f.fixOutcome), [], 'every one tried, and fixed');
  assert.deepEqual(findings.filter((f) => f.status !== 'fix_proposed').map((f) => f.location?.path), []);
  const [pr] = prSnapshot(h, slug).pullRequests;
  assert.equal(Object.keys(pr?.files ?? {}).length, 70, 'one PR changing all 70 files');
});

test('with automatic PRs off, files triage left unread still get their dry run, so the page tells which findings have a fix', async () => {
  const slug = 'late-dry-run-off';
  const ws = await setUpWorkspace(h, slug, manyFiles);
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: { ...wideOpen, autoPullRequests: false } }, ws.adminContext);
  assert.equal(saved.ok, true);
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog(manyResults), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202);
  await h.host.app.queue.idle();
  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  assert.ok(findings.some((f) => !f.factors.some((factor) => factor.id === 'code-read')), 'triage left some files unread');
  assert.deepEqual(findings.filter((f) => f.fixOutcome?.kind !== 'fixed').map((f) => f.fixOutcome), []);
  assert.ok((await items(ws)).every((item) => item.fixAvailable === true));
  assert.equal(prSnapshot(h, slug).pullRequests.length, 0);
});
