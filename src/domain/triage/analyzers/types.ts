import type { NoiseCategory, NormalisedFinding, TriageFactor } from '../../finding';
import type { CodeView } from '../code-view';
import type { RepositoryFacts } from '../repository-facts';

/** Everything an analyzer may look at. Built once per finding by `triageFinding`. */
export interface AnalyzerInput {
  finding: NormalisedFinding;
  /** The code that decides: `context.code` when read, else the SARIF snippet, else ''. */
  code: string;
  /** The reported line(s) inside `code` (the whole snippet when no line offset is known). */
  flagged: string;
  /**
   * The code as lines with the reported line located in them: from the source file when it was
   * read, else from the SARIF snippet (which starts at the reported line). Undefined when neither
   * is available; code-aware analyzers then decide nothing.
   */
  view?: CodeView;
  /** `path:line`, or a phrase when the finding has no location. */
  where: string;
  fixAvailable: boolean;
  /** Ids of codemods that would answer the finding but the workspace turned off (policy `disabledCodemods`). */
  fixTurnedOff: readonly string[];
  ignoreRules: readonly string[];
  ignoreCwes: readonly string[];
  /** What the repository says about which of its files ship (manifests, test configuration, Dockerfiles), when read. */
  repository?: RepositoryFacts;
}

/**
 * A decisive analyzer settles the verdict. `base` is the confidence the evidence alone earns;
 * the scanner factors are added on top only where the verdict relies on the scanner being right
 * (see triage.ts), so a path-based won't-fix is not made surer by the rule's precision.
 */
export type Decision = {
  base: number;
  factor: TriageFactor;
  justification: string;
} & (
  /** Set aside: always says why (`category`). */
  | { verdict: 'false_positive' | 'wont_fix'; category: NoiseCategory }
  /** Confirmed by the code (a secret kept at a predictable path, say): the evidence is the base. */
  | { verdict: 'true_positive'; category?: undefined }
);

export type DecisiveAnalyzer = (input: AnalyzerInput) => Decision | undefined;
export type FactorAnalyzer = (input: AnalyzerInput) => TriageFactor[];

/** The first line of the flagged code, trimmed and bounded, for quoting in a justification. */
export function quote(code: string, max = 120): string {
  const line = code.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Lower-case text to match rule families against: id, display name and CWEs. */
export const ruleText = (finding: NormalisedFinding): string =>
  `${finding.ruleId} ${finding.ruleName ?? ''} ${finding.cwes.join(' ')}`.toLowerCase();

/** Rules about credentials in code: their flagged lines hold the secret itself. */
export const credentialRule = (finding: NormalisedFinding): boolean =>
  /hardcoded|hard-coded|password|passwd|secret|credential|api[-_]?key|token|cwe-798\b|cwe-259\b|cwe-321\b|cwe-547\b/.test(ruleText(finding)) &&
  !notACredentialRule.test(ruleText(finding));

/**
 * Rules whose names say "hardcoded" but are not about secrets: Bandit's B608
 * `hardcoded_sql_expressions` is SQL injection, B108 `hardcoded_tmp_directory` a temp-file race,
 * B104 `hardcoded_bind_all_interfaces` a listening address. The secrets heuristics must not judge them.
 */
export const notACredentialRule = /sql|cwe-89\b|tmp|temp|cwe-377\b|bind|interfaces|cwe-605\b/;

/**
 * A code quote safe to repeat in the UI and in pull request text: for credential rules the string
 * literals are masked, so a justification never carries the secret it is about.
 */
export function safeQuote(finding: NormalisedFinding, code: string, max = 120): string {
  const line = quote(code, max);
  return credentialRule(finding) ? line.replace(/(["'`])(?:(?!\1)[^\\]|\\.){4,}\1/g, '$1•••$1') : line;
}
