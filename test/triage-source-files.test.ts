/**
 * Triage reads the code around findings through the real scan job: the holdout apps are pushed to
 * the Bitbucket emulator, their SARIF (CodeQL results carry no snippet) is uploaded through the
 * web trigger, and the queue consumer triages with the files read at the scanned commit. The
 * file cache is shared with the fix step, and it respects the request budget and its read cap.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { SourceFiles, triageReadOrder } from '../src/services/scan/source-files';
import type { NormalisedFinding } from '../src/domain/finding';
import { serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { filesUnder } from '../src/local/files-under';

const holdout = resolve(import.meta.dirname, 'fixtures/triage/holdout');
const sarif = readFileSync(join(holdout, 'holdout.sarif'), 'utf8');

const repoFiles = (): Record<string, string> => filesUnder(join(holdout, 'repo'));

interface Item { id: string; ruleId: string; path: string; line: number; verdict: string; confidence: number; justification: string }

let h: Harness;
let ws: Workspace;
let items: Item[];
let requests: { method: string; path: string }[];

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'srcread', repoFiles());
  await h.admin('/requests', undefined, 'DELETE');
  const reply = await h.upload({ repository: 'srcread/app', commit: ws.commit, branch: 'main' }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  requests = await h.admin('/requests');
  items = [];
  let cursor: string | undefined;
  do {
    const page = await h.invoke<{ items: Item[]; nextCursor?: string }>('listFindings', { ...(cursor ? { cursor } : {}) }, ws.repoContext);
    assert.ok(page.ok, JSON.stringify(page.error));
    items.push(...(page.data?.items ?? []));
    cursor = page.data?.nextCursor ?? undefined;
  } while (cursor);
});
after(async () => h.close());

const find = (ruleId: string, path: string, line: number) => {
  const item = items.find((i) => i.ruleId === ruleId && i.path === path && i.line === line);
  assert.ok(item, `${ruleId} ${path}:${line} in ${items.length} findings`);
  return item;
};

test('findings without a snippet are triaged on the file read at the scanned commit, naming file, line and the deciding code', () => {
  const allowListed = find('js/sql-injection', 'api/src/routes/users.js', 24);
  assert.equal(allowListed.verdict, 'false_positive');
  assert.match(allowListed.justification, /api\/src\/routes\/users\.js:24/);
  assert.match(allowListed.justification, /line 21: `if \(!SORT_FIELDS\.includes\(sort\)\) \{`/);
  const parsed = find('java/xss', 'bank/src/main/java/com/example/bank/web/TransferServlet.java', 22);
  assert.equal(parsed.verdict, 'false_positive');
  assert.match(parsed.justification, /Long\.parseLong/);
  const real = find('js/sql-injection', 'api/src/routes/users.js', 13);
  assert.equal(real.verdict, 'true_positive');
});

test('each file is read from Bitbucket at most once per scan, for triage and fix together', () => {
  const reads = requests.filter((r) => r.method === 'GET' && r.path.includes(`/src/${ws.commit}/`)).map((r) => r.path.split(`/src/${ws.commit}/`)[1]?.split('?')[0]);
  assert.ok(reads.length > 10, `files were read: ${reads.length}`);
  assert.equal(new Set(reads).size, reads.length, `a file was read twice: ${reads.join(', ')}`);
  assert.ok(!reads.some((path) => path?.startsWith('shop/tests/') || path?.includes('/vendor/')), 'paths that decide by themselves are not read');
  const prs = h.host.emulator.state.repositories.find((r) => r.slug === 'app' && r.pullRequests.length > 0)?.pullRequests ?? [];
  assert.ok(prs.length > 0, 'the fix step opened pull requests');
});

test('SourceFiles: a read for triage is reused by the fix step; the cap and the budget fall back to the snippet with a reason', async () => {
  const service = serviceAccount('srcread');
  const client = createBitbucketClient({ baseUrl: `${h.url}/bitbucket`, fetch: nodeFetch, credentials: { email: service.email, apiToken: service.token }, limits: { perMinute: 44 } });
  const repo = { workspace: 'srcread', repo: 'app' };
  const sources = new SourceFiles(client, repo, ws.commit, { triageReadLimit: 2, reservedRequests: 40 });
  const first = await sources.readForTriage('shop/app/db.py');
  assert.ok('content' in first && first.content.includes('def search_products'));
  assert.equal(await sources.read('shop/app/db.py'), 'content' in first ? first.content : '', 'the fix step gets the same content');
  assert.deepEqual(sources.stats, { requests: 1, cacheHits: 1, notRead: 0 });
  const missing = await sources.readForTriage('shop/app/nope.py');
  assert.match('notRead' in missing ? missing.notRead : '', /does not exist/);
  const capped = await sources.readForTriage('shop/app/auth.py');
  assert.match('notRead' in capped ? capped.notRead : '', /limit of 2 files read for triage/);
  // 2 of the 44 requests are spent; 40 are reserved: 2 more would still fit, a tighter budget would not.
  const tight = new SourceFiles(client, repo, ws.commit, { reservedRequests: 42 });
  const kept = await tight.readForTriage('shop/app/auth.py');
  assert.match('notRead' in kept ? kept.notRead : '', /request budget is kept for pull requests/);
  assert.equal(await tight.read('shop/app/auth.py') !== undefined, true, 'the fix step may still read it');
  // Reads for the repository's facts keep the same reserve; a file already read costs nothing.
  assert.equal(tight.affordsFactRead('shop/Dockerfile'), false, 'a fact read may not spend the requests kept for pull requests');
  assert.equal(tight.affordsFactRead('shop/app/auth.py'), true, 'a file already read is free');
  assert.equal(sources.affordsFactRead('shop/Dockerfile'), true, 'with room in the budget a fact file is read');
});

test('the read order puts severe, fixable application code first and skips test and vendored paths', () => {
  const f = (path: string, severity: NormalisedFinding['severity']): NormalisedFinding => ({ fingerprint: path, ruleId: 'r', tools: [{ name: 't' }], severity, cwes: [], message: 'm', location: { path, startLine: 1 } });
  const order = triageReadOrder([f('a.py', 'low'), f('tests/test_a.py', 'critical'), f('b.py', 'high'), f('c.py', 'high'), f('vendor/x.js', 'high')], (x) => x.location?.path === 'c.py');
  assert.deepEqual(order, ['c.py', 'b.py', 'a.py']);
});
