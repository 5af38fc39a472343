/**
 * The real-code corpus (../shared/corpus: NodeGoat, DVNA, PyGoat) against its blind labels
 * (test/fixtures/corpus-labels/), triaged the way the scan job does it: each SARIF file
 * normalised, absolute ESLint URIs mapped to repository paths with the app's file list
 * (`RepositoryTree`, as `resolve-paths.ts` does with the listed tree), the uploads of one app folded
 * into findings (`FindingSet`, as `process-scan.ts` does), and every finding triaged with the real
 * source file read through `codeWindow`. A label is one SARIF result; it is scored by the verdict of
 * the finding that result landed in.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ruleIdsOf, type NormalisedFinding, type TriageResult, type Verdict } from '../src/domain/finding';
import { mapAbsoluteLocations, normaliseLog, parseSarif, RepositoryTree } from '../src/domain/sarif/index';
import { FindingSet } from '../src/domain/sarif/dedupe';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { codeWindow } from '../src/domain/triage/code-window';
import { collectRepositoryFacts, MAX_FACT_FILES, manifestsToRead, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { importsToRead, MAX_IMPORTED_FILES } from '../src/domain/triage/module-imports';
import { triageFinding } from '../src/domain/triage/triage';

export const CORPUS_APPS = ['nodegoat', 'dvna', 'pygoat'] as const;
export type CorpusApp = (typeof CORPUS_APPS)[number];

export interface CorpusLabel {
  sarif: string;
  ruleId: string;
  path: string;
  startLine: number;
  snippet: string;
  label: 'true_positive' | 'noise';
  category?: string;
  fixable: boolean;
  group: string;
  reason: string;
}

/** One labelled result with the verdict it got: the truth is only "real weakness" or "noise". */
export interface Judged {
  id: string;
  noise: boolean;
  category?: string;
  reason: string;
  result?: TriageResult;
}

/** The four measures of issue 13's table. */
export interface Measures {
  results: number;
  /** Results matched to no finding (they count against every measure they touch). */
  unmatched: number;
  /** Of the results called false positive or won't fix, the share that is really noise. */
  dismissedPrecision: number | undefined;
  dismissed: number;
  /** Of the noise, the share called false positive or won't fix. */
  noiseDismissed: number | undefined;
  noise: number;
  /** Of the true positives, the share still called true positive. */
  truePositivesKept: number | undefined;
  truePositives: number;
  /** Share of results whose confidence is 80 or more. */
  confident: number;
  /** Among those, the share whose verdict is right (noise set aside, a true positive kept): confidence must mean something. */
  confidentRight?: number;
}

export const corpusRoot = (root: string): string => join(root, '..', 'shared', 'corpus');
export const corpusAvailable = (root: string): boolean => existsSync(join(corpusRoot(root), 'README.md'));

const ratio = (a: number, b: number): number | undefined => (b === 0 ? undefined : a / b);
const setAside = (verdict: Verdict | undefined): boolean => verdict === 'false_positive' || verdict === 'wont_fix';

export function measure(judged: readonly Judged[]): Measures {
  const matched = judged.filter((j) => j.result);
  const dismissed = matched.filter((j) => setAside(j.result?.verdict));
  const noise = judged.filter((j) => j.noise);
  const real = judged.filter((j) => !j.noise);
  return {
    results: judged.length,
    unmatched: judged.length - matched.length,
    dismissed: dismissed.length,
    dismissedPrecision: ratio(dismissed.filter((j) => j.noise).length, dismissed.length),
    noise: noise.length,
    noiseDismissed: ratio(noise.filter((j) => setAside(j.result?.verdict)).length, noise.length),
    truePositives: real.length,
    truePositivesKept: ratio(real.filter((j) => j.result?.verdict === 'true_positive').length, real.length),
    confident: ratio(matched.filter((j) => (j.result?.confidence ?? 0) >= 80).length, judged.length) ?? 0,
    confidentRight: ratio(
      matched.filter((j) => (j.result?.confidence ?? 0) >= 80 && (j.noise ? setAside(j.result?.verdict) : j.result?.verdict === 'true_positive')).length,
      matched.filter((j) => (j.result?.confidence ?? 0) >= 80).length,
    ),
  };
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, base) : [relative(base, full).split('\\').join('/')];
  });
}

export function loadCorpusLabels(root: string, app: CorpusApp): CorpusLabel[] {
  const file = JSON.parse(readFileSync(join(root, 'test/fixtures/corpus-labels', `${app}.json`), 'utf8')) as { results: CorpusLabel[] };
  return file.results;
}

