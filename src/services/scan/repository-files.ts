/**
 * The scanned commit's file list and manifests, read once per scan job and shared: absolute CI
 * paths are mapped against the list, triage learns from the manifests what ships and what does not
 * (`domain/triage/repository-facts.ts`), and fixes learn the project's dependencies.
 */
import { isAppError } from '../../domain/errors';
import { collectRepositoryFacts, MAX_FACT_FILES, manifestsToRead, type RepositoryFacts } from '../../domain/triage/repository-facts';
import { importsToRead, MAX_IMPORTED_FILES } from '../../domain/triage/module-imports';
import type { ScanJob } from './job-context';

/** Every file path at the scanned commit (one listing, kept on the job), or why it could not be listed. */
export function repositoryFiles(job: ScanJob): Promise<string[] | { unavailable: string }> {
  job.cache.files ??= listFiles(job);
  return job.cache.files;
}

async function listFiles(job: ScanJob): Promise<string[] | { unavailable: string }> {
  const { lead } = job;
  try {
    const { client } = job.serviceAccount();
    const files = await client.listFiles({ workspace: lead.workspaceId, repo: lead.repoUuid }, lead.commit);
    // The fixes' project context picks its manifests from the same listing.
    if ('sources' in job.code) job.code.sources.noteListing(files);
    return files;
  } catch (error) {
    if (!isAppError(error)) throw error;
    job.deps.logger.warn('Repository files could not be listed', { scanId: lead.id, code: error.code });
    return { unavailable: `the repository's files at commit ${lead.commit.slice(0, 12)} could not be listed (${error.code})` };
  }
}

/**
 * What the repository's manifests say about what ships (test runners, build tools, seed scripts,
 * containers), from the file list and the manifests read through the job's file cache, plus the
 * files triage read. Undefined when the repository cannot be read (no service account) or on a
 * continuation of the job (its triage was done by the first run).
 */
export async function repositoryFacts(job: ScanJob, alsoRead: ReadonlyMap<string, string> = new Map()): Promise<RepositoryFacts | undefined> {
  if (!('sources' in job.code) || (job.lead.progress?.continuations ?? 0) > 0) return undefined;
  const files = await repositoryFiles(job);
  if (!Array.isArray(files)) return undefined;
  const contents = new Map(alsoRead);
  const read = async (path: string): Promise<void> => {
    if (contents.has(path) || !('sources' in job.code)) return;
    // Facts are evidence, not the job's purpose: they never spend the requests kept for pull requests.
    if (!job.code.sources.affordsFactRead(path)) return;
    const text = await job.code.sources.read(path).catch((error: unknown) => {
      if (isAppError(error)) return undefined;
      throw error;
    });
    if (text !== undefined) contents.set(path, text);
  };
  for (const path of manifestsToRead(files).slice(0, MAX_FACT_FILES)) await read(path);
  // The repository modules the files read import (`from .. import settings`, `require('../config')`), bounded:
  // triage judges their functions and settings by their body (`domain/triage/module-imports.ts`).
  for (const path of importsToRead(files, contents).slice(0, MAX_IMPORTED_FILES)) await read(path);
  return collectRepositoryFacts(files, contents);
}
