/**
 * The demo end to end in one process: emulator seeded through its admin routes, settings saved
 * through resolvers, the bundled SARIF uploaded through the web trigger, the queue consumer
 * triaging, fixing with tree-sitter codemods, committing through POST /src and opening PRs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './support/harness';
import { DEMO_SERVICE_ACCOUNT } from '../src/local/demo-seed';

let h: Harness;
const logLines: string[] = [];
const write = process.stdout.write.bind(process.stdout);

before(async () => {
  // Capture the host's structured log lines to prove no secret reaches them.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    logLines.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  h = await startHarness({ seedDemo: true });
});
after(async () => {
  process.stdout.write = write;
  await h.close();
});

const repo = () => h.host.emulator.state.repositories.find((r) => r.slug === 'vulnerable-app');

test('the demo scan is processed and opens pull requests through POST /src', async () => {
  const demo = h.host.demo;
  assert.equal(demo?.seeded, true);
  assert.equal(demo?.scan?.status, 'done');
  assert.equal((demo?.scan?.counts as { results: number }).results, 8);
  const prs = repo()?.pullRequests ?? [];
  assert.ok(prs.length >= 1, 'at least one PR');
  const requests = await h.admin<{ method: string; path: string; status: number }[]>('/requests');
  assert.ok(requests.some((r) => r.method === 'POST' && /\/src$/.test(r.path.split('?')[0] ?? '') && r.status === 201), 'a commit went through POST /src');
  assert.ok(requests.some((r) => r.method === 'POST' && /\/pullrequests$/.test(r.path.split('?')[0] ?? '') && r.status === 201), 'a PR was created');
});

test('the YAML pull request carries context, fix, justification and confidence, and the branch holds the fix', async () => {
  const pr = repo()?.pullRequests.find((p) => p.sourceBranch === 'remediate/pyyaml-safe-load');
  assert.ok(pr, 'PR for pyyaml-safe-load');
  assert.match(pr.title, /yaml/i);
  assert.match(pr.description, /app\/config_loader\.py:10/);
  assert.match(pr.description, /app\/config_loader\.py:14/);
  assert.match(pr.description, /True positive, confidence \d+\/100/);
  assert.match(pr.description, /Semgrep OSS/);
  assert.match(pr.description, /CWE-502/);
  assert.doesNotMatch(pr.description, /tests\/test_config_loader\.py/, 'test code is not fixed');
  const response = await fetch(`${h.url}/bitbucket/2.0/repositories/acme/vulnerable-app/src/${pr.sourceCommit}/app/config_loader.py`, {
    headers: { Authorization: `Basic ${Buffer.from(`${DEMO_SERVICE_ACCOUNT.email}:${DEMO_SERVICE_ACCOUNT.token}`).toString('base64')}` },
  });
  const fixed = await response.text();
  assert.equal(response.status, 200);
  assert.match(fixed, /return yaml\.safe_load\(handle\)/);
  assert.match(fixed, /return yaml\.safe_load\(text\)/);
  assert.doesNotMatch(fixed, /yaml\.load\(/);
  assert.match(fixed, /# Configuration files may be uploaded by tenants\./, 'comments kept');
});

test('verdicts: test code is won\'t fix, usedforsecurity=False is a false positive', async () => {
  const rows = await h.host.app.deps.db.query<{ path: string; line: number; verdict: string; status: string }>(
    'SELECT path, line, verdict, status FROM findings WHERE repo_uuid = ? ORDER BY path, line',
    [repo()?.uuid ?? ''],
  );
  const at = (path: string) => rows.find((row) => row.path === path);
  assert.equal(at('tests/test_config_loader.py')?.verdict, 'wont_fix');
  assert.equal(at('app/cache.py')?.verdict, 'false_positive');
  assert.equal(at('app/config_loader.py')?.verdict, 'true_positive');
  assert.equal(at('app/config_loader.py')?.status, 'fix_proposed');
});

test('no secret appears in logs, PR text or stored settings', async () => {
  const secrets = [DEMO_SERVICE_ACCOUNT.token];
  const prText = JSON.stringify(repo()?.pullRequests ?? []);
  const settings = JSON.stringify(await h.host.app.deps.db.query('SELECT * FROM kv'));
  for (const secret of secrets) {
    assert.ok(!logLines.join('').includes(secret), 'not in logs');
    assert.ok(!prText.includes(secret), 'not in PR text');
    assert.ok(!settings.includes(secret), 'not in plain settings');
  }
  assert.ok(logLines.length > 0, 'the host did log');
});

test("the demo's non-admin dana-dev has read access: her view lists findings and refuses a dismissal", async () => {
  const dana = h.host.demo?.memberAccountId ?? '';
  const workspaceId = h.host.emulator.state.workspaces.find((ws) => ws.slug === 'acme')?.uuid;
  const context = { accountId: dana, workspaceId, extension: { repository: { uuid: repo()?.uuid } } };
  const listed = await h.invoke<{ items: { id: string }[] }>('listFindings', {}, context);
  assert.equal(listed.ok, true, JSON.stringify(listed.error));
  const id = listed.data?.items[0]?.id ?? '';
  const dismissed = await h.invoke('dismissFinding', { id, verdict: 'false_positive', reason: 'not reachable from outside' }, context);
  assert.equal(dismissed.error?.code, 'forbidden');
  assert.match(dismissed.error?.message ?? '', /write access/);
});
