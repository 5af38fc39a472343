import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding } from '../src/domain/finding';
import { defused } from '../src/domain/triage/analyzers/defusers';
import { noisyRule } from '../src/domain/triage/analyzers/noisy';
import { pathKind } from '../src/domain/triage/analyzers/path-kind';
import { policyIgnore } from '../src/domain/triage/analyzers/policy-ignore';
import { qualityRule } from '../src/domain/triage/analyzers/quality';
import { agreement, fixAvailable, scannerPrecision, securitySeverity } from '../src/domain/triage/analyzers/scanner-signals';
import { suppression } from '../src/domain/triage/analyzers/suppression';
import type { AnalyzerInput } from '../src/domain/triage/analyzers/types';

const finding: NormalisedFinding = {
  fingerprint: 'fp', ruleId: 'python.lang.security.audit.formatted-sql-query', tools: [{ name: 'Semgrep OSS' }], severity: 'high',
  cwes: ['CWE-89'], message: 'sql', location: { path: 'app/db.py', startLine: 7 },
};
const input = (over: Partial<NormalisedFinding> = {}, code = '', extra: Partial<AnalyzerInput> = {}): AnalyzerInput => ({
  finding: { ...finding, ...over }, code, flagged: code, where: 'app/db.py:7', fixAvailable: false, fixTurnedOff: [], ignoreRules: [], ignoreCwes: [], ...extra,
});

test('suppression: kept with its justification; absent otherwise', () => {
  const hit = suppression(input({ suppression: { kind: 'inSource', justification: 'reviewed' } }));
  assert.equal(hit?.verdict, 'wont_fix');
  assert.match(hit?.justification ?? '', /"reviewed"/);
  assert.equal(suppression(input()), undefined);
});

