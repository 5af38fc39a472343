import { AppError, isAppError } from '../../domain/errors';
import type { TrimmedField } from '../../domain/sarif';
import { UploadsRepository } from '../../storage/uploads-repository';
import { normaliseUpload } from './normalise-upload';
import { ScansRepository, type Scan, type ScanCounts } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { serviceAccountClient } from '../bitbucket-access';
import { verifyUploadToken } from '../settings-service';
import { decodeUploadBody } from './decode-body';
import type { RepoRef } from '../../bitbucket/types';

export interface UploadInput {
  bearerToken: string | undefined;
  repository: string | undefined;
  commit: string | undefined;
  branch: string | undefined;
  body: string;
  contentEncoding: string | undefined;
  /** The installation's workspace on Forge (from `installContext`); undefined on the local host. */
  installWorkspaceId: string | undefined;
}

export interface UploadAccepted {
  scanId: string;
  status: 'queued';
  findings: number;
  counts: ScanCounts;
  /** Fields cut or dropped at their bound, one entry per field (absent when none). */
  trimmed?: TrimmedField[];
}

/** Scans of one repository that may wait or run at once before uploads are refused with 429. */
export const MAX_ACTIVE_SCANS_PER_REPOSITORY = 3;

const COMMIT = /^[0-9a-f]{40}$/i;

function requireToken(token: string | undefined): string {
  if (!token) throw new AppError('unauthorized', 'Missing upload token: send "Authorization: Bearer <upload token>" (issued on the Remediate settings page).');
  return token;
}

/** `workspace/slug` or `{uuid}` → a reference the Bitbucket API accepts. */
function parseRepository(value: string | undefined, workspaceId: string): RepoRef {
  if (!value) throw new AppError('bad_request', 'Missing query parameter "repository": give workspace/repo_slug or the repository {uuid}.');
  const trimmed = value.trim();
  if (/^\{?[0-9a-f-]{36}\}?$/i.test(trimmed)) return { workspace: workspaceId, repo: trimmed.startsWith('{') ? trimmed : `{${trimmed}}` };
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(trimmed);
  if (!match?.[1] || !match[2]) throw new AppError('bad_request', `Query parameter "repository" must be workspace/repo_slug or a {uuid}, got "${trimmed.slice(0, 100)}".`);
  return { workspace: match[1], repo: match[2] };
}

