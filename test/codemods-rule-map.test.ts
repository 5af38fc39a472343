/**
 * Every rule id in the real SARIF we hold (the corpus apps', the shared fixtures' and the project's own) is
 * classified here: either the codemods that fix the weakness it names (most specific first), or the reason no
 * codemod does. A new rule id in any of those files fails this test until someone decides which it is, and a rule
 * id that names no fixable weakness must reach no codemod (so nothing claims a fix for it by rule id).
 * Only rule ids are read here; no codemod runs on the corpus code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { findCodemods } from '../src/domain/codemods/registry';
import { refusalFor } from '../src/domain/codemods/refusals';
import { sonarKeyFromHelpUri } from '../src/domain/codemods/rule-ids';

const repo = join(import.meta.dirname, '..');
const shared = join(repo, '..', 'shared');
const SARIF_DIRS = [
  join(shared, 'corpus', 'dvna', 'sarif'),
  join(shared, 'corpus', 'nodegoat', 'sarif'),
  join(shared, 'corpus', 'pygoat', 'sarif'),
  join(shared, 'fixtures', 'sarif'),
  join(repo, 'test', 'fixtures', 'sarif'),
  join(repo, 'test', 'fixtures', 'triage', 'holdout'),
  join(repo, 'test', 'fixtures', 'triage', 'holdout-2'),
];

/** Dependency scanners report advisories (CVE ids), and Checkmarx a per-query hash: neither names a code weakness. */
const NOT_CODE_RULES = /trivy|anchore|checkmarx/i;

const FIXED_BY: Record<string, string[]> = {
  B113: ['requests-timeout'],
  B201: ['flask-debug-false'],
  B306: ['tempfile-mktemp'],
  B307: ['eval-literal-eval'],
  B311: ['secure-random-python'],
  B317: ['xxe-python-defusedxml'],
  B319: ['xxe-python-defusedxml'],
  B324: ['weak-hash-sha256'],
  B501: ['requests-verify-true'],
  B506: ['pyyaml-safe-load'],
  B602: ['subprocess-shell-false'],
  B608: ['sql-parameterize-python'],
  B701: ['jinja2-autoescape'],
  'java.lang.security.audit.crypto.use-of-md5.use-of-md5': ['weak-hash-sha256-java'],
  'java.lang.security.audit.crypto.use-of-sha1.use-of-sha1': ['weak-hash-sha256-java'],
  'java.lang.security.audit.crypto.weak-random.weak-random': ['secure-random-java'],
  'java.lang.security.audit.formatted-sql-string.formatted-sql-string': ['sql-parameterize-jdbc'],
  'java/insecure-cookie': ['java-cookie-secure'],
  'java/insecure-randomness': ['secure-random-java'],
  'java/sql-injection': ['sql-parameterize-jdbc'],
  'java/weak-cryptographic-algorithm': ['weak-hash-sha256-java'],
  'javascript.express.security.injection.tainted-sql-string.tainted-sql-string': ['sql-parameterize-node'],
  'javascript.lang.security.detect-child-process.detect-child-process': ['spawn-shell-false', 'node-exec-execfile'],
  'javascript/DisablePoweredBy': ['express-disable-x-powered-by'],
  'javascript/InsecureHash': ['weak-hash-sha256-js'],
  'javascript/NoSqli': ['sql-parameterize-node'],
  'javascript/WebCookieSecureDisabledByDefault': ['express-cookie-flags'],
  'js/code-injection': ['eval-json-parse'],
  'js/command-line-injection': ['spawn-shell-false', 'node-exec-execfile'],
  'js/insecure-randomness': ['math-random-crypto'],
  'js/path-injection': ['js-path-traversal-guard'],
  'js/shell-command-constructed-from-input': ['spawn-shell-false', 'node-exec-execfile'],
  'js/sql-injection': ['sql-parameterize-node'],
  'no-eval': ['eval-json-parse'],
  'no-unsanitized/property': ['dom-text-content'],
  'js/xss': ['dom-text-content'],
  'js/xss-through-dom': ['dom-text-content'],
  'py/path-injection': ['python-path-traversal-guard'],
  'py/sql-injection': ['sql-parameterize-python'],
  'python.django.security.audit.avoid-insecure-deserialization.avoid-insecure-deserialization': ['pyyaml-safe-load'],
  'python.django.security.audit.raw-query.avoid-raw-sql': ['sql-parameterize-python'],
  'python.django.security.audit.secure-cookies.django-secure-set-cookie': ['secure-cookie-python'],
  'python.django.security.injection.path-traversal.path-traversal-join.path-traversal-join': ['python-path-traversal-guard'],
  'python.django.security.injection.tainted-sql-string.tainted-sql-string': ['sql-parameterize-python'],
  'python.flask.security.audit.secure-set-cookie.secure-set-cookie': ['secure-cookie-python'],
  'python.jwt.security.unverified-jwt-decode.unverified-jwt-decode': ['jwt-decode-verify-python'],
  'python.lang.security.audit.formatted-sql-query.formatted-sql-query': ['sql-parameterize-python'],
  'python.lang.security.audit.subprocess-shell-true.subprocess-shell-true': ['subprocess-shell-false'],
  'python.lang.security.dangerous-subprocess-use.dangerous-subprocess-use': ['subprocess-shell-false'],
  'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load': ['pyyaml-safe-load'],
  'python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5': ['weak-hash-sha256'],
  'python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-sha1': ['weak-hash-sha256'],
  'python.lang.security.use-defused-xml.use-defused-xml': ['xxe-python-defusedxml'],
  'security/detect-child-process': ['spawn-shell-false', 'node-exec-execfile'],
  'security/detect-eval-with-expression': ['eval-json-parse'],
  'security/detect-non-literal-fs-filename': ['js-path-traversal-guard'],
  'sonarjs/code-eval': ['eval-json-parse'],
  'sonarjs/insecure-cookie': ['express-cookie-flags'],
  'sonarjs/os-command': ['spawn-shell-false', 'node-exec-execfile'],
  'sonarjs/pseudo-random': ['math-random-crypto'],
  'sonarjs/x-powered-by': ['express-disable-x-powered-by'],
  'sonarjs/xml-parser-xxe': ['libxmljs-noent-false'],
};

