import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdicts } from '../src/domain/finding';
import { fileURLToPath } from 'node:url';
import { evaluate, judgedOf, loadSet, matchesLabel, sarifFindings, type Evaluation, type SetName } from '../scripts/eval-triage';
import { CORPUS_APPS, corpusAvailable, judgeCorpusApp, measure, type Judged, type Measures } from '../scripts/eval-corpus';

const root = fileURLToPath(new URL('..', import.meta.url));

// holdout-2 is a smaller second check written after the rules were improved on holdout's misses.
const minimum: Record<SetName, number> = { 'in-sample': 80, holdout: 80, 'holdout-2': 50, 'holdout-3': 50, 'holdout-4': 35, 'holdout-5': 50, 'holdout-6': 50, 'holdout-7': 50, 'holdout-8': 50, 'holdout-9': 50, 'holdout-10': 45, 'holdout-11': 45, 'holdout-12': 45, 'holdout-13': 45, 'holdout-14': 45, 'holdout-15': 45, 'holdout-16': 45, 'holdout-17': 45, 'holdout-18': 45, 'holdout-19': 45 };
for (const name of ['in-sample', 'holdout', 'holdout-2', 'holdout-3', 'holdout-4', 'holdout-5', 'holdout-6', 'holdout-7', 'holdout-8', 'holdout-9', 'holdout-10', 'holdout-11', 'holdout-12', 'holdout-13', 'holdout-14', 'holdout-15', 'holdout-16', 'holdout-17', 'holdout-18', 'holdout-19'] satisfies SetName[]) {
  test(`the ${name} labelled set has at least ${minimum[name]} findings, each matched to exactly one normalised finding and with a reason`, () => {
    const { labels } = loadSet(name);
    assert.ok(labels.length >= minimum[name], `only ${labels.length} labels`);
    for (const label of labels) {
      const id = `${label.sarif} ${label.ruleId} ${label.path}:${label.startLine}`;
      assert.equal(sarifFindings(label.sarif).filter((f) => matchesLabel(label, f)).length, 1, id);
      assert.ok(verdicts.includes(label.verdict), id);
      assert.ok(label.reason.trim().length >= 10, `${id} has no reason`);
    }
  });
}

function assertTargets(evaluation: Evaluation, minConfidentAccuracy: number): void {
  const fp = evaluation.stats.find((s) => s.verdict === 'false_positive');
  assert.ok(fp && fp.predicted > 0, 'no false-positive verdicts at all');
  assert.equal(evaluation.scored.filter((s) => !s.result).length, 0, 'every label is triaged');
  assert.ok((fp.precision ?? 0) >= 0.95, `false_positive precision ${fp.precision}`);
  assert.ok(evaluation.confident >= 0.6, `confident share ${evaluation.confident}`);
  // Confidence has to mean something: the confident verdicts must be mostly right.
  assert.ok(evaluation.confidentAccuracy >= minConfidentAccuracy, `accuracy among confident ${evaluation.confidentAccuracy}`);
}

test('in-sample (real fixtures, snippet only): false-positive precision >= 95%, >= 60% triaged with confidence >= 80', () => {
  assertTargets(evaluate(loadSet('in-sample')), 0.9);
});

test('holdout with the source read (labelled before triage ran): the same targets', () => {
  assertTargets(evaluate(loadSet('holdout')), 0.9);
});

test('holdout-2 with the source read (labelled before triage ran on it): the same targets', () => {
  assertTargets(evaluate(loadSet('holdout-2')), 0.9);
});

test('holdout with the snippet only: what is set aside stays noise, and reading the code sets more noise aside', () => {
  const holdout = loadSet('holdout');
  // A seed script's random prices are won't fix by label and false positive (not security) by
  // triage: both set the finding aside, which is what issue 13 measures.
  const snippetOnly = measure(judgedOf(evaluate(holdout, { readCode: false })));
  assert.ok((snippetOnly.dismissedPrecision ?? 0) >= 0.98, `set-aside precision ${snippetOnly.dismissedPrecision}`);
  const withCode = measure(judgedOf(evaluate(holdout)));
  assert.ok((withCode.noiseDismissed ?? 0) > (snippetOnly.noiseDismissed ?? 0), 'reading the source should set more noise aside than the snippet');
});

