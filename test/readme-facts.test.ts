/**
 * The top-level README states facts users act on: how many fixes there are and their ids, and the
 * local host's environment variables. This keeps those facts from going stale as code changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createDefaultRegistry } from '../src/domain/codemods/registry';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const fixesSection = readme.split('## The fixes (codemods)')[1]?.split('\n## ')[0] ?? '';

test('the README names every codemod of the catalogue, with the right counts', () => {
  const codemods = createDefaultRegistry().all();
  assert.ok(fixesSection.length > 0, 'README has a "The fixes (codemods)" section');
  const listed = [...fixesSection.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]);
  assert.deepEqual([...listed].sort(), codemods.map((codemod) => codemod.id).sort());
  for (const count of readme.matchAll(/(\d+) (?:tree-sitter|deterministic) fixes/g)) assert.equal(Number(count[1]), codemods.length, count[0]);
  const perLanguage = (language: string) => codemods.filter((codemod) => codemod.languages.includes(language as never)).length;
  assert.match(fixesSection, new RegExp(`\\*\\*Python \\(${perLanguage('python')}\\):\\*\\*`));
  assert.match(fixesSection, new RegExp(`\\*\\*JavaScript / TypeScript \\(${perLanguage('javascript')}\\):\\*\\*`));
  assert.match(fixesSection, new RegExp(`\\*\\*Java \\(${perLanguage('java')}\\):\\*\\*`));
});

test('the README documents every environment variable `npm start` reads', () => {
  const main = readFileSync(new URL('../src/local/main.ts', import.meta.url), 'utf8');
  const read = new Set([...main.matchAll(/process\.env\.([A-Z_]+)/g)].map((match) => match[1]));
  assert.ok(read.size >= 5);
  for (const name of read) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `${name} is in the README's table`);
});
