/**
 * `npm run eval:triage`: triages every labelled finding of the real SARIF fixtures and compares
 * the verdict with the label. Labels live in test/fixtures/triage/labels.json (see its README
 * section in src/domain/triage/README.md); the same numbers are asserted by test/triage-eval.test.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { verdicts, type NormalisedFinding, type TriageResult, type Verdict } from '../src/domain/finding';
import { normaliseLog, parseSarif } from '../src/domain/sarif/index';
import { findCodemods } from '../src/domain/codemods/registry';
import { triageFinding } from '../src/domain/triage/triage';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Label {
  fixture: string;
  ruleId: string;
  /** Null when the finding has no location (an image scan). */
  path: string | null;
  startLine: number | null;
  verdict: Verdict;
  reason: string;
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

export const loadLabels = (): Label[] => JSON.parse(readFileSync(join(root, 'test/fixtures/triage/labels.json'), 'utf8')) as Label[];

const fixtureCache = new Map<string, NormalisedFinding[]>();
export function fixtureFindings(fixture: string): NormalisedFinding[] {
  let findings = fixtureCache.get(fixture);
  if (!findings) {
    findings = normaliseLog(parseSarif(readFileSync(join(root, 'test/fixtures/sarif', fixture), 'utf8'))).findings;
    fixtureCache.set(fixture, findings);
  }
  return findings;
}

export const matchesLabel = (label: Label, finding: NormalisedFinding): boolean =>
  finding.ruleId === label.ruleId && (finding.location?.path ?? null) === label.path && (finding.location?.startLine ?? null) === label.startLine;

/** Triage as merge-findings does, but with the snippet given as the code around the finding. */
function triage(finding: NormalisedFinding): TriageResult {
  const fixAvailable = finding.location ? findCodemods({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path }).length > 0 : false;
  return triageFinding(finding, {
    fixAvailable,
    ...(finding.snippet !== undefined && finding.location ? { code: finding.snippet, codeStartLine: finding.location.startLine } : {}),
  });
}

const ratio = (a: number, b: number): number | undefined => (b === 0 ? undefined : a / b);

export function evaluate(labels: readonly Label[] = loadLabels()): Evaluation {
  const scored: Scored[] = labels.map((label) => {
    const matches = fixtureFindings(label.fixture).filter((finding) => matchesLabel(label, finding));
    return { label, matches, ...(matches.length === 1 && matches[0] ? { result: triage(matches[0]) } : {}) };
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
    confident: ratio(confidentOnes.length, labels.length) ?? 0,
    confidentAccuracy: ratio(confidentOnes.filter((s) => s.result?.verdict === s.label.verdict).length, confidentOnes.length) ?? 0,
  };
}

const pct = (value: number | undefined): string => (value === undefined ? '   n/a' : `${(value * 100).toFixed(1).padStart(5)}%`);

function report(evaluation: Evaluation): void {
  const unmatched = evaluation.scored.filter((s) => s.matches.length !== 1);
  console.log(`Triage evaluation: ${evaluation.scored.length} labelled findings${unmatched.length ? `, ${unmatched.length} NOT matched to exactly one finding` : ''}\n`);
  console.log('verdict          labelled  predicted  correct  precision  recall');
  for (const s of evaluation.stats) {
    console.log(`${s.verdict.padEnd(16)} ${String(s.labelled).padStart(8)} ${String(s.predicted).padStart(10)} ${String(s.correct).padStart(8)}     ${pct(s.precision)}  ${pct(s.recall)}`);
  }
  console.log(`\naccuracy ${pct(evaluation.accuracy)}; confidence >= 80 on ${pct(evaluation.confident)} of labelled findings (accuracy among them ${pct(evaluation.confidentAccuracy)})`);
  const wrong = evaluation.scored.filter((s) => s.result && s.result.verdict !== s.label.verdict);
  if (wrong.length) console.log(`\nDisagreements (${wrong.length}):`);
  for (const s of wrong) {
    console.log(`- ${s.label.fixture} ${s.label.ruleId} ${s.label.path ?? '-'}:${s.label.startLine ?? '-'}: labelled ${s.label.verdict}, triaged ${s.result?.verdict} (${s.result?.confidence}) — ${s.label.reason}`);
  }
  for (const s of unmatched) console.log(`! unmatched (${s.matches.length}): ${s.label.fixture} ${s.label.ruleId} ${s.label.path}:${s.label.startLine}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) report(evaluate());
