import type { PullRequest } from '../../bitbucket/types';
import { readHiddenState, type PrHiddenState } from '../../domain/pr/description';
import type { Deps } from '../deps';
import type { PublishContext } from './publish-context';
import { stateSigner, type StateSigner } from './state-signature';

/**
 * Remediate acts on a pull request it finds on Bitbucket (adopts it, extends it, comments on it,
 * closes it) only when the PR is its own work. Anyone with write access can push a branch named
 * `remediate/<codemod>` and open a PR whose description ends with a copied hidden state; taking
 * that for the app's fix would report someone's change (whatever it contains) as Remediate's.
 *
 * Own work means all three:
 * - the PR's author is the service account (Bitbucket sets it from the credentials: not forgeable);
 * - its hidden state carries a valid signature for this repository and branch (`state-signature.ts`);
 * - its branch tip is a commit Bitbucket links to the service account (`author.user`).
 *
 * Bitbucket links a commit's author by e-mail address, so the third alone could be forged by a
 * member who commits with the service account's address; it is a second line behind the first
 * two. PRs stored in `pull_requests` are extended only while their tip is the commit Remediate
 * last made (`lifecycle.headCommit`), which nothing else can produce.
 */
export interface OwnWork {
  /** The service account's Bitbucket uuid. */
  accountUuid: string;
  signer: StateSigner;
}

/** Who "we" are on Bitbucket: one `GET /user`, asked only when a PR or branch must be judged. */
export async function ownWork(deps: Deps, ctx: PublishContext): Promise<OwnWork> {
  const [me, signer] = await Promise.all([ctx.client.getCurrentUser(), stateSigner(deps, ctx.scan.workspaceId)]);
  return { accountUuid: me.uuid, signer };
}

export type Judgement = { own: true; state: PrHiddenState } | { own: false; reason: string };

export async function judgePullRequest(ctx: PublishContext, own: OwnWork, pr: PullRequest): Promise<Judgement> {
  if (pr.authorUuid !== own.accountUuid) return { own: false, reason: 'authored by someone else' };
  const state = readHiddenState(pr.description);
  if (!state || !own.signer.verify(ctx.scan.repoUuid, pr.sourceBranch, state)) {
    return { own: false, reason: 'its hidden state is not signed by this installation' };
  }
  const tip = await ctx.client.getBranch(ctx.repo, pr.sourceBranch);
  if (!tip || tip.authorUuid !== own.accountUuid) return { own: false, reason: 'its branch tip is a commit by someone else' };
  return { own: true, state };
}

/** Whether a branch's tip is a commit the service account made (`absent` when there is no such branch). */
export async function branchTipOwner(ctx: PublishContext, own: OwnWork, branch: string): Promise<'ours' | 'theirs' | 'absent'> {
  const tip = await ctx.client.getBranch(ctx.repo, branch);
  if (!tip) return 'absent';
  return tip.authorUuid === own.accountUuid ? 'ours' : 'theirs';
}
