import type { CodeInsightsAnnotation, CodeInsightsReport } from '../../bitbucket/types';
import { noiseCategories, severities, type Finding, type Severity, type Verdict } from '../../domain/finding';
import { inert } from '../../domain/pr/inert-text';
import { categoryLabel } from '../../domain/triage/shown-factors';

/**
 * What the Code Insights `SECURITY` report on a scanned commit says. Pure: the findings of one scan
 * in, the report and its annotations out (see README.md in this folder for the rules).
 */

export const REPORT_ID = 'remediate-security';
const REPORTER = 'Remediate';
/** Bitbucket keeps at most 1,000 annotations per report. */
const MAX_ANNOTATIONS = 1000;
/** Bitbucket Data Center documents these limits; Cloud documents none, so we keep to them there too. */
export const SUMMARY_LIMIT = 450;
const DETAILS_LIMIT = 2000;

/** Findings a reviewer still has to act on; the rest are counted but not annotated. */
const ANNOTATED_VERDICTS: ReadonlySet<Verdict> = new Set(['true_positive', 'suspicious']);
const ANNOTATED_STATUSES: ReadonlySet<Finding['status']> = new Set(['open', 'fix_proposed']);
/** A true positive this severe at the commit fails the report. */
const FAILING_SEVERITIES: ReadonlySet<Severity> = new Set(['critical', 'high']);

const annotationSeverity: Record<Severity, CodeInsightsAnnotation['severity']> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'LOW',
};

const verdictLabel: Record<Verdict, string> = {
  true_positive: 'True positive',
  false_positive: 'False positive',
  wont_fix: "Won't fix",
  suspicious: 'Suspicious',
};

/**
 * Makes text inert (`domain/pr/inert-text.ts`), collapses whitespace and cuts it to `limit` UTF-16 units (what a Java or JS `length` counts),
 * never inside a surrogate pair, marking the cut with an ellipsis.
 */
export function clip(text: string, limit: number): string {
  // Every summary and detail holds scanner text: inert first (no mentions, hidden characters, links).
  const flat = inert(text).replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  let cut = '';
  for (const point of flat) {
    if (cut.length + point.length > limit - 1) break;
    cut += point;
  }
  return `${cut}…`;
}

const isAnnotated = (finding: Finding): boolean =>
  ANNOTATED_VERDICTS.has(finding.verdict) && ANNOTATED_STATUSES.has(finding.status);

