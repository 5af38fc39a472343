import type { PullRequest } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import type { Finding } from '../../domain/finding';
import type { PrHiddenState } from '../../domain/pr/description';
import { PullRequestsRepository, type StoredPullRequest } from '../../storage/pull-requests-repository';
import type { FixGroup } from './select-fixable';
import type { Deps } from '../deps';
import { notFixedIn, sameCommit, type PublishContext, type PublishOutcome } from './publish-context';
import { prepareFix } from './prepare-fix';
import { commitAuthor, commitMessage, pullRequestText } from './pr-text';
import { recordProposal } from './record-proposal';
import { branchTipOwner, judgePullRequest, ownWork, type OwnWork } from './own-work';
import { stateSigner } from './state-signature';

const isCode = (error: unknown, code: string): boolean => isAppError(error) && error.code === code;

/** The group's branch, then up to four fresh names (`-2` … `-5`) when someone else holds it. */
const BRANCH_NAMES = 5;
const branchName = (group: FixGroup, n: number): string => (n === 1 ? group.branch : `${group.branch}-${n}`);

/**
 * Stores an open PR of ours found on a remediation branch that the database does not know: the
 * window between "PR created" and "PR stored" of an interrupted job. Its signed hidden state says
 * which findings it carries; those become `fix_proposed`. Only called once `judgePullRequest`
 * found the PR to be Remediate's own work.
 */
