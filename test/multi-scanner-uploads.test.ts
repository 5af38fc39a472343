/**
 * Issue 12, through the web trigger, the local queue and the emulator: seven uploads of one commit
 * (one per scanner, as a real CI job sends them) add up to what one upload holding all seven runs
 * gives; one weakness reported by several scanners is one finding listing every rule; and only a
 * later scan of the same analysis can call a finding gone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsRepository } from '../src/storage/findings-repository';
import type { Finding } from '../src/domain/finding';
import { pushCommit, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { multiScannerFiles, multiScannerUploads, sarifOf } from './support/multi-scanner';
import { prSnapshot } from './support/pr-snapshot';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const auth = (ws: Workspace) => ({ Authorization: `Bearer ${ws.uploadToken}` });

/** What a reviewer sees of a repository's findings, comparable across workspaces. */
async function findingsView(ws: Workspace) {
  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  return findings
    .map((f: Finding) => ({
      place: `${f.location?.path}:${f.location?.startLine}`,
      rules: (f.reports ?? []).map((r) => `${r.tool} ${r.ruleId} [${r.analysis}]`).sort(),
      severity: f.severity,
      verdict: f.verdict,
      confidence: f.confidence,
      status: f.status,
      codemod: f.fix?.codemodId ?? null,
    }))
    .sort((a, b) => a.place.localeCompare(b.place));
}

async function sevenUploads(slug: string) {
  const ws = await setUpWorkspace(h, slug, multiScannerFiles);
  const replies = await Promise.all(
    multiScannerUploads().map(({ category, run }) =>
      h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main', ...(category ? { category } : {}) }, sarifOf([run]), auth(ws))),
  );
  await h.host.app.queue.idle();
  return { ws, replies };
}

async function combinedUpload(slug: string) {
  const ws = await setUpWorkspace(h, slug, multiScannerFiles);
  // In one log, the seventh run names its category the way SARIF does: `automationDetails.id`.
  const runs = multiScannerUploads().map(({ category, run }) => (category ? { ...run, automationDetails: { id: `${category}/run-1` } } : run));
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifOf(runs), auth(ws));
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  return ws;
}

test('seven uploads of one commit at once: all accepted, and the result equals one upload holding all seven runs', async () => {
  const { ws: seven, replies } = await sevenUploads('seven');
  assert.deepEqual(replies.map((r) => r.status), [202, 202, 202, 202, 202, 202, 202], JSON.stringify(replies.map((r) => r.json)));
  const statuses = await Promise.all(replies.map((r) => h.scanStatus(r.json.scanId as string, seven.uploadToken)));
  assert.deepEqual(statuses.map((s) => s.json.status), Array(7).fill('done'));

  const combined = await combinedUpload('combined');
  const sevenView = await findingsView(seven);
  assert.deepEqual(sevenView, await findingsView(combined));
  assert.deepEqual(prSnapshot(h, 'seven'), prSnapshot(h, 'combined'));
  assert.ok(prSnapshot(h, 'seven').pullRequests.length > 0, 'some fix was proposed');

  // Nothing was declined or marked fixed on the word of another analysis.
  const repo = h.host.emulator.state.repositories.find((r) => r.workspace === 'seven');
  assert.deepEqual(repo?.pullRequests.map((pr) => pr.state).filter((state) => state !== 'OPEN'), []);
  assert.deepEqual(sevenView.filter((f) => f.status === 'fixed'), []);

  // The eval on web/app.js:5 is one finding with every rule that flagged it.
  const evalFinding = sevenView.filter((f) => f.place === 'web/app.js:5');
  assert.equal(evalFinding.length, 1);
  assert.deepEqual(evalFinding[0]?.rules, [
    'CodeQL js/code-injection [codeql|language:javascript]',
    'ESLint no-eval [eslint|lang:javascript]',
    'ESLint security/detect-eval-with-expression [eslint|lang:javascript]',
    'ESLint sonarjs/code-eval [eslint|lang:javascript]',
    'Semgrep OSS javascript.browser.security.eval-detected.eval-detected [semgrep oss|lang:javascript]',
  ]);
  // Bandit and Semgrep on one yaml.load: one finding, the higher severity.
  const yaml = sevenView.filter((f) => f.place === 'tools/load.py:5');
  assert.equal(yaml.length, 1);
  assert.equal(yaml[0]?.severity, 'high');
  assert.equal(sevenView.length, 4, JSON.stringify(sevenView, null, 1));

  // The fix PR's description names both scanners of the yaml.load and each one's rule.
  const yamlPr = repo?.pullRequests.find((pr) => pr.sourceBranch.startsWith('remediate/pyyaml-safe-load'));
  assert.match(yamlPr?.description ?? '', /Reported by:\*\* Bandit 1\.9\.4 \(rule `B506`\); Semgrep OSS 1\.95\.0 \(rule `python\.lang\.security\.deserialization\.avoid-pyyaml-load\.avoid-pyyaml-load`\)/);
});