/** Most severe first; then true positives before suspicious ones, higher confidence, path and line. */
function compareForAnnotation(a: Finding, b: Finding): number {
  return (
    // On a pull request's source commit, what the pull request introduces comes first (issue 16).
    Number(b.introduced === true) - Number(a.introduced === true) ||
    severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
    Number(b.verdict === 'true_positive') - Number(a.verdict === 'true_positive') ||
    b.confidence - a.confidence ||
    (a.location?.path ?? '').localeCompare(b.location?.path ?? '') ||
    (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** The open fix pull request a finding waits on, if any. */
const fixPullRequest = (finding: Finding) => (finding.pullRequest?.state === 'OPEN' ? finding.pullRequest : undefined);

function annotationFor(finding: Finding, repositoryPageUrl: string): CodeInsightsAnnotation {
  const pr = fixPullRequest(finding);
  const rule = finding.ruleName ?? finding.ruleId;
  const cwe = finding.cwes.length > 0 ? ` (${finding.cwes.slice(0, 3).join(', ')})` : '';
  const fix = pr
    ? ` Fix proposed in pull request #${pr.id}.`
    : finding.fix
      ? ` A fix is available: ${finding.fix.title}.`
      : '';
  const annotation: CodeInsightsAnnotation = {
    externalId: `${REPORT_ID}-${finding.fingerprint}`,
    annotationType: 'VULNERABILITY',
    summary: clip(`${finding.message}${cwe}`, SUMMARY_LIMIT),
    details: clip(
      `${rule} · ${finding.tools.map((tool) => tool.name).join(', ')}. ${verdictLabel[finding.verdict]}, confidence ` +
        `${finding.confidence}/100: ${finding.justification}${fix}`,
      DETAILS_LIMIT,
    ),
    severity: annotationSeverity[finding.severity],
    result: 'FAILED',
    link: pr?.url ?? repositoryPageUrl,
  };
  if (finding.location) {
    annotation.path = finding.location.path;
    annotation.line = finding.location.startLine;
  }
  return annotation;
}

const countBy = <K extends string>(findings: readonly Finding[], key: (finding: Finding) => K): Record<K, number> => {
  const counts = {} as Record<K, number>;
  for (const finding of findings) counts[key(finding)] = (counts[key(finding)] ?? 0) + 1;
  return counts;
};

export interface SecurityReport {
  report: CodeInsightsReport;
  annotations: CodeInsightsAnnotation[];
  /** Findings worth an annotation, before the 1,000 cap. */
  annotatable: number;
}

/**
 * The report for the findings one scan reported at its commit. `result` is FAILED when a true
 * positive of high or critical severity is still open or only has a fix proposed (the scanned
 * commit still contains it); otherwise PASSED.
 */
export function buildSecurityReport(findings: readonly Finding[], repositoryPageUrl: string): SecurityReport {
  const annotated = findings.filter(isAnnotated).sort(compareForAnnotation);
  const bySeverity = countBy(annotated, (finding) => (finding.severity === 'info' ? 'low' : finding.severity));
  const byVerdict = countBy(findings, (finding) => finding.verdict);
  const dismissed = findings.filter((finding) => finding.status === 'dismissed' || finding.status === 'suppressed').length;
  const pullRequests = new Set(findings.flatMap((finding) => (fixPullRequest(finding) ? [fixPullRequest(finding)?.id] : [])));
  const failing = annotated.filter((finding) => finding.verdict === 'true_positive' && FAILING_SEVERITIES.has(finding.severity));
  // Why the false positives and won't-fix findings were set aside, most common first.
  const byCategory = countBy(findings.filter((finding) => finding.category), (finding) => finding.category ?? 'policy');
  const categories = noiseCategories.filter((c) => byCategory[c]).sort((a, b) => (byCategory[b] ?? 0) - (byCategory[a] ?? 0));
  const setAside = categories.length > 0 ? ` Set aside as ${categories.map((c) => `${categoryLabel[c]} (${byCategory[c]})`).join(', ')}.` : '';
  const capped = annotated.length > MAX_ANNOTATIONS ? ` Annotations show the ${MAX_ANNOTATIONS} most severe.` : '';

  const details =
    `${findings.length} finding${findings.length === 1 ? '' : 's'} at this commit; ${annotated.length} to review ` +
    `(${bySeverity.critical ?? 0} critical, ${bySeverity.high ?? 0} high, ${bySeverity.medium ?? 0} medium, ${bySeverity.low ?? 0} low). ` +
    `${byVerdict.false_positive ?? 0} false positive, ${byVerdict.wont_fix ?? 0} won't fix, ${dismissed} dismissed or suppressed; ` +
    `${pullRequests.size} fix pull request${pullRequests.size === 1 ? '' : 's'} open.` +
    setAside +
    (failing.length > 0 ? ` Failed: ${failing.length} high or critical true positive${failing.length === 1 ? '' : 's'}.` : '') +
    capped;

  const number = (title: string, value: number) => ({ title, type: 'NUMBER' as const, value });
  return {
    report: {
      title: 'Remediate security findings',
      details: clip(details, DETAILS_LIMIT),
      reportType: 'SECURITY',
      reporter: REPORTER,
      result: failing.length > 0 ? 'FAILED' : 'PASSED',
      link: repositoryPageUrl,
      // Bitbucket shows at most 10 data fields.
      data: [
        number('Critical', bySeverity.critical ?? 0),
        number('High', bySeverity.high ?? 0),
        number('Medium', bySeverity.medium ?? 0),
        number('Low', bySeverity.low ?? 0),
        number('True positives', byVerdict.true_positive ?? 0),
        number('Suspicious', byVerdict.suspicious ?? 0),
        number('False positives', byVerdict.false_positive ?? 0),
        number("Won't fix", byVerdict.wont_fix ?? 0),
        number('Fix pull requests', pullRequests.size),
        { title: 'Details', type: 'LINK', value: { text: 'Open in Remediate', href: repositoryPageUrl } },
      ],
    },
    annotations: annotated.slice(0, MAX_ANNOTATIONS).map((finding) => annotationFor(finding, repositoryPageUrl)),
    annotatable: annotated.length,
  };
}
