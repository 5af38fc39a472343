/**
 * The per-family priors committed in src/domain/triage/priors.ts are what `npm run learn:priors`
 * counts from the labelled sets with the current analyzers: changing an analyzer without
 * regenerating them fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnPriorCounts } from '../scripts/learn-priors';
import { priorCounts, priorOf } from '../src/domain/triage/priors';

test('the committed priors are the counts learned from the in-sample, holdout and holdout-2 sets', () => {
  assert.deepEqual(learnPriorCounts(), priorCounts, 'run `npm run learn:priors -- --write`');
});

test('a prior is the smoothed share of real findings, kept within 30–90', () => {
  assert.equal(priorOf({ real: 0, seen: 0 }), 50);
  assert.equal(priorOf({ real: 3, seen: 8 }), 40);
  assert.equal(priorOf({ real: 0, seen: 20 }), 30);
  assert.equal(priorOf({ real: 200, seen: 200 }), 90);
});
