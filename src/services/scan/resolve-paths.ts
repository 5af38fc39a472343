/**
 * The scan job's step that maps absolute CI paths (kept aside by the web trigger, which has no
 * Bitbucket credentials at hand) to repository paths: one `listFiles` of the scanned commit, only
 * when some finding needs it. The matching itself is `src/domain/sarif/absolute-paths.ts`.
 */
import { isAppError } from '../../domain/errors';
import type { NormalisedFinding } from '../../domain/finding';
import { mapAbsoluteLocations, needsRepositoryTree, RepositoryTree } from '../../domain/sarif';
import type { Scan } from '../../storage/scans-repository';
import type { ScanJob } from './job-context';

/**
 * Returns each upload's findings with absolute locations mapped where exactly one repository file
 * matches; the others keep `absoluteLocation.unmapped` with the reason. The tree is listed once for
 * all the uploads of the job, and only when one needs it. Mapped findings may fold into others, so
 * each upload's counts are brought up to date (idempotently: a retried job computes the same counts).
 * A tree that cannot be listed (no credentials, an API error) leaves the findings unmapped, with that
 * reason, rather than failing the scan.
 */
export async function resolveAbsolutePaths(job: ScanJob, uploads: readonly { scan: Scan; findings: NormalisedFinding[] }[]): Promise<NormalisedFinding[][]> {
  if (!uploads.some(({ findings }) => needsRepositoryTree(findings))) return uploads.map(({ findings }) => findings);
  const tree = await repositoryTree(job);
  const ruleClass = (finding: { ruleId: string; cwes: string[]; path: string }) => job.registry.find(finding)[0]?.id;
  const result: NormalisedFinding[][] = [];
  for (const { scan, findings } of uploads) {
    if (!needsRepositoryTree(findings)) {
      result.push(findings);
      continue;
    }
    const outcome = mapAbsoluteLocations(findings, tree, { ruleClass });
    const { results, skipped } = scan.counts;
    const counts = { results, skipped, findings: outcome.findings.length, merged: results - skipped - outcome.findings.length };
    if (counts.findings !== scan.counts.findings || counts.merged !== scan.counts.merged) {
      await job.stores.scans.update(scan.id, { counts }, job.deps.clock.now().toISOString());
    }
    job.deps.logger.info('Absolute paths mapped', {
      scanId: scan.id,
      files: typeof tree === 'string' ? 0 : tree.size,
      mapped: outcome.mapped,
      unmapped: outcome.unmapped,
      merged: outcome.merged,
    });
    result.push(outcome.findings);
  }
  return result;
}

async function repositoryTree(job: ScanJob): Promise<RepositoryTree | string> {
  const { lead } = job;
  try {
    const { client } = job.serviceAccount();
    const files = await client.listFiles({ workspace: lead.workspaceId, repo: lead.repoUuid }, lead.commit);
    // Listed once per job: the manifests for the fixes' project context are then picked from it.
    if ('sources' in job.code) job.code.sources.noteListing(files);
    return new RepositoryTree(files);
  } catch (error) {
    if (!isAppError(error)) throw error;
    job.deps.logger.warn('Repository files could not be listed to map absolute paths', { scanId: lead.id, code: error.code });
    return `the repository's files at commit ${lead.commit.slice(0, 12)} could not be listed (${error.code})`;
  }
}
