/**
 * A pull request's scans, without I/O (issue 16): their findings live in the PR's own scope, a
 * finding the PR introduces is told from one already on its destination branch, the one comment
 * Remediate keeps on the PR, and the merge check's verdict.
 */
import { createHash } from 'node:crypto';
import { severities, type Finding, type NormalisedFinding, type Severity } from '../finding';
import { inertCode, inertMarkdown } from './inert-text';

/** Branches of the fixes for pull request `id`: `remediate/pr-{id}/{codemod}[/{key}]`, into the PR's own branch. */
export const pullRequestBranchPrefix = (id: number): string => `remediate/pr-${id}/`;

/** The pull request a remediation branch fixes, or undefined for the repository's own (main-branch) fixes. */
export function pullRequestOfBranch(branch: string): number | undefined {
  const match = /^remediate\/pr-(\d+)\//.exec(branch);
  return match ? Number(match[1]) : undefined;
}

/** A fingerprint in pull request `id`'s scope: the same result on the PR and on main are two stored findings. */
export const scopedFingerprint = (id: number, fingerprint: string): string =>
  createHash('sha256').update(`pull-request:${id}:${fingerprint}`).digest('hex');

/** A finding of a PR scan, moved into the PR's scope, with whether the PR introduces it. */
export function inPullRequestScope(finding: NormalisedFinding, id: number, introduced: boolean): NormalisedFinding {
  const { aliases, ...rest } = finding;
  return {
    ...rest,
    fingerprint: scopedFingerprint(id, finding.fingerprint),
    ...(aliases?.length ? { aliases: aliases.map((alias) => scopedFingerprint(id, alias)) } : {}),
    prScope: id,
    introduced,
  };
}

/** What the merge check and the PR comment hold against a finding: open, a real or suspected weakness. */
const mayBlock = (finding: Pick<Finding, 'verdict' | 'status'>): boolean =>
  (finding.verdict === 'true_positive' || finding.verdict === 'suspicious') && finding.status !== 'fixed' && finding.status !== 'dismissed';

/** The introduced findings that fail the merge check: true positive or suspicious, at or above `minSeverity`, neither fixed nor dismissed. */
export function blockingFindings<F extends Pick<Finding, 'verdict' | 'status' | 'severity' | 'introduced'>>(findings: readonly F[], minSeverity: Severity): F[] {
  const rank = severities.indexOf(minSeverity);
  return findings.filter((finding) => finding.introduced === true && mayBlock(finding) && severities.indexOf(finding.severity) <= rank);
}

export interface BlockingItem {
  ruleId: string;
  title: string;
  severity: Severity;
  place: string;
  fixPullRequest?: { id: number; url: string };
}

export const blockingItem = (finding: Finding): BlockingItem => ({
  ruleId: finding.ruleId,
  title: finding.ruleName ?? finding.ruleId,
  severity: finding.severity,
  place: finding.location ? `${finding.location.path}:${finding.location.startLine}` : 'no file location',
  ...(finding.pullRequest && finding.pullRequest.state === 'OPEN' ? { fixPullRequest: { id: finding.pullRequest.id, url: finding.pullRequest.url } } : {}),
});

/** The merge check's message: what blocks the merge and where the fix is, in a few lines (Bitbucket shows it on the PR). */
export function mergeCheckMessage(blocking: readonly BlockingItem[], commit: string): string {
  if (blocking.length === 0) return `Remediate found no new security finding at or above the policy's severity in ${commit.slice(0, 12)}.`;
  const shown = blocking.slice(0, 5).map((item) =>
    `${item.severity} ${item.title} at ${item.place}${item.fixPullRequest ? ` (fix: pull request #${item.fixPullRequest.id})` : ''}`);
  const more = blocking.length > shown.length ? `; and ${blocking.length - shown.length} more` : '';
  return `This pull request introduces ${blocking.length} security finding${blocking.length === 1 ? '' : 's'} to fix or dismiss before merging: ${shown.join('; ')}${more}.`;
}

const verdictWords: Record<Finding['verdict'], string> = {
  true_positive: 'true positive',
  false_positive: 'false positive',
  wont_fix: "won't fix",
  suspicious: 'suspicious',
};

/** The one comment Remediate keeps on a scanned pull request (edited on every rescan, never added again). */
export function pullRequestScanComment(input: {
  findings: readonly Finding[];
  commit: string;
  repositoryPageUrl: string;
  /** Set for a PR from a fork: Remediate does not push into another repository. */
  fork: boolean;
}): string {
  const introduced = input.findings.filter((finding) => finding.introduced === true);
  const existing = input.findings.filter((finding) => finding.introduced !== true && mayBlock(finding));
  const lines = [`**Remediate** scanned ${inertCode(input.commit.slice(0, 12))} of this pull request.`, ''];
  if (introduced.length === 0) lines.push('It introduces no security finding.');
  else {
    lines.push(`It introduces ${introduced.length} finding${introduced.length === 1 ? '' : 's'}:`, '');
    for (const finding of [...introduced].sort((a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity))) {
      const place = finding.location ? `${inertMarkdown(finding.location.path)}:${finding.location.startLine}` : 'no file location';
      const fix = finding.pullRequest && finding.pullRequest.state === 'OPEN'
        ? ` — fix: [pull request #${finding.pullRequest.id}](${finding.pullRequest.url})`
        : finding.status === 'fixed' ? ' — fixed' : finding.status === 'dismissed' ? ' — dismissed' : '';
      lines.push(`- **${finding.severity}** ${inertMarkdown(finding.ruleName ?? finding.ruleId)} at ${place} (${verdictWords[finding.verdict]}, ${finding.confidence}/100)${fix}`);
    }
  }
  lines.push('', `${existing.length} finding${existing.length === 1 ? ' is' : 's are'} already on the destination branch: see [the repository's findings](${input.repositoryPageUrl}).`);
  if (input.fork) lines.push('', 'This pull request comes from a fork: Remediate does not push fixes into another repository, so it proposes none here.');
  return lines.join('\n');
}
