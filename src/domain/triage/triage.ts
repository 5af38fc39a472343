import type { NormalisedFinding, TriageFactor, TriageResult } from '../finding';
import { confirmations, secretAtPredictablePath } from './analyzers/confirmations';
import { configurationSelection } from './analyzers/configuration-selection';
import { defused } from './analyzers/defusers';
import { demoFlag } from './analyzers/demo-flag';
import { containerTemp, debugLogInProduction, iniGuardedSetting } from './analyzers/deployment-config';
import { globalProtection } from './analyzers/global-protection';
import { dataAssertion, fireAndForgetHttp, plainTextTemplates, readOnlyCors } from './analyzers/plain-uses';
import { noisyRule } from './analyzers/noisy';
import { clientValuesCompared, environmentRequire, harmlessRandom, ownKeys, swallowedException } from './analyzers/not-security';
import { pathKind } from './analyzers/path-kind';
import { policyIgnore } from './analyzers/policy-ignore';
import { developmentServerScript } from './analyzers/development-server';
import { containerBinding, developerEntryPoint, lambdaTemp, productionEvidence, settingsInProduction } from './analyzers/production';
import { developmentSubcommand, operatorTool } from './analyzers/operator-tools';
import { scheduledCommand } from './analyzers/scheduled-command';
import { qualityRule } from './analyzers/quality';
import { reviewedComment } from './analyzers/reviewed-comment';
import { requestChosenKey } from './analyzers/request-keys';
import { displayOnlyRandom } from './analyzers/display-random';
import { promptedValuesCompared, savedDigestCompared } from './analyzers/timing-noise';
import { valueFlow } from './analyzers/value-flow';
import { makeView } from './code-view';
import { familyLabel, familyOf } from './families';
import { priorCounts, priorOf } from './priors';
import type { RepositoryFacts } from './repository-facts';
import { agreement, fixAvailable, scannerPrecision, securitySeverity } from './analyzers/scanner-signals';
import { suppression } from './analyzers/suppression';
import { safeQuote, type AnalyzerInput, type Decision, type DecisiveAnalyzer, type FactorAnalyzer } from './analyzers/types';

/** What the triage step knows beyond the finding itself. */
export interface TriageContext {
  /** A codemod in the catalogue answers this finding's rule and the workspace has not turned it off. */
  fixAvailable: boolean;
  /**
   * Codemods that would answer the finding but the workspace turned off (policy
   * `disabledCodemods`): they earn no confidence, and a weight-0 factor names them.
   */
  fixTurnedOff?: readonly string[];
  /** Source lines around the finding when they were read (else the SARIF snippet is used). */
  code?: string;
  /** The file line number of the first line of `code`; lets triage find the reported line in it. */
  codeStartLine?: number;
  /**
   * Why the source file was not read, when it was not (no repository access, the request budget,
   * the per-scan read limit). Shown in a factor so a reviewer knows the verdict rests on the snippet.
   */
  codeNotRead?: string;
  /** From the workspace policy: rule ids and CWEs (`CWE-79` or `79`) the team does not want reported. */
  ignoreRules?: readonly string[];
  ignoreCwes?: readonly string[];
  /**
   * What the repository's manifests say ships and what does not (`collectRepositoryFacts` in
   * repository-facts.ts). Without it only path conventions and the code decide.
   */
  repository?: RepositoryFacts;
}

/**
 * In order: the first that answers decides. A person's or the scanner's decision (suppression),
 * then the workspace's (policy), then where the code lives (path conventions, then the
 * repository's own manifests), then what kind of rule it is, then what the code itself shows.
 * Only when none applies does the scanner's word stand.
 */
