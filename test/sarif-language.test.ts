/**
 * `languageOfUri` reads a file name in place (it runs once per result on the ingest path). It must
 * answer exactly as the plain reading does: the name after the last `/`, lower-cased; `dockerfile`
 * or `dockerfile.*` is Docker; otherwise the extension after the last `.` looked up in the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { languageOfUri, languageReader } from '../src/domain/sarif/analysis';

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

test('languageReader answers as languageOfUri for every URI of a run, whatever came before it', () => {
  const uris = ['a/b.js', 'a/c.js', 'a/dockerfile.js', 'a/D.js', 'x/.js', 'y/b.JS', 'b.min.js', 'dir.js/file', 'dir.js/file.py', 'Dockerfile',
    'dockerfile.prod', 'a/readme', 'a/x.js', 'a.b/c', 'q.ts', 'r.ts', '.ts', 'ts', 'a/Dockerfile', 'a/b.dockerfile', 'c.dockerfile', 'z/', 'z/.', 'é.py', 'f.py'];
  const read = languageReader();
  // Every URI after every other (and after itself), in both orders.
  for (const before of uris) for (const uri of uris) {
    read(before);
    assert.equal(read(uri), languageOfUri(uri), `${uri} after ${before}`);
    assert.equal(read(uri), languageOfUri(uri), `${uri} twice`);
  }
});

test('languageReader agrees with languageOfUri on generated runs of names', () => {
  const segment = fc.string({ unit: fc.constantFrom('a', 'd', 'D', 'o', 'c', 'k', 'e', 'r', 'f', 'i', 'l', 'j', 's', 'p', 'y', 'P', '.', '/'), maxLength: 16 });
  const named = fc.tuple(segment, fc.constantFrom('', 'dockerfile', 'Dockerfile.', '.js', '.PY', '.tf', '.'), segment).map((parts) => parts.join(''));
  fc.assert(fc.property(fc.array(fc.oneof(segment, named), { maxLength: 12 }), (run) => {
    const read = languageReader();
    return run.every((uri) => read(uri) === languageOfUri(uri));
  }), { numRuns: 3000, seed: 14 });
});
