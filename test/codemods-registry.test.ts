import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  assert.deepEqual(ids('py/unsafe-deserialization'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('codeql/python-queries:py/unsafe-deserialization'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('pythonsecurity:S5135'), ['pyyaml-safe-load']);
  assert.deepEqual(ids('b501'), ['requests-verify-true']);
  assert.deepEqual(ids('B324'), ['weak-hash-sha256']);
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
  assert.deepEqual(ids('custom-scanner-42', 'a.py', ['328']), ['weak-hash-sha256']);
  assert.deepEqual(ids('custom-scanner-42', 'a.py', ['CWE-79']), []);
  assert.deepEqual(ids('custom-scanner-42', 'a.py'), []);
});
