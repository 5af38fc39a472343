import { z } from 'zod';
import { AppError } from '../domain/errors';
import type { FindingItem } from '../contracts/resolver-api';
import type { Finding, FindingStatus, TriagedState } from '../domain/finding';
import { FindingsRepository } from '../storage/findings-repository';
import type { Deps } from './deps';
import { fixCatalogue, item, listFindingsInput } from './repository-views';

/**
 * A person's decisions on findings: dismiss one or many with a reason, undo a dismissal. Each
 * keeps who, when and why (on the finding, in its history, and as the human decision later scans
 * honour) and what the dismissal replaced, so an undo restores exactly that.
 */

export const dismissInput = z.object({
  id: z.string().min(1).max(64),
  verdict: z.enum(['false_positive', 'wont_fix']),
  reason: z.string().trim().min(3, 'reason must say why the finding is dismissed').max(1000),
});

/**
 * A person dismisses a finding: who, when and why are recorded (on the finding, in its history and
 * as the human decision later scans honour), with the state it replaces so an undo brings it back.
 */
export async function dismissFinding(deps: Deps, repoUuid: string, accountId: string, input: z.infer<typeof dismissInput>): Promise<FindingItem> {
  const repository = new FindingsRepository(deps.db);
  const finding = await repository.get(repoUuid, input.id);
  if (!finding) throw new AppError('not_found', `No finding with id "${input.id}" in this repository.`);
  if (finding.status === 'dismissed') throw new AppError('conflict', 'This finding is already dismissed; undo the dismissal first to change its reason.');
  const at = deps.clock.now().toISOString();
  const dismissed: Finding = {
    ...finding,
    status: 'dismissed',
    verdict: input.verdict,
    confidence: 100,
    justification: `Dismissed by a person: ${input.reason}`,
    factors: [],
    dismissal: { verdict: input.verdict, reason: input.reason, by: accountId, at, before: triagedState(finding) },
    history: [...(finding.history ?? []), { action: 'dismissed', by: accountId, at, reason: input.reason, verdict: input.verdict }],
    updatedAt: at,
  };
  await repository.update(dismissed, { verdict: input.verdict, reason: input.reason, by: accountId, at });
  return item(dismissed, await fixCatalogue(deps, finding.workspaceId));
}

export const dismissManyInput = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
  filter: listFindingsInput.shape.filter,
  verdict: z.enum(['false_positive', 'wont_fix']),
  reason: z.string().trim().min(3, 'reason must say why the findings are dismissed').max(1000),
}).refine((input) => (input.ids === undefined) !== (input.filter === undefined), { message: 'give either ids or a filter', path: ['ids'] });

/** At most this many findings are dismissed by one request; `more` says when the filter matched others. */
const MAX_BULK_DISMISSALS = 5000;

/**
 * Dismisses many findings with one reason: the ids given, or every finding the filter matches
 * (read a page at a time). Each is dismissed exactly as one at a time would be (who, when, why,
 * and what undo restores); findings already dismissed, fixed or suppressed are skipped.
 */
export async function dismissFindings(deps: Deps, repoUuid: string, accountId: string, input: z.infer<typeof dismissManyInput>) {
  const repository = new FindingsRepository(deps.db);
  const targets: Finding[] = [];
  let more = false;
  if (input.ids) {
    for (const id of new Set(input.ids)) {
      const finding = await repository.get(repoUuid, id);
      if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
      targets.push(finding);
    }
  } else {
    let cursor: string | undefined;
    do {
      const page = await repository.list(repoUuid, input.filter ?? {}, { limit: 200, ...(cursor ? { cursor } : {}) });
      if ('badCursor' in page) throw new Error('dismissFindings produced a cursor it cannot read');
      targets.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && targets.length < MAX_BULK_DISMISSALS);
    more = targets.length > MAX_BULK_DISMISSALS || cursor !== undefined;
    targets.splice(MAX_BULK_DISMISSALS);
  }
  let dismissed = 0;
  for (const finding of targets) {
    if (finding.status !== 'open' && finding.status !== 'fix_proposed') continue;
    await dismissFinding(deps, repoUuid, accountId, { id: finding.id, verdict: input.verdict, reason: input.reason });
    dismissed += 1;
  }
  return { dismissed, skipped: targets.length - dismissed, more };
}

const triagedState = (finding: Finding): TriagedState => ({
  status: finding.status, verdict: finding.verdict, confidence: finding.confidence, justification: finding.justification, factors: finding.factors,
});

/** The status to come back to: the one before the dismissal, unless the pull request moved on meanwhile. */
function statusAfterUndo(finding: Finding, before: FindingStatus | undefined): FindingStatus {
  const state = finding.pullRequest?.state;
  if (state === 'OPEN') return 'fix_proposed';
  if (state === 'MERGED') return 'fixed';
  if (before === undefined || before === 'fix_proposed' || before === 'dismissed') return 'open';
  return before;
}

/**
 * Undoes a dismissal: the finding gets back exactly the triaged state the dismissal replaced
 * (verdict, confidence, justification, factors, status), the human decision is forgotten, and the
 * undo joins the history. A dismissal stored before that state was kept falls back to "suspicious,
 * triaged again by the next scan".
 */
export async function undoDismissal(deps: Deps, repoUuid: string, accountId: string, id: string): Promise<FindingItem> {
  const repository = new FindingsRepository(deps.db);
  const finding = await repository.get(repoUuid, id);
  if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
  if (finding.status !== 'dismissed') throw new AppError('conflict', 'Only a dismissed finding can have its dismissal undone.');
  const at = deps.clock.now().toISOString();
  const before = finding.dismissal?.before;
  const { dismissal: _gone, ...rest } = finding;
  const restored: Finding = {
    ...rest,
    ...(before ?? {
      verdict: 'suspicious',
      confidence: 50,
      justification: 'The dismissal was undone; the next scan triages this finding again.',
      factors: [],
    }),
    status: statusAfterUndo(finding, before?.status),
    history: [...(finding.history ?? []), { action: 'dismissal-undone', by: accountId, at }],
    updatedAt: at,
  };
  await repository.updateForgettingDecision(restored);
  deps.logger.info('Dismissal undone', { findingId: id, by: accountId });
  return item(restored, await fixCatalogue(deps, finding.workspaceId));
}

