/**
 * `npm run eval:triage`: triages every labelled finding and compares the verdict with the label,
 * separately for two sets:
 * - in-sample: findings of the real SARIF fixtures (test/fixtures/triage/labels.json). The rules
 *   were written after reading these, and only the SARIF snippet is available as code.
 * - holdout: small apps written afterwards and labelled before triage was run on them
 *   (test/fixtures/triage/holdout/). Triaged twice: with the source file read as the scan does
 *   (`code read`), and with the SARIF snippet only (what triage sees without repository access).
 * - holdout-2: written after the rules were improved on the holdout's misses, labelled before
 *   triage was run on it: the out-of-sample figure for the current rules.
 * - corpus: the real apps of ../shared/corpus with their blind labels (see scripts/eval-corpus.ts),
 *   printed per app with the four measures of issue 13 beside the first blind run's
 *   (test/fixtures/corpus-labels/first-blind-run.json). Skipped, saying so, without the corpus.
 * The same numbers are asserted by test/triage-eval.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ruleIdsOf, verdicts, type NormalisedFinding, type TriageResult, type Verdict } from '../src/domain/finding';
import { normaliseLog, parseSarif } from '../src/domain/sarif/index';
import { findCodemods } from '../src/domain/codemods/registry';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';
import { CORPUS_APPS, corpusAvailable, corpusRoot, judgeCorpusApp, measure, repositoryFactsOf, type Judged, type Measures } from './eval-corpus';
import type { RepositoryFacts } from '../src/domain/triage/repository-facts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Label {
  /** The SARIF file, relative to the repository root. */
  sarif: string;
  ruleId: string;
  /** Null when the finding has no location (an image scan). */
  path: string | null;
  startLine: number | null;
  verdict: Verdict;
  reason: string;
  /** Why a non-true-positive is noise (holdout-3 labels carry it). */
  category?: string;
}

export type SetName = 'in-sample' | 'holdout' | 'holdout-2' | HeldAsideSet;

/** Sets held aside: each is run once at the end of a round of rule changes, and that run is recorded. */
export const heldAsideSets = ['holdout-3', 'holdout-4', 'holdout-5', 'holdout-6', 'holdout-7', 'holdout-8', 'holdout-9', 'holdout-10', 'holdout-11', 'holdout-12', 'holdout-13', 'holdout-14', 'holdout-15', 'holdout-16', 'holdout-17', 'holdout-18', 'holdout-19'] as const;
export type HeldAsideSet = (typeof heldAsideSets)[number];

export interface LabelSet {
  name: SetName;
  labels: Label[];
  /** Where the scanned repository's files are, when the set has them (holdout). */
  sourceRoot?: string;
}

export interface Scored {
  label: Label;
  matches: NormalisedFinding[];
  result?: TriageResult;
}

export interface VerdictStats {
  verdict: Verdict;
  labelled: number;
  predicted: number;
  correct: number;
  precision: number | undefined;
  recall: number | undefined;
}

export interface Evaluation {
  scored: Scored[];
  stats: VerdictStats[];
  accuracy: number;
  /** Share of labelled findings whose triage confidence is 80 or more. */
  confident: number;
  /** Accuracy among those confident findings: confidence should mean something. */
  confidentAccuracy: number;
}

interface InSampleRow { fixture: string; ruleId: string; path: string | null; startLine: number | null; verdict: Verdict; reason: string }
interface HoldoutRow { ruleId: string; path: string; startLine: number; verdict: Verdict; reason: string; category?: string }

const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

export function loadSet(name: SetName): LabelSet {
  if (name === 'in-sample') {
    const rows = readJson('test/fixtures/triage/labels.json') as InSampleRow[];
    return { name, labels: rows.map(({ fixture, ...rest }) => ({ ...rest, sarif: `test/fixtures/sarif/${fixture}` })) };
  }
  const dir = `test/fixtures/triage/${name}`;
  const rows = readJson(`${dir}/labels.json`) as HoldoutRow[];
  return {
    name,
    sourceRoot: `${dir}/repo`,
    labels: rows.map(({ ruleId, path, startLine, verdict, reason, category }) => ({ sarif: `${dir}/holdout.sarif`, ruleId, path, startLine, verdict, reason, ...(category ? { category } : {}) })),
  };
}

const sarifCache = new Map<string, NormalisedFinding[]>();
export function sarifFindings(sarif: string): NormalisedFinding[] {
  let findings = sarifCache.get(sarif);
  if (!findings) {
    findings = normaliseLog(parseSarif(readFileSync(join(root, sarif), 'utf8'))).findings;
    sarifCache.set(sarif, findings);
  }
  return findings;
}

