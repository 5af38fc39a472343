/**
 * Stored fingerprints must never change: each is the first 32 hex characters of the sha256 of its
 * tagged tuple joined by NUL, as UTF-8. The normaliser hashes ASCII tuples from a reused byte buffer
 * and other text from the joined string; these cases compute the expected digest independently
 * (createHash over the joined string) for every kind, for ASCII, non-ASCII, lone surrogates, parts
 * that reach the buffer's size and tuples longer than it, and one finding hashed right after a longer one
 * (so a stale byte left in the buffer would show).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fingerprint } from '../src/domain/sarif/fingerprint';
import { normaliseLog, parseSarif } from '../src/domain/sarif';

const expected = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);

const texts = ['eval(x)', 'héllo wörld', 'emoji 😀 here', 'lone \ud800 surrogate', 'x'.repeat(1990), 'y'.repeat(2100), 'z'.repeat(2030) + 'é'];

test('every fingerprint kind is the sha256 of its NUL-joined tuple, whatever the text', () => {
  for (const text of texts) {
    assert.equal(fingerprint({ ruleId: 'r1', message: text, path: 'src/a.js', startLine: 7 }), expected('ln', 'r1', 'src/a.js', '7', text));
    assert.equal(fingerprint({ ruleId: 'r1', message: 'm', path: 'src/a.js', startLine: 7, snippet: text.trim() }), expected('sn', 'r1', 'src/a.js', text.trim(), '1'));
    assert.equal(fingerprint({ ruleId: 'r1', message: 'm', path: `src/${text}.js`, startLine: 7, lineHash: 'abc:1' }), expected('lh', 'r1', `src/${text}.js`, 'abc:1'));
    assert.equal(fingerprint({ ruleId: text, message: 'm', anchor: 'pkg/a' }), expected('nl', text, 'm', 'pkg/a'));
    assert.equal(fingerprint({ ruleId: 'r1', message: 'm', path: 'a', snippet: 'q', occurrence: 3 }), expected('sn', 'r1', 'a', 'q', '3'));
  }
});

test('a short tuple hashed after a long one is not affected by what the long one left behind', () => {
  const long = fingerprint({ ruleId: 'rule-long', message: 'm'.repeat(1500), path: 'src/long/path.js', startLine: 1 });
  assert.equal(long, expected('ln', 'rule-long', 'src/long/path.js', '1', 'm'.repeat(1500)));
  assert.equal(fingerprint({ ruleId: 'r', message: 'm', path: 'p', startLine: 1 }), expected('ln', 'r', 'p', '1', 'm'));
  assert.equal(fingerprint({ ruleId: 'r', message: 'm', anchor: '' }), expected('nl', 'r', 'm', ''));
});

test('the normaliser gives each finding the digest of its tuple (snippet, line and no-path kinds)', () => {
  const log = {
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Tool' } },
      results: [
        { ruleId: 'r1', message: { text: 'Ünïcode message' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 4, snippet: { text: '  eval(  x )  ' } } } }] },
        { ruleId: 'r2', message: { text: 'plain' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/b.js' }, region: { startLine: 9 } } }] },
        { ruleId: 'r3', message: { text: 'package' }, locations: [{ logicalLocations: [{ fullyQualifiedName: 'pkg.mod' }] }] },
      ],
    }],
  };
  const [a, b, c] = normaliseLog(parseSarif(JSON.stringify(log))).findings;
  assert.equal(a!.fingerprint, expected('sn', 'r1', 'src/a.js', 'eval( x )', '1'));
  assert.equal(b!.fingerprint, expected('ln', 'r2', 'src/b.js', '9', 'plain'));
  assert.equal(c!.fingerprint, expected('nl', 'r3', 'package', 'pkg.mod'));
});