/** Authenticates, validates and normalises an upload, stores it whole, and queues its processing. */
export async function ingestUpload(deps: Deps, input: UploadInput): Promise<UploadAccepted> {
  const { workspaceId } = await verifyUploadToken(deps, requireToken(input.bearerToken));
  if (input.installWorkspaceId && input.installWorkspaceId !== workspaceId) {
    throw new AppError('forbidden', 'This upload token belongs to another workspace than this installation.');
  }
  const repoRef = parseRepository(input.repository, workspaceId);
  const decoded = decodeUploadBody(input.body, input.contentEncoding);
  const commit = input.commit ?? decoded.commit;
  if (!commit || !COMMIT.test(commit)) {
    throw new AppError('bad_request', 'Query parameter "commit" must be the full 40-character SHA of the scanned commit.');
  }
  const branch = input.branch ?? decoded.ref?.replace(/^refs\/heads\//, '');
  // Only counts leave this function: the scan job normalises the stored body again for the findings.
  const normalised = await normaliseUpload(decoded.sarifText, 'counting');

  const { client } = await serviceAccountClient(deps, workspaceId);
  const repository = await client.getRepository(repoRef).catch(async (error: unknown) => {
    if (!isAppError(error) || error.code !== 'not_found') throw error;
    // Only on this failure path: tell "another workspace" (403) from "no such repository" (404).
    const own = (await client.listUserWorkspaces()).find((ws) => ws.uuid === workspaceId);
    if (own && repoRef.workspace !== workspaceId && repoRef.workspace.toLowerCase() !== own.slug.toLowerCase()) {
      throw new AppError('forbidden', `Repository "${input.repository}" is not in workspace "${own.slug}", which this upload token belongs to.`);
    }
    throw new AppError('not_found', `Repository "${input.repository}" was not found, or the service account cannot see it.`);
  });
  if (repository.workspace.uuid !== workspaceId) {
    throw new AppError('forbidden', `Repository "${repository.fullName}" is not in the workspace this upload token belongs to.`);
  }

  const scans = new ScansRepository(deps.db);
  if ((await scans.countActive(repository.uuid)) >= MAX_ACTIVE_SCANS_PER_REPOSITORY) {
    throw new AppError('too_many_scans', `${MAX_ACTIVE_SCANS_PER_REPOSITORY} scans of ${repository.fullName} are already waiting; retry when one finishes.`);
  }
  const now = deps.clock.now().toISOString();
  const scan: Scan = {
    id: deps.ids.newId(),
    workspaceId,
    repoUuid: repository.uuid,
    repoFullName: repository.fullName,
    mainBranch: repository.mainBranch,
    commit: commit.toLowerCase(),
    ...(branch ? { branch } : {}),
    status: 'receiving',
    tools: normalised.tools,
    counts: normalised.counts,
    skipped: normalised.skipped.slice(0, 100),
    pullRequests: [],
    createdAt: now,
    updatedAt: now,
  };
  const uploads = new UploadsRepository(deps.db);
  await scans.insert(scan);
  try {
    // The body as received; the scan job normalises it again (uploads-repository.ts says why).
    const gzip = (input.contentEncoding ?? '').trim().toLowerCase() === 'gzip';
    await uploads.save(scan.id, { body: Buffer.from(input.body, gzip ? 'latin1' : 'utf8'), encoding: gzip ? 'gzip' : 'identity' });
    await scans.update(scan.id, { status: 'queued' }, now);
    await deps.queue.push({ type: 'process-scan', workspaceId, scanId: scan.id });
  } catch (error) {
    await uploads.delete(scan.id);
    await scans.delete(scan.id);
    throw error;
  }
  deps.logger.info('Scan queued', { scanId: scan.id, repository: repository.fullName, findings: normalised.findings.length });
  return { scanId: scan.id, status: 'queued', findings: normalised.counts.findings, counts: normalised.counts, ...(normalised.trimmed.length > 0 ? { trimmed: normalised.trimmed } : {}) };
}

export interface ScanStatusView {
  scanId: string;
  status: 'queued' | 'processing' | 'done' | 'failed';
  repository: string;
  commit: string;
  counts: ScanCounts;
  /** One entry per reason (see `SkippedResult`). */
  skipped: { index: number; reason: string; count?: number; examples?: number[] }[];
  pullRequests: { id: number; url: string }[];
  /** Findings ready to fix that wait for a later scan because the open or per-scan PR cap was reached (0 when none). */
  waitingForCap: number;
  error?: string;
}

export async function getScanStatus(deps: Deps, bearerToken: string | undefined, scanId: string): Promise<ScanStatusView> {
  const { workspaceId } = await verifyUploadToken(deps, requireToken(bearerToken));
  const scan = await new ScansRepository(deps.db).get(scanId);
  if (!scan || scan.status === 'receiving') throw new AppError('not_found', `No scan with id "${scanId.slice(0, 80)}".`);
  if (scan.workspaceId !== workspaceId) throw new AppError('forbidden', 'This scan belongs to another workspace than the upload token.');
  return {
    scanId: scan.id,
    status: scan.status,
    repository: scan.repoFullName,
    commit: scan.commit,
    counts: scan.counts,
    skipped: scan.skipped,
    pullRequests: scan.pullRequests,
    waitingForCap: scan.progress?.waitingForCap ?? 0,
    ...(scan.error ? { error: scan.error } : {}),
  };
}