/**
 * A labelled result lands in the finding one of whose rules reported it at that place: results of
 * several rules at one place fold into one finding (sarif/dedupe.ts), which keeps every rule in
 * `reports` and the place of the result with the strongest evidence.
 */
export const matchesLabel = (label: Label, finding: NormalisedFinding): boolean => {
  if (!ruleIdsOf(finding).includes(label.ruleId) || (finding.location?.path ?? null) !== label.path) return false;
  const start = finding.location?.startLine ?? null;
  if (start === label.startLine) return true;
  return start !== null && label.startLine !== null && label.startLine >= start && label.startLine <= (finding.location?.endLine ?? start);
};

/**
 * Triage as merge-findings does: with the file read at the scanned commit when `sourceRoot` is
 * given (the same window of lines), else with the SARIF snippet as the code at the reported line.
 */
function triage(finding: NormalisedFinding, sourceRoot: string | undefined, repository?: RepositoryFacts): TriageResult {
  const fixAvailable = finding.location ? findCodemods({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path }).length > 0 : false;
  if (sourceRoot && finding.location) {
    const content = readFileSync(join(root, sourceRoot, finding.location.path), 'utf8');
    const window = codeWindow(content, finding.location.startLine, finding.location.endLine);
    if (window) return triageFinding(finding, { fixAvailable, ...window, ...(repository ? { repository } : {}) });
  }
  return triageFinding(finding, { fixAvailable, codeNotRead: 'evaluation without the repository' });
}

const ratio = (a: number, b: number): number | undefined => (b === 0 ? undefined : a / b);

export function evaluate(set: LabelSet = loadSet('in-sample'), options: { readCode?: boolean } = {}): Evaluation {
  const sourceRoot = options.readCode === false ? undefined : set.sourceRoot;
  // With the repository at hand, what the scan job would learn from its manifests (repository-facts.ts).
  const repository = sourceRoot ? repositoryFactsOf(join(root, sourceRoot), [...new Set(set.labels.map((l) => l.sarif))].flatMap(sarifFindings)) : undefined;
  const scored: Scored[] = set.labels.map((label) => {
    const matches = sarifFindings(label.sarif).filter((finding) => matchesLabel(label, finding));
    return { label, matches, ...(matches.length === 1 && matches[0] ? { result: triage(matches[0], sourceRoot, repository) } : {}) };
  });
  const judged = scored.filter((s) => s.result);
  const stats = verdicts.map((verdict): VerdictStats => {
    const labelled = judged.filter((s) => s.label.verdict === verdict).length;
    const predicted = judged.filter((s) => s.result?.verdict === verdict).length;
    const correct = judged.filter((s) => s.label.verdict === verdict && s.result?.verdict === verdict).length;
    return { verdict, labelled, predicted, correct, precision: ratio(correct, predicted), recall: ratio(correct, labelled) };
  });
  const confidentOnes = judged.filter((s) => (s.result?.confidence ?? 0) >= 80);
  return {
    scored,
    stats,
    accuracy: ratio(judged.filter((s) => s.result?.verdict === s.label.verdict).length, judged.length) ?? 0,
    confident: ratio(confidentOnes.length, set.labels.length) ?? 0,
    confidentAccuracy: ratio(confidentOnes.filter((s) => s.result?.verdict === s.label.verdict).length, confidentOnes.length) ?? 0,
  };
}

const pct = (value: number | undefined): string => (value === undefined ? '   n/a' : `${(value * 100).toFixed(1).padStart(5)}%`);

function report(title: string, evaluation: Evaluation, showDisagreements: boolean): void {
  const unmatched = evaluation.scored.filter((s) => s.matches.length !== 1);
  console.log(`\n== ${title}: ${evaluation.scored.length} labelled findings${unmatched.length ? `, ${unmatched.length} NOT matched to exactly one finding` : ''}\n`);
  console.log('verdict          labelled  predicted  correct  precision  recall');
  for (const s of evaluation.stats) {
    console.log(`${s.verdict.padEnd(16)} ${String(s.labelled).padStart(8)} ${String(s.predicted).padStart(10)} ${String(s.correct).padStart(8)}     ${pct(s.precision)}  ${pct(s.recall)}`);
  }
  console.log(`\naccuracy ${pct(evaluation.accuracy)}; confidence >= 80 on ${pct(evaluation.confident)} of labelled findings (accuracy among them ${pct(evaluation.confidentAccuracy)})`);
  const wrong = evaluation.scored.filter((s) => s.result && s.result.verdict !== s.label.verdict);
  if (showDisagreements && wrong.length) console.log(`\nDisagreements (${wrong.length}):`);
  for (const s of showDisagreements ? wrong : []) {
    console.log(`- ${s.label.ruleId} ${s.label.path ?? '-'}:${s.label.startLine ?? '-'}: labelled ${s.label.verdict}, triaged ${s.result?.verdict} (${s.result?.confidence}) — ${s.label.reason}`);
  }
  for (const s of unmatched) console.log(`! unmatched (${s.matches.length}): ${s.label.sarif} ${s.label.ruleId} ${s.label.path}:${s.label.startLine}`);
}

