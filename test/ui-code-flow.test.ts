/**
 * A finding's code flow and related locations reach the repository page's detail (and only the
 * detail): real CodeQL output uploaded through the web trigger, each step linked to the file at
 * the scanned commit, and a long flow shortened around an "omitted" marker.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeqlPythonDemoFiles, codeqlPythonDemoSarif } from './support/codeql-python-demo';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';

let h: Harness;
let ws: Workspace;


interface Step { path?: string; line?: number; message?: string; fileUrl?: string; omitted?: number }
interface Detail { id: string; ruleId: string; path?: string; codeFlow?: Step[]; relatedLocations?: Step[] }

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'code-flow-ws', codeqlPythonDemoFiles);
});
after(async () => h.close());

async function upload(sarif: string): Promise<void> {
  const response = await h.upload({ repository: 'code-flow-ws/app', commit: ws.commit, branch: 'main' }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(response.status, 202, JSON.stringify(response.json));
  await h.host.app.queue.idle();
}

test('CodeQL\'s code flow arrives in the finding detail, source to sink, each step linked at the scanned commit', async () => {
  await upload(await codeqlPythonDemoSarif());
  const list = await h.invoke<{ items: { id: string; ruleId: string; line?: number }[] }>('listFindings', { filter: { path: 'server/routes.py' } }, ws.repoContext);
  // The fixture reports two SQL injections; this one's sink is line 16.
  const row = list.data?.items.find((item) => item.ruleId === 'py/sql-injection' && item.line === 16);
  assert.ok(row, 'the SQL injection finding is listed');
  assert.ok(!JSON.stringify(list.data).includes('codeFlow'), 'list rows never carry code flows');

  const detail = await h.invoke<Detail>('getFinding', { id: row.id }, ws.repoContext);
  const flow = detail.data?.codeFlow ?? [];
  assert.equal(flow.length, 7);
  assert.deepEqual(flow.map((step) => step.line), [2, 2, 10, 10, 10, 10, 16]);
  assert.equal(flow[0]?.message, 'ControlFlowNode for ImportMember');
  const fileAt = `${h.url}/bitbucket/code-flow-ws/app/src/${ws.commit}/server/routes.py`;
  assert.deepEqual(flow.map((step) => step.fileUrl), flow.map((step) => `${fileAt}#lines-${step.line}`));
  assert.deepEqual(detail.data?.relatedLocations, [{ path: 'server/routes.py', line: 2, message: 'user-provided value', fileUrl: `${fileAt}#lines-2` }]);
});

test('a flow longer than the stored bound keeps its ends around a marker that says how many steps were left out', async () => {
  const step = (line: number) => ({
    location: { physicalLocation: { artifactLocation: { uri: 'server/routes.py' }, region: { startLine: line } }, message: { text: `step ${line}` } },
  });
  const sarif = {
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'CodeQL', rules: [{ id: 'py/long-flow', properties: { 'security-severity': '8.0' } }] } },
      results: [{
        ruleId: 'py/long-flow',
        message: { text: 'A long flow' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'server/routes.py' }, region: { startLine: 16 } } }],
        codeFlows: [{ threadFlows: [{ locations: Array.from({ length: 60 }, (_, i) => step(i + 1)) }] }],
      }],
    }],
  };
  await upload(JSON.stringify(sarif));
  const list = await h.invoke<{ items: { id: string; ruleId: string }[] }>('listFindings', {}, ws.repoContext);
  const row = list.data?.items.find((item) => item.ruleId === 'py/long-flow');
  assert.ok(row);
  const flow = (await h.invoke<Detail>('getFinding', { id: row.id }, ws.repoContext)).data?.codeFlow ?? [];
  const markers = flow.filter((s) => s.omitted !== undefined);
  assert.equal(markers.length, 1, 'one marker');
  const kept = flow.filter((s) => s.omitted === undefined);
  assert.equal(kept.length + (markers[0]?.omitted ?? 0), 60, 'kept steps and the omitted count add up to the whole flow');
  assert.equal(kept[0]?.message, 'step 1', 'the source is kept');
  assert.equal(kept.at(-1)?.message, 'step 60', 'the sink is kept');
  assert.deepEqual(Object.keys(markers[0] ?? {}), ['omitted'], 'the marker carries only the count');
});