const decisive: DecisiveAnalyzer[] = [
  suppression, policyIgnore, pathKind, productionEvidence, reviewedComment, qualityRule, secretAtPredictablePath, developerEntryPoint, developmentServerScript, operatorTool, developmentSubcommand, scheduledCommand, demoFlag, configurationSelection, containerBinding, lambdaTemp, containerTemp, settingsInProduction, iniGuardedSetting, debugLogInProduction, globalProtection, plainTextTemplates, readOnlyCors, dataAssertion, fireAndForgetHttp,
  swallowedException, harmlessRandom, displayOnlyRandom, clientValuesCompared, promptedValuesCompared, savedDigestCompared, environmentRequire, requestChosenKey, ownKeys, valueFlow, defused,
];
/** Evidence for or against believing the scanner, summed into the confidence of the fallbacks. */
const supporting: FactorAnalyzer[] = [scannerPrecision, securitySeverity, agreement, fixAvailable];

/** Confidence of a noisy rule's `suspicious` verdict before its factors: a coin toss, slightly for looking. */
const SUSPICIOUS_BASE = 55;
/** Families whose findings are real only when outside input reaches the sink. */
const TAINT_FAMILIES: readonly string[] = ['injection', 'dom-sinks', 'deserialisation'];
/** The most a taint-family true positive earns when no request data was seen reaching the sink. */
const NO_SOURCE_CEILING = 75;
/** Only a person's decision is certain. */
const MAX_TRIAGE_CONFIDENCE = 99;

const verdictWords: Record<Decision['verdict'], string> = {
  false_positive: 'false positive',
  wont_fix: "won't fix",
  true_positive: 'true positive',
};

/**
 * The factors of a verdict, always adding up to its confidence: the base first (named), then the
 * evidence, then — only when the sum leaves 0–99 — a `cap` factor that brings it back, then the
 * weight-0 note on which code was read.
 */
function decide(verdict: TriageResult['verdict'], base: TriageFactor, factors: TriageFactor[], justification: string, codeFactor: TriageFactor, category?: TriageResult['category']): TriageResult {
  const sum = [base, ...factors].reduce((total, factor) => total + factor.weight, 0);
  const confidence = Math.max(0, Math.min(MAX_TRIAGE_CONFIDENCE, Math.round(sum)));
  const cap: TriageFactor[] = confidence === sum ? [] : [{ id: 'cap', weight: confidence - sum, detail: `Triage confidence is kept between 0 and ${MAX_TRIAGE_CONFIDENCE}; only a person's decision is 100.` }];
  return { verdict, confidence, justification, factors: [base, ...factors, ...cap, codeFactor], ...(category ? { category } : {}) };
}

/** Which code the verdict was judged on: the file at the scanned commit, the SARIF snippet, or none. */
function codeSource(finding: NormalisedFinding, context: TriageContext): TriageFactor {
  const path = finding.location?.path ?? 'the file';
  if (context.code !== undefined && context.codeStartLine !== undefined) {
    const last = context.codeStartLine + context.code.split('\n').length - 1;
    return { id: 'code-read', weight: 0, detail: `Judged on ${path} lines ${context.codeStartLine}–${last} at the scanned commit.` };
  }
  const why = context.codeNotRead ? ` (${context.codeNotRead})` : '';
  if (finding.snippet) return { id: 'code-snippet', weight: 0, detail: `Judged on the scanner's snippet only; the source file was not read${why}.` };
  return { id: 'code-none', weight: 0, detail: `No code was available: the scanner gave no snippet and the source file was not read${why}.` };
}

/** The prior of the finding's weakness family, as a base factor that says where it comes from. */
export function priorFactor(finding: NormalisedFinding): TriageFactor {
  const family = familyOf(finding);
  const counts = priorCounts[family];
  const seen = counts.seen === 0 ? 'no such finding was in the labelled sets' : `${counts.real} of ${counts.seen} such findings in the labelled sets were real`;
  return { id: 'prior', weight: priorOf(counts), detail: `Base: prior for ${familyLabel[family]} findings (${seen}).` };
}

/**
 * A deterministic verdict with a justification naming its evidence and a confidence built from
 * listed factors that add up to it. Pure: the same finding and context always give the same answer.
 */
