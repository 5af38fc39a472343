/**
 * A file name built from each element of a list of literals the module fixes (`for (const name of
 * TEMPLATE_NAMES)`, `TEMPLATE_NAMES.map((name) => …)`) under the module's folder is no caller's
 * choice. Beside near misses: a list assigned twice, a list pushed to, a list holding a non-literal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const fsRule = ruleFinding('security/detect-non-literal-fs-filename', 'ESLint', ['CWE-22']);
const head = (list: string) => ["import { readFileSync } from 'node:fs';", "import { join } from 'node:path';", `const TEMPLATE_NAMES = ${list};`];
const loop = (list: string, extra: string[] = []) => [
  ...head(list), ...extra,
  'export function loadTemplates() {',
  '  const out = new Map();',
  '  for (const name of TEMPLATE_NAMES) {',
  "    out.set(name, readFileSync(join(__dirname, 'templates', `${name}.hbs`), 'utf8'));",
  '  }',
  '  return out;',
  '}',
].join('\n');
const mapped = (list: string) => [...head(list), 'export const templates = Object.fromEntries(', "  TEMPLATE_NAMES.map((name) => [name, readFileSync(join(__dirname, 'templates', `${name}.txt`), 'utf8')]),", ');'].join('\n');
const at = (file: string) => triageMarked(fsRule, 'src/mail/templates.ts', file, 'readFileSync(join');

test('names from a top-level list of literals, in a loop or a map callback, are set aside', () => {
  for (const file of [loop("['invite', 'harvest-reminder'] as const"), mapped("['invite', 'harvest-reminder'] as const"), loop('["invite", "reminder"]')]) {
    const result = at(file);
    assert.equal(result.verdict, 'false_positive', result.justification);
    assert.match(result.justification, /TEMPLATE_NAMES/);
  }
});

test('a list holding a non-literal, assigned twice, or pushed to stays a finding', () => {
  const cases = [
    loop("['invite', process.env.EXTRA_TEMPLATE]"),
    mapped("['invite', ...extraNames]"),
    loop("['invite']", ['TEMPLATE_NAMES.push(process.argv[2]);']),
    loop("['invite']", ["export let TEMPLATE_NAMES_B = ['a'];", 'TEMPLATE_NAMES = loadNames();']),
  ];
  for (const file of cases) {
    const result = at(file);
    assert.notEqual(result.verdict, 'false_positive', `${file}\n${result.justification}`);
  }
});
