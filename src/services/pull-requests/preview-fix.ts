import { createDefaultRegistry } from '../../domain/codemods/registry';
import { fixFor } from '../../domain/codemods/fix-for';
import { AppError } from '../../domain/errors';
import { declinedFixReason } from '../../domain/pr/lifecycle';
import type { FixPreview } from '../../contracts/resolver-api';
import { FindingsRepository } from '../../storage/findings-repository';
import { ScansRepository } from '../../storage/scans-repository';
import { serviceAccountClient } from '../bitbucket-access';
import type { Deps } from '../deps';
import { getPolicy } from '../settings-service';
import { prepareFix } from './prepare-fix';
import { repoOf } from './repository-ref';

/**
 * The fix a pull request for this one finding would carry, made now as a dry run: the file is read
 * at the finding's commit through the service account, each codemod the workspace allows is run
 * in turn (only on this finding), and nothing is written. Answers the unified diff of the first
 * that fixes it, or why none does, in words a person can act on.
 */
export async function previewFix(deps: Deps, repoUuid: string, id: string): Promise<FixPreview> {
  const finding = await new FindingsRepository(deps.db).get(repoUuid, id);
  if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
  const declined = declinedFixReason(finding);
  if (declined) return { kind: 'none', reason: `No fix is offered: ${declined}.` };
  // A fix already made for a pull request is that pull request's change.
  if (finding.fix) return { kind: 'diff', ...finding.fix };
  const policy = await getPolicy(deps, finding.workspaceId);
  const answer = fixFor(finding, policy, createDefaultRegistry());
  if (answer.kind === 'none') return { kind: 'none', reason: `No fix is offered: ${answer.reason}.` };
  if (answer.kind === 'turned-off') {
    return { kind: 'none', reason: `No fix is offered: its fix "${answer.codemods[0]?.title ?? ''}" is turned off in the workspace's Remediate settings.` };
  }
  const scan = await new ScansRepository(deps.db).get(finding.lastSeenScanId);
  if (!scan) throw new AppError('not_found', 'The scan this finding came from is gone; upload a new scan.');
  const { client } = await serviceAccountClient(deps, finding.workspaceId);
  const tried: string[] = [];
  for (const { codemod } of answer.candidates) {
    const prepared = await prepareFix(client, repoOf(scan), finding.commit, codemod, [finding]);
    const diff = prepared.diffs.get(finding.id);
    if (diff !== undefined) return { kind: 'diff', codemodId: codemod.id, title: codemod.title, description: codemod.summary, diff };
    tried.push(`${codemod.title}: ${prepared.reasons[0] ?? 'it changed nothing'}`);
  }
  return { kind: 'none', reason: `No verified fix could be made: ${tried.join('; ')}.` };
}
