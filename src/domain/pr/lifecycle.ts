/**
 * The state rules of remediation pull requests, without I/O, so every transition is testable
 * alone. Services (`src/services/pull-requests/`, `src/services/scan/`) read and write; this
 * module decides.
 *
 * Finding statuses (`src/domain/finding.ts`) as the PR lifecycle uses them:
 * - `fix_proposed`: an open remediation PR carries the fix.
 * - `fixed`: the PR was merged, or the finding is no longer reported by a scan of the main branch
 *   (whoever fixed it). Either way there is nothing left to do.
 * - A reviewer declining the PR declines the *fix*, not the finding: the finding records
 *   `fixDeclined` (and a "fix-declined" entry in its history), goes back to `open` and is never
 *   offered that fix again; it is `dismissed` only when a person dismisses it with a reason.
 */
import { analysesOf, type Finding, type PullRequestRef } from '../finding';
import { inertCode, inertMarkdown } from './inert-text';

export type PullRequestState = PullRequestRef['state'];

/** Who a declined fix is recorded as in a finding's history: not a person's account id, the review itself. */
export const REVIEW_DECISION_BY = 'pull-request-review';

export interface FindingTransition {
  finding: Finding;
}

/**
 * A finding of a remediation PR after the PR reached `state`. Findings already `fixed` (no longer
 * reported) or dismissed by a person keep their status; a merge fixes; a decline marks the fix
 * declined (never proposed again) and gives a `fix_proposed` finding back as `open`; a superseded
 * PR gives the finding back to the next scan (`open`).
 */
export function findingAfterPullRequest(
  finding: Finding,
  pr: { id: number; url: string; branch: string },
  state: PullRequestState,
  at: string,
): FindingTransition {
  const pullRequest: PullRequestRef = { id: pr.id, url: pr.url, branch: pr.branch, state };
  const linked = { ...finding, pullRequest, updatedAt: at };
  const settled = finding.status === 'dismissed' || finding.status === 'suppressed';
  switch (state) {
    case 'MERGED':
      return { finding: settled ? linked : { ...linked, status: 'fixed' } };
    case 'DECLINED': {
      // The app's own decline of a PR whose findings are gone (close-stale) says nothing about the fix.
      if (finding.status === 'fixed') return { finding: linked };
      if (finding.fixDeclined?.pullRequestId === pr.id) return { finding: linked };
      return {
        finding: {
          ...linked,
          status: finding.status === 'fix_proposed' ? 'open' : finding.status,
          fixDeclined: { pullRequestId: pr.id, ...(finding.fix ? { codemodId: finding.fix.codemodId } : {}), at },
          history: [...(finding.history ?? []), { action: 'fix-declined', by: REVIEW_DECISION_BY, at, pullRequestId: pr.id }],
        },
      };
    }
    case 'OPEN':
      return { finding: finding.status === 'open' ? { ...linked, status: 'fix_proposed' } : linked };
    case 'SUPERSEDED':
      return { finding: finding.status === 'fix_proposed' ? { ...linked, status: 'open' } : linked };
  }
}

/** Why a finding is not offered its fix again, or undefined when nothing holds it back. */
export const declinedFixReason = (finding: Pick<Finding, 'fixDeclined'>): string | undefined =>
  finding.fixDeclined
    ? `its fix was declined in review (pull request #${finding.fixDeclined.pullRequestId}), so it is not proposed again`
    : undefined;

/** What a scan should do with one fix group, given the pull requests already stored for its branch. */
export type GroupAction =
  | { kind: 'open'; findings: Finding[] }
  | { kind: 'add'; pullRequestId: number; added: Finding[] }
  | { kind: 'up-to-date'; pullRequestId: number }
  | { kind: 'nothing'; reason: string };

export interface StoredPullRequestView {
  id: number;
  state: PullRequestState;
  findingIds: readonly string[];
}

/**
 * Decides one group: an open PR on the branch takes the findings it lacks as a new commit; with
 * no open PR a new one is opened for the findings still `open`. A finding whose fix a reviewer
 * declined is never a candidate again, which is what "never recreated" means.
 */
export function planGroup(findings: readonly Finding[], storedForBranch: readonly StoredPullRequestView[]): GroupAction {
  const candidates = findings.filter((finding) => finding.status === 'open' && !finding.fixDeclined);
  const open = storedForBranch.find((pr) => pr.state === 'OPEN');
  if (open) {
    const carried = new Set(open.findingIds);
    const added = candidates.filter((finding) => !carried.has(finding.id));
    return added.length === 0 ? { kind: 'up-to-date', pullRequestId: open.id } : { kind: 'add', pullRequestId: open.id, added };
  }
  if (candidates.length === 0) {
    const declined = findings.map(declinedFixReason).find((reason) => reason !== undefined);
    return { kind: 'nothing', reason: declined ?? 'no open findings left in the group' };
  }
  return { kind: 'open', findings: candidates };
}

