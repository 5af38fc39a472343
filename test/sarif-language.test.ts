/**
 * `languageOfUri` reads a file name in place (it runs once per result on the ingest path). It must
 * answer exactly as the plain reading does: the name after the last `/`, lower-cased; `dockerfile`
 * or `dockerfile.*` is Docker; otherwise the extension after the last `.` looked up in the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { languageOfUri } from '../src/domain/sarif/analysis';

/** The plain reading, written the obvious way, to compare against. */
function plainLanguage(uri: string): string | undefined {
  const name = uri.split('/').pop()!.toLowerCase();
  if (name === 'dockerfile' || name.startsWith('dockerfile.')) return 'docker';
  const parts = name.split('.');
  return parts.length < 2 ? undefined : languageOfUri(`x.${parts.pop()!}`);
}

test('languageOfUri reads the extension of the last path segment only', () => {
  assert.equal(languageOfUri('src/app.js'), 'javascript');
  assert.equal(languageOfUri('app.PY'), 'python');
  assert.equal(languageOfUri('a.b/c'), undefined);
  assert.equal(languageOfUri('lib/types.d.ts'), 'javascript');
  assert.equal(languageOfUri('dir/'), undefined);
  assert.equal(languageOfUri('README'), undefined);
  assert.equal(languageOfUri('src/file.'), undefined);
  assert.equal(languageOfUri('.py'), 'python');
  assert.equal(languageOfUri(''), undefined);
});

test('languageOfUri knows Dockerfiles by name, whatever their case or suffix', () => {
  assert.equal(languageOfUri('deploy/Dockerfile'), 'docker');
  assert.equal(languageOfUri('DOCKERFILE'), 'docker');
  assert.equal(languageOfUri('deploy/dockerfile.prod'), 'docker');
  assert.equal(languageOfUri('deploy/Dockerfile.js'), 'docker');
  assert.equal(languageOfUri('deploy/docker.py'), 'python');
  assert.equal(languageOfUri('dockerfile/app.rb'), 'ruby');
});

test('languageOfUri agrees with the plain reading on generated names', () => {
  const segment = fc.string({ unit: fc.constantFrom('a', 'd', 'D', 'o', 'c', 'k', 'e', 'r', 'f', 'i', 'l', 'j', 's', 'p', 'y', 'P', '.', '/'), maxLength: 16 });
  const named = fc.tuple(segment, fc.constantFrom('', 'dockerfile', 'Dockerfile.', '.js', '.PY', '.tf', '.'), segment).map((parts) => parts.join(''));
  fc.assert(fc.property(fc.oneof(segment, named), (uri) => languageOfUri(uri) === plainLanguage(uri)), { numRuns: 5000, seed: 14 });
});
