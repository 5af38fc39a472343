/**
 * Real scanner output (read-only fixtures, see SOURCES.md there). Expected values were read from the
 * fixture files by hand or are computed here from the raw JSON, never from the code under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalisedFinding } from '../src/domain/finding';
import { normaliseLog, parseSarif, type NormalisedLog } from '../src/domain/sarif';

// Copies of the real scanner outputs in the team's shared fixtures (provenance in SOURCES.md there).
const FIXTURES = process.env['SARIF_FIXTURES_DIR'] ?? join(import.meta.dirname, 'fixtures', 'sarif');
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.sarif')).sort();

type RawResult = {
  ruleId?: string;
  partialFingerprints?: Record<string, string>;
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
};
type RawLog = { runs: { results?: RawResult[] | null; tool: { driver: { rules?: { id: string; shortDescription?: { text?: string } }[] } } }[] };

const raw = (file: string): RawLog => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as RawLog;
const ingest = (file: string): NormalisedLog => normaliseLog(parseSarif(readFileSync(join(FIXTURES, file), 'utf8')));
const at = (out: NormalisedLog, ruleId: string, path: string, line: number): NormalisedFinding[] =>
  out.findings.filter((f) => f.ruleId === ruleId && f.location?.path === path && f.location.startLine === line);

test('the fixture folder holds the twelve known files', () => {
  assert.equal(files.length, 12);
});

for (const file of files) {
  test(`${file}: parses, normalises, and accounts for every result`, () => {
    const expected = raw(file).runs.reduce((sum, run) => sum + (run.results?.length ?? 0), 0);
    const out = ingest(file);
    assert.equal(out.counts.results, expected);
    assert.equal(out.counts.results, out.counts.findings + out.counts.merged + out.counts.skipped);
    assert.equal(out.counts.findings, out.findings.length);
    assert.equal(out.counts.skipped, out.skipped.reduce((sum, entry) => sum + entry.count, 0));
    for (const finding of out.findings) {
      assert.match(finding.fingerprint, /^[0-9a-f]{32}$/);
      if (finding.location) {
        assert.ok(!finding.location.path.startsWith('/') && !finding.location.path.split('/').includes('..'), finding.location.path);
        assert.ok(finding.location.startLine >= 1);
      }
    }
  });
}

test('CodeQL juice-shop: extension rule, %SRCROOT% path, CWE tags, security-severity and links', () => {
  const out = ingest('codeql-js-2.9.2_juice-shop_rajbos.sarif');
  const [login] = at(out, 'js/sql-injection', 'routes/login.ts', 35);
  assert.ok(login);
  assert.equal(login.location?.startColumn, 28);
  assert.equal(login.location?.endColumn, 170);
  assert.deepEqual(login.cwes, ['CWE-89', 'CWE-90', 'CWE-943']);
  assert.equal(login.securitySeverity, 8.8);
  assert.equal(login.severity, 'high');
  assert.equal(login.precision, 'high');
  assert.equal(login.ruleName, 'Database query built from user-controlled sources');
  assert.deepEqual(login.tools, [{ name: 'CodeQL', version: '2.9.2' }]);
  assert.equal(login.message, 'This query depends on a user-provided value.\nThis query depends on a user-provided value.');
  assert.deepEqual(out.tools, [{ name: 'CodeQL', version: '2.9.2' }]);
});

test('CodeQL juice-shop: one finding per distinct (rule, file, primaryLocationLineHash)', () => {
  const keys = new Set<string>();
  for (const r of raw('codeql-js-2.9.2_juice-shop_rajbos.sarif').runs[0]?.results ?? []) {
    keys.add(`${r.ruleId}|${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri}|${r.partialFingerprints?.['primaryLocationLineHash']}`);
  }
  const out = ingest('codeql-js-2.9.2_juice-shop_rajbos.sarif');
  assert.equal(out.findings.length, keys.size);
  assert.equal(out.counts.merged, 422 - keys.size);
});

test('CodeQL AltoroJ: rule.toolComponent.index 20 resolves java/xss in codeql/java-queries', () => {
  const out = ingest('codeql-java_altoroj_jrocia.sarif');
  const [xss] = at(out, 'java/xss', 'src/com/ibm/security/appscan/altoromutual/servlet/SurveyServlet.java', 101);
  assert.ok(xss);
  assert.equal(xss.ruleName, 'Cross-site scripting');
  assert.deepEqual(xss.cwes, ['CWE-79']);
  assert.equal(xss.severity, 'medium'); // security-severity 6.1
});

test('Semgrep pygoat: CWE from "CWE-614: …" tags, level from the rule, identical lines stay apart', () => {
  const out = ingest('semgrep_pygoat_leftrightleft.sarif');
  const rule = 'python.django.security.audit.secure-cookies.django-secure-set-cookie';
  for (const line of [143, 218, 232, 246]) assert.equal(at(out, rule, 'pygoat/introduction/views.py', line).length, 1, `line ${line}`);
  const [cookie] = at(out, rule, 'pygoat/introduction/views.py', 218);
  assert.deepEqual(cookie?.cwes, ['CWE-614']);
  assert.equal(cookie?.severity, 'medium'); // defaultConfiguration.level warning, no result level
  assert.equal(cookie?.snippet?.trim().startsWith("response.set_cookie('userid'"), true);
  const [sqli] = at(out, 'python.django.security.injection.tainted-sql-string.tainted-sql-string', 'pygoat/introduction/views.py', 90);
  assert.deepEqual(sqli?.cwes, ['CWE-89']);
  assert.equal(sqli?.severity, 'high'); // level error
  // Results 36 and 37 are the same match reported twice (same rule, line, snippet): one finding.
  assert.equal(at(out, 'python.lang.security.use-defused-xml.use-defused-xml', 'pygoat/introduction/views.py', 16).length, 1);
  // Two Semgrep rules naming one weakness on one place are one finding listing both (issue 12):
  // pickle (146), yaml.load (467) and subprocess with shell=True (356–360).
  const [shell] = out.findings.filter((f) => f.location?.path === 'pygoat/introduction/views.py' && f.location.startLine === 356);
  assert.deepEqual(shell?.reports?.map((r) => r.ruleId.split('.').pop()).sort(), ['dangerous-subprocess-use', 'subprocess-shell-true']);
  // Seven snippets are longer than 1,000 characters: cut, and counted.
  assert.deepEqual(out.counts, { results: 46, findings: 42, merged: 4, skipped: 0, trimmed: 7 });
});

test('Semgrep snapshot: snippet kept, precision from the rule', () => {
  const [finding] = ingest('semgrep-snapshot_dataflow-traces_semgrep-tests.sarif').findings;
  assert.equal(finding?.location?.path, 'targets/taint/taint.py');
  assert.equal(finding?.location?.startLine, 9);
  assert.equal(finding?.snippet, '    sink1(b)');
  assert.equal(finding?.precision, 'very-high');
});

test('Snyk Code: severity from the result level; text preferred over the markdown template', () => {
  const out = ingest('snyk-code_nodejs-goof_didik-snyk.sarif');
  const [nosqli] = at(out, 'javascript/NoSqli', 'routes/index.js', 39);
  assert.equal(nosqli?.severity, 'high'); // level error
  assert.deepEqual(nosqli?.cwes, ['CWE-943']);
  const [cookie] = at(out, 'javascript/WebCookieSecureDisabledByDefault', 'app.js', 45);
  assert.equal(cookie?.severity, 'low'); // level note
  const [rate] = at(out, 'javascript/NoRateLimitingForExpensiveWebOperation', 'routes/index.js', 67);
  assert.ok(rate?.message.startsWith('This endpoint handler performs a file system operation and does not'));
  assert.deepEqual(at(out, 'javascript/NoHardcodedPasswords', 'mongoose-db.js', 52)[0]?.cwes, ['CWE-259', 'CWE-798']);
});

test('Checkmarx: security-severity outranks the level', () => {
  const out = ingest('checkmarx_webgoat_pedrompflopes.sarif');
  const path = 'webgoat-lessons/sql-injection/src/main/java/org/owasp/webgoat/sql_injection/introduction/SqlInjectionLesson5a.java';
  const [sqli] = at(out, '14517067005933136034 (sast)', path, 53);
  assert.equal(sqli?.severity, 'critical'); // 9.5, level error
  assert.equal(sqli?.ruleName, 'SQL Injection');
  const [heap] = at(out, '8423996506624030647 (sast)', 'webgoat-lessons/xxe/src/main/java/org/owasp/webgoat/xxe/User.java', 31);
  assert.equal(heap?.severity, 'medium'); // 6.5, level note
  const [apt] = at(out, '7384dfb2-fcd1-4fbf-91cd-6c44c318c33c [Taken from query_id] (kics)', 'webgoat-server/Dockerfile', 5);
  assert.equal(apt?.severity, 'low'); // 3.5
});

test('Trivy image scan: no finding gets a repository path', () => {
  const out = ingest('trivy_trivy-sarif-demo_debug-results.sarif');
  assert.equal(out.findings.length, 124);
  assert.ok(out.findings.every((f) => f.location === undefined));
  assert.ok(out.findings.some((f) => f.ruleId === 'CVE-2019-11358/jquery')); // reported at node-app/package-lock.json inside the image
});

test('Anchore: image findings have no path, external suppressions are kept, rules resolved by id', () => {
  const log = raw('anchore_trivy-sarif-demo_results.sarif');
  const out = ingest('anchore_trivy-sarif-demo_results.sarif');
  assert.equal(out.findings.length, 429);
  assert.ok(out.findings.every((f) => f.location === undefined));
  assert.ok(out.findings.every((f) => f.suppression?.kind === 'external'));
  // Every Anchore result says ruleIndex 0; the rule must be found by its id instead.
  const rules = log.runs[0]?.tool.driver.rules ?? [];
  const sixth = log.runs[0]?.results?.[5];
  const expectedName = rules.find((r) => r.id === sixth?.ruleId)?.shortDescription?.text;
  assert.ok(expectedName?.startsWith('CVE-2017-12451'));
  assert.equal(out.findings.find((f) => f.ruleId === sixth?.ruleId)?.ruleName, expectedName);
});

test('codeql-action with-invalid-uri: "not a valid URI" yields no path', () => {
  const out = ingest('codeql-action-testdata_with-invalid-uri.sarif');
  assert.equal(out.findings.length, 1);
  assert.equal(out.findings[0]?.location, undefined);
  assert.equal(out.findings[0]?.message, 'Unused variable foo.');
});

test('codeql-action fingerprinting-input: artifactLocation.index into run.artifacts', () => {
  const out = ingest('codeql-action-testdata_fingerprinting-input.sarif');
  assert.deepEqual(
    out.findings.map((f) => f.location),
    [
      { path: 'testFile1.js', startLine: 1, startColumn: 1, endColumn: 10 },
      { path: 'testFile2.js', startLine: 2 },
    ],
  );
});