test('policy ignore: by rule id or CWE (with or without prefix); other rules untouched', () => {
  const byRule = policyIgnore(input({}, '', { ignoreRules: [finding.ruleId] }));
  assert.equal(byRule?.verdict, 'wont_fix');
  assert.match(byRule?.justification ?? '', /^ignored by workspace policy \(rule python\.lang/);
  assert.match(policyIgnore(input({}, '', { ignoreCwes: ['89'] }))?.justification ?? '', /CWE-89/);
  assert.equal(policyIgnore(input({}, '', { ignoreRules: ['other'], ignoreCwes: ['CWE-79'] })), undefined);
});

test('path kind: test, vendored, minified, docs are won\'t fix; application code is not', () => {
  for (const path of ['src/test/java/a/UserTest.java', 'test/api/userApiSpec.ts', 'static/js/libs/ace.js', 'assets/private/three.js',
    'lib/wysihtml5-0.3.0.js', '.mvn/wrapper/MavenWrapperDownloader.java', 'app/static/bootstrap.min.js', 'docs/index.html', 'pkg/lab/test.py']) {
    assert.equal(pathKind(input({ location: { path, startLine: 1 } }))?.verdict, 'wont_fix', path);
  }
  for (const path of ['routes/login.ts', 'src/bootstrap.js', 'app/contest.py', 'src/main/java/Latest.java', 'static/js/app.js']) {
    assert.equal(pathKind(input({ location: { path, startLine: 1 } })), undefined, path);
  }
});

test('quality rules without CWE or security-severity are won\'t fix; a security-tagged one is not', () => {
  assert.equal(qualityRule(input({ ruleId: 'js/unused-local-variable', cwes: [] }))?.verdict, 'wont_fix');
  assert.equal(qualityRule(input({ ruleId: 'js/unused-local-variable', cwes: ['CWE-563'] })), undefined);
  assert.equal(qualityRule(input({ ruleId: 'x (kics)', ruleName: 'Healthcheck Instruction Missing', securitySeverity: 6.5 }))?.verdict, 'wont_fix');
  assert.equal(qualityRule(input({ ruleId: 'x (kics)', ruleName: 'Chown Flag Exists' })), undefined);
});

test('defusers: hashing, YAML, integrity, pickle.dumps, read-only csrf views, findById, placeholders', () => {
  assert.equal(defused(input({ ruleId: 'md5', cwes: ['CWE-327'] }, 'hashlib.md5(b, usedforsecurity=False)'))?.verdict, 'false_positive');
  assert.equal(defused(input({ ruleId: 'md5', cwes: ['CWE-327'] }, 'hashlib.md5(b)')), undefined);
  const yaml = { ruleId: 'avoid-pyyaml-load', cwes: ['CWE-502'] };
  assert.equal(defused(input(yaml, 'yaml.load(s, Loader=yaml.SafeLoader)'))?.verdict, 'false_positive');
  assert.equal(defused(input(yaml, 'yaml.load(s, Loader=yaml.Loader)')), undefined);
  const sri = { ruleId: 'html.security.audit.missing-integrity.missing-integrity', cwes: ['CWE-353'] };
  assert.equal(defused(input(sri, '<script src="https://cdn/x.js" integrity="sha384-abc+/=" crossorigin="anonymous">'))?.verdict, 'false_positive');
  assert.equal(defused(input(sri, '<script src="https://cdn/x.js">')), undefined);
  const pickle = { ruleId: 'python.lang.security.deserialization.pickle.avoid-pickle', cwes: ['CWE-502'] };
  assert.equal(defused(input(pickle, 'data = pickle.dumps(obj)'))?.verdict, 'false_positive');
  assert.equal(defused(input(pickle, 'obj = pickle.loads(data)')), undefined);
  const csrf = { ruleId: 'python.django.security.audit.csrf-exempt.no-csrf-exempt', cwes: ['CWE-352'] };
  assert.equal(defused(input(csrf, '@csrf_exempt\ndef page(request):\n    return render(request, "a.html")'))?.verdict, 'false_positive');
  assert.equal(defused(input(csrf, '@csrf_exempt\ndef page(request):\n    name = request.POST.get("n")')), undefined);
  assert.equal(defused(input(csrf, '@csrf_exempt\ndef page(request):\n    x = 1\n…')), undefined, 'a truncated view proves nothing');
  const nosql = { ruleId: 'javascript/NoSqli', cwes: ['CWE-943'] };
  assert.equal(defused(input({ ...nosql, message: 'Unsanitized input from an HTTP parameter flows into findById, where it is used' }))?.verdict, 'false_positive');
  assert.equal(defused(input({ ...nosql, message: 'Unsanitized input from the HTTP request body flows into find, where it is used' })), undefined);
  const cred = { ruleId: 'js/hardcoded-credentials', cwes: ['CWE-798'] };
  assert.equal(defused(input({ ...cred, message: 'The hard-coded value "username" is used as user name.' }))?.verdict, 'false_positive');
  assert.equal(defused(input({ ...cred, message: 'The hard-coded value "kekse" is used as key.' })), undefined);
});

test('noisy rules give a negative factor; ordinary rules none', () => {
  assert.equal(noisyRule(input({ ruleId: 'security/detect-object-injection' }))?.weight, -20);
  assert.equal(noisyRule(input({ ruleId: 'js/ml-powered/xss' }))?.id, 'noisy-rule');
  assert.equal(noisyRule(input({ ruleId: '842 (sast)', ruleName: 'Heap Inspection' }))?.id, 'noisy-rule');
  assert.equal(noisyRule(input({ ruleId: 'js/xss' })), undefined);
});

test('scanner signals: precision, security-severity, agreement and a verified fix add listed points', () => {
  assert.deepEqual(scannerPrecision(input({ precision: 'high' })).map((f) => f.weight), [22]);
  assert.deepEqual(scannerPrecision(input({ precision: 'unknown' })), []);
  assert.deepEqual(securitySeverity(input({ securitySeverity: 8.8 })).map((f) => f.weight), [10]);
  assert.deepEqual(securitySeverity(input({ securitySeverity: 6.1 })), []);
  assert.deepEqual(agreement(input({ tools: [{ name: 'CodeQL' }, { name: 'Semgrep' }] })).map((f) => f.weight), [15]);
  assert.deepEqual(agreement(input()), []);
  assert.deepEqual(fixAvailable(input({}, '', { fixAvailable: true })).map((f) => f.id), ['fix-available']);
  assert.deepEqual(fixAvailable(input()), []);
});

test('fix-available: a codemod the workspace turned off earns nothing and the factor says it is off', () => {
  const off = fixAvailable(input({}, '', { fixAvailable: false, fixTurnedOff: ['sql-parameterize-python'] }));
  assert.deepEqual(off.map((f) => [f.id, f.weight]), [['fix-turned-off', 0]]);
  assert.match(off[0]?.detail ?? '', /\(sql-parameterize-python\) but the workspace turned it off/);
  // Another codemod still answers: the fix is available and nothing mentions the one that is off.
  const on = fixAvailable(input({}, '', { fixAvailable: true, fixTurnedOff: ['sql-parameterize-python'] }));
  assert.deepEqual(on.map((f) => [f.id, f.weight]), [['fix-available', 10]]);
});