/** The app's findings as the scan job would hold them after path mapping and folding. */
export function corpusFindings(root: string, app: CorpusApp): NormalisedFinding[] {
  const dir = join(corpusRoot(root), app);
  const tree = new RepositoryTree(filesUnder(join(dir, 'src')));
  const registry = createDefaultRegistry();
  const ruleClass = (finding: { ruleId: string; cwes: string[]; path: string }) => registry.find(finding)[0]?.id;
  const set = new FindingSet(ruleClass);
  for (const name of readdirSync(join(dir, 'sarif')).filter((n) => n.endsWith('.sarif')).sort()) {
    const log = normaliseLog(parseSarif(readFileSync(join(dir, 'sarif', name), 'utf8')), { ruleClass });
    for (const finding of mapAbsoluteLocations(log.findings, tree, { ruleClass }).findings) set.add(finding);
  }
  return set.findings;
}

/** The finding a labelled result landed in: same file, a rule that reported it, the line inside its range. */
export function findingOf(label: Pick<CorpusLabel, 'path' | 'ruleId' | 'startLine'>, findings: readonly NormalisedFinding[]): NormalisedFinding | undefined {
  const candidates = findings.filter((f) => f.location?.path === label.path && ruleIdsOf(f).includes(label.ruleId));
  const covers = (f: NormalisedFinding): boolean => {
    const start = f.location?.startLine ?? 0;
    return label.startLine >= start && label.startLine <= Math.max(start, f.location?.endLine ?? start);
  };
  return candidates.find((f) => f.location?.startLine === label.startLine) ?? candidates.find(covers);
}

/**
 * What the scan job can know of the repository: its file list (one listing) and the contents of
 * the manifests `manifestsToRead` names plus the files it reads for triage anyway (those with
 * findings), then at most `MAX_IMPORTED_FILES` repository modules those files import. Nothing else is read, so the corpus figures are what the product can reach.
 */
export function repositoryFactsOf(sourceRoot: string, findings: readonly NormalisedFinding[]): RepositoryFacts {
  const files = filesUnder(sourceRoot);
  const read = new Set([...manifestsToRead(files).slice(0, MAX_FACT_FILES), ...findings.flatMap((f) => (f.location ? [f.location.path] : []))]);
  const contents = new Map<string, string>();
  for (const path of read) if (existsSync(join(sourceRoot, path))) contents.set(path, readFileSync(join(sourceRoot, path), 'utf8'));
  // As the scan job: the repository's modules those files import, bounded (their functions and settings are read by their body).
  for (const path of importsToRead(files, contents).slice(0, MAX_IMPORTED_FILES)) contents.set(path, readFileSync(join(sourceRoot, path), 'utf8'));
  return collectRepositoryFacts(files, contents);
}

/** Triage as the scan job does with the file read at the scanned commit. */
export function triageWithSource(finding: NormalisedFinding, sourceRoot: string, repository?: RepositoryFacts): TriageResult {
  const registry = createDefaultRegistry();
  const fixAvailable = finding.location ? registry.find({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path }).length > 0 : false;
  if (finding.location) {
    const file = join(sourceRoot, finding.location.path);
    if (existsSync(file)) {
      const window = codeWindow(readFileSync(file, 'utf8'), finding.location.startLine, finding.location.endLine);
      if (window) return triageFinding(finding, { fixAvailable, ...window, ...(repository ? { repository } : {}) });
    }
  }
  return triageFinding(finding, { fixAvailable, codeNotRead: 'the file is not in the corpus', ...(repository ? { repository } : {}) });
}

export function judgeCorpusApp(root: string, app: CorpusApp): Judged[] {
  const findings = corpusFindings(root, app);
  const sourceRoot = join(corpusRoot(root), app, 'src');
  const results = new Map<NormalisedFinding, TriageResult>();
  const repository = repositoryFactsOf(sourceRoot, findings);
  return loadCorpusLabels(root, app).map((label) => {
    const finding = findingOf(label, findings);
    let result = finding ? results.get(finding) : undefined;
    if (finding && !result) results.set(finding, (result = triageWithSource(finding, sourceRoot, repository)));
    return {
      id: `${label.sarif} ${label.ruleId} ${label.path}:${label.startLine}`,
      noise: label.label === 'noise',
      ...(label.category ? { category: label.category } : {}),
      reason: label.reason,
      ...(result ? { result } : {}),
    };
  });
}
