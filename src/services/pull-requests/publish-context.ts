import type { BitbucketClient, RepoRef } from '../../bitbucket/types';
import type { Finding } from '../../domain/finding';
import type { GroupProgress, Scan } from '../../storage/scans-repository';
import type { ServiceAccount } from '../settings-service';
import type { SourceReader } from './prepare-fix';

/** What publishing one fix group needs from its scan job. */
export interface PublishContext {
  client: BitbucketClient;
  account: ServiceAccount;
  scan: Scan;
  repo: RepoRef;
  /** `https://bitbucket.org/{workspace}/{repo}`, for links to the source at the scanned commit. */
  repositoryWebUrl: string;
  /** The job's cache of files at the scanned commit; without it files are read from Bitbucket. */
  sources?: SourceReader;
  /** Steps an earlier attempt of this scan persisted for the group (resume without repeating them). */
  progress?: GroupProgress;
  /** Persists a step of the group in the scan job. */
  onStep?: (branch: string, step: GroupProgress) => Promise<void>;
  /** The scan's findings its dry run could not fix: those in a PR's changed files are listed in its description. */
  unfixed?: readonly Finding[];
  /** Whether the caps leave room for one more new pull request (default: yes). */
  mayOpen?: () => boolean;
  /** Where the fix PRs go: the main branch (default), or a scanned pull request's own source branch. */
  destinationBranch?: string;
}

export type PullRequestLink = { id: number; url: string };

/**
 * What a PR's description lists as not fixed: the group's findings this step left alone, and the
 * scan's findings in the changed files that its dry run could not fix (each with its reason).
 */
export function notFixedIn(ctx: Pick<PublishContext, 'unfixed'>, prepared: { unfixed: { finding: Finding; reason: string }[]; changes: { path: string }[] }): { finding: Finding; reason: string }[] {
  const paths = new Set(prepared.changes.map((change) => change.path));
  const listed = new Set(prepared.unfixed.map((entry) => entry.finding.id));
  const fromScan = (ctx.unfixed ?? []).flatMap((finding) => {
    const outcome = finding.fixOutcome;
    if (listed.has(finding.id) || !finding.location || !paths.has(finding.location.path) || outcome?.kind !== 'not-fixed') return [];
    return [{ finding, reason: outcome.reason }];
  });
  return [...prepared.unfixed.filter((entry) => entry.finding.location && paths.has(entry.finding.location.path)), ...fromScan]
    .sort((a, b) => (a.finding.location?.path ?? '').localeCompare(b.finding.location?.path ?? '') || (a.finding.location?.startLine ?? 0) - (b.finding.location?.startLine ?? 0));
}

export type PublishOutcome =
  | { kind: 'opened'; pullRequest: PullRequestLink }
  | { kind: 'updated'; pullRequest: PullRequestLink; added: number }
  | { kind: 'existing'; pullRequest: PullRequestLink }
  | { kind: 'not-added'; pullRequest: PullRequestLink; findings: number }
  | { kind: 'declined-before' }
  | { kind: 'waiting'; findings: number }
  | { kind: 'nothing-fixed'; reasons: string[] };

/**
 * Whether two commit hashes name the same commit: Bitbucket answers pull requests with 12-character
 * hashes and branches with 40.
 */
export function sameCommit(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length < 7 || b.length < 7) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x.startsWith(y) || y.startsWith(x);
}
