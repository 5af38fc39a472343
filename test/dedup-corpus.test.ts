/**
 * Cross-scanner deduplication on real code (issue 12): the corpus apps' SARIF, folded as the scan
 * job folds one commit's uploads, gives exactly the weaknesses the blind labels name (their
 * `group`s, written before the product ran on the corpus): none split, none joined.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dedupCorpusApp } from '../scripts/eval-dedup';

const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const noCorpus = !existsSync(`${CORPUS}/README.md`) && `corpus not found at ${CORPUS} (../shared/corpus beside the checkout)`;

for (const [app, results, findings] of [['nodegoat', 27, 20], ['dvna', 8, 7], ['pygoat', 65, 65]] as const) {
  test(`${app}: ${results} results fold into the ${findings} weaknesses the labels name`, { skip: noCorpus }, () => {
    const out = dedupCorpusApp(app);
    assert.equal(out.results, results);
    assert.equal(out.labelledGroups, findings);
    assert.equal(out.findings, findings);
    assert.deepEqual(out.split, [], 'a labelled weakness split into several findings');
    assert.deepEqual(out.joined, [], 'several labelled weaknesses folded into one finding');
  });
}

test('nodegoat: each eval is one finding with the three ESLint rules of both passes', { skip: noCorpus }, () => {
  const evals = dedupCorpusApp('nodegoat').multiRule.filter((m) => m.place.startsWith('app/routes/contributions.js'));
  assert.equal(evals.length, 3);
  for (const e of evals) assert.deepEqual([...e.rules].sort(), ['no-eval', 'security/detect-eval-with-expression', 'sonarjs/code-eval']);
});