/** A labelled set's findings as noise or real, for the four measures of issue 13. */
/**
 * The labels the measures count. A label of `suspicious` is a reviewer who could not decide: it is
 * neither noise nor a real weakness, so it is left out of the four measures (holdout-5 is the first
 * set with such labels; this rule was written before its one run) and reported apart.
 */
export const judgedOf = (evaluation: Evaluation): Judged[] =>
  evaluation.scored.filter((s) => s.label.verdict !== 'suspicious').map((s) => ({
    id: `${s.label.ruleId} ${s.label.path ?? '-'}:${s.label.startLine ?? '-'}`,
    noise: s.label.verdict !== 'true_positive',
    ...(s.label.category ? { category: s.label.category } : {}),
    reason: s.label.reason,
    ...(s.result ? { result: s.result } : {}),
  }));

const share = (value: number | undefined, of: number): string => (value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}% (${Math.round(value * of)}/${of})`);

export function measuresLine(m: Measures): string {
  return [
    `set aside (FP + won't fix) that is noise ${share(m.dismissedPrecision, m.dismissed)} [target >= 98%]`,
    `noise dismissed ${share(m.noiseDismissed, m.noise)} [>= 75%]`,
    `true positives kept ${share(m.truePositivesKept, m.truePositives)} [>= 95%]`,
    `confidence >= 80 ${share(m.confident, m.results)} [>= 70%]${m.confidentRight === undefined ? '' : `, right among them ${(m.confidentRight * 100).toFixed(1)}%`}`,
  ].join('; ');
}

