import { AppError, isAppError } from '../../domain/errors';
import { checkCategory } from '../../domain/sarif/analysis';
import { branchNameProblem } from '../../domain/git-ref';
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
  /** Names the analysis (GitHub's `category`): uploads of one tool with different categories never close each other's findings. */
  category?: string | undefined;
  /** The pull request whose source commit was scanned (`pullRequest={id}`; Pipelines has BITBUCKET_PR_ID). */
  pullRequest?: string | undefined;
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

/**
 * Uploads of one repository that may wait or run at once before more are refused with 429. A CI job
 * uploads one SARIF per scanner for a commit, and those are processed together, so only a flood
 * (or a stuck queue) reaches this.
 */
export const MAX_ACTIVE_SCANS_PER_REPOSITORY = 50;
/** What a 429 asks the client to wait: about one scan job. */
const RETRY_AFTER_SECONDS = 60;

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
  const branchProblem = branch === undefined ? undefined : branchNameProblem(branch);
  if (branchProblem) throw new AppError('bad_request', `Query parameter "branch" is not a branch name git accepts: ${branchProblem}.`);
  const pullRequestId = parsePullRequestId(input.pullRequest);
  const category = input.category === undefined ? undefined : checkCategory(input.category);
  if (category && 'problem' in category) throw new AppError('bad_request', category.problem);
  // Only counts leave this function: the scan job normalises the stored body again for the findings.
  const normalised = await normaliseUpload(decoded.sarifText, 'counting', category?.category);

  const scans = new ScansRepository(deps.db);
  const repository = await knownRepository(deps, scans, workspaceId, repoRef) ?? await lookUpRepository(deps, workspaceId, repoRef, input.repository);

  await requireCommit(deps, scans, workspaceId, repository, commit.toLowerCase());

  if ((await scans.countActive(repository.uuid)) >= MAX_ACTIVE_SCANS_PER_REPOSITORY) {
    throw new AppError(
      'too_many_scans',
      `${MAX_ACTIVE_SCANS_PER_REPOSITORY} uploads of ${repository.fullName} are already waiting to be processed; retry in ${RETRY_AFTER_SECONDS} seconds.`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
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
    ...(pullRequestId !== undefined ? { pullRequestId } : {}),
    ...(category ? { category: category.category } : {}),
    status: 'receiving',
    tools: normalised.tools,
    analyses: normalised.analyses,
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
    // The other uploads of this commit (one per scanner) usually follow within seconds: they are
    // processed together by whichever job starts first (see process-scan).
    const settle = deps.uploadSettleSeconds ?? 0;
    await deps.queue.push({ type: 'process-scan', workspaceId, scanId: scan.id }, settle > 0 ? { delaySeconds: settle } : undefined);
  } catch (error) {
    await uploads.delete(scan.id);
    await scans.delete(scan.id);
    throw error;
  }
  deps.logger.info('Scan queued', { scanId: scan.id, repository: repository.fullName, findings: normalised.findings.length });
  return { scanId: scan.id, status: 'queued', findings: normalised.counts.findings, counts: normalised.counts, ...(normalised.trimmed.length > 0 ? { trimmed: normalised.trimmed } : {}) };
}

/** `pullRequest={id}`: a positive whole number, or absent (an empty value, as `${BITBUCKET_PR_ID}` outside a PR pipeline gives, is absent). */
function parsePullRequestId(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const id = Number(value.trim());
  if (!/^\d{1,9}$/.test(value.trim()) || !Number.isSafeInteger(id) || id < 1) {
    throw new AppError('bad_request', `Query parameter "pullRequest" must be the pull request's number (BITBUCKET_PR_ID), got "${value.slice(0, 40)}".`);
  }
  return id;
}

/** How long a repository a scan stored stands for Bitbucket's answer: the uploads of one CI job ask once. */
const KNOWN_REPOSITORY_MS = 10 * 60_000;

type UploadRepository = { uuid: string; fullName: string; mainBranch: string };

/** The repository as a scan of this workspace stored it in the last ten minutes (no Bitbucket call), if any. */
async function knownRepository(deps: Deps, scans: ScansRepository, workspaceId: string, ref: RepoRef): Promise<UploadRepository | undefined> {
  const since = new Date(deps.clock.now().getTime() - KNOWN_REPOSITORY_MS).toISOString();
  const byUuid = ref.repo.startsWith('{');
  const known = await scans.recentRepository(workspaceId, byUuid ? { uuid: ref.repo.toLowerCase() } : { fullName: `${ref.workspace}/${ref.repo}` }, since);
  return known && { uuid: known.repoUuid, fullName: known.repoFullName, mainBranch: known.mainBranch };
}

/**
 * The scanned commit must be in the repository, or the scan would fail later where nobody looks:
 * one call, skipped when another upload of the same commit was accepted already.
 */
async function requireCommit(deps: Deps, scans: ScansRepository, workspaceId: string, repository: UploadRepository, commit: string): Promise<void> {
  if (await scans.commitScanned(repository.uuid, commit)) return;
  const { client } = await serviceAccountClient(deps, workspaceId);
  if (!(await client.commitExists({ workspace: workspaceId, repo: repository.uuid }, commit))) {
    throw new AppError('not_found', `Commit ${commit} is not in repository ${repository.fullName}: push it before uploading its scan, or check the "commit" parameter.`);
  }
}

/** Asks Bitbucket for the repository, telling "another workspace" (403) from "no such repository" (404). */
async function lookUpRepository(deps: Deps, workspaceId: string, repoRef: RepoRef, asGiven: string | undefined): Promise<UploadRepository> {
  const { client } = await serviceAccountClient(deps, workspaceId);
  const repository = await client.getRepository(repoRef).catch(async (error: unknown) => {
    if (!isAppError(error) || error.code !== 'not_found') throw error;
    // Only on this failure path: tell "another workspace" (403) from "no such repository" (404).
    const own = (await client.listUserWorkspaces()).find((ws) => ws.uuid === workspaceId);
    if (own && repoRef.workspace !== workspaceId && repoRef.workspace.toLowerCase() !== own.slug.toLowerCase()) {
      throw new AppError('forbidden', `Repository "${asGiven}" is not in workspace "${own.slug}", which this upload token belongs to.`);
    }
    throw new AppError('not_found', `Repository "${asGiven}" was not found, or the service account cannot see it.`);
  });
  if (repository.workspace.uuid !== workspaceId) {
    throw new AppError('forbidden', `Repository "${repository.fullName}" is not in the workspace this upload token belongs to.`);
  }
  return { uuid: repository.uuid, fullName: repository.fullName, mainBranch: repository.mainBranch };
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
