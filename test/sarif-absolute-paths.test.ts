/** Absolute CI paths: kept aside by the normaliser, mapped against the repository's files by the scan job. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapAbsoluteLocations, needsRepositoryTree, normaliseLog, parseSarif, RepositoryTree } from '../src/domain/sarif';

type Obj = Record<string, unknown>;
const resultAt = (uri: string, line: number, extra: Obj = {}): Obj => ({
  ruleId: 'py/sql-injection',
  message: { text: 'This SQL query depends on a user-provided value.' },
  locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line, startColumn: 5, snippet: { text: 'cursor.execute(query)' } } } }],
  ...extra,
});
const ingest = (results: Obj[], tool = 'CodeQL') => normaliseLog(parseSarif(JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: tool } }, results }] })));

const tree = new RepositoryTree(['src/app/db.py', 'src/app/views.py', 'lib/db.py', 'README.md', 'tests/app/views.py']);

test('the longest path suffix that names exactly one file wins; none or several leave no path with the reason', () => {
  const out = tree.mapAll([
    '/home/runner/work/app/app/src/app/db.py',
    '/builds/group/app/lib/db.py',
    'C:/a/app/src/app/views.py',
    '/tmp/other/db.py',
    '/tmp/app/views.py',
    '/tmp/nothing/here.py',
  ]);
  assert.deepEqual(out.get('/home/runner/work/app/app/src/app/db.py'), { path: 'src/app/db.py' });
  assert.deepEqual(out.get('/builds/group/app/lib/db.py'), { path: 'lib/db.py' });
  assert.deepEqual(out.get('C:/a/app/src/app/views.py'), { path: 'src/app/views.py' });
  assert.deepEqual(out.get('/tmp/other/db.py'), { reason: 'ambiguous: 2 files of the repository end with "db.py"' });
  assert.deepEqual(out.get('/tmp/app/views.py'), { reason: 'ambiguous: 2 files of the repository end with "app/views.py"' });
  assert.deepEqual(out.get('/tmp/nothing/here.py'), { reason: 'no file of the repository is named "here.py"' });
});

test('a checkout root learned from one exact match settles a path whose suffix alone is ambiguous', () => {
  const root = '/home/runner/work/app/app';
  const rooted = new RepositoryTree(['db.py', 'lib/db.py', 'src/views.py']);
  const out = rooted.mapAll([`${root}/db.py`, `${root}/src/views.py`]);
  assert.deepEqual(out.get(`${root}/src/views.py`), { path: 'src/views.py' });
  assert.deepEqual(out.get(`${root}/db.py`), { path: 'db.py' }, 'db.py alone matches two files, but the root is known');
});

test('the web trigger keeps absolute locations aside, never as location.path', () => {
  const out = ingest([
    resultAt('/home/runner/work/app/app/src/app/db.py', 12),
    resultAt('file:///home/runner/work/app/app/src/app/db.py', 30, { message: { text: 'Another query.' } }),
    resultAt('src/app/views.py', 4),
  ]);
  assert.equal(out.findings.length, 3);
  const [first, second, relative] = out.findings;
  assert.equal(first!.location, undefined);
  assert.deepEqual({ ...first!.absoluteLocation, occurrence: undefined }, { absolutePath: '/home/runner/work/app/app/src/app/db.py', startLine: 12, startColumn: 5, occurrence: undefined });
  assert.equal(second!.absoluteLocation?.absolutePath, '/home/runner/work/app/app/src/app/db.py');
  assert.notEqual(first!.fingerprint, second!.fingerprint, 'two lines of one absolute file stay two findings');
  assert.equal(relative!.location?.path, 'src/app/views.py');
  assert.equal(needsRepositoryTree(out.findings), true);
  for (const finding of out.findings) assert.ok(!finding.location?.path.startsWith('/'));
});

test('a mapped finding gets the fingerprint the same result with a relative path has', () => {
  const absolute = ingest([resultAt('/home/runner/work/app/app/src/app/db.py', 12), resultAt('/home/runner/work/app/app/src/app/db.py', 40)]);
  const relative = ingest([resultAt('src/app/db.py', 12), resultAt('src/app/db.py', 40)]);
  const mapped = mapAbsoluteLocations(absolute.findings, tree);
  assert.equal(mapped.mapped, 2);
  assert.deepEqual(mapped.findings.map((f) => f.fingerprint), relative.findings.map((f) => f.fingerprint));
  assert.deepEqual(mapped.findings.map((f) => f.location), relative.findings.map((f) => f.location));
  assert.ok(mapped.findings.every((f) => f.absoluteLocation === undefined));
  // Another CI's checkout directory maps to the same findings.
  const gitlab = mapAbsoluteLocations(ingest([resultAt('/builds/group/app/src/app/db.py', 12)]).findings, tree);
  assert.equal(gitlab.findings[0]!.fingerprint, relative.findings[0]!.fingerprint);
});

test('mapped findings fold into a finding another run reported with a relative path; counts say so', () => {
  const log = {
    version: '2.1.0',
    runs: [
      { tool: { driver: { name: 'CodeQL' } }, results: [resultAt('src/app/db.py', 12)] },
      { tool: { driver: { name: 'CodeQL' } }, results: [resultAt('/home/runner/work/app/app/src/app/db.py', 12)] },
    ],
  };
  const out = normaliseLog(parseSarif(JSON.stringify(log)));
  assert.equal(out.findings.length, 2, 'before mapping they cannot be told to be the same');
  const mapped = mapAbsoluteLocations(out.findings, tree);
  assert.equal(mapped.findings.length, 1);
  assert.equal(mapped.merged, 1);
});

test('unmappable paths keep their absolute location with the reason; an unlisted tree is the reason for all', () => {
  const out = ingest([resultAt('/tmp/other/db.py', 3), resultAt('/home/runner/work/app/app/src/app/db.py', 5)]);
  const mapped = mapAbsoluteLocations(out.findings, tree);
  assert.equal(mapped.unmapped, 1);
  const left = mapped.findings.find((f) => !f.location)!;
  assert.match(left.absoluteLocation?.unmapped ?? '', /ambiguous/);
  assert.equal(needsRepositoryTree(mapped.findings), false, 'a recorded reason is final');

  const unlisted = mapAbsoluteLocations(out.findings, 'the repository could not be listed (forbidden)');
  assert.equal(unlisted.mapped, 0);
  assert.ok(unlisted.findings.every((f) => f.absoluteLocation?.unmapped === 'the repository could not be listed (forbidden)'));
});

test('code-flow steps and related locations with absolute paths are mapped too', () => {
  const step = (uri: string, line: number, text: string) => ({ location: { physicalLocation: { artifactLocation: { uri }, region: { startLine: line } }, message: { text } } });
  const out = ingest([
    resultAt('/home/runner/work/app/app/src/app/db.py', 12, {
      codeFlows: [{ threadFlows: [{ locations: [step('/home/runner/work/app/app/src/app/views.py', 3, 'request.args'), step('/home/runner/work/app/app/src/app/db.py', 12, 'query')] }] }],
      relatedLocations: [{ physicalLocation: { artifactLocation: { uri: '/elsewhere/unknown.py' }, region: { startLine: 1 } }, message: { text: 'other' } }],
    }),
  ]);
  const finding = out.findings[0]!;
  assert.equal(finding.codeFlow?.[0]?.absoluteLocation?.absolutePath, '/home/runner/work/app/app/src/app/views.py');
  const mapped = mapAbsoluteLocations(out.findings, tree).findings[0]!;
  assert.deepEqual(mapped.codeFlow?.map((s) => s.location?.path), ['src/app/views.py', 'src/app/db.py']);
  assert.equal(mapped.relatedLocations?.[0]?.location, undefined);
  assert.match(mapped.relatedLocations?.[0]?.absoluteLocation?.unmapped ?? '', /no file of the repository is named "unknown.py"/);
});
