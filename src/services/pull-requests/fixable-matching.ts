import { z } from 'zod';
import { createDefaultRegistry } from '../../domain/codemods/registry';
import { fixFor } from '../../domain/codemods/fix-for';
import { FindingsRepository } from '../../storage/findings-repository';
import type { Deps } from '../deps';
import { listFindingsInput } from '../repository-views';
import { getPolicy } from '../settings-service';

/** `createPullRequest` takes the findings by id, or every open, fixable finding a filter matches. */
export const createPullRequestRequest = z.object({
  findingIds: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  filter: listFindingsInput.shape.filter,
}).refine((input) => (input.findingIds === undefined) !== (input.filter === undefined), { message: 'give either findingIds or a filter', path: ['findingIds'] });

/** At most this many findings go into one request, as with ids. */
const MAX_FINDINGS = 100;

/**
 * The open findings a filter matches that have a fix to propose (the workspace's codemods, no
 * declined fix, no pull request yet), at most 100, most severe first; `more` counts the rest.
 */
export async function fixableMatching(deps: Deps, repoUuid: string, workspaceId: string | undefined, filter: z.infer<typeof listFindingsInput>['filter']) {
  const repository = new FindingsRepository(deps.db);
  const policy = workspaceId ? await getPolicy(deps, workspaceId) : undefined;
  const codemods = createDefaultRegistry();
  const ids: string[] = [];
  let more = 0;
  let cursor: string | undefined;
  do {
    const page = await repository.list(repoUuid, { ...filter, status: 'open' }, { limit: 200, ...(cursor ? { cursor } : {}) });
    if ('badCursor' in page) throw new Error('fixableMatching produced a cursor it cannot read');
    for (const finding of page.items) {
      if (finding.fixDeclined || finding.pullRequest?.state === 'OPEN' || fixFor(finding, policy, codemods).kind !== 'codemod') continue;
      if (ids.length < MAX_FINDINGS) ids.push(finding.id);
      else more += 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { ids, more };
}
