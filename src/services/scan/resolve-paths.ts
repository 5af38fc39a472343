/**
 * The scan job's step that maps absolute CI paths (kept aside by the web trigger, which has no
 * Bitbucket credentials at hand) to repository paths: one `listFiles` of the scanned commit, only
 * when some finding needs it. The matching itself is `src/domain/sarif/absolute-paths.ts`.
 */
import { isAppError } from '../../domain/errors';
import type { NormalisedFinding } from '../../domain/finding';
import { createDefaultRegistry } from '../../domain/codemods/registry';
import { mapAbsoluteLocations, needsRepositoryTree, RepositoryTree } from '../../domain/sarif';
import { ScansRepository, type Scan } from '../../storage/scans-repository';
import { serviceAccountClient } from '../bitbucket-access';
import type { Deps } from '../deps';

/**
 * Returns the findings with absolute locations mapped where exactly one repository file matches;
 * the others keep `absoluteLocation.unmapped` with the reason. Mapped findings may fold into others,
 * so the scan's counts are brought up to date (idempotently: a retried job computes the same counts).
 * A tree that cannot be listed (no credentials, an API error) leaves the findings unmapped, with that
 * reason, rather than failing the scan.
 */
export async function resolveAbsolutePaths(deps: Deps, scan: Scan, findings: NormalisedFinding[]): Promise<NormalisedFinding[]> {
  if (!needsRepositoryTree(findings)) return findings;
  const tree = await repositoryTree(deps, scan);
  const registry = createDefaultRegistry();
  const outcome = mapAbsoluteLocations(findings, tree, { ruleClass: (finding) => registry.find(finding)[0]?.id });
  const { results, skipped } = scan.counts;
  const counts = { results, skipped, findings: outcome.findings.length, merged: results - skipped - outcome.findings.length };
  if (counts.findings !== scan.counts.findings || counts.merged !== scan.counts.merged) {
    await new ScansRepository(deps.db).update(scan.id, { counts }, deps.clock.now().toISOString());
  }
  deps.logger.info('Absolute paths mapped', {
    scanId: scan.id,
    files: typeof tree === 'string' ? 0 : tree.size,
    mapped: outcome.mapped,
    unmapped: outcome.unmapped,
    merged: outcome.merged,
  });
  return outcome.findings;
}

async function repositoryTree(deps: Deps, scan: Scan): Promise<RepositoryTree | string> {
  try {
    const { client } = await serviceAccountClient(deps, scan.workspaceId);
    return new RepositoryTree(await client.listFiles({ workspace: scan.workspaceId, repo: scan.repoUuid }, scan.commit));
  } catch (error) {
    if (!isAppError(error)) throw error;
    deps.logger.warn('Repository files could not be listed to map absolute paths', { scanId: scan.id, code: error.code });
    return `the repository's files at commit ${scan.commit.slice(0, 12)} could not be listed (${error.code})`;
  }
}