async function adopt(deps: Deps, ctx: PublishContext, group: FixGroup, pr: PullRequest, hidden: PrHiddenState): Promise<StoredPullRequest> {
  const fingerprints = new Set(hidden.fingerprints);
  const findings = group.findings.filter((finding) => fingerprints.has(finding.fingerprint));
  const now = deps.clock.now().toISOString();
  const stored: StoredPullRequest = {
    repoUuid: ctx.scan.repoUuid,
    id: pr.id,
    workspaceId: ctx.scan.workspaceId,
    branch: group.branch,
    ...(pr.sourceBranch === group.branch ? {} : { sourceBranch: pr.sourceBranch }),
    title: pr.title,
    url: pr.htmlUrl,
    state: 'OPEN',
    codemodId: group.codemod.id,
    findingIds: findings.map((finding) => finding.id),
    ...(pr.sourceCommit ? { headCommit: pr.sourceCommit } : {}),
    ...(hidden.bodyHash ? { bodyHash: hidden.bodyHash } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await new PullRequestsRepository(deps.db).save(stored);
  await recordProposal(deps, stored, undefined, findings, new Map());
  deps.logger.info('Adopted an open pull request found on a remediation branch', { repoUuid: ctx.scan.repoUuid, pullRequestId: pr.id });
  return stored;
}

/**
 * Commits the fix on the group's branch, or, when that name is taken, finds out by whom: an open
 * PR of Remediate's own there is adopted (`'adopted'`: the caller plans again); a leftover branch
 * whose tip is our commit (an interrupted run, a declined PR) is replaced; anyone else's branch or
 * PR is left alone and the next fresh name is tried.
 */
async function placeCommit(
  deps: Deps,
  ctx: PublishContext,
  group: FixGroup,
  us: () => Promise<OwnWork>,
  commitTo: (branch: string) => Promise<string>,
): Promise<{ branch: string; commit: string } | 'adopted' | { held: string }> {
  const { client, repo } = ctx;
  for (let n = 1; n <= BRANCH_NAMES; n += 1) {
    const branch = branchName(group, n);
    try {
      return { branch, commit: await commitTo(branch) };
    } catch (error) {
      if (!isCode(error, 'conflict')) throw error;
    }
    const own = await us();
    let held = false;
    for (const pr of await client.listPullRequests(repo, { sourceBranch: branch, states: ['OPEN'] })) {
      const judged = await judgePullRequest(ctx, own, pr);
      if (judged.own) {
        await adopt(deps, ctx, group, pr, judged.state);
        return 'adopted';
      }
      held = true;
      deps.logger.warn('An open pull request on a remediation branch is not Remediate\'s; it is left alone', {
        repoUuid: ctx.scan.repoUuid, pullRequestId: pr.id, reason: judged.reason,
      });
    }
    if (held) continue;
    const tip = await branchTipOwner(ctx, own, branch);
    if (tip === 'theirs') continue;
    // Our own leftover (or gone since): ours to replace.
    if (tip === 'ours') await client.deleteBranch(repo, branch);
    return { branch, commit: await commitTo(branch) };
  }
  return {
    held: `Others hold ${group.branch} and the ${BRANCH_NAMES - 1} fresh names after it (${branchName(group, 2)} …); Remediate does not touch their branches, so this fix waits for a later scan.`,
  };
}

/**
 * A new remediation PR for the group: files read at the scanned commit, one commit via `POST /src`
 * with `parents` on the branch, then the PR. Calls: F reads + 1 commit + 1 PR. Recovery, only on
 * conflict (`placeCommit`): Remediate's own open PR on the branch is adopted (`undefined` is
 * returned so the caller plans again), its own leftover branch is replaced, and a branch someone
 * else holds gets a fresh name instead.
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

  const signer = await stateSigner(deps, scan.workspaceId);
  const textOn = (branch: string) =>
    pullRequestText({
      codemod: group.codemod,
      findings: prepared.fixed,
      files: prepared.changes,
      repositoryWebUrl: ctx.repositoryWebUrl,
      commit: scan.commit,
      scanId: scan.id,
      ...(group.scope === undefined ? {} : { scope: group.scope }),
      signState: (fields) => signer.sign(scan.repoUuid, branch, fields),
      notFixed: notFixedIn(ctx, prepared),
    });
  const title = textOn(group.branch).title;
  const commitTo = async (branch: string) =>
    (await client.commitFiles({
      repo,
      branch,
      parent: scan.commit,
      message: commitMessage(title, group.codemod, prepared.fixed),
      author: commitAuthor(ctx.account),
      files: prepared.files,
      // The PR we open next reports the tip: no extra read.
      readTip: false,
    })).hash;
  let own: OwnWork | undefined;
  const us = async () => (own ??= await ownWork(deps, ctx));

  let branch = group.branch;
  let resumed = ctx.progress?.step === 'committed';
  if (resumed) {
    // A resumed job opens its PR only from a tip that is still its own commit: the name may have
    // been taken since (then, or when the first attempt used a fresh name, the group starts again).
    const tip = await client.getBranch(repo, group.branch);
    const committed = ctx.progress?.commit;
    resumed = tip !== undefined && tip.authorUuid === (await us()).accountUuid && (!committed || sameCommit(tip.hash, committed));
  }
  if (!resumed) {
    const placed = await placeCommit(deps, ctx, group, us, commitTo);
    if (placed === 'adopted') return undefined;
    // One group's branches being taken never stops the scan's other groups.
    if ('held' in placed) return { kind: 'nothing-fixed', reasons: [placed.held] };
    branch = placed.branch;
    await ctx.onStep?.(group.branch, { step: 'committed', ...(placed.commit ? { commit: placed.commit } : {}) });
  }

  const text = textOn(branch);
  let pr: PullRequest;
  try {
    pr = await client.createPullRequest({
      repo,
      title: text.title,
      description: text.description,
      sourceBranch: branch,
      destinationBranch: ctx.destinationBranch ?? scan.mainBranch,
      closeSourceBranch: true,
    });
  } catch (error) {
    // "There is already an open pull request" (400 on Bitbucket Cloud; 409 accepted too): created by
    // an attempt whose answer or record was lost — or opened by someone else from our branch.
    if (!isCode(error, 'bad_request') && !isCode(error, 'conflict')) throw error;
    const found = (await client.listPullRequests(repo, { sourceBranch: branch, states: ['OPEN'] }))[0];
    if (!found) {
      // The branch is gone (a resumed job whose commit was undone): start the group again.
      if (ctx.progress?.step === 'committed') {
        const { progress: _stale, ...fresh } = ctx;
        return openPullRequest(deps, fresh, group, findings);
      }
      throw error;
    }
    const judged = await judgePullRequest(ctx, await us(), found);
    if (!judged.own) {
      return { kind: 'nothing-fixed', reasons: [`Pull request #${found.id} from ${branch} is not Remediate's (${judged.reason}); Remediate leaves it alone.`] };
    }
    pr = found;
  }

  const headCommit = pr.sourceCommit ?? (await client.getBranch(repo, branch))?.hash;
  const now = deps.clock.now().toISOString();
  const stored: StoredPullRequest = {
    repoUuid: scan.repoUuid,
    id: pr.id,
    workspaceId: scan.workspaceId,
    branch: group.branch,
    ...(branch === group.branch ? {} : { sourceBranch: branch }),
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