test('the repository page lists every tool and rule id of a merged finding', async () => {
  const ws = await setUpWorkspace(h, 'seven-page', multiScannerFiles);
  await Promise.all(multiScannerUploads().map(({ category, run }) =>
    h.upload({ repository: 'seven-page/app', commit: ws.commit, branch: 'main', ...(category ? { category } : {}) }, sarifOf([run]), auth(ws))));
  await h.host.app.queue.idle();
  const page = await h.invoke<{ items: { path?: string; line?: number; tools: string[]; rules?: { tool: string; ruleId: string }[] }[] }>('listFindings', {}, ws.repoContext);
  assert.ok(page.ok, JSON.stringify(page.error));
  const evalRow = page.data?.items.find((item) => item.path === 'web/app.js' && item.line === 5);
  assert.deepEqual(evalRow?.tools, ['CodeQL', 'ESLint', 'Semgrep OSS']);
  assert.deepEqual(evalRow?.rules?.map((r) => r.ruleId).sort(), [
    'javascript.browser.security.eval-detected.eval-detected', 'js/code-injection', 'no-eval', 'security/detect-eval-with-expression', 'sonarjs/code-eval',
  ]);
});

test('a later scan of analysis X that lacks a finding fixes it and closes its PR; analysis Y\'s findings stay', async () => {
  const { ws } = await sevenUploads('later');
  const repository = new FindingsRepository(h.host.app.deps.db);
  const before = await repository.listAll(ws.repoUuid);
  const yaml = before.find((f) => f.location?.path === 'tools/load.py');
  assert.ok(yaml?.pullRequest, 'the yaml.load finding has a fix PR');
  const others = before.filter((f) => f.id !== yaml.id);

  // A later commit fixes tools/load.py by hand; Bandit (analysis bandit|lang:python) scans it and reports nothing there.
  const later = await pushCommit(h, 'later', { 'tools/load.py': 'import yaml\n\n\ndef load(text):\n    return yaml.safe_load(text)\n' });
  const bandit = multiScannerUploads().find((u) => u.name === 'Bandit')!;
  const empty = { ...bandit.run, results: [] };
  const reply = await h.upload({ repository: 'later/app', commit: later, branch: 'main' }, sarifOf([empty]), auth(ws));
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();

  const after = await repository.listAll(ws.repoUuid);
  assert.equal(after.find((f) => f.id === yaml.id)?.status, 'fixed');
  const pr = h.host.emulator.state.repositories.find((r) => r.workspace === 'later')?.pullRequests.find((p) => p.id === yaml.pullRequest?.id);
  assert.equal(pr?.state, 'DECLINED');
  // Every other analysis's findings are as they were: another analysis said nothing about them.
  for (const other of others) {
    const now = after.find((f) => f.id === other.id);
    assert.deepEqual([now?.status, now?.verdict, now?.pullRequest?.state], [other.status, other.verdict, other.pullRequest?.state], `${other.ruleId} at ${other.location?.path}`);
  }
});

test('a category is checked: empty, too long or with control characters is a 400 naming it', async () => {
  const ws = await setUpWorkspace(h, 'category-bad', multiScannerFiles);
  const sarif = sarifOf([multiScannerUploads()[0]!.run]);
  for (const category of ['   ', 'x'.repeat(201), 'bad\u202ename']) {
    const reply = await h.upload({ repository: 'category-bad/app', commit: ws.commit, category }, sarif, auth(ws));
    assert.equal(reply.status, 400);
    assert.match(reply.json.error.message, /category/);
  }
});
