import type { NormalisedFinding, TriageFactor, TriageResult, Verdict } from '../finding';
import { defused } from './analyzers/defusers';
import { noisyRule } from './analyzers/noisy';
import { pathKind } from './analyzers/path-kind';
import { policyIgnore } from './analyzers/policy-ignore';
import { qualityRule } from './analyzers/quality';
import { reviewedComment } from './analyzers/reviewed-comment';
import { valueFlow } from './analyzers/value-flow';
import { makeView } from './code-view';
import { agreement, fixAvailable, scannerPrecision, securitySeverity } from './analyzers/scanner-signals';
import { suppression } from './analyzers/suppression';
import { safeQuote, type AnalyzerInput, type DecisiveAnalyzer, type FactorAnalyzer } from './analyzers/types';

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
}

/**
 * In order: the first that answers decides. A person's or the scanner's decision (suppression),
 * then the workspace's (policy), then where the code lives, then what kind of rule it is, then
 * what the code itself shows. Only when none applies does the scanner's word stand.
 */
const decisive: DecisiveAnalyzer[] = [suppression, policyIgnore, pathKind, reviewedComment, qualityRule, valueFlow, defused];
/** Evidence for or against believing the scanner, summed into the confidence of the fallbacks. */
const supporting: FactorAnalyzer[] = [scannerPrecision, securitySeverity, agreement, fixAvailable];

/** Starting confidence of the fallback verdicts before the listed factors are added. */
const TRUE_POSITIVE_BASE = 50;
const SUSPICIOUS_BASE = 55;

const clamp = (value: number): number => Math.max(0, Math.min(100, Math.round(value)));

function decide(verdict: Verdict, factors: TriageFactor[], base: number, justification: string, codeFactor: TriageFactor): TriageResult {
  const confidence = clamp(base + factors.reduce((sum, factor) => sum + factor.weight, 0));
  return { verdict, confidence, justification, factors: [...factors, codeFactor] };
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

/**
 * A deterministic verdict with a justification naming its evidence and a confidence built from
 * listed factors. Pure: the same finding and context always give the same answer.
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
  };

  for (const analyzer of decisive) {
    const decision = analyzer(input);
    if (decision) return decide(decision.verdict, [decision.factor], decision.base, decision.justification, codeFactor);
  }

  const tools = finding.tools.map((tool) => tool.name).join(' and ');
  const factors = supporting.flatMap((analyzer) => analyzer(input));
  const noisy = noisyRule(input);
  if (noisy) {
    return decide('suspicious', [...factors, noisy], SUSPICIOUS_BASE,
      `${tools} reports ${finding.ruleId} at ${input.where}; this rule is noisy and nothing in the code confirms or rules it out, so a person should look.`, codeFactor);
  }
  const shown = safeQuote(finding, input.flagged || code);
  const codeNote = shown ? ` The flagged code is \`${shown}\`.` : ' The scanner gave no code snippet to check.';
  return decide('true_positive', factors, TRUE_POSITIVE_BASE,
    `${tools} reports ${finding.ruleId} at ${input.where} and no suppression, policy, test, vendored or defusing evidence applies.${codeNote}`, codeFactor);
}
