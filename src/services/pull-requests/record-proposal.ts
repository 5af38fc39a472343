import type { Codemod } from '../../domain/codemods/types';
import type { Finding } from '../../domain/finding';
import { findingAfterPullRequest } from '../../domain/pr/lifecycle';
import { FindingsRepository } from '../../storage/findings-repository';
import type { StoredPullRequest } from '../../storage/pull-requests-repository';
import type { Deps } from '../deps';

/** Marks findings as carried by an open remediation PR (`fix_proposed`, with the fix and PR link). */
export async function recordProposal(
  deps: Deps,
  pr: Pick<StoredPullRequest, 'id' | 'url' | 'branch'>,
  codemod: Pick<Codemod, 'id' | 'title' | 'summary'> | undefined,
  findings: readonly Finding[],
  diffs: ReadonlyMap<string, string>,
): Promise<void> {
  const repository = new FindingsRepository(deps.db);
  const at = deps.clock.now().toISOString();
  for (const finding of findings) {
    const { finding: proposed } = findingAfterPullRequest(finding, pr, 'OPEN', at);
    const diff = diffs.get(finding.id);
    await repository.update({
      ...proposed,
      ...(codemod && diff !== undefined ? { fix: { codemodId: codemod.id, title: codemod.title, description: codemod.summary, diff } } : {}),
    });
  }
}
