/** Related locations and code flows: read from real CodeQL output, bounded, resolved like primary locations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError } from '../src/domain/errors';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { MAX_CODE_FLOW_STEPS, MAX_STEP_MESSAGE_CHARS } from '../src/domain/sarif/steps';

const fixture = (name: string) => normaliseLog(parseSarif(readFileSync(join(import.meta.dirname, 'fixtures/sarif', name), 'utf8')));
type Obj = Record<string, unknown>;
const ingest = (results: Obj[], run: Obj = {}) => normaliseLog(parseSarif(JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'CodeQL' } }, results, ...run }] })));
const place = (uri: string, line: number, text?: string): Obj => ({
  physicalLocation: { artifactLocation: { uri }, region: { startLine: line } },
  ...(text === undefined ? {} : { message: { text } }),
});
const flow = (steps: Obj[]): Obj[] => [{ threadFlows: [{ locations: steps.map((location) => ({ location })) }] }];
const result = (extra: Obj): Obj => ({ ruleId: 'js/sql-injection', message: { text: 'm' }, locations: [place('src/db.js', 9)], ...extra });

test('CodeQL Python: the SQL injection flow runs from the request import to the query, with its related source', () => {
  const finding = fixture('codeql-python_demo-python_advanced-security.sarif').findings.find((f) => f.location?.startLine === 16)!;
  assert.equal(finding.ruleId, 'py/sql-injection');
  assert.deepEqual(finding.codeFlow?.map((s) => [s.location?.path, s.location?.startLine, s.message]), [
    ['server/routes.py', 2, 'ControlFlowNode for ImportMember'],
    ['server/routes.py', 2, 'ControlFlowNode for request'],
    ['server/routes.py', 10, 'ControlFlowNode for request'],
    ['server/routes.py', 10, 'ControlFlowNode for Attribute'],
    ['server/routes.py', 10, 'ControlFlowNode for Attribute()'],
    ['server/routes.py', 10, 'ControlFlowNode for name'],
    ['server/routes.py', 16, 'ControlFlowNode for BinaryExpr'],
  ]);
  assert.deepEqual(finding.relatedLocations, [{ location: { path: 'server/routes.py', startLine: 2, startColumn: 19, endColumn: 26 }, message: 'user-provided value' }]);
  // The message's [user-provided value](1) link was resolved to its text.
  assert.equal(finding.message, 'This SQL query depends on a user-provided value.');
});

test('CodeQL JavaScript (juice-shop): flows across files end at the sink; related locations carry their messages', () => {
  const out = fixture('codeql-js-2.9.2_juice-shop_rajbos.sarif');
  const chatbot = out.findings.find((f) => f.ruleId === 'js/ml-powered/sql-injection' && f.location?.path === 'routes/chatbot.ts' && f.location.startLine === 58)!;
  assert.equal(chatbot.codeFlow?.length, 21);
  assert.deepEqual(chatbot.codeFlow?.[0]?.location, { path: 'lib/utils.ts', startLine: 214, startColumn: 19, endColumn: 40 });
  assert.deepEqual(chatbot.codeFlow?.at(-1)?.location, chatbot.location, 'the last step is the sink');
  const redos = out.findings.find((f) => f.ruleId === 'js/polynomial-redos' && f.location?.path === 'routes/profileImageUrlUpload.ts')!;
  assert.deepEqual(redos.relatedLocations?.map((r) => [r.location?.startLine, r.message]), [[19, 'regular expression'], [18, 'a user-provided value']]);
  assert.equal(out.findings.filter((f) => f.codeFlow).length, 107);
  for (const finding of out.findings) {
    assert.ok((finding.codeFlow?.length ?? 0) <= MAX_CODE_FLOW_STEPS);
    for (const step of [...(finding.codeFlow ?? []), ...(finding.relatedLocations ?? [])]) {
      assert.ok(step.location === undefined || !step.location.path.startsWith('/'));
      assert.ok((step.message ?? '').length <= MAX_STEP_MESSAGE_CHARS);
    }
  }
});

test('stored findings stay small: a slice of 200 juice-shop findings is well under Forge SQL’s 1 MiB request', () => {
  const out = fixture('codeql-js-2.9.2_juice-shop_rajbos.sarif');
  const sizes = out.findings.map((f) => Buffer.byteLength(JSON.stringify(f)));
  assert.ok(Math.max(...sizes) < 16_000, `largest finding ${Math.max(...sizes)} bytes`);
  for (let i = 0; i < sizes.length; i += 200) {
    const slice = sizes.slice(i, i + 200).reduce((a, b) => a + b, 0);
    assert.ok(slice < 800_000, `slice ${i / 200}: ${slice} bytes`);
  }
});

test('a long flow keeps its first and last steps around a marker counting the steps left out', () => {
  const steps = Array.from({ length: 50 }, (_, i) => place('src/db.js', i + 1, `step ${i}`));
  const finding = ingest([result({ codeFlows: flow(steps) })]).findings[0]!;
  assert.equal(finding.codeFlow?.length, MAX_CODE_FLOW_STEPS);
  assert.deepEqual(finding.codeFlow?.slice(0, 2).map((s) => s.message), ['step 0', 'step 1']);
  assert.deepEqual(finding.codeFlow?.[14], { omitted: 21 });
  assert.deepEqual(finding.codeFlow?.slice(-2).map((s) => s.message), ['step 48', 'step 49']);
  assert.equal(finding.codeFlow?.filter((s) => s.message).length, 29);
});

test('related locations are bounded to ten with a marker; messages are resolved and bounded', () => {
  const related = Array.from({ length: 13 }, (_, i) => ({ ...place('src/db.js', i + 1), id: i, message: { text: 'see [this](1) and {0}', arguments: [`arg${i}`] } }));
  const long = place('src/db.js', 2, 'x'.repeat(1000));
  const finding = ingest([result({ relatedLocations: related, codeFlows: flow([long]) })]).findings[0]!;
  assert.equal(finding.relatedLocations?.length, 11);
  assert.equal(finding.relatedLocations?.[0]?.message, 'see this and arg0');
  assert.deepEqual(finding.relatedLocations?.[10], { omitted: 3 });
  assert.equal(finding.codeFlow?.[0]?.message?.length, MAX_STEP_MESSAGE_CHARS);
  assert.ok(finding.codeFlow?.[0]?.message?.endsWith('…'));
});

test('step paths follow the primary location rules: escaping and foreign URIs have no location, bases resolve', () => {
  const steps = [place('../../etc/passwd', 1, 'escapes'), place('https://example.com/a.js', 2, 'remote'), { physicalLocation: { artifactLocation: { uri: 'lib/x.js', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } }, message: { text: 'ok' } }];
  const finding = ingest([result({ codeFlows: flow(steps) })]).findings[0]!;
  assert.deepEqual(finding.codeFlow, [{ message: 'escapes' }, { message: 'remote' }, { location: { path: 'lib/x.js', startLine: 3 }, message: 'ok' }]);
  // A run that scanned an image: no step is a repository file.
  const image = ingest([result({ codeFlows: flow([place('usr/lib/x.so', 1, 'in the image')]) })], { properties: { imageName: 'alpine:3.7' } }).findings[0]!;
  assert.deepEqual(image.codeFlow, [{ message: 'in the image' }]);
});

test('a step with a wrongly typed field is an error naming its JSON path; steps left out are not read', () => {
  const bad = { physicalLocation: 'x' };
  assert.throws(() => ingest([result({ codeFlows: flow([place('a.js', 1), bad]) })]), (error: unknown) => {
    assert.ok(isAppError(error) && error.code === 'invalid_sarif');
    assert.equal(error.message, 'runs[0].results[0].codeFlows[0].threadFlows[0].locations[1].location.physicalLocation: expected an object, got "x"');
    return true;
  });
  assert.throws(() => ingest([result({ relatedLocations: [place('a.js', 1), { message: { text: 5 } }] })]), /runs\[0\]\.results\[0\]\.relatedLocations\[1\]\.message\.text: expected a string, got the number 5/);
  const steps = Array.from({ length: 40 }, (_, i) => (i === 20 ? bad : place('a.js', i + 1)));
  assert.equal(ingest([result({ codeFlows: flow(steps) })]).findings[0]!.codeFlow?.length, MAX_CODE_FLOW_STEPS);
});