/** Rule ids no codemod fixes, and why: these must reach no codemod by rule id. */
const NO_CODEMOD: Record<string, string> = {
  B104: 'binding to all interfaces is a deployment decision',
  B105: 'a hard-coded secret must be moved out of the code and rotated by a person',
  B106: 'a hard-coded secret must be moved out of the code and rotated by a person',
  B108: 'a predictable /tmp path: which file the code means is not known',
  B110: 'try/except/pass is a code-quality finding',
  B301: 'pickle of untrusted data needs a different data format',
  B403: 'an import of pickle, not a use',
  B404: 'an import of subprocess, not a use',
  B406: 'an import of xml.sax; the calls are reported (and fixed) on their own lines',
  B409: 'an import of xml.dom.pulldom; the calls are reported (and fixed) on their own lines',
  B603: 'a subprocess call without a shell: nothing for a shell=False fix to change',
  B605: 'os.system with a string: no codemod yet',
  'dockerfile.security.missing-user.missing-user': 'not code this product rewrites',
  'html.security.audit.missing-integrity.missing-integrity': 'needs the resource hash',
  'java.lang.security.audit.command-injection-formatted-runtime-call.command-injection-formatted-runtime-call': 'no Java command codemod',
  'java/HardcodedPassword': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'java/cleartext-storage-in-cookie': 'what to store instead is a design decision',
  'java/command-line-injection': 'no Java command codemod',
  'java/path-injection': 'no Java path codemod',
  'java/unvalidated-url-redirection': 'needs the list of allowed targets',
  'java/xss': 'needs the output context',
  'javascript/HardcodedNonCryptoSecret': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'javascript/HttpToHttps': 'needs a certificate and a deployment change',
  'javascript/NoHardcodedCredentials': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'javascript/NoHardcodedPasswords': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'javascript/NoHardcodedPasswords/test': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'javascript/NoRateLimitingForExpensiveWebOperation': 'needs a rate-limit policy',
  'javascript/OR': 'needs the list of allowed redirect targets',
  'javascript/UseCsurfForExpress': 'CSRF protection changes every form',
  'js/automatic-semicolon-insertion': 'code quality',
  'js/file-system-race': 'needs a redesign of the file access',
  'js/hardcoded-credentials': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'js/http-to-file-access': 'needs the intended file handling',
  'js/incomplete-sanitization': 'needs the intended escaping',
  'js/incomplete-url-substring-sanitization': 'needs the intended URL check',
  'js/insufficient-password-hash': 'needs a KDF and a migration of stored hashes',
  'js/log-injection': 'needs the intended log format',
  'js/loop-iteration-skipped-due-to-shifting': 'code quality',
  'js/missing-rate-limiting': 'needs a rate-limit policy',
  'js/missing-token-validation': 'CSRF protection changes every form',
  'js/ml-powered/nosql-injection': 'an unconfirmed model guess',
  'js/ml-powered/sql-injection': 'an unconfirmed model guess',
  'js/ml-powered/xss': 'an unconfirmed model guess',
  'js/password-in-configuration-file': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'js/polynomial-redos': 'rewriting a regular expression needs its intended language',
  'js/prototype-polluting-assignment': 'needs the intended key set',
  'js/reflected-xss': 'needs the output context',
  'js/regex-injection': 'needs the intended pattern',
  'js/regex/missing-regexp-anchor': 'needs the intended pattern',
  'js/remote-property-injection': 'needs the intended key set',
  'js/request-forgery': 'needs the list of allowed hosts',
  'js/sensitive-get-query': 'changes the HTTP interface',
  'js/server-crash': 'needs the intended error handling',
  'js/server-side-unvalidated-url-redirection': 'needs the list of allowed redirect targets',
  'js/syntax-error': 'not a weakness',
  'js/template-object-injection': 'needs the intended template data',
  'js/trivial-conditional': 'code quality',
  'js/type-confusion-through-parameter-tampering': 'needs the intended parameter type',
  'js/unreachable-statement': 'code quality',
  'js/unused-local-variable': 'code quality',
  'js/useless-assignment-to-local': 'code quality',
  'js/user-controlled-bypass': 'needs the intended access rule',
  'js/zipslip': 'no archive-extraction codemod',
  'py/full-ssrf': 'needs the list of allowed hosts',
  'py/reflective-xss': 'needs the output context',
  'py/url-redirection': 'needs the list of allowed redirect targets',
  'python.django.security.audit.csrf-exempt.no-csrf-exempt': 'CSRF protection changes the view contract',
  'python.django.security.audit.xss.direct-use-of-httpresponse.direct-use-of-httpresponse': 'needs the output context',
  'python.flask.security.audit.render-template-string.render-template-string': 'needs the template moved to a file',
  'python.lang.security.deserialization.pickle.avoid-pickle': 'pickle of untrusted data needs a different data format',
  'rules.classic': 'a local test rule that names no weakness',
  'security/detect-non-literal-require': 'needs the list of allowed modules',
  'security/detect-object-injection': 'mostly false positives; needs the intended key set',
  'security/detect-possible-timing-attacks': 'a constant-time comparison needs equal-length buffers: not a one-line change',
  'security/detect-unsafe-regex': 'rewriting a regular expression needs its intended language',
  'sonarjs/hardcoded-secret-signatures': 'a hard-coded secret must be moved out of the code and rotated by a person',
  'sonarjs/no-hardcoded-ip': 'configuration, not a weakness with one fix',
  'sonarjs/no-session-cookies-on-static-assets': 'needs the middleware order changed',
  '@microsoft/sdl/no-insecure-url': 'the https address may not exist',
  'yaml.docker-compose.security.no-new-privileges.no-new-privileges': 'not code this product rewrites',
  'yaml.docker-compose.security.writable-filesystem-service.writable-filesystem-service': 'not code this product rewrites',
};

