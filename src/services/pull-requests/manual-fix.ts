import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { createDefaultRegistry } from '../../domain/codemods/registry';
import { fixingCodemod } from '../../domain/codemods/fix-for';
import type { Finding } from '../../domain/finding';
import { declinedFixReason } from '../../domain/pr/lifecycle';
import { FindingsRepository } from '../../storage/findings-repository';
import { ScansRepository } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { serviceAccountClient } from '../bitbucket-access';
import { getPolicy } from '../settings-service';
import { publishFix } from './publish-fix';
import { repoOf, repositoryWebUrl } from './repository-ref';
import { addToGroup, groupOf, type FixGroup } from './select-fixable';
import { SourceFiles } from '../scan/source-files';
import type { BitbucketClient } from '../../bitbucket/types';
import type { ServiceAccount } from '../settings-service';
import { awaitsDryRun, completeDryRuns } from './late-dry-run';

export const createPullRequestInput = z.object({ findingIds: z.array(z.string().min(1).max(64)).min(1).max(100) });

/** A person asked for a fix PR for these findings: policy thresholds do not apply, fixability does. */
export async function createPullRequestsFor(deps: Deps, repoUuid: string, findingIds: string[]) {
  const repository = new FindingsRepository(deps.db);
  const codemods = createDefaultRegistry();
  const findings: Finding[] = [];
  for (const id of findingIds) {
    const finding = await repository.get(repoUuid, id);
    if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
    findings.push(finding);
  }
  const groups = new Map<string, FixGroup>();
  const refused: string[] = [];
  const first = findings[0];
  const scan = first ? await new ScansRepository(deps.db).get(first.lastSeenScanId) : undefined;
  if (!scan) throw new AppError('not_found', 'The scan these findings came from is gone; upload a new scan.');
  // The policy's grouping decides the branch, so a person's request and the scans meet on one PR.
  const policy = await getPolicy(deps, scan.workspaceId);
  const grouping = policy.grouping;
  // Codemods the workspace turned off (policy.disabledCodemods) are not offered to a person either.
  // The codemod is the one the scan's dry run verified on the finding's code; a finding it could
  // not fix is refused with the dry run's reason. One whose file the scan did not read is tried now.
  let access: { client: BitbucketClient; account: ServiceAccount; sources: SourceFiles } | undefined;
  const connect = async () => {
    if (!access) {
      const { client, account } = await serviceAccountClient(deps, scan.workspaceId);
      // One file cache for the request: the dry run's reads serve the fix, the manifests are read once.
      access = { client, account, sources: new SourceFiles(client, repoOf(scan), scan.commit) };
    }
    return access;
  };
  if (findings.some((finding) => finding.status === 'open' && awaitsDryRun(finding))) {
    const { client, sources } = await connect();
    const late = await completeDryRuns({ client, sources, findings, wanted: (finding) => finding.status === 'open', policy, registry: codemods, store: repository, commit: scan.commit });
    findings.splice(0, findings.length, ...late.findings);
  }
  for (const finding of findings) {
    const fix = fixingCodemod(finding, policy, codemods);
    const declined = declinedFixReason(finding);
    if (!('codemod' in fix) || finding.status !== 'open' || declined) {
      const why = declined ?? ('codemod' in fix ? `status is ${finding.status}` : fix.reason);
      refused.push(`${finding.ruleId}${finding.location ? ` at ${finding.location.path}:${finding.location.startLine}` : ''}: ${why}`);
      continue;
    }
    addToGroup(groups, groupOf(fix.codemod, finding, grouping), finding);
  }
  if (groups.size === 0) throw new AppError('bad_request', `None of the findings can be fixed automatically: ${refused.join('; ')}`);
  const { client, account, sources } = await connect();
  const repo = repoOf(scan);
  const pullRequests: { id: number; url: string }[] = [];
  const notes: string[] = [...refused];
  for (const group of groups.values()) {
    const outcome = await publishFix(deps, { client, account, scan, repo, repositoryWebUrl: repositoryWebUrl(deps, scan), sources }, group);
    if ('pullRequest' in outcome) pullRequests.push(outcome.pullRequest);
    if (outcome.kind === 'declined-before') notes.push(`${group.codemod.title}: a pull request for these findings was declined in review, so the fix is not proposed again`);
    else if (outcome.kind === 'not-added') notes.push(`${group.codemod.title}: pull request #${outcome.pullRequest.id} has commits by someone else, so the fix was not added to it`);
    else if (outcome.kind === 'nothing-fixed') notes.push(...outcome.reasons);
  }
  return { pullRequests, notes };
}
