import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue } from '../src/domain/codemods/catalogue/index';
import { CodemodRegistry, createDefaultRegistry, findCodemods } from '../src/domain/codemods/registry';
import { pyyamlSafeLoad } from '../src/domain/codemods/catalogue/pyyaml-safe-load';

const ids = (ruleId: string, path = 'app.py', cwes: string[] = []): string[] =>
  findCodemods({ ruleId, cwes, path }).map((c) => c.id);

test('duplicate and malformed ids are rejected', () => {
  const registry = new CodemodRegistry([pyyamlSafeLoad]);
  assert.throws(() => registry.register(pyyamlSafeLoad), /duplicate codemod id "pyyaml-safe-load"/);
  assert.throws(() => registry.register({ ...pyyamlSafeLoad, id: 'Not_Kebab' }), /kebab-case/);
  assert.throws(() => new CodemodRegistry([...catalogue, ...catalogue]), /duplicate/);
});

test('the default registry holds the whole catalogue', () => {
  assert.deepEqual(createDefaultRegistry().all().map((c) => c.id), catalogue.map((c) => c.id));
});

test('rule ids match in every spelling scanners use', () => {
  assert.deepEqual(ids('python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('avoid-pyyaml-load'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('home.ci.rules.avoid-pyyaml-load'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('B506'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('B506:yaml_load'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('py/unsafe-deserialization'), ['pyyaml-safe-load', 'ruamel-yaml-safe']);
  assert.deepEqual(ids('codeql/python-queries:py/unsafe-deserialization'), ['pyyaml-safe-load', 'ruamel-yaml-safe']);
  assert.deepEqual(ids('pythonsecurity:S5135'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('b501'), ['requests-verify-true']);
  assert.deepEqual(ids('B324'), ['token-from-clock-secrets', 'weak-hash-sha256']);
  assert.deepEqual(ids('js/disabling-certificate-validation', 'src/a.ts'), ['node-tls-reject-unauthorized']);
  assert.deepEqual(ids('bypass-tls-verification', 'src/a.jsx'), ['node-tls-reject-unauthorized']);
});

test('rule ids only match codemods for the file language', () => {
  assert.deepEqual(ids('B506', 'src/a.ts'), []);
  assert.deepEqual(ids('js/disabling-certificate-validation', 'a.py'), []);
  assert.deepEqual(ids('B506', 'Makefile'), []);
});

test('without a rule match, a CWE plus the language picks codemods', () => {
  assert.deepEqual(ids('custom-scanner-42', 'a.py', ['CWE-295']), ['requests-verify-true']);
  assert.deepEqual(ids('custom-scanner-42', 'a.js', ['external/cwe/cwe-295']), ['node-tls-reject-unauthorized']);
  assert.deepEqual(ids('custom-scanner-42', 'a.py', ['328']), ['token-from-clock-secrets', 'weak-hash-sha256']);
  assert.deepEqual(ids('custom-scanner-42', 'a.py', ['CWE-79']), ['jinja2-autoescape']);
  assert.deepEqual(ids('custom-scanner-42', 'A.java', ['CWE-611']), ['xxe-document-builder-factory', 'xxe-sax-parser-factory', 'xxe-xml-input-factory', 'xxe-transformer-factory']);
  assert.deepEqual(ids('custom-scanner-42', 'a.ts', ['CWE-338']), ['math-random-crypto']);
  assert.deepEqual(ids('custom-scanner-42', 'a.py', ['CWE-89']), ['sql-parameterize-python']);
  assert.deepEqual(ids('custom-scanner-42', 'a.py'), []);
});

const SCANNER_SHAPES: Record<string, RegExp> = {
  codeql: /^(js|py|java)\/[a-z0-9-]+$/,
  semgrep: /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/,
  bandit: /^B\d{3}$/,
  eslint: /^(security\/|sonarjs\/|no-unsanitized\/|@microsoft\/sdl\/)?[a-z-]+$/,
  sonar: /^(python|pythonsecurity|javascript|jssecurity|java|javasecurity):S\d+$/,
};

test('every codemod has its metadata, references and at least one rule id per scanner it claims', () => {
  for (const codemod of catalogue) {
    const where = codemod.id;
    for (const field of ['title', 'summary', 'description', 'reviewGuidanceReason', 'target'] as const) {
      assert.ok(codemod[field].trim().length > 0, `${where}: ${field}`);
    }
    assert.ok(['merge-without-review', 'merge-after-cursory-review', 'merge-after-review'].includes(codemod.reviewGuidance), `${where}: reviewGuidance`);
    assert.ok(codemod.languages.length > 0, `${where}: languages`);
    assert.ok(codemod.cwes.length > 0, `${where}: CWEs`);
    for (const cwe of codemod.cwes) assert.match(cwe, /^CWE-\d+$/, where);
    assert.ok((codemod.owasp ?? []).length > 0, `${where}: OWASP`);
    for (const owasp of codemod.owasp ?? []) assert.match(owasp, /^A\d\d:2021$/, where);
    assert.ok(codemod.references.length >= 1, `${where}: references`);
    for (const ref of codemod.references) {
      assert.ok(ref.title.length > 0, `${where}: reference title`);
      assert.match(ref.url, /^https:\/\/\S+$/, `${where}: reference url`);
    }
    const scanners = Object.entries(codemod.ruleIds);
    assert.ok(scanners.length > 0, `${where}: claims no scanner`);
    for (const [scanner, list] of scanners) {
      assert.ok(list !== undefined && list.length >= 1, `${where}: claims ${scanner} but lists no rule id`);
      const shape = SCANNER_SHAPES[scanner];
      for (const ruleId of list ?? []) {
        if (shape !== undefined) assert.match(ruleId, shape, `${where}: ${scanner} rule id ${ruleId}`);
        // Each claimed rule id finds this codemod for a file of each of its languages.
        const ext = { python: 'py', javascript: 'js', typescript: 'ts', tsx: 'tsx', java: 'java' }[codemod.languages[0] ?? 'python'];
        assert.ok(ids(ruleId, `src/a.${ext}`).includes(codemod.id), `${where}: ${ruleId} does not find it`);
      }
    }
    // Language-specific rule prefixes belong to the codemod's languages.
    for (const ruleId of Object.values(codemod.ruleIds).flat()) {
      const prefix = /^(py|python|pythonsecurity)[/:.]/.test(ruleId) ? 'python' : /^(js|javascript|jssecurity)[/:.]/.test(ruleId) ? 'js' : /^java(security)?[/:.]/.test(ruleId) ? 'java' : undefined;
      if (prefix === 'python') assert.ok(codemod.languages.includes('python'), `${where}: ${ruleId}`);
      if (prefix === 'js') assert.ok(codemod.languages.some((l) => l !== 'python' && l !== 'java'), `${where}: ${ruleId}`);
      if (prefix === 'java') assert.ok(codemod.languages.includes('java'), `${where}: ${ruleId}`);
    }
  }
});

test('the README catalogue table lists every codemod', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'src', 'domain', 'codemods', 'README.md'), 'utf8');
  for (const codemod of catalogue) assert.ok(readme.includes(`| \`${codemod.id}\` |`), `README lists ${codemod.id}`);
});
