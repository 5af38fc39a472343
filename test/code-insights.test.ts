/**
 * Code Insights: after a scan, the emulator holds a SECURITY report on the scanned commit with
 * annotations (most severe first, ≤ 100 per POST, ≤ 1,000 in all, linking the fix PR), and a
 * refused report leaves the scan done with a note.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../src/domain/finding';
import { FindingsRepository } from '../src/storage/findings-repository';
import { ScansRepository } from '../src/storage/scans-repository';
import { REPORT_ID } from '../src/services/insights/report-content';
import { DEMO_SERVICE_ACCOUNT } from '../src/local/demo-seed';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { serviceAccount, setUpWorkspace, startHarness, type Harness } from './support/harness';
import { sarifLog, type SimpleResult } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness({ seedDemo: true });
});
after(async () => h.close());

type Annotation = { external_id: string; severity: string; path?: string; line?: number; link?: string; summary: string; details?: string };
type RequestLog = { method: string; path: string; status: number }[];

/** `workspace/slug`'s report on a commit, as the emulator stores it. */
const reportOf = (fullName: string, commit: string) =>
  h.host.emulator.state.repositories.find((r) => `${r.workspace}/${r.slug}` === fullName)?.reports[commit]?.[REPORT_ID];
const annotationsOf = (fullName: string, commit: string) => (reportOf(fullName, commit)?.annotations ?? []) as unknown as Annotation[];
const rank = (severity: string) => ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].indexOf(severity);
const findingsOf = async (repoUuid: string): Promise<Finding[]> => new FindingsRepository(h.host.app.deps.db).listAll(repoUuid);

test('the demo scan puts a SECURITY report with annotations on the scanned commit, linking fix PRs', async () => {
  const scan = h.host.demo?.scan;
  assert.ok(scan, 'the demo ran a scan');
  const stored = await new ScansRepository(h.host.app.deps.db).get(scan.scanId);
  assert.ok(stored);
  assert.equal(stored.status, 'done');
  assert.equal(stored.error, undefined, 'no Code Insights note');

  const report = reportOf('acme/vulnerable-app', stored.commit)?.report as Record<string, unknown> | undefined;
  assert.ok(report, 'report on the scanned commit');
  assert.equal(report.report_type, 'SECURITY');
  assert.equal(report.reporter, 'Remediate');
  assert.equal(report.link, `${h.url}/repository/acme/vulnerable-app`);
  assert.ok(['PASSED', 'FAILED'].includes(String(report.result)));
  const data = report.data as { title: string; value: unknown }[];
  assert.ok(data.length <= 10);

  const findings = await findingsOf(stored.repoUuid);
  const expected = findings.filter((f) => ['true_positive', 'suspicious'].includes(f.verdict) && ['open', 'fix_proposed'].includes(f.status));
  const annotations = annotationsOf('acme/vulnerable-app', stored.commit);
  assert.equal(annotations.length, expected.length);
  assert.ok(annotations.length >= 2, 'the demo has findings to review');
  assert.ok(!annotations.some((a) => a.path === 'app/cache.py'), 'false positives are not annotated');
  assert.ok(!annotations.some((a) => a.path?.startsWith('tests/')), "won't-fix test code is not annotated");
  for (let i = 1; i < annotations.length; i += 1) {
    assert.ok(rank(annotations[i - 1]?.severity ?? '') <= rank(annotations[i]?.severity ?? ''), 'most severe first');
  }
  const high = data.find((d) => d.title === 'High')?.value;
  assert.equal(high, expected.filter((f) => f.severity === 'high').length);
  // Every finding with an open fix PR links to it; the YAML fix is one of them.
  const withPr = expected.filter((f) => f.pullRequest?.state === 'OPEN');
  assert.ok(withPr.length >= 1);
  for (const finding of withPr) {
    const annotation = annotations.find((a) => a.external_id === `${REPORT_ID}-${finding.fingerprint}`);
    assert.equal(annotation?.link, finding.pullRequest?.url);
    assert.equal(annotation?.path, finding.location?.path);
    assert.equal(annotation?.line, finding.location?.startLine);
    assert.match(annotation?.details ?? '', new RegExp(`pull request #${finding.pullRequest?.id}`));
  }
  assert.ok(annotations.some((a) => a.path === 'app/config_loader.py' && a.line === 10));
  assert.ok(!JSON.stringify(reportOf('acme/vulnerable-app', stored.commit)).includes(DEMO_SERVICE_ACCOUNT.token), 'no secret in the report');
  // The emulator's commit page shows the report as Bitbucket would, annotations linking the PRs.
  const page = await (await fetch(`${h.url}/bitbucket/acme/vulnerable-app/commits/${stored.commit}`)).text();
  assert.match(page, /Remediate security findings/);
  assert.ok(page.includes(`href="${withPr[0]?.pullRequest?.url}"`), 'an annotation links its fix PR');
});

