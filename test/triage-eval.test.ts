import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdicts } from '../src/domain/finding';
import { evaluate, fixtureFindings, loadLabels, matchesLabel } from '../scripts/eval-triage';

test('the labelled set has at least 80 findings, each matched to exactly one normalised finding and with a reason', () => {
  const labels = loadLabels();
  assert.ok(labels.length >= 80, `only ${labels.length} labels`);
  for (const label of labels) {
    const id = `${label.fixture} ${label.ruleId} ${label.path}:${label.startLine}`;
    assert.equal(fixtureFindings(label.fixture).filter((f) => matchesLabel(label, f)).length, 1, id);
    assert.ok(verdicts.includes(label.verdict), id);
    assert.ok(label.reason.trim().length >= 10, `${id} has no reason`);
  }
});

test('triage meets the targets on the labelled set: false-positive precision >= 95%, >= 60% triaged with confidence >= 80', () => {
  const evaluation = evaluate();
  const fp = evaluation.stats.find((s) => s.verdict === 'false_positive');
  assert.ok(fp && fp.predicted > 0, 'no false-positive verdicts at all');
  assert.ok((fp.precision ?? 0) >= 0.95, `false_positive precision ${fp.precision}`);
  assert.ok(evaluation.confident >= 0.6, `confident share ${evaluation.confident}`);
  // Confidence has to mean something: the confident verdicts must be mostly right.
  assert.ok(evaluation.confidentAccuracy >= 0.9, `accuracy among confident ${evaluation.confidentAccuracy}`);
});
