/**
 * Resolver keys the pages added for issue 8: revoking the upload token (admins only), undoing a
 * dismissal, filtered counts and sorting, and cursor paging over 10,000 findings.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../src/domain/finding';
import { severities } from '../src/domain/finding';
import { FindingsRepository } from '../src/storage/findings-repository';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let ws: Workspace;
let big: Workspace;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'ui-res-ws', vulnerablePython);
  big = await setUpWorkspace(h, 'ui-big-ws', { 'README.md': 'many findings\n' });
});
after(async () => h.close());

test('revokeUploadToken is refused to non-admins and, for an admin, stops uploads at once', async () => {
  const asMember = { accountId: ws.memberAccountId, workspaceId: ws.workspaceId };
  const refused = await h.invoke('revokeUploadToken', {}, asMember);
  assert.equal(refused.ok, false);
  assert.equal(refused.error?.code, 'not_admin');
  const anonymous = await h.invoke('revokeUploadToken', {}, { workspaceId: ws.workspaceId });
  assert.equal(anonymous.error?.code, 'not_admin');

  const before = await h.invoke<{ hasUploadToken: boolean; uploadTokenSetAt?: string }>('getSettings', {}, ws.adminContext);
  assert.equal(before.data?.hasUploadToken, true);
  assert.ok(before.data?.uploadTokenSetAt, 'when the token was issued is shown');

  const revoked = await h.invoke<{ revoked: boolean }>('revokeUploadToken', {}, ws.adminContext);
  assert.deepEqual(revoked, { ok: true, data: { revoked: true } });
  const settings = await h.invoke<{ hasUploadToken: boolean; uploadTokenSetAt?: string }>('getSettings', {}, ws.adminContext);
  assert.equal(settings.data?.hasUploadToken, false);
  assert.equal(settings.data?.uploadTokenSetAt, undefined);
  const upload = await h.upload({ repository: 'ui-res-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 401, 'the revoked token no longer uploads');

  const rotated = await h.invoke<{ token: string }>('rotateUploadToken', {}, ws.adminContext);
  ws.uploadToken = rotated.data?.token ?? '';
  const accepted = await h.upload({ repository: 'ui-res-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.ok(accepted.status < 300, `a new token uploads again (${accepted.status})`);
  await h.host.app.queue.idle();
});

test('a dismissal can be undone: the finding gets its triaged state back and the next scan re-triages it', async () => {
  const list = await h.invoke<{ items: { id: string }[] }>('listFindings', {}, ws.repoContext);
  const id = list.data?.items[0]?.id ?? '';
  assert.ok(id);
  const notDismissed = await h.invoke('undoDismissal', { id }, ws.repoContext);
  assert.equal(notDismissed.error?.code, 'conflict');
  const before = await h.invoke<{ status: string; verdict: string; confidence: number }>('getFinding', { id }, ws.repoContext);
  await h.invoke('dismissFinding', { id, verdict: 'false_positive', reason: 'test data only' }, ws.repoContext);
  const undone = await h.invoke<{ status: string; verdict: string; confidence: number }>('undoDismissal', { id }, ws.repoContext);
  assert.equal(undone.ok, true);
  assert.equal(undone.data?.status, before.data?.status);
  assert.equal(undone.data?.verdict, before.data?.verdict, 'the verdict before the dismissal, not a guess');
  assert.equal(undone.data?.confidence, before.data?.confidence);

  await h.upload({ repository: 'ui-res-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  await h.host.app.queue.idle();
  const after = await h.invoke<{ status: string; verdict: string; justification: string; fileUrl?: string }>('getFinding', { id }, ws.repoContext);
  assert.equal(after.data?.fileUrl, `${h.url}/bitbucket/ui-res-ws/app/src/${ws.commit}/loader.py#lines-5`, 'the file at the scanned commit');
  assert.notEqual(after.data?.status, 'dismissed', 'the forgotten dismissal is not re-applied');
  assert.equal(after.data?.verdict, 'true_positive', 're-triaged by the scan');
  assert.doesNotMatch(after.data?.justification ?? '', /Dismissed by a person/);
  const missing = await h.invoke('undoDismissal', { id: 'nope' }, ws.repoContext);
  assert.equal(missing.error?.code, 'not_found');
});

function syntheticFinding(i: number, repoUuid: string, workspaceId: string): Finding {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  return {
    id: `f${String(i).padStart(6, '0')}`,
    workspaceId,
    repoUuid,
    fingerprint: `fp-${i}`,
    ruleId: `rule.${i % 40}`,
    tools: [{ name: i % 3 === 0 ? 'CodeQL' : 'Semgrep OSS' }],
    severity: severities[i % severities.length] ?? 'info',
    cwes: ['CWE-89'],
    message: `Finding number ${i}: user input reaches a SQL query without parameters.`,
    location: { path: `src/module${i % 97}/file${i}.py`, startLine: (i % 500) + 1 },
    commit: 'a'.repeat(40),
    status: i % 5 === 0 ? 'dismissed' : 'open',
    verdict: i % 4 === 0 ? 'false_positive' : 'true_positive',
    confidence: i % 101,
    justification: 'Synthetic finding for the paging test.',
    factors: [{ id: 'severity', weight: 10, detail: 'High severity rule.' }],
    firstSeenScanId: 'scan-1',
    lastSeenScanId: 'scan-1',
    createdAt: at,
    updatedAt: at,
  };
}

test('10,000 findings: pages stay far under 5 MB, page by cursor without repeats, in every sort, with filtered counts', async () => {
  const db = h.host.app.deps.db;
  const repository = new FindingsRepository(db);
  const total = 10_000;
  await db.execute('BEGIN');
  for (let i = 0; i < total; i++) await repository.insert(syntheticFinding(i, big.repoUuid, big.workspaceId));
  await db.execute('COMMIT');

  type Page = { items: { id: string; severity: string; confidence: number; path?: string }[]; nextCursor?: string; counts: { total: number }; filteredCounts: { total: number; byStatus: Record<string, number> } };
  const first = await h.invoke<Page>('listFindings', { limit: 200 }, big.repoContext);
  assert.equal(first.ok, true);
  assert.equal(first.data?.counts.total, total);
  assert.equal(first.data?.items.length, 200);
  const bytes = Buffer.byteLength(JSON.stringify(first));
  assert.ok(bytes < 500_000, `a 200-item page is ${bytes} bytes, well under Forge's 5 MB`);

  // Walk every page of the open findings by cursor: no repeats, none missing, counts follow the filter.
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await h.invoke<Page>('listFindings', { filter: { status: 'open' }, limit: 200, ...(cursor ? { cursor } : {}) }, big.repoContext);
    assert.equal(page.ok, true, JSON.stringify(page.error));
    assert.equal(page.data?.counts.total, total, 'counts stay repository-wide');
    assert.equal(page.data?.filteredCounts.total, 8000);
    assert.deepEqual(Object.keys(page.data?.filteredCounts.byStatus ?? {}), ['open']);
    for (const item of page.data?.items ?? []) {
      assert.ok(!seen.has(item.id), `no repeats: ${item.id}`);
      seen.add(item.id);
    }
    cursor = page.data?.nextCursor;
    pages++;
  } while (cursor);
  assert.equal(seen.size, 8000);
  assert.equal(pages, 40);

  for (const sort of ['confidence', 'path', 'newest'] as const) {
    const ids = new Set<string>();
    const values: (number | string)[] = [];
    let next: string | undefined;
    for (let n = 0; n < 3; n++) {
      const page = await h.invoke<Page>('listFindings', { sort, limit: 100, ...(next ? { cursor: next } : {}) }, big.repoContext);
      assert.equal(page.ok, true, `${sort}: ${JSON.stringify(page.error)}`);
      for (const item of page.data?.items ?? []) {
        assert.ok(!ids.has(item.id), `${sort}: no repeats`);
        ids.add(item.id);
        values.push(sort === 'confidence' ? item.confidence : sort === 'path' ? item.path ?? '' : item.id);
      }
      next = page.data?.nextCursor;
    }
    assert.equal(ids.size, 300, sort);
    for (let i = 1; i < values.length; i++) {
      const [a, b] = [values[i - 1], values[i]] as [number | string, number | string];
      if (sort === 'confidence') assert.ok(a >= b, `confidence descends: ${a} then ${b}`);
      if (sort === 'path') assert.ok(String(a) <= String(b), `path ascends: ${a} then ${b}`);
      if (sort === 'newest') assert.ok(String(a) > String(b), `newest first: ${a} then ${b}`);
    }
    // A cursor from one sort is refused by another rather than silently skipping rows.
    if (next && sort !== 'newest') {
      const mixed = await h.invoke('listFindings', { sort: 'newest', cursor: next }, big.repoContext);
      assert.equal(mixed.error?.code, 'bad_request');
    }
  }

  const request = Buffer.byteLength(JSON.stringify({ functionKey: 'listFindings', payload: { filter: { status: 'open', path: 'src/' }, cursor, limit: 200 } }));
  assert.ok(request < 500_000, 'requests stay far under 500 KB');
  const filtered = await h.invoke<Page>('listFindings', { filter: { tool: 'CodeQL', path: 'module7/' } }, big.repoContext);
  assert.ok((filtered.data?.items.length ?? 0) > 0);
  assert.ok((filtered.data?.filteredCounts.total ?? 0) < total);
});

test('path and tool filters take underscores and percent signs literally', async () => {
  const db = h.host.app.deps.db;
  const repository = new FindingsRepository(db);
  const base = syntheticFinding(20_001, ws.repoUuid, ws.workspaceId);
  await repository.insert({ ...base, id: 'lit1', fingerprint: 'lit-1', tools: [{ name: 'my_tool' }], location: { path: 'tests/test_config_loader.py', startLine: 1 } });
  await repository.insert({ ...base, id: 'lit2', fingerprint: 'lit-2', tools: [{ name: 'myXtool' }], location: { path: 'tests/testXconfigXloader.py', startLine: 1 } });
  const byPath = await h.invoke<{ items: { id: string }[] }>('listFindings', { filter: { path: 'test_config' } }, ws.repoContext);
  assert.deepEqual(byPath.data?.items.map((item) => item.id), ['lit1']);
  const byTool = await h.invoke<{ items: { id: string }[] }>('listFindings', { filter: { tool: 'my_tool' } }, ws.repoContext);
  assert.deepEqual(byTool.data?.items.map((item) => item.id), ['lit1']);
  const percent = await h.invoke<{ items: { id: string }[] }>('listFindings', { filter: { path: '%' } }, ws.repoContext);
  assert.deepEqual(percent.data?.items, []);
});