export function triageFinding(finding: NormalisedFinding, context: TriageContext): TriageResult {
  const code = context.code ?? finding.snippet ?? '';
  const fromFile = context.code !== undefined && context.codeStartLine !== undefined;
  // A SARIF snippet is the text of the reported region, so it starts at the reported line.
  const view = finding.location && code && (fromFile || context.code === undefined)
    ? makeView(code, fromFile ? context.codeStartLine ?? 0 : finding.location.startLine, finding.location.startLine, finding.location.endLine)
    : undefined;
  const codeFactor = codeSource(finding, context);
  const input: AnalyzerInput = {
    finding,
    code,
    ...(view ? { view } : {}),
    // The reported lines when the file was read and they lie in it; else all of `code`.
    flagged: view && fromFile ? view.lines.slice(view.flagged, view.flaggedEnd + 1).join('\n') : code,
    where: finding.location ? `${finding.location.path}:${finding.location.startLine}` : 'a location outside the source tree',
    fixAvailable: context.fixAvailable,
    fixTurnedOff: context.fixTurnedOff ?? [],
    ignoreRules: context.ignoreRules ?? [],
    ignoreCwes: context.ignoreCwes ?? [],
    ...(context.repository ? { repository: context.repository } : {}),
  };

  for (const analyzer of decisive) {
    const decision = analyzer(input);
    if (!decision) continue;
    const base: TriageFactor = { id: 'base', weight: decision.base, detail: `Base: how conclusive this evidence is on its own for a ${verdictWords[decision.verdict]} verdict.` };
    return decide(decision.verdict, base, [decision.factor], decision.justification, codeFactor, decision.category);
  }

  const tools = finding.tools.map((tool) => tool.name).join(' and ');
  const reports = finding.tools.length > 1 ? 'report' : 'reports';
  const confirmed = confirmations.map((confirm) => confirm(input)).filter((c) => c !== undefined);
  // The priors were learned with the code read; without it nothing could rule the finding out, so it is less sure.
  const unread: TriageFactor[] = fromFile ? [] : [{ id: 'code-not-read', weight: -10, detail: 'The source file was not read, so no code evidence could set the finding aside.' }];
  const factors = [...supporting.flatMap((analyzer) => analyzer(input)), ...confirmed.map((c) => c.factor), ...unread];
  const noisy = confirmed.some((c) => c.settlesNoise) ? undefined : noisyRule(input);
  if (noisy) {
    const base: TriageFactor = { id: 'base', weight: SUSPICIOUS_BASE, detail: 'Base: a rule known to be noisy, where nothing in the code confirms or rules it out.' };
    return decide('suspicious', base, [...factors, noisy], `${tools} ${reports} ${finding.ruleId} at ${input.where}; this rule is noisy and nothing in the code confirms or rules it out, so a person should look.`, codeFactor);
  }
  const shown = safeQuote(finding, input.flagged || code);
  const evidence = confirmed.length > 0
    ? ` ${confirmed.map((c) => c.evidence).join('; ')}.`
    : shown ? ` The flagged code is \`${shown}\`.` : ' The scanner gave no code snippet to check.';
  const read = view ? (fromFile ? 'the code read' : 'the snippet') : 'what is known';
  // Injection, DOM and deserialisation findings are real when outside input reaches the sink. When
  // the code read shows none, the verdict rests on the rule's prior alone: it is held at 75 so a
  // confident "true positive" always means the code showed the flaw.
  const prior = priorFactor(finding);
  const sum = [prior, ...factors].reduce((total, factor) => total + factor.weight, 0);
  if (fromFile && TAINT_FAMILIES.includes(familyOf(finding)) && confirmed.length === 0 && sum > NO_SOURCE_CEILING) {
    factors.push({ id: 'no-source-cap', weight: NO_SOURCE_CEILING - sum, detail: `No request data was found reaching the sink in the code read; without that evidence the verdict rests on the rule's prior and the scanner's word, so its confidence is held at ${NO_SOURCE_CEILING}.` });
  }
  return decide('true_positive', prior, factors,
    `${tools} ${reports} ${finding.ruleId} at ${input.where}.${evidence} Nothing in ${read} sets it aside: it is not test, tooling or suppressed code, and no constant, number, sanitiser or allow-list accounts for the value.`, codeFactor);
}
