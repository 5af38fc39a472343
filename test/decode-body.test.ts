import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeUploadBody, MAX_DECOMPRESSED_BYTES } from '../src/services/upload/decode-body';
import { AppError } from '../src/domain/errors';

const sarif = '{"version":"2.1.0","runs":[]}';

test('raw JSON passes through, with a UTF-8 BOM removed', () => {
  assert.equal(decodeUploadBody(sarif, undefined).sarifText, sarif);
  assert.equal(decodeUploadBody(`\ufeff${sarif}`, undefined).sarifText, sarif);
});

test('gzip arrives as a binary (latin1) string or as base64 text', () => {
  const gz = gzipSync(sarif);
  assert.equal(decodeUploadBody(gz.toString('latin1'), 'gzip').sarifText, sarif);
  assert.equal(decodeUploadBody(gz.toString('base64'), 'gzip').sarifText, sarif);
});

test('a gzip body decodes to the same text whether it is ASCII or not, and whatever its size', () => {
  const texts = [
    '{"message":"plain ASCII"}',
    '{"message":"caf\u00e9 \u2713 \ud83d\ude00 \u00ff"}',
    JSON.stringify({ message: 'x'.repeat(3 * 1024 * 1024), more: '\u00e9'.repeat(70_000) }),
  ];
  for (const text of texts) {
    assert.equal(decodeUploadBody(gzipSync(text).toString('latin1'), 'gzip').sarifText, text);
    assert.equal(decodeUploadBody(gzipSync(text).toString('base64'), 'gzip').sarifText, text);
  }
});

test('the GitHub-style envelope gives the SARIF and its commit', () => {
  const body = JSON.stringify({ sarif: gzipSync(sarif).toString('base64'), commit_sha: 'b'.repeat(40), ref: 'refs/heads/dev' });
  assert.deepEqual(decodeUploadBody(body, undefined), { sarifText: sarif, commit: 'b'.repeat(40), ref: 'refs/heads/dev' });
});

test('a gzip bomb is refused before it fills memory', () => {
  const bomb = gzipSync(Buffer.alloc(MAX_DECOMPRESSED_BYTES + 1024, 32)).toString('latin1');
  assert.throws(() => decodeUploadBody(bomb, 'gzip'), (error: unknown) => error instanceof AppError && error.code === 'payload_too_large');
});

test('unknown encodings and fake gzip are named', () => {
  assert.throws(() => decodeUploadBody(sarif, 'br'), /Content-Encoding "br"/);
  assert.throws(() => decodeUploadBody(sarif, 'gzip'), /not gzip data/);
});