test('1,200 findings give 1,000 annotations in POSTs of at most 100, the most severe kept', async () => {
  const ws = await setUpWorkspace(h, 'insights-ws', { 'README.md': '# many findings\n' });
  await h.invoke('saveSettings', { ...pick(serviceAccount('insights-ws')), policy: { autoPullRequests: false } }, ws.adminContext);
  // 1,200 distinct results: 150 errors (high) and 1,050 warnings (medium), in files that are not tests.
  const results: SimpleResult[] = Array.from({ length: 1200 }, (_, i) => ({
    ruleId: `custom.security.rule-${i % 7}`,
    path: `src/module_${i % 40}.py`,
    line: 10 + i,
    level: i % 8 === 0 ? 'error' : 'warning',
    message: `Untrusted input reaches a dangerous call number ${i}`,
    tags: ['security', 'CWE-78'],
  }));
  await h.admin('/requests', undefined, 'DELETE');
  const upload = await h.upload({ repository: 'insights-ws/app', commit: ws.commit }, sarifLog(results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();

  const findings = await findingsOf(ws.repoUuid);
  const annotatable = findings.filter((f) => ['true_positive', 'suspicious'].includes(f.verdict) && ['open', 'fix_proposed'].includes(f.status));
  assert.ok(annotatable.length > 1000, `needs more than 1,000 findings to review, got ${annotatable.length}`);
  const annotations = annotationsOf('insights-ws/app', ws.commit);
  assert.equal(annotations.length, 1000);
  // The cut drops the least severe: every high finding to review is annotated.
  const highs = annotatable.filter((f) => f.severity === 'high' || f.severity === 'critical');
  const annotated = new Set(annotations.map((a) => a.external_id));
  assert.ok(highs.length > 0);
  for (const finding of highs) assert.ok(annotated.has(`${REPORT_ID}-${finding.fingerprint}`));
  for (let i = 1; i < annotations.length; i += 1) {
    assert.ok(rank(annotations[i - 1]?.severity ?? '') <= rank(annotations[i]?.severity ?? ''), 'most severe first');
  }
  assert.ok(annotations.every((a) => a.summary.length <= 450));

  const requests = await h.admin<RequestLog>('/requests');
  const posts = requests.filter((r) => r.method === 'POST' && r.path.includes(`/reports/${REPORT_ID}/annotations`));
  assert.equal(posts.length, 10, 'ten batches of 100');
  assert.ok(posts.every((r) => r.status === 200));
  const put = requests.findIndex((r) => r.method === 'PUT' && r.path.includes(`/reports/${REPORT_ID}`));
  assert.ok(put >= 0 && put < requests.indexOf(posts[0] as RequestLog[number]), 'the report is put before its annotations');
  const report = reportOf('insights-ws/app', ws.commit)?.report as Record<string, unknown>;
  assert.equal(report.result, annotatable.some((f) => f.verdict === 'true_positive' && f.severity === 'high') ? 'FAILED' : 'PASSED');
  assert.match(String(report.details), /1,?000 most severe/);
});

test('with codeInsights off no report is put', async () => {
  const ws = await setUpWorkspace(h, 'quiet-ws', { 'README.md': '# quiet\n' });
  await h.invoke('saveSettings', { ...pick(serviceAccount('quiet-ws')), policy: { autoPullRequests: false, codeInsights: false } }, ws.adminContext);
  const upload = await h.upload(
    { repository: 'quiet-ws/app', commit: ws.commit },
    sarifLog([{ ruleId: 'custom.rule', path: 'src/a.py', line: 3 }]),
    { Authorization: `Bearer ${ws.uploadToken}` },
  );
  assert.equal(upload.status, 202);
  await h.host.app.queue.idle();
  const scan = await new ScansRepository(h.host.app.deps.db).get(upload.json.scanId);
  assert.equal(scan?.status, 'done');
  assert.equal(reportOf('quiet-ws/app', ws.commit), undefined);
});

test('a refused Code Insights report leaves the scan done, with a note and no secret', async () => {
  const ws = await setUpWorkspace(h, 'refused-ws', { 'README.md': '# refused\n' });
  await h.invoke('saveSettings', { ...pick(serviceAccount('refused-ws')), policy: { autoPullRequests: false } }, ws.adminContext);
  await h.admin('/faults', { rate5xx: 1, match: `reports/${REPORT_ID}`, count: 20 });
  try {
    const upload = await h.upload(
      { repository: 'refused-ws/app', commit: ws.commit },
      sarifLog([{ ruleId: 'custom.rule', path: 'src/a.py', line: 3 }]),
      { Authorization: `Bearer ${ws.uploadToken}` },
    );
    assert.equal(upload.status, 202);
    await h.host.app.queue.idle();
    const scan = await new ScansRepository(h.host.app.deps.db).get(upload.json.scanId);
    assert.equal(scan?.status, 'done');
    assert.match(scan?.error ?? '', /Code Insights report was not published/);
    assert.ok(!(scan?.error ?? '').includes(serviceAccount('refused-ws').token));
  } finally {
    await h.admin('/faults', undefined, 'DELETE');
  }
});

function pick(account: { username: string; email: string; token: string }) {
  return { username: account.username, email: account.email, apiToken: account.token };
}

test('a second scan of the same commit replaces the report: a finding dismissed since loses its annotation', async () => {
  const ws = await setUpWorkspace(h, 'rescan-ws', { 'README.md': '# rescan\n' });
  await h.invoke('saveSettings', { ...pick(serviceAccount('rescan-ws')), policy: { autoPullRequests: false } }, ws.adminContext);
  const sarif = sarifLog([1, 2, 3].map((i) => ({ ruleId: `custom.security.rule-${i}`, path: `src/m${i}.py`, line: 10 * i, tags: ['security'] })));
  const send = async () => {
    const upload = await h.upload({ repository: 'rescan-ws/app', commit: ws.commit }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
    assert.equal(upload.status, 202, JSON.stringify(upload.json));
    await h.host.app.queue.idle();
  };
  await send();
  const before = annotationsOf('rescan-ws/app', ws.commit);
  assert.ok(before.length >= 1, 'something to review');
  const target = (await findingsOf(ws.repoUuid)).find((f) => before.some((a) => a.external_id === `${REPORT_ID}-${f.fingerprint}`));
  assert.ok(target);
  const dismissed = await h.invoke('dismissFinding', { id: target.id, verdict: 'false_positive', reason: 'input is a constant' }, ws.repoContext);
  assert.equal(dismissed.ok, true, JSON.stringify(dismissed.error));

  await h.admin('/requests', undefined, 'DELETE');
  await send();
  const after = annotationsOf('rescan-ws/app', ws.commit);
  assert.equal(after.length, before.length - 1);
  assert.ok(!after.some((a) => a.external_id === `${REPORT_ID}-${target.fingerprint}`), 'the dismissed finding is no longer annotated');
  const calls = (await h.admin<RequestLog>('/requests')).filter((r) => r.path.includes(`/reports/${REPORT_ID}`)).map((r) => r.method);
  assert.deepEqual(calls, ['DELETE', 'PUT', 'POST']);
});

test('deleteReport removes a report with its annotations, and a missing report is not an error', async () => {
  const service = serviceAccount('rescan-ws');
  const client = createBitbucketClient({ baseUrl: `${h.url}/bitbucket`, fetch: nodeFetch, credentials: { email: service.email, apiToken: service.token } });
  const commit = h.host.emulator.state.repositories.find((r) => r.workspace === 'rescan-ws')?.branches.main ?? '';
  const repo = { workspace: 'rescan-ws', repo: 'app' };
  assert.ok(reportOf('rescan-ws/app', commit));
  await client.deleteReport(repo, commit, REPORT_ID);
  assert.equal(reportOf('rescan-ws/app', commit), undefined);
  await client.deleteReport(repo, commit, REPORT_ID);
});
