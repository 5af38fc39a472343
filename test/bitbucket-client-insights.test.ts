import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import type { CodeInsightsAnnotation } from '../src/bitbucket/types';
import { AppError } from '../src/domain/errors';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const repo = { workspace: 'acme', repo: 'api' };

async function setup(t: TestContext) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'app.js': 'x\n' } });
  const client = createBitbucketClient({ baseUrl: running.baseUrl, fetch: nodeFetch, credentials: { email: BOT.email, apiToken: BOT.token } });
  running.emulator.clearRequestLog();
  return { ...running, client, commit };
}

const annotations = (count: number, prefix = 'remediate-'): CodeInsightsAnnotation[] =>
  Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}${i}`,
    annotationType: 'VULNERABILITY',
    summary: `Finding ${i}`,
    severity: 'HIGH',
    result: 'FAILED',
    path: 'app.js',
    line: i + 1,
  }));

const REPORT = {
  title: 'Remediate',
  details: '3 findings, 1 fix PR',
  reportType: 'SECURITY',
  reporter: 'Remediate',
  result: 'FAILED',
  link: 'https://example.test/r/1',
  data: [{ title: 'Fixed', type: 'NUMBER', value: 1 }],
} as const;

test('putReport sends the report in Bitbucket field names', async (t) => {
  const { client, commit, emulator } = await setup(t);
  await client.putReport(repo, commit, 'remediate-scan-1', { ...REPORT, data: [...REPORT.data] });
  const stored = emulator.repository('acme', 'api')?.reports[commit]?.['remediate-scan-1']?.report;
  assert.equal(stored?.report_type, 'SECURITY');
  assert.equal(stored?.result, 'FAILED');
  assert.equal(stored?.reporter, 'Remediate');
  assert.equal(stored?.details, '3 findings, 1 fix PR');
  assert.deepEqual(stored?.data, [{ title: 'Fixed', type: 'NUMBER', value: 1 }]);
  assert.equal(stored?.reportType, undefined, 'no camelCase leaks through');
});

test('250 annotations go in three POSTs of at most 100', async (t) => {
  const { client, commit, emulator } = await setup(t);
  await client.putReport(repo, commit, 'remediate-scan-1', { ...REPORT, data: [] });
  await client.addAnnotations(repo, commit, 'remediate-scan-1', annotations(250));
  const posts = emulator.requestLog().filter((entry) => entry.method === 'POST' && entry.path.endsWith('/annotations'));
  assert.equal(posts.length, 3);
  assert.ok(posts.every((entry) => entry.status === 200));
  const stored = emulator.repository('acme', 'api')?.reports[commit]?.['remediate-scan-1']?.annotations ?? [];
  assert.equal(stored.length, 250);
  assert.equal(stored[249]?.external_id, 'remediate-249');
  assert.equal(stored[0]?.annotation_type, 'VULNERABILITY');
  assert.equal(stored[0]?.line, 1);
});

test('more than 1,000 annotations are refused before any request', async (t) => {
  const { client, commit, emulator } = await setup(t);
  await assert.rejects(
    client.addAnnotations(repo, commit, 'remediate-scan-1', annotations(1001)),
    (error: unknown) => error instanceof AppError && error.code === 'bad_request',
  );
  assert.equal(emulator.requestLog().length, 0);
  await client.addAnnotations(repo, commit, 'remediate-scan-1', []);
  assert.equal(emulator.requestLog().length, 0, 'an empty list sends nothing');
});

test('the emulator holds Bitbucket to its limits: 100 per POST, 1,000 per report, report first', async (t) => {
  const { client, commit, baseUrl } = await setup(t);
  const auth = `Basic ${Buffer.from(`${BOT.email}:${BOT.token}`).toString('base64')}`;
  const post = (count: number, prefix: string) =>
    fetch(`${baseUrl}/2.0/repositories/acme/api/commit/${commit}/reports/r1/annotations`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(annotations(count, prefix).map((a) => ({ external_id: a.externalId, annotation_type: a.annotationType, summary: a.summary }))),
    });
  assert.equal((await post(1, 'a')).status, 404, 'no report yet');
  await client.putReport(repo, commit, 'r1', { ...REPORT, data: [] });
  assert.equal((await post(101, 'a')).status, 400);
  await client.addAnnotations(repo, commit, 'r1', annotations(1000));
  assert.equal((await post(1, 'remediate-')).status, 200, 'an update of a known external_id still fits');
  assert.equal((await post(1, 'extra-')).status, 400, 'the 1,001st is refused');
});
