/** Small rules of PR text and commit identity. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHiddenState } from '../src/domain/pr/description';
import { sameCommit } from '../src/services/pull-requests/publish-context';
import { mergeFileChanges, pullRequestText } from '../src/services/pull-requests/pr-text';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import type { Finding } from '../src/domain/finding';

test('a 12-character PR hash and a 40-character branch hash name the same commit; short or empty ones never match', () => {
  const full = '0123456789abcdef0123456789abcdef01234567';
  assert.equal(sameCommit(full, full.slice(0, 12)), true);
  assert.equal(sameCommit(full.slice(0, 12), full), true);
  assert.equal(sameCommit(full, 'fedcba987654'), false);
  assert.equal(sameCommit(full, undefined), false);
  assert.equal(sameCommit('', ''), false);
  assert.equal(sameCommit(full, '0123'), false);
});

test('line counts of two commits on one branch add up per file', () => {
  assert.deepEqual(
    mergeFileChanges([{ path: 'a.py', linesAdded: 1, linesRemoved: 1 }], [{ path: 'a.py', linesAdded: 2, linesRemoved: 0 }, { path: 'b.py', linesAdded: 1, linesRemoved: 1 }]),
    [{ path: 'a.py', linesAdded: 3, linesRemoved: 1 }, { path: 'b.py', linesAdded: 1, linesRemoved: 1 }],
  );
});

test('the hidden state carries the fingerprints, the codemod version and the body hash, and changes with the body only', () => {
  const codemod = createDefaultRegistry().all().find((c) => c.id === 'pyyaml-safe-load');
  assert.ok(codemod);
  const finding = { id: 'f1', fingerprint: 'fp-1', ruleId: 'r', ruleName: 'r', tools: [{ name: 'Semgrep OSS' }], severity: 'high', cwes: [], message: 'm', location: { path: 'a.py', startLine: 3 }, verdict: 'true_positive', confidence: 90, justification: 'j', factors: [] } as unknown as Finding;
  const input = { codemod, findings: [finding], files: [{ path: 'a.py', linesAdded: 1, linesRemoved: 1 }], repositoryWebUrl: 'https://bitbucket.org/acme/app', commit: 'c'.repeat(40), scanId: 's1', scope: 'a.py' };
  const one = pullRequestText(input);
  const state = readHiddenState(one.description);
  assert.deepEqual(state, { codemod: 'pyyaml-safe-load', codemodVersion: '1', fingerprints: ['fp-1'], bodyHash: one.bodyHash, sig: '' });
  const signed = readHiddenState(pullRequestText({ ...input, signState: (fields) => `sig of ${fields.fingerprints.join()} ${fields.bodyHash}` }).description);
  assert.equal(signed?.sig, `sig of fp-1 ${one.bodyHash}`, 'the signature covers the fields and lands in the state');
  assert.match(one.title, / in a\.py \(1 finding\)$/);
  assert.equal(pullRequestText({ ...input, scanId: 's2' }).bodyHash, one.bodyHash, 'another scan of the same content: same body');
  assert.notEqual(pullRequestText({ ...input, files: [{ path: 'a.py', linesAdded: 2, linesRemoved: 1 }] }).bodyHash, one.bodyHash);
  assert.equal(readHiddenState('a description someone wrote'), undefined);
});
