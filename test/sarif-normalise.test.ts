/** Inline SARIF cases, one per ingestion rule. Expected values are written out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../src/domain/errors';
import { normaliseLog, parseSarif, type NormalisedLog } from '../src/domain/sarif';

type Obj = Record<string, unknown>;
const sarif = (runs: Obj[]): string => JSON.stringify({ version: '2.1.0', runs });
const run = (results: Obj[], extra: Obj = {}, driver: Obj = {}): Obj => ({ tool: { driver: { name: 'Tool', ...driver } }, results, ...extra });
const ingest = (runs: Obj[], maxResults?: number): NormalisedLog => normaliseLog(parseSarif(sarif(runs)), maxResults === undefined ? {} : { maxResults });
const at = (uri: unknown, startLine = 3, extra: Obj = {}): Obj[] => [
  { physicalLocation: { artifactLocation: typeof uri === 'string' ? { uri } : uri, region: { startLine, ...extra } } },
];
const result = (extra: Obj = {}): Obj => ({ ruleId: 'r1', message: { text: 'm' }, locations: at('src/a.js'), ...extra });
const only = (runs: Obj[]) => {
  const out = ingest(runs);
  assert.equal(out.findings.length, 1);
  return out.findings[0]!;
};

function assertInvalid(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, 'invalid_sarif');
    assert.match(error.message, message);
    return true;
  });
}

test('ruleIndex / rule.index resolve into tool.extensions via rule.toolComponent.index', () => {
  const extensions = [{ name: 'pack', rules: [{ id: 'x/other' }, { id: 'x/sqli', name: 'x/sqli', properties: { name: 'SQL injection', tags: ['external/cwe/cwe-089'] } }] }];
  const finding = only([{ tool: { driver: { name: 'CodeQL', semanticVersion: '2.9.2', version: '9' }, extensions }, results: [{ rule: { index: 1, toolComponent: { index: 0 } }, message: { text: 'm' } }] }]);
  assert.equal(finding.ruleId, 'x/sqli');
  assert.equal(finding.ruleName, 'SQL injection');
  assert.deepEqual(finding.cwes, ['CWE-89']);
  assert.deepEqual(finding.tools, [{ name: 'CodeQL', version: '2.9.2' }]);
});

test('a result with no rule is skipped; skipped indexes count across runs', () => {
  const out = ingest([run([result(), result({ ruleId: 'r2' })]), run([{ message: { text: 'no rule' } }, { ruleIndex: 4, message: { text: 'bad index' } }], {}, { name: 'Other', rules: [{ id: 'z' }] })]);
  // One entry per reason: the first index, how many, and (when not consecutive) a few examples.
  assert.equal(out.skipped.length, 1);
  assert.deepEqual({ ...out.skipped[0]!, reason: '' }, { index: 2, count: 2, reason: '' });
  assert.match(out.skipped[0]!.reason, /no rule/);
  assert.deepEqual(out.counts, { results: 4, findings: 2, merged: 0, skipped: 2 });
  assert.deepEqual(out.tools, [{ name: 'Tool' }, { name: 'Other' }]);
  assert.equal(only([run([{ ruleIndex: 0, message: { text: 'm' } }], {}, { rules: [{ id: 'from-index' }] })]).ruleId, 'from-index');
});

test('messages: placeholders from arguments, embedded links, messageStrings, escaped brackets', () => {
  const rules = [{ id: 'r1', messageStrings: { tpl: { text: 'Value {0} flows to {1}; {{literal}} and {5}.' } } }];
  const one = (message: Obj) => only([run([result({ message })], {}, { rules })]).message;
  assert.equal(one({ id: 'tpl', arguments: ['[user input](1)', 'eval'] }), 'Value user input flows to eval; {literal} and {5}.');
  assert.equal(one({ text: 'Depends on [a user-provided value](2) \\[sic\\], see [docs](https://x.test).' }), 'Depends on a user-provided value [sic], see [docs](https://x.test).');
  assert.equal(one({ markdown: '  from markdown  ' }), 'from markdown');
  assert.equal(one({ text: 'keeps {0} without arguments' }), 'keeps {0} without arguments');
});

test('paths: %SRCROOT%, ./, percent-encoding, artifacts index, base chains, missing region', () => {
  const path = (location: Obj[], extra: Obj = {}) => only([run([result({ locations: location })], extra)]).location;
  assert.deepEqual(path(at({ uri: './src/a.js', uriBaseId: '%SRCROOT%' }, 7, { startColumn: 2, endLine: 8, endColumn: 4 })), { path: 'src/a.js', startLine: 7, startColumn: 2, endLine: 8, endColumn: 4 });
  assert.equal(path(at('src/my%20file%2Bx.js'))?.path, 'src/my file+x.js');
  assert.equal(path(at('src\\win\\b.js'))?.path, 'src/win/b.js');
  assert.equal(path(at('src/x/../b.js'))?.path, 'src/b.js');
  assert.equal(path(at({ index: 1 }), { artifacts: [{ location: { uri: 'no.js' } }, { location: { uri: 'lib/c.py', uriBaseId: 'SRCROOT' } }] })?.path, 'lib/c.py');
  assert.equal(path(at({ uri: 'a.js', uriBaseId: 'SUB' }), { originalUriBaseIds: { SRCROOT: { uri: 'file:///w/repo/' }, SUB: { uri: 'pkg/', uriBaseId: 'SRCROOT' } } })?.path, 'pkg/a.js');
  assert.deepEqual(path([{ physicalLocation: { artifactLocation: { uri: 'whole.txt' } } }]), { path: 'whole.txt', startLine: 1 });
});

test('paths: absolute URIs are kept only when a checkout root matches', () => {
  const bases = { originalUriBaseIds: { SRCROOT: { uri: 'file:///home/runner/work/app/app/' } } };
  const path = (uri: string, extra: Obj = bases) => only([run([result({ locations: at(uri) })], extra)]).location?.path;
  assert.equal(path('file:///home/runner/work/app/app/src/a.ts'), 'src/a.ts');
  assert.equal(path('/home/runner/work/app/app/src/b.ts'), 'src/b.ts');
  assert.equal(path('file:///C:/w/repo/src/c.cs', { originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///c:/w/repo/' } } }), 'src/c.cs');
  assert.equal(path('/w/repo/d.go', { invocations: [{ workingDirectory: { uri: 'file:///w/repo' } }] }), 'd.go');
  assert.equal(path('/etc/passwd'), undefined);
  assert.equal(path('file:///home/runner/work/app/other/a.ts'), undefined);
});

test('paths: escaping, foreign schemes, hosts and non-URIs give no location', () => {
  for (const uri of ['../outside.js', 'src/../../x.js', '%2E%2E/x.js', 'https://example.com/a.js', 'http:a.js', 'file://evil.host/a.js', '//server/share/a.js', 'not a valid URI', 'src/', 'bad%zz.js']) {
    const out = ingest([run([result({ locations: at(uri) })])]);
    assert.equal(out.findings.length, 1, uri);
    assert.equal(out.findings[0]!.location, undefined, uri);
  }
  const escaped = ingest([run([result({ locations: at({ uri: '../../x.js', uriBaseId: 'SUB' }) })], { originalUriBaseIds: { SUB: { uri: 'a/' } } })]);
  assert.equal(escaped.findings[0]!.location, undefined);
});

test('paths: container images and logical-only locations give no location', () => {
  assert.equal(only([run([result({ ruleId: 'CVE-2023-1234', locations: at('library/alpine') })])]).location, undefined);
  assert.equal(only([run([result({ ruleId: 'ANCHOREVULN_CVE-2019-18276_dpkg_bash', locations: at('Dockerfile') })])]).location, undefined);
  assert.equal(only([run([result({ locations: [{ logicalLocations: [{ fullyQualifiedName: 'pkg.Mod' }] }] })])]).location, undefined);
  // A CVE in a lock file of the repository keeps its place; so does a non-CVE rule on a Dockerfile.
  assert.equal(only([run([result({ ruleId: 'CVE-2023-1234', locations: at('app/package-lock.json') })])]).location?.path, 'app/package-lock.json');
  assert.equal(only([run([result({ ruleId: 'DS002', locations: at('Dockerfile') })])]).location?.path, 'Dockerfile');
  const image = only([run([result({ locations: at('app/package-lock.json') })], { properties: { imageName: 'app:1' } })]);
  assert.equal(image.location, undefined);
});

test('severity precedence: security-severity, result level, rule level, kind, default', () => {
  const sev = (res: Obj, rule: Obj = {}) => only([run([result(res)], {}, { rules: [{ id: 'r1', ...rule }] })]).severity;
  assert.equal(sev({ level: 'note' }, { properties: { 'security-severity': '9.1' } }), 'critical');
  assert.equal(sev({ level: 'error' }, { properties: { 'security-severity': 4 } }), 'medium');
  assert.equal(sev({}, { properties: { 'security-severity': '7.0' } }), 'high');
  assert.equal(sev({ properties: { 'security-severity': '0.5' } }, { properties: { 'security-severity': '9.8' } }), 'low');
  assert.equal(sev({ level: 'error' }, { properties: { 'security-severity': '0.0' } }), 'high');
  assert.equal(sev({ level: 'warning' }, { defaultConfiguration: { level: 'error' } }), 'medium');
  assert.equal(sev({}, { defaultConfiguration: { level: 'note' } }), 'low');
  assert.equal(sev({ level: 'none' }), 'info');
  assert.equal(sev({ kind: 'informational' }), 'info');
  assert.equal(sev({}), 'medium');
  assert.equal(only([run([result({ properties: { 'security-severity': 'n/a' } })])]).securitySeverity, undefined);
});

test('kind pass / notApplicable results are skipped', () => {
  const out = ingest([run([result({ kind: 'pass' }), result({ kind: 'notApplicable' }), result({ kind: 'fail' })])]);
  assert.deepEqual(out.counts, { results: 3, findings: 1, merged: 0, skipped: 2 });
});

test('CWE ids from tags and cwe fields, normalised to CWE-n', () => {
  const tags = ['external/cwe/cwe-079', 'CWE-79: XSS', 'cwe:352', 'owasp-a03', 'security'];
  const rule = { id: 'r1', properties: { tags, cwe: ['CWE-22', 918], cwes: '0611' }, relationships: [{ target: { id: '1333', toolComponent: { name: 'CWE' } } }] };
  const finding = only([run([result({ properties: { cwe: 'CWE-20' } })], {}, { rules: [rule] })]);
  assert.deepEqual(finding.cwes, ['CWE-20', 'CWE-22', 'CWE-79', 'CWE-352', 'CWE-611', 'CWE-918', 'CWE-1333']);
});

test('rule texts: ruleName, help preference, precision, bounds on help and snippet', () => {
  const rules = [{ id: 'r1', name: 'r1', shortDescription: { text: 'Short' }, help: { text: 'plain', markdown: ' **md** ' }, properties: { precision: 'very-high' } }];
  const finding = only([run([result({ locations: at('a.js', 1, { snippet: { text: 'x'.repeat(5000) } }) })], {}, { rules })]);
  assert.equal(finding.ruleName, 'Short');
  assert.equal(finding.ruleHelp, '**md**');
  assert.equal(finding.precision, 'very-high');
  assert.equal(finding.snippet?.length, 1000);
  const long = only([run([result()], {}, { rules: [{ id: 'r1', fullDescription: { text: 'y'.repeat(9000) } }] })]);
  assert.equal(long.ruleHelp?.length, 4000);
});

test('suppressions are kept as data; rejected ones do not count', () => {
  const out = ingest([run([
    result({ suppressions: [{ kind: 'inSource', justification: 'test fixture' }] }),
    result({ ruleId: 'r2', suppressions: [{ kind: 'external', status: 'rejected' }] }),
  ])]);
  assert.deepEqual(out.findings.map((f) => f.suppression), [{ kind: 'inSource', justification: 'test fixture' }, undefined]);
});

test('fingerprints: snippet-based ones survive a line shift; line-based ones do not', () => {
  const fp = (line: number, snippet?: string, message = 'm') =>
    only([run([result({ message: { text: message }, locations: at('src/a.js', line, snippet ? { snippet: { text: snippet } } : {}) })])]).fingerprint;
  assert.equal(fp(10, 'eval(x)'), fp(42, '  eval(x)\n'));
  assert.notEqual(fp(10, 'eval(x)'), fp(10, 'eval(y)'));
  assert.notEqual(fp(10), fp(11));
  assert.notEqual(fp(10, undefined, 'a'), fp(10, undefined, 'b'));
  const lineHash = (line: number, uri = 'src/a.js') =>
    only([run([result({ locations: at(uri, line), partialFingerprints: { primaryLocationLineHash: 'abc123:1' } })])]).fingerprint;
  assert.equal(lineHash(5), lineHash(50));
  assert.notEqual(lineHash(5), lineHash(5, 'src/b.js'));
});

test('fingerprints: Semgrep "requires login" and constant line hashes are ignored', () => {
  const semgrep = (line: number) => result({ locations: at('app.py', line, { snippet: { text: 'requires login' } }), partialFingerprints: { primaryLocationLineHash: 'requires login' } });
  const out = ingest([run([semgrep(3), semgrep(9)])]);
  assert.equal(out.findings.length, 2);
  assert.equal(out.findings[0]!.snippet, undefined);
  const constant = (line: number) => result({ locations: at('app.py', line), partialFingerprints: { primaryLocationLineHash: 'deadbeef:1' } });
  assert.equal(ingest([run([constant(3), constant(9)])]).findings.length, 2);
  assert.equal(ingest([run([constant(3), constant(3)])]).findings.length, 1);
});

test('identical snippets on different lines stay separate findings; the same line merges', () => {
  const r = (line: number) => result({ locations: at('v.py', line, { snippet: { text: 'cookie()' } }) });
  const out = ingest([run([r(10), r(20), r(10)])]);
  assert.deepEqual(out.counts, { results: 3, findings: 2, merged: 1, skipped: 0 });
});

test('cross-scanner dedupe: same path and line, overlapping CWEs, different tools', () => {
  const tool = (name: string, ruleId: string, tags: string[], line = 7) =>
    run([result({ ruleId, locations: at('src/q.js', line) })], {}, { name, rules: [{ id: ruleId, properties: { tags } }] });
  const out = ingest([tool('CodeQL', 'js/sql-injection', ['external/cwe/cwe-089']), tool('Semgrep', 'sqli', ['CWE-89', 'CWE-943'], 7), tool('Snyk', 'xss', ['CWE-79'])]);
  assert.equal(out.findings.length, 2);
  assert.deepEqual(out.findings[0]!.tools.map((t) => t.name), ['CodeQL', 'Semgrep']);
  assert.deepEqual(out.findings[0]!.cwes, ['CWE-89', 'CWE-943']);
  assert.deepEqual(out.counts, { results: 3, findings: 2, merged: 1, skipped: 0 });
  const sameTool = ingest([run([result({ ruleId: 'a' }), result({ ruleId: 'b' })], {}, { rules: [{ id: 'a', properties: { cwe: 89 } }, { id: 'b', properties: { cwe: 89 } }] })]);
  assert.equal(sameTool.findings.length, 2);
});

test('maxResults: later results are skipped with "result limit reached"', () => {
  const out = ingest([run([result(), result({ ruleId: 'r2' })]), run([result({ ruleId: 'r3' }), result({ ruleId: 'r4' })])], 3);
  assert.deepEqual(out.skipped, [{ index: 3, reason: 'result limit reached', count: 1 }]);
  assert.deepEqual(out.counts, { results: 4, findings: 3, merged: 0, skipped: 1 });
});

test('results beyond the limit make one skipped entry with a count, and are not read', () => {
  const many = Array.from({ length: 500 }, (_, i) => result({ ruleId: `r${i}` }));
  // Past the limit even a malformed result is not validated: it is counted, not rejected.
  const out = ingest([run(many.slice(0, 300)), run([...many.slice(300), { ruleId: 7, locations: 'x' }])], 250);
  assert.deepEqual(out.skipped, [{ index: 250, reason: 'result limit reached', count: 251 }]);
  assert.deepEqual(out.counts, { results: 501, findings: 250, merged: 0, skipped: 251 });
});

test('skipped reasons that recur apart keep a few example indexes', () => {
  const pass = result({ kind: 'pass' });
  const out = ingest([run([pass, result(), pass, result({ ruleId: 'r2' }), pass, pass, pass, pass, pass])]);
  assert.deepEqual(out.skipped, [{ index: 0, reason: 'kind "pass" reports no problem', count: 7, examples: [0, 2, 4, 5, 6] }]);
  assert.equal(out.counts.skipped, 7);
});

test('parseSarif: BOM tolerated, $schema optional, null results accepted', () => {
  const log = parseSarif(`\uFEFF${JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'T' } }, results: null }] })}`);
  assert.deepEqual(normaliseLog(log).counts, { results: 0, findings: 0, merged: 0, skipped: 0 });
});

test('invalid SARIF errors name the JSON path or the JSON position', () => {
  assertInvalid(() => parseSarif(JSON.stringify({ version: '2.0.0', runs: [] })), /^version: expected "2\.1\.0", got "2\.0\.0"/);
  assertInvalid(() => parseSarif(JSON.stringify({ runs: [] })), /^version: expected "2\.1\.0"/);
  assertInvalid(() => parseSarif(JSON.stringify({ version: '2.1.0', runs: {} })), /^runs: expected an array, got an object/);
  assertInvalid(() => parseSarif(sarif([run([{}, {}, 'oops' as unknown as Obj])])), /^runs\[0\]\.results\[2\]: expected an object, got "oops"/);
  assertInvalid(() => parseSarif(sarif([{ tool: { driver: {} } }])), /^runs\[0\]\.tool\.driver\.name: expected a string but it is missing/);
  assertInvalid(() => parseSarif('{"version": "2.1.0",\n  "runs": [}'), /not valid JSON: unexpected character "}" at line 2, column 12 \(offset 32\)/);
  assertInvalid(() => parseSarif('{"version": "2.1.0"'), /unexpected end of input at line 1, column 20/);
  assertInvalid(() => parseSarif(''), /unexpected end of input/);
  assertInvalid(() => ingest([run([result(), result({ locations: 'src/a.js' })])]), /^runs\[0\]\.results\[1\]\.locations: expected an array, got "src\/a\.js"/);
  assertInvalid(() => ingest([run([result({ locations: at('a.js', '3' as unknown as number) })])]), /^runs\[0\]\.results\[0\]\.locations\[0\]\.physicalLocation\.region\.startLine: expected a number/);
  assertInvalid(() => ingest([run([result()], {}, { rules: [{ id: 'r1', properties: { tags: 'x' } }] })]), /^runs\[0\]\.tool\.driver\.rules\[0\]\.properties\.tags: expected an array/);
});

test('a location with a uri but no uriBaseId takes the base of its run.artifacts entry', () => {
  const finding = only([
    run([{ ruleId: 'r1', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.js', index: 0 }, region: { startLine: 2 } } }] }], {
      artifacts: [{ location: { uri: 'a.js', uriBaseId: 'WEB' } }],
      originalUriBaseIds: { SRCROOT: { uri: 'file:///ci/app/' }, WEB: { uri: 'web/', uriBaseId: 'SRCROOT' } },
    }),
  ]);
  assert.equal(finding.location?.path, 'web/a.js');
});

test('fingerprints: one snippet flagged on several lines is told apart by its rank among those lines', () => {
  const log = (lines: [number, string][]) =>
    ingest([run(lines.map(([line, snippet]) => result({ locations: at('src/a.js', line, { snippet: { text: snippet } }) })))]);
  const before = log([[30, 'eval(x)'], [10, 'eval(x)'], [20, 'eval(y)'], [10, 'eval(x)']]);
  assert.equal(before.findings.length, 3, 'the repeat on line 10 folds; lines 10 and 30 stay apart');
  const shifted = log([[15, 'eval(x)'], [25, 'eval(y)'], [35, 'eval(x)']]);
  const byLine = (out: NormalisedLog) => new Map(out.findings.map((f) => [f.location!.startLine, f.fingerprint]));
  const [a, b] = [byLine(before), byLine(shifted)];
  assert.equal(a.get(10), b.get(15), 'first eval(x) keeps its fingerprint after a shift');
  assert.equal(a.get(30), b.get(35), 'second eval(x) too');
  assert.equal(a.get(20), b.get(25));
  assert.notEqual(a.get(10), a.get(30));
});