interface Seen {
  ruleId: string;
  ext: string;
  helpUri?: string;
  file: string;
}

const sarifRuleIds = (): Seen[] => {
  const seen = new Map<string, Seen>();
  for (const dir of SARIF_DIRS) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.sarif'))) {
      const log = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        runs?: { tool?: { driver?: { name?: string; rules?: { id: string; helpUri?: string }[] } }; results?: { ruleId?: string; ruleIndex?: number; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[];
      };
      for (const run of log.runs ?? []) {
        if (NOT_CODE_RULES.test(run.tool?.driver?.name ?? '')) continue;
        const rules = run.tool?.driver?.rules ?? [];
        for (const result of run.results ?? []) {
          const ruleId = result.ruleId ?? rules[result.ruleIndex ?? -1]?.id;
          if (ruleId === undefined) continue;
          const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
          const ext = extname(uri.split(/[?#]/)[0] ?? '');
          const key = `${ruleId} ${ext}`;
          if (!seen.has(key)) seen.set(key, { ruleId, ext, helpUri: rules.find((r) => r.id === ruleId)?.helpUri, file: name });
        }
      }
    }
  }
  return [...seen.values()];
};

const found = (ruleId: string, ext: string): string[] => findCodemods({ ruleId, cwes: [], path: `src/file${ext}` }).map((c) => c.id);

test('the SARIF rule ids are read (the corpus and fixtures are where the test expects them)', () => {
  const seen = sarifRuleIds();
  assert.ok(seen.length > 50, `only ${seen.length} rule ids found`);
  assert.ok(seen.some((s) => s.ruleId === 'sonarjs/x-powered-by') || !existsSync(join(shared, 'corpus')), 'the corpus sonarjs SARIF is read');
});

test('every rule id in the SARIF we hold is classified, and each reaches exactly the codemods listed for it', () => {
  const problems: string[] = [];
  for (const { ruleId, ext, file } of sarifRuleIds()) {
    const expected = FIXED_BY[ruleId];
    const reason = NO_CODEMOD[ruleId];
    if (expected === undefined && reason === undefined) {
      problems.push(`${ruleId} (${file}) is not classified: add it to FIXED_BY or NO_CODEMOD`);
      continue;
    }
    const actual = found(ruleId, ext);
    if (expected !== undefined) {
      // A rule id on a file of another language reaches nothing; on the language it names, exactly the list.
      if (actual.length > 0 || ['.py', '.js', '.ts', '.java'].includes(ext)) {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${ruleId} on ${ext}: expected ${expected.join(', ')}, got ${actual.join(', ') || 'nothing'}`);
      }
    } else if (actual.length > 0) {
      problems.push(`${ruleId} on ${ext} names no weakness a codemod fixes (${reason}) but reaches ${actual.join(', ')}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a sonarjs rule reaches the same codemods through the Sonar key in its helpUri', () => {
  const sonarjs = sarifRuleIds().filter((s) => s.ruleId.startsWith('sonarjs/'));
  for (const { ruleId, ext, helpUri } of sonarjs) {
    const key = sonarKeyFromHelpUri(helpUri);
    assert.ok(key !== undefined, `${ruleId}: helpUri ${helpUri} names a Sonar key`);
    assert.deepEqual(found(key, ext), FIXED_BY[ruleId] ?? [], `${ruleId} → ${key}`);
  }
  assert.equal(sonarKeyFromHelpUri('https://sonarsource.github.io/rspec/#/rspec/S5689/javascript'), 'javascript:S5689');
  assert.equal(sonarKeyFromHelpUri('https://eslint.org/docs/latest/rules/no-eval'), undefined);
});

test('a rule id shared by several codemods lists all of them, the one listing it exactly first', () => {
  assert.deepEqual(found('java:S2755', '.java'), ['xxe-document-builder-factory', 'xxe-sax-parser-factory', 'xxe-xml-input-factory']);
  assert.deepEqual(found('python:S4507', '.py'), ['flask-debug-false', 'django-debug-false']);
  assert.deepEqual(found('javascript:S4721', '.js'), ['spawn-shell-false', 'node-exec-execfile']);
});

test('a shared Sonar rule id fixes whichever codemod the code at the finding needs', async () => {
  const { fixFile } = await import('../src/domain/codemods/engine');
  const finding = (id: string, ruleId: string, path: string, startLine: number) => ({ id, ruleId, cwes: [], location: { path, startLine } });
  const settings = 'import os\n\nDEBUG = True\nALLOWED_HOSTS = []\n';
  const django = await fixFile({ path: 'shop/settings.py', content: settings, findings: [finding('d', 'python:S4507', 'shop/settings.py', 3)] });
  assert.deepEqual(django.changes.map((c) => c.codemodId), ['django-debug-false']);
  assert.match(django.content, /DEBUG = False/);
  const java = [
    'import java.io.InputStream;',
    'import javax.xml.parsers.DocumentBuilderFactory;',
    'import javax.xml.parsers.SAXParserFactory;',
    'import org.xml.sax.helpers.DefaultHandler;',
    '',
    'class Feeds {',
    '    Object dom(InputStream in) throws Exception {',
    '        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();',
    '        return dbf.newDocumentBuilder().parse(in);',
    '    }',
    '',
    '    void sax(InputStream in, DefaultHandler handler) throws Exception {',
    '        SAXParserFactory spf = SAXParserFactory.newInstance();',
    '        spf.newSAXParser().parse(in, handler);',
    '    }',
    '}',
    '',
  ].join('\n');
  const path = 'src/Feeds.java';
  const both = await fixFile({ path, content: java, findings: [finding('dom', 'java:S2755', path, 8), finding('sax', 'java:S2755', path, 13)] });
  assert.deepEqual(both.unfixed, []);
  assert.deepEqual(both.changes.map((c) => c.codemodId), ['xxe-document-builder-factory', 'xxe-sax-parser-factory']);
});

test('weaknesses with no safe automatic fix say why, and reach no codemod', async () => {
  const refused = ['B301', 'B403', 'B105', 'B106', 'sonarjs/hardcoded-secret-signatures', 'java/HardcodedPassword', 'js/hardcoded-credentials', 'python.lang.security.deserialization.pickle.avoid-pickle', '@microsoft/sdl/no-angular-bypass-sanitizer', 'js/insufficient-password-hash'];
  for (const ruleId of refused) {
    assert.ok(refusalFor(ruleId) !== undefined, `${ruleId} has a reason`);
    for (const ext of ['.py', '.js', '.java']) assert.deepEqual(found(ruleId, ext), [], `${ruleId} reaches no codemod on ${ext}`);
  }
  assert.match(refusalFor('B301:blacklist') ?? '', /pickle/);
  assert.match(refusalFor('sonarjs/hardcoded-secret-signatures') ?? '', /rotated/);
  assert.equal(refusalFor('B602'), undefined, 'a fixable rule has no refusal');
  // The CWE fallback no longer claims these (B108 → tempfile-mktemp, B404/B603 → subprocess-shell-false before).
  assert.deepEqual(findCodemods({ ruleId: 'B108', cwes: ['CWE-377'], path: 'a.py' }), []);
  assert.deepEqual(findCodemods({ ruleId: 'B603:subprocess_without_shell_equals_true', cwes: ['CWE-78'], path: 'a.py' }), []);
  assert.deepEqual(findCodemods({ ruleId: 'B404', cwes: ['CWE-78'], path: 'a.py' }), []);
  const { fixFile } = await import('../src/domain/codemods/engine');
  const content = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n";
  const result = await fixFile({ path: 'app/cache.py', content, findings: [{ id: 'p', ruleId: 'B301', cwes: ['CWE-502'], location: { path: 'app/cache.py', startLine: 5 } }] });
  assert.equal(result.content, content);
  assert.match(result.unfixed[0]?.reason ?? '', /^no safe automatic fix: pickle runs code/);
});