/** The four measures of issue 13, each at least the figure given (what the current rules reach). */
function assertMeasures(name: string, m: Measures, floor: { dismissedPrecision: number; noiseDismissed: number; truePositivesKept: number; confident: number }): void {
  assert.equal(m.unmatched, 0, `${name}: every labelled result lands in a finding`);
  assert.ok((m.dismissedPrecision ?? 1) >= floor.dismissedPrecision, `${name}: set-aside precision ${m.dismissedPrecision}`);
  assert.ok((m.noiseDismissed ?? 1) >= floor.noiseDismissed, `${name}: noise dismissed ${m.noiseDismissed}`);
  assert.ok((m.truePositivesKept ?? 1) >= floor.truePositivesKept, `${name}: true positives kept ${m.truePositivesKept}`);
  assert.ok(m.confident >= floor.confident, `${name}: confidence >= 80 on ${m.confident}`);
}

for (const name of ['in-sample', 'holdout', 'holdout-2'] satisfies SetName[]) {
  test(`${name}: the four measures of issue 13 hold (set aside is noise, noise set aside, true positives kept, confident)`, () => {
    assertMeasures(name, measure(judgedOf(evaluate(loadSet(name)))), { dismissedPrecision: 0.98, noiseDismissed: 0.75, truePositivesKept: 0.95, confident: 0.7 });
  });
}

test('holdout-3 (held aside, first run at the end of issue 13): what it reached, so it cannot silently regress', () => {
  // Its first run: 100% of what was set aside is noise, 72.2% of the noise set aside (short of the
  // 75% target), every true positive kept, 98.3% at confidence >= 80. After rules tuned on its
  // misses (README tuning log, not out of sample): 100% of the noise set aside, all still noise,
  // every true positive kept, 96.7% at confidence >= 80.
  assertMeasures('holdout-3', measure(judgedOf(evaluate(loadSet('holdout-3')))), { dismissedPrecision: 1, noiseDismissed: 1, truePositivesKept: 1, confident: 0.9 });
});

test('holdout-4 (labelled blind after the rules were tuned on holdout-3, run once; since tuned on its misses): what the rules reach, so it cannot silently regress', () => {
  // Its first and only out-of-sample run (first-run.json): 95.7% of what was set aside is noise
  // (target 98%), 71.0% of the noise set aside (target 75%), 95.2% of true positives kept, 92.3% at
  // confidence >= 80. Short of two targets. These floors are TUNED, not out of sample: the rules
  // were then generalised from its misses (README tuning log) and reach 100% / 100% / 100% / 92.3%.
  assertMeasures('holdout-4', measure(judgedOf(evaluate(loadSet('holdout-4')))), { dismissedPrecision: 1, noiseDismissed: 1, truePositivesKept: 1, confident: 0.9 });
});

test('holdout-5 (labelled blind after the rules were tuned on holdout-4, run once; since tuned on its misses — not out of sample): what the rules reach, so it cannot silently regress', () => {
  // Its first and only out-of-sample run (first-run.json): 96.4% of what was set aside is noise,
  // 61.4% of the noise set aside, 93.3% of true positives kept, 91.9% at confidence >= 80 (77.9%
  // right). These floors are TUNED on its misses (README tuning log), not out of sample: the rules
  // now reach 100% / 100% / 100% / 82.4% (100% right). Its 4 `suspicious` labels are left out.
  assertMeasures('holdout-5', measure(judgedOf(evaluate(loadSet('holdout-5')))), { dismissedPrecision: 1, noiseDismissed: 1, truePositivesKept: 1, confident: 0.8 });
});

test('holdout-6 (labelled blind after the rules were tuned on holdout-5, run once; since then tuned on its misses (not out of sample)): what the rules reach, so it cannot silently regress', () => {
  // Its first and only out-of-sample run (first-run.json): 100% of what was set aside is noise,
  // 58.0% of the noise set aside (target 75%), 96.6% of true positives kept, 70.9% at confidence
  // >= 80 (80.4% right). These floors are TUNED on its misses (README tuning log), not out of
  // sample: the rules now reach 100% / 100% / 100% / 92.4% (100% right).
  assertMeasures('holdout-6', measure(judgedOf(evaluate(loadSet('holdout-6')))), { dismissedPrecision: 1, noiseDismissed: 1, truePositivesKept: 1, confident: 0.9 });
});

