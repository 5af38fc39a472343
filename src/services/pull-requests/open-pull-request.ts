import type { PullRequest } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import type { Finding } from '../../domain/finding';
import { readHiddenState } from '../../domain/pr/description';
import { PullRequestsRepository, type StoredPullRequest } from '../../storage/pull-requests-repository';
import type { FixGroup } from './select-fixable';
import type { Deps } from '../deps';
import { notFixedIn, type PublishContext, type PublishOutcome } from './publish-context';
import { prepareFix } from './prepare-fix';
import { commitAuthor, commitMessage, pullRequestText } from './pr-text';
import { recordProposal } from './record-proposal';

const isCode = (error: unknown, code: string): boolean => isAppError(error) && error.code === code;

/**
 * Stores an open PR found on the group's branch that the database does not know: the window
 * between "PR created" and "PR stored" of an interrupted job. Its hidden state says which
 * findings it carries; those become `fix_proposed`.
 */
export async function adoptOpenPullRequest(deps: Deps, ctx: PublishContext, group: FixGroup): Promise<StoredPullRequest | undefined> {
  const found = await ctx.client.listPullRequests(ctx.repo, { sourceBranch: group.branch, states: ['OPEN'] });
  const open = found.find((pr) => pr.destinationBranch === ctx.scan.mainBranch) ?? found[0];
  return open ? adopt(deps, ctx, group, open) : undefined;
}

async function adopt(deps: Deps, ctx: PublishContext, group: FixGroup, pr: PullRequest): Promise<StoredPullRequest> {
  const hidden = readHiddenState(pr.description);
  const fingerprints = new Set(hidden?.fingerprints ?? []);
  const findings = group.findings.filter((finding) => fingerprints.has(finding.fingerprint));
  const now = deps.clock.now().toISOString();
  const stored: StoredPullRequest = {
    repoUuid: ctx.scan.repoUuid,
    id: pr.id,
    workspaceId: ctx.scan.workspaceId,
    branch: group.branch,
    title: pr.title,
    url: pr.htmlUrl,
    state: 'OPEN',
    codemodId: group.codemod.id,
    findingIds: findings.map((finding) => finding.id),
    ...(pr.sourceCommit ? { headCommit: pr.sourceCommit } : {}),
    ...(hidden?.bodyHash ? { bodyHash: hidden.bodyHash } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await new PullRequestsRepository(deps.db).save(stored);
  await recordProposal(deps, stored, undefined, findings, new Map());
  deps.logger.info('Adopted an open pull request found on a remediation branch', { repoUuid: ctx.scan.repoUuid, pullRequestId: pr.id });
  return stored;
}

/**
 * A new remediation PR for the group: files read at the scanned commit, one commit via `POST /src`
 * with `parents` on the branch, then the PR. Calls: F reads + 1 commit + 1 PR. Recovery, only on
 * conflict: a branch that already carries an open PR is adopted (`undefined` is returned so the
 * caller plans again), a leftover branch without one is replaced.
 */
export async function openPullRequest(
  deps: Deps,
  ctx: PublishContext,
  group: FixGroup,
  findings: Finding[],
): Promise<PublishOutcome | undefined> {
  const { client, scan, repo } = ctx;
  const prepared = await prepareFix(client, repo, scan.commit, group.codemod, findings, ctx.sources);
  if (prepared.files.length === 0) return { kind: 'nothing-fixed', reasons: prepared.reasons };

  const text = pullRequestText({
    codemod: group.codemod,
    findings: prepared.fixed,
    files: prepared.changes,
    repositoryWebUrl: ctx.repositoryWebUrl,
    commit: scan.commit,
    scanId: scan.id,
    ...(group.scope === undefined ? {} : { scope: group.scope }),
    notFixed: notFixedIn(ctx, prepared),
  });
  const commit = () =>
    client.commitFiles({
      repo,
      branch: group.branch,
      parent: scan.commit,
      message: commitMessage(text.title, group.codemod, prepared.fixed),
      author: commitAuthor(ctx.account),
      files: prepared.files,
      // The PR we open next reports the tip: no extra read.
      readTip: false,
    });
  if (ctx.progress?.step !== 'committed') {
    let committed: string;
    try {
      committed = (await commit()).hash;
    } catch (error) {
      if (!isCode(error, 'conflict')) throw error;
      // The branch exists on another commit. With an open PR on it, that PR is ours but unstored.
      if (await adoptOpenPullRequest(deps, ctx, group)) return undefined;
      // Without one it is a branch left by an interrupted earlier run (or a declined PR): ours to replace.
      await client.deleteBranch(repo, group.branch);
      committed = (await commit()).hash;
    }
    await ctx.onStep?.(group.branch, { step: 'committed', ...(committed ? { commit: committed } : {}) });
  }

  let pr: PullRequest;
  try {
    pr = await client.createPullRequest({
      repo,
      title: text.title,
      description: text.description,
      sourceBranch: group.branch,
      destinationBranch: scan.mainBranch,
      closeSourceBranch: true,
    });
  } catch (error) {
    // "There is already an open pull request" (400 on Bitbucket Cloud; 409 accepted too): created by
    // an attempt whose answer or record was lost.
    if (!isCode(error, 'bad_request') && !isCode(error, 'conflict')) throw error;
    const found = (await client.listPullRequests(repo, { sourceBranch: group.branch, states: ['OPEN'] }))[0];
    if (!found) {
      // The branch is gone (a resumed job whose commit was undone): start the group again.
      if (ctx.progress?.step === 'committed') {
        const { progress: _stale, ...fresh } = ctx;
        return openPullRequest(deps, fresh, group, findings);
      }
      throw error;
    }
    pr = found;
  }

  const headCommit = pr.sourceCommit ?? (await client.getBranch(repo, group.branch))?.hash;
  const now = deps.clock.now().toISOString();
  const stored: StoredPullRequest = {
    repoUuid: scan.repoUuid,
    id: pr.id,
    workspaceId: scan.workspaceId,
    branch: group.branch,
    title: pr.title,
    url: pr.htmlUrl,
    state: 'OPEN',
    codemodId: group.codemod.id,
    findingIds: prepared.fixed.map((finding) => finding.id),
    ...(headCommit ? { headCommit } : {}),
    bodyHash: text.bodyHash,
    files: prepared.changes,
    createdAt: now,
    updatedAt: now,
  };
  await new PullRequestsRepository(deps.db).save(stored);
  await ctx.onStep?.(group.branch, { step: 'opened', ...(headCommit ? { commit: headCommit } : {}), pullRequestId: pr.id });
  await recordProposal(deps, stored, group.codemod, prepared.fixed, prepared.diffs);
  return { kind: 'opened', pullRequest: { id: pr.id, url: pr.htmlUrl } };
}
