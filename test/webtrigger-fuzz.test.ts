/**
 * Property: whatever SARIF-like body arrives, the web trigger handler answers with a JSON status
 * below 500 and, when it refuses, a code and a message — it never throws or crashes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let ws: Workspace;
before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'fuzz-ws', vulnerablePython);
  // Accepted uploads would queue real work; stop the queue so the property is about the trigger.
  await h.host.app.queue.stop();
});
after(async () => h.close());

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const base = JSON.parse(sarifLog([yamlFinding(), { ...yamlFinding(3), ruleId: 'other-rule' }])) as Json;

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const own = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...own, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (value && typeof value === 'object') return [...own, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return own;
}
const allPaths = paths(base);

function mutate(path: (string | number)[], replacement: Json | undefined): Json {
  const copy = structuredClone(base);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

async function send(body: string) {
  return h.host.app.sarifUpload(
    {
      method: 'POST',
      headers: { authorization: [`Bearer ${ws.uploadToken}`], 'content-type': ['application/sarif+json'] },
      queryParameters: { repository: ['fuzz-ws/app'], commit: [ws.commit] },
      body,
    },
    {},
  );
}

function assertWellFormed(response: { statusCode: number; body: string }) {
  assert.ok(response.statusCode < 500, `status ${response.statusCode}: ${response.body}`);
  const json = JSON.parse(response.body) as { error?: { code?: string; message?: string } };
  if (response.statusCode >= 400) {
    assert.equal(typeof json.error?.code, 'string', response.body);
    assert.ok((json.error?.message ?? '').length > 0, response.body);
  }
}

test('mutated SARIF documents never crash the web trigger', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: allPaths.length - 1 }),
      fc.option(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, { nil: undefined }),
      async (index, replacement) => {
        const path = allPaths[index] ?? [];
        assertWellFormed(await send(JSON.stringify(mutate(path, replacement))));
      },
    ),
    { numRuns: 300, seed: 20261128 },
  );
});

test('truncated and garbled bodies never crash the web trigger', { timeout: 60_000 }, async () => {
  const text = JSON.stringify(base);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: text.length }), fc.string({ maxLength: 20 }), async (cut, junk) => {
      assertWellFormed(await send(text.slice(0, cut) + junk));
    }),
    { numRuns: 200, seed: 20261129 },
  );
});