test('holdout-7 (labelled blind after the rules were tuned on holdout-6, run once; since then tuned on its misses (not out of sample)): what the rules reach, so it cannot silently regress', () => {
  // Its first and only out-of-sample run (first-run.json): 100% of what was set aside is noise,
  // 62.5% of the noise set aside (target 75%), every true positive kept, 65.8% at confidence >= 80
  // (target 70%; 86.5% right). These floors are TUNED on its misses (README tuning log), not out of
  // sample: the rules now reach 100% / 85.4% / 100% / 86.1% (98.5% right). Its one `suspicious`
  // label is left out.
  assertMeasures('holdout-7', measure(judgedOf(evaluate(loadSet('holdout-7')))), { dismissedPrecision: 1, noiseDismissed: 0.85, truePositivesKept: 1, confident: 0.86 });
});

test('holdout-8 (labelled blind after the rules were tuned on holdout-7, run once; since then tuned on its misses (not out of sample)): what the rules reach, so it cannot silently regress', () => {
  // Its first and only out-of-sample run (first-run.json): 93.3% of what was set aside is noise (two
  // real vulnerabilities set aside), 68.3% of the noise set aside (target 75%), 93.8% of true
  // positives kept, 78.1% at confidence >= 80 (86.0% right). These floors are TUNED on its misses
  // (README tuning log), not out of sample: the rules now reach 100% / 75.6% / 100% / 76.7% (94.6%
  // right). Its one `suspicious` label is left out.
  assertMeasures('holdout-8', measure(judgedOf(evaluate(loadSet('holdout-8')))), { dismissedPrecision: 1, noiseDismissed: 0.75, truePositivesKept: 1, confident: 0.76 });
});

test('holdout-9 (labelled blind after the rules were tuned on holdout-8, run once; since then tuned on its misses (not out of sample)): what the rules reach, so it cannot silently regress', () => {
  // Its first and only out-of-sample run (first-run.json): 96.3% of what was set aside is noise,
  // 68.4% of the noise set aside, 92.0% of true positives kept, 63.5% at confidence >= 80 (80.0%
  // right). The third session's first round was tuned on its misses (README tuning log): the rules
  // now reach 100% / 97.4% / 100% / 98.4%.
  assertMeasures('holdout-9', measure(judgedOf(evaluate(loadSet('holdout-9')))), { dismissedPrecision: 1, noiseDismissed: 0.97, truePositivesKept: 1, confident: 0.98 });
});

test('holdout-10 and holdout-11 (labelled blind while the rules were tuned on holdout-9, run once; since then tuned on their misses (not out of sample)): what the rules reach, so they cannot silently regress', () => {
  // First runs (first-run.json): holdout-10 92.3% / 61.5% / 92.6% / 80.3%; holdout-11 67.4% /
  // 70.5% / 50.0% / 79.5% (pytest testpaths read as "all test code" set aside a whole Pyramid
  // application). Tuned since (README tuning log): 100% / 87.2% / 100% / 90.9% and
  // 100% / 84.1% / 100% / 91.0%.
  assertMeasures('holdout-10', measure(judgedOf(evaluate(loadSet('holdout-10')))), { dismissedPrecision: 1, noiseDismissed: 0.87, truePositivesKept: 1, confident: 0.9 });
  assertMeasures('holdout-11', measure(judgedOf(evaluate(loadSet('holdout-11')))), { dismissedPrecision: 1, noiseDismissed: 0.84, truePositivesKept: 1, confident: 0.9 });
});