/** Whether a scan speaks for the main branch: only such scans may mark findings gone. */
export function scansMainBranch(scan: { branch?: string; mainBranch: string; commit: string }, mainTip: string | undefined): boolean {
  if (scan.branch !== undefined) return scan.branch === scan.mainBranch;
  return mainTip !== undefined && mainTip.toLowerCase() === scan.commit.toLowerCase();
}

/**
 * A `fixed` finding that a scan of the main branch (named as such) reports again is back: it is
 * `open` once more, so the next fix group proposes it again. Other scans (feature branches, or no
 * branch named) may be looking at code from before the fix and change nothing.
 */
export function findingReportedAgain(finding: Finding, scan: { branch?: string; mainBranch: string }, at: string): Finding | undefined {
  if (finding.status !== 'fixed' || scan.branch === undefined || scan.branch !== scan.mainBranch) return undefined;
  return { ...finding, status: 'open', updatedAt: at };
}

/**
 * What a scan of the main branch can say about findings it does not report: `analyses` are the
 * analyses (`tool|category`) it ran for the first time on its commit, `commit` is that commit, and
 * `reportedFingerprints` the stored findings it reported (by any analysis).
 */
export interface GoneEvidence {
  analyses: ReadonlySet<string>;
  commit: string;
  reportedFingerprints: ReadonlySet<string>;
}

/**
 * A finding is "no longer reported" only when an analysis that reported it ran again, on a later
 * commit, and did not report it: an upload of another analysis (CodeQL for JavaScript after CodeQL
 * for Java, a second ESLint configuration with its own category) says nothing about it, and neither
 * does a second upload for a commit the finding was seen at.
 */
export function noLongerReported(
  finding: Pick<Finding, 'fingerprint' | 'tools' | 'reports' | 'ruleId' | 'commit'>,
  scan: GoneEvidence,
): boolean {
  if (scan.reportedFingerprints.has(finding.fingerprint)) return false;
  if (finding.commit.toLowerCase() === scan.commit.toLowerCase()) return false;
  return analysesOf(finding).some((analysis) => scan.analyses.has(analysis));
}

/**
 * Open remediation PRs whose every finding a main-branch scan no longer reports: nothing in them
 * is needed any more, so they are declined with a comment. A PR with any finding still reported
 * (or unknown) stays.
 */
export function pullRequestsToClose(
  open: readonly StoredPullRequestView[],
  findingsById: ReadonlyMap<string, Pick<Finding, 'fingerprint' | 'tools' | 'reports' | 'ruleId' | 'commit'>>,
  scan: GoneEvidence,
): number[] {
  return open
    .filter((pr) => pr.state === 'OPEN' && pr.findingIds.length > 0)
    .filter((pr) =>
      pr.findingIds.every((id) => {
        const finding = findingsById.get(id);
        return finding !== undefined && noLongerReported(finding, scan);
      }),
    )
    .map((pr) => pr.id);
}

/** One finding as a Markdown list item of a PR comment: its rule and, when known, where it is. */
const findingListItem = (finding: Pick<Finding, 'ruleId' | 'location'>): string =>
  `- ${inertCode(finding.ruleId)}${finding.location ? ` at ${inertMarkdown(finding.location.path)}:${finding.location.startLine}` : ''}`;

export const staleClosingComment = (findings: readonly Pick<Finding, 'ruleId' | 'location'>[], commit: string): string =>
  [
    `Remediate is closing this pull request: the scan of the main branch at \`${commit.slice(0, 12)}\` no longer reports ${findings.length === 1 ? 'the finding' : `any of the ${findings.length} findings`} it fixes, so the change is no longer needed.`,
    '',
    ...findings.map(findingListItem),
  ].join('\n');

export const notAddedComment = (findings: readonly Pick<Finding, 'ruleId' | 'location'>[]): string =>
  [
    `Remediate found ${findings.length} more finding${findings.length === 1 ? '' : 's'} this pull request would fix, but did not add ${findings.length === 1 ? 'it' : 'them'}: the branch has commits that Remediate did not make, and it does not rewrite other people's work.`,
    '',
    ...findings.map(findingListItem),
    '',
    'Merge or decline this pull request; the next scan proposes the rest in a new one.',
  ].join('\n');