function reportCorpus(verbose: boolean): void {
  if (!corpusAvailable(root)) {
    console.log(`\n== corpus: skipped, ${corpusRoot(root)} not found (../shared/corpus beside the checkout)`);
    return;
  }
  const firstRunFile = join(root, 'test/fixtures/corpus-labels/first-blind-run.json');
  const firstRun = existsSync(firstRunFile) ? (JSON.parse(readFileSync(firstRunFile, 'utf8')) as { commit: string; apps: Record<string, Measures> }) : undefined;
  const all: Judged[] = [];
  const measured: Record<string, Measures> = {};
  for (const app of CORPUS_APPS) {
    const judged = judgeCorpusApp(root, app);
    all.push(...judged);
    const m = measure(judged);
    measured[app] = m;
    console.log(`\n== corpus ${app} (blind labels, source read): ${m.results} results${m.unmatched ? `, ${m.unmatched} NOT matched to a finding` : ''}`);
    const first = firstRun?.apps[app];
    if (first) console.log(`first blind run (${firstRun.commit.slice(0, 7)}): ${measuresLine(first)}`);
    console.log(`current rules:       ${measuresLine(m)}`);
    const wrong = judged.filter((j) => j.result && (j.noise ? !['false_positive', 'wont_fix'].includes(j.result.verdict) : j.result.verdict !== 'true_positive'));
    for (const j of verbose ? wrong : []) {
      console.log(`- ${j.id}: labelled ${j.noise ? `noise/${j.category}` : 'true positive'}, triaged ${j.result?.verdict} (${j.result?.confidence}) — ${j.reason}`);
    }
  }
  const m = measure(all);
  measured.all = m;
  if (process.argv.includes('--record-first-run')) {
    // Once only: the first blind run is evidence because nothing was tuned before it.
    if (firstRun) throw new Error(`${firstRunFile} exists: the first blind run is recorded once and never rewritten`);
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    writeFileSync(firstRunFile, `${JSON.stringify({ ranOn: new Date().toISOString(), commit, apps: measured }, null, 2)}\n`);
    console.log(`\nrecorded the first blind run in ${firstRunFile}`);
  }
  console.log(`\n== corpus, all apps: ${m.results} results`);
  if (firstRun?.apps.all) console.log(`first blind run (${firstRun.commit.slice(0, 7)}): ${measuresLine(firstRun.apps.all)}`);
  console.log(`current rules:       ${measuresLine(m)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const verbose = !process.argv.includes('--quiet');
  const holdout = loadSet('holdout');
  const withMeasures = (title: string, evaluation: Evaluation, showDisagreements: boolean): void => {
    report(title, evaluation, showDisagreements);
    console.log(measuresLine(measure(judgedOf(evaluation))));
  };
  withMeasures('in-sample (real fixtures; rules were tuned on these; SARIF snippet only)', evaluate(loadSet('in-sample')), verbose);
  withMeasures('holdout (labelled before triage ran; source files read)', evaluate(holdout), verbose);
  withMeasures('holdout, SARIF snippet only (no repository access)', evaluate(holdout, { readCode: false }), false);
  const second = loadSet('holdout-2');
  withMeasures('holdout-2 (written after the rule changes, labelled before triage ran; source files read)', evaluate(second), verbose);
  withMeasures('holdout-2, SARIF snippet only', evaluate(second, { readCode: false }), false);
  reportCorpus(verbose);
  reportHeldAside(verbose);
}

/**
 * The held-aside sets, each run once at the end of a round of rule changes and recorded then
 * (`--record-holdout-N`: first-run.json, written once, never rewritten), and reported beside the
 * current rules. holdout-3 closed the first round of issue 13; holdout-4 was labelled after rules
 * were tuned on holdout-3's misses, and run once after them; holdout-5 was labelled after the rules
 * were tuned on holdout-4's misses, holdout-6 after they were tuned on holdout-5's, holdout-7 after
 * they were tuned on holdout-6's, holdout-8 after they were tuned on holdout-7's, holdout-9 after
 * they were tuned on holdout-8's (run on the final rules of issue 13's second session), holdout-10
 * and holdout-11 while they were tuned on holdout-9's (run once after that round), holdout-12 to
 * holdout-14 while they were tuned on holdout-10's and holdout-11's (run once after that round),
 * holdout-15 while they were tuned on holdout-12's to holdout-14's (run once after that round),
 * holdout-16 while they were tuned on holdout-15's (run once after that round), holdout-17 while
 * they were tuned on holdout-16's (run once after that round), holdout-18 after the fixes written
 * from holdout-17's run (run once after them), holdout-19 after the fix written from holdout-18's
 * run (run once on the third session's final rules). A set whose labels are not written yet is
 * skipped.
 */
function reportHeldAside(verbose: boolean): void {
  for (const name of heldAsideSets) {
    if (!existsSync(join(root, `test/fixtures/triage/${name}/labels.json`))) continue;
    reportOneHeldAside(name, verbose);
  }
}

function reportOneHeldAside(name: HeldAsideSet, verbose: boolean): void {
  const firstRunFile = join(root, `test/fixtures/triage/${name}/first-run.json`);
  const firstRun = existsSync(firstRunFile) ? (JSON.parse(readFileSync(firstRunFile, 'utf8')) as { commit: string; measures: Measures; categoriesAgreeing: string }) : undefined;
  const evaluation = evaluate(loadSet(name));
  report(`${name} (held aside; labelled before triage ran on it; source files read)`, evaluation, verbose);
  const judged = judgedOf(evaluation);
  const m = measure(judged);
  const setAside = judged.filter((j) => j.noise && j.result && ['false_positive', 'wont_fix'].includes(j.result.verdict));
  const categoriesAgreeing = `${setAside.filter((j) => j.result?.category === j.category).length}/${setAside.length}`;
  const undecided = evaluation.scored.filter((s) => s.label.verdict === 'suspicious');
  if (undecided.length > 0) {
    const verdictsGiven = undecided.map((s) => s.result?.verdict ?? 'unmatched').sort().join(', ');
    console.log(`labelled suspicious (left out of the measures): ${undecided.length}; triaged ${verdictsGiven}`);
  }
  if (firstRun) console.log(`first run (${firstRun.commit.slice(0, 7)}): ${measuresLine(firstRun.measures)}; category as labelled on ${firstRun.categoriesAgreeing} set aside`);
  console.log(`current rules:   ${measuresLine(m)}; category as labelled on ${categoriesAgreeing} set aside`);
  for (const j of verbose ? setAside.filter((s) => s.result?.category !== s.category) : []) console.log(`  category: ${j.id} labelled ${j.category}, triaged ${j.result?.category}`);
  if (process.argv.includes(`--record-${name}`)) {
    if (firstRun) throw new Error(`${firstRunFile} exists: ${name}'s first run is recorded once and never rewritten`);
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    writeFileSync(firstRunFile, `${JSON.stringify({ ranOn: new Date().toISOString(), commit, measures: m, categoriesAgreeing }, null, 2)}\n`);
    console.log(`recorded ${name}'s first run in ${firstRunFile}`);
  }
}