test('holdout-12 to holdout-18 (labelled blind while the rules were tuned on the sets before them, each run once; since then tuned on their misses (not out of sample)): what the rules reach, so they cannot silently regress', () => {
  // First runs (first-run.json): holdout-12 96.3% / 66.7% / 90.0% / 75.4%; holdout-13 100% /
  // 54.8% / 92.9% / 85.7%; holdout-14 95.8% / 56.1% / 96.9% / 80.8%; holdout-15 100% / 64.1% /
  // 96.6% / 76.5%; holdout-16 100% / 72.5% / 96.6% / 79.7%; holdout-17 96.9% / 77.5% / 92.9% /
  // 77.9%. Tuned since (tuning log): 100% / 79.5% / 100% / 85.5%, 100% / 78.6% / 100% / 92.9%,
  // 100% / 75.6% / 100% / 84.9%, 100% / 92.3% / 100% / 86.8%, 100% / 97.5% / 100% / 91.3% and
  // 100% / 77.5% / 100% / 77.9%. holdout-18's first run (the session's final rules): 94.1% / 72.7% /
  // 89.3% / 80.6%; after its two lost true positives were fixed: 100% / 72.7% / 96.4% / 80.6%.
  assertMeasures('holdout-12', measure(judgedOf(evaluate(loadSet('holdout-12')))), { dismissedPrecision: 1, noiseDismissed: 0.79, truePositivesKept: 1, confident: 0.85 });
  assertMeasures('holdout-13', measure(judgedOf(evaluate(loadSet('holdout-13')))), { dismissedPrecision: 1, noiseDismissed: 0.78, truePositivesKept: 1, confident: 0.92 });
  assertMeasures('holdout-14', measure(judgedOf(evaluate(loadSet('holdout-14')))), { dismissedPrecision: 1, noiseDismissed: 0.75, truePositivesKept: 1, confident: 0.84 });
  assertMeasures('holdout-15', measure(judgedOf(evaluate(loadSet('holdout-15')))), { dismissedPrecision: 1, noiseDismissed: 0.92, truePositivesKept: 1, confident: 0.86 });
  assertMeasures('holdout-16', measure(judgedOf(evaluate(loadSet('holdout-16')))), { dismissedPrecision: 1, noiseDismissed: 0.97, truePositivesKept: 1, confident: 0.91 });
  assertMeasures('holdout-17', measure(judgedOf(evaluate(loadSet('holdout-17')))), { dismissedPrecision: 1, noiseDismissed: 0.77, truePositivesKept: 1, confident: 0.77 });
  assertMeasures('holdout-18', measure(judgedOf(evaluate(loadSet('holdout-18')))), { dismissedPrecision: 1, noiseDismissed: 0.72, truePositivesKept: 0.96, confident: 0.8 });
});

test('holdout-19, the set held aside for the end of issue 13 (labelled blind, run once on the final rules, never tuned on): what its first run reached, so it cannot silently regress', () => {
  // Its first and only run (first-run.json): 100% of what was set aside is noise (27/27), 75.0% of
  // the noise set aside (27/36), 100% of true positives kept (26/26), 85.5% at confidence >= 80
  // (90.6% right): all four targets of issue 13.
  assertMeasures('holdout-19', measure(judgedOf(evaluate(loadSet('holdout-19')))), { dismissedPrecision: 1, noiseDismissed: 0.75, truePositivesKept: 1, confident: 0.85 });
});

test('confidence >= 80 means something on every held-aside set: at least 70% of findings, and at least 95% of them right', () => {
  for (const name of ['holdout-3', 'holdout-4', 'holdout-5', 'holdout-6', 'holdout-7'] satisfies SetName[]) {
    const m = measure(judgedOf(evaluate(loadSet(name))));
    assert.ok(m.confident >= 0.7, `${name}: confidence >= 80 on ${m.confident}`);
    assert.ok((m.confidentRight ?? 1) >= 0.95, `${name}: right among the confident ${m.confidentRight}`);
  }
});

const corpusSkip = corpusAvailable(root) ? false : 'the corpus (../shared/corpus beside the checkout) is absent';

test('corpus (blind labels, real apps, source read): the four targets of issue 13 on all apps together and on each app', { skip: corpusSkip }, () => {
  const all: Judged[] = [];
  for (const app of CORPUS_APPS) {
    const judged = judgeCorpusApp(root, app);
    all.push(...judged);
    // Per app the floors are what the rules reach (see FIRST-BLIND-RUN.md for the first run).
    assertMeasures(app, measure(judged), { dismissedPrecision: 0.98, noiseDismissed: 0.75, truePositivesKept: 0.95, confident: 0.7 });
  }
  assertMeasures('corpus', measure(all), { dismissedPrecision: 0.98, noiseDismissed: 0.75, truePositivesKept: 0.95, confident: 0.7 });
});

test('every verdict on the corpus: factors add up to the confidence from a shown base, and every set-aside verdict has a category', { skip: corpusSkip }, () => {
  for (const app of CORPUS_APPS) {
    for (const judged of judgeCorpusApp(root, app)) {
      const result = judged.result;
      assert.ok(result, judged.id);
      assert.equal(result.factors.reduce((sum, f) => sum + f.weight, 0), result.confidence, judged.id);
      assert.ok(['base', 'prior'].includes(result.factors[0]?.id ?? ''), `${judged.id}: the base comes first`);
      assert.match(result.factors[0]?.detail ?? '', /^Base: /);
      if (result.verdict === 'false_positive' || result.verdict === 'wont_fix') assert.ok(result.category, `${judged.id} has no category`);
      else assert.equal(result.category, undefined, judged.id);
    }
  }
});
