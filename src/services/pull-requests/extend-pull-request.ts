import { isAppError } from '../../domain/errors';
import type { Finding } from '../../domain/finding';
import { notAddedComment } from '../../domain/pr/lifecycle';
import { FindingsRepository } from '../../storage/findings-repository';
import { PullRequestsRepository, type StoredPullRequest } from '../../storage/pull-requests-repository';
import type { FixGroup } from './select-fixable';
import type { Deps } from '../deps';
import { syncPullRequestState } from './sync';
import { notFixedIn, sameCommit, type PublishContext, type PublishOutcome } from './publish-context';
import { prepareFix } from './prepare-fix';
import { commitAuthor, commitMessage, mergeFileChanges, pullRequestText } from './pr-text';
import { recordProposal } from './record-proposal';
import { stateSigner } from './state-signature';

/**
 * Adds findings to an open remediation PR as one more commit on its branch tip, fixing them in the
 * branch's content — only when the tip is still the last commit Remediate made (so every commit
 * after the base is ours). Otherwise the PR is left alone and one comment says which findings were
 * not added and why. Returns `undefined` when the PR turned out closed (synced; plan again).
 */
export async function extendPullRequest(
  deps: Deps,
  ctx: PublishContext,
  group: FixGroup,
  stored: StoredPullRequest,
  added: Finding[],
): Promise<PublishOutcome | undefined> {
  const { client, repo, scan } = ctx;
  const link = { id: stored.id, url: stored.url };
  // The branch on Bitbucket: the group's name, or the fresh one used when someone else held it.
  const branch = stored.sourceBranch ?? stored.branch;
  const tip = await client.getBranch(repo, branch);
  if (!tip) {
    // The branch is gone: the PR was merged or declined without us hearing of it.
    const pr = await client.getPullRequest(repo, stored.id);
    if (pr.state === 'OPEN') return notAdded(deps, ctx, stored, added);
    await syncPullRequestState(deps, scan.repoUuid, stored.id, pr.state);
    return undefined;
  }
  if (!sameCommit(tip.hash, stored.headCommit)) return notAdded(deps, ctx, stored, added);

  // Files at the branch's tip, the project context (manifests) as the scan read them.
  const project = ctx.sources?.project?.bind(ctx.sources);
  const atTip = project ? { read: (path: string) => client.readFile(repo, tip.hash, path), project } : undefined;
  const prepared = await prepareFix(client, repo, tip.hash, group.codemod, added, atTip);
  if (prepared.files.length === 0) return { kind: 'nothing-fixed', reasons: prepared.reasons };
  const findings = new FindingsRepository(deps.db);
  const carried = (await Promise.all(stored.findingIds.map((id) => findings.get(scan.repoUuid, id)))).filter((f): f is Finding => f !== undefined);
  const files = mergeFileChanges(stored.files ?? [], prepared.changes);
  const signer = await stateSigner(deps, scan.workspaceId);
  const text = pullRequestText({
    codemod: group.codemod,
    findings: [...carried, ...prepared.fixed],
    files,
    repositoryWebUrl: ctx.repositoryWebUrl,
    commit: scan.commit,
    scanId: scan.id,
    ...(group.scope === undefined ? {} : { scope: group.scope }),
    signState: (fields) => signer.sign(scan.repoUuid, branch, fields),
    notFixed: notFixedIn(ctx, prepared),
  });
  let head: string;
  try {
    head = (await client.commitFiles({
      repo,
      branch,
      parent: tip.hash,
      message: commitMessage(`${text.title}: ${prepared.fixed.length} more`, group.codemod, prepared.fixed),
      author: commitAuthor(ctx.account),
      files: prepared.files,
    })).hash;
  } catch (error) {
    // Someone pushed between our read and our commit: their work wins.
    if (isAppError(error) && error.code === 'conflict') return notAdded(deps, ctx, stored, added);
    throw error;
  }
  // Only PUT when the visible description changed (the hidden hash says).
  if (text.bodyHash !== stored.bodyHash) {
    await client.updatePullRequest(repo, stored.id, { title: text.title, description: text.description });
  }
  const updated: StoredPullRequest = {
    ...stored,
    title: text.title,
    findingIds: [...stored.findingIds, ...prepared.fixed.map((finding) => finding.id)],
    headCommit: head,
    bodyHash: text.bodyHash,
    files,
    updatedAt: deps.clock.now().toISOString(),
  };
  await new PullRequestsRepository(deps.db).save(updated);
  await recordProposal(deps, updated, group.codemod, prepared.fixed, prepared.diffs);
  deps.logger.info('Findings added to an open pull request', { repoUuid: scan.repoUuid, pullRequestId: stored.id, added: prepared.fixed.length });
  return { kind: 'updated', pullRequest: link, added: prepared.fixed.length };
}

/** One comment per finding ever: reviewers hear once which findings were left out and why. */
async function notAdded(deps: Deps, ctx: PublishContext, stored: StoredPullRequest, added: Finding[]): Promise<PublishOutcome> {
  const told = new Set(stored.notAddedIds ?? []);
  const untold = added.filter((finding) => !told.has(finding.id));
  if (untold.length > 0) {
    await ctx.client.commentOnPullRequest(ctx.repo, stored.id, notAddedComment(untold));
    await new PullRequestsRepository(deps.db).save({
      ...stored,
      notAddedIds: [...told, ...untold.map((finding) => finding.id)],
      updatedAt: deps.clock.now().toISOString(),
    });
  }
  return { kind: 'not-added', pullRequest: { id: stored.id, url: stored.url }, findings: added.length };
}
