import { z } from 'zod';
import type { Deps } from '../services/deps';
import { runMergeCheck, type MergeCheckAnswer } from '../services/merge-check';
import { wrapUuid } from '../services/storage-keys';

const uuid = z.string().regex(/^\{?[0-9a-fA-F-]{36}\}?$/, 'a Bitbucket {uuid}');

/** What Forge gives a `bitbucket:mergeCheck` function (`PRCheckEvent`), reduced to what we read. */
const eventSchema = z.object({
  workspace: z.object({ uuid }),
  repository: z.object({ uuid }),
  pullrequest: z.object({ id: z.number().int().positive() }),
  trigger: z.object({ type: z.string().max(100) }),
});

/**
 * The `remediate-merge-check` module: Bitbucket asks whether a pull request may merge (on merge,
 * and after code is pushed). Thin: read the event, one service call, `{success, message}`. A
 * payload it cannot read fails the check with a message (Bitbucket treats a throw as a failure
 * too, but without telling anyone why).
 */
export function makeMergeCheckHandler(getDeps: () => Promise<Deps>) {
  return async (event: unknown, _context?: unknown): Promise<MergeCheckAnswer> => {
    const deps = await getDeps();
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      deps.logger.warn('Merge check event not understood', { reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`.slice(0, 200) });
      return { success: false, message: 'Remediate could not read this merge check request.' };
    }
    const { workspace, repository, pullrequest, trigger } = parsed.data;
    return runMergeCheck(deps, {
      workspace: { uuid: wrapUuid(workspace.uuid) },
      repository: { uuid: wrapUuid(repository.uuid) },
      pullrequest,
      trigger,
    });
  };
}
