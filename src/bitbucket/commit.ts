import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import type { BitbucketTransport } from './http';
import { buildMultipart, type MultipartPart } from './multipart';
import { apiPath, repoParams } from './paths';
import { branchSchema } from './schemas';
import type { Branch, CommitRequest, RepoRef } from './types';

const SHA_AT_END = /\b([0-9a-f]{40})\/?$/;

export interface BranchTip {
  name: string;
  hash: string;
  parents: string[] | undefined;
  message: string | undefined;
  /** The account Bitbucket links the tip's author line to (`target.author.user.uuid`). */
  authorUuid: string | undefined;
}

/** The tip of a branch with what is needed to recognise our own commit, or undefined on 404. */
/** Whether `hash` names a commit of the repository (one `GET …/commit/{hash}`, its hash only). */
export async function commitExists(http: BitbucketTransport, repo: RepoRef, hash: string): Promise<boolean> {
  const url = http.url(apiPath('get', '/repositories/{workspace}/{repo_slug}/commit/{commit}', { ...repoParams(repo), commit: hash }), { fields: 'hash' });
  try {
    await http.json(url, commitHashSchema);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return false;
    throw error;
  }
}

const commitHashSchema = z.object({ hash: z.string() });

export async function readBranchTip(http: BitbucketTransport, repo: RepoRef, name: string): Promise<BranchTip | undefined> {
  const url = http.url(apiPath('get', '/repositories/{workspace}/{repo_slug}/refs/branches/{name}', { ...repoParams(repo), name }), {
    fields: 'name,target.hash,target.parents.hash,target.message,target.author.user.uuid',
  });
  try {
    const branch = await http.json(url, branchSchema);
    return {
      name: branch.name,
      hash: branch.target.hash,
      parents: branch.target.parents?.map((parent) => parent.hash),
      message: branch.target.message,
      authorUuid: branch.target.author?.user?.uuid ?? undefined,
    };
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}

function partsOf(request: CommitRequest): MultipartPart[] {
  const strip = (path: string) => path.replace(/^\/+/, '');
  const changed = new Set(request.files.map((file) => strip(file.path)));
  const deleted = (request.deletions ?? []).map(strip);
  const both = deleted.find((path) => changed.has(path));
  if (both !== undefined) throw new AppError('bad_request', `A commit cannot both change and delete ${both}.`);

  const parts: MultipartPart[] = request.files.map((file) => {
    const path = strip(file.path);
    return { kind: 'file', name: path, filename: path.split('/').pop() ?? path, content: file.content, executable: file.executable };
  });
  // A `files` entry without a part of the same name deletes that path.
  for (const path of deleted) parts.push({ kind: 'field', name: 'files', value: path });
  parts.push({ kind: 'field', name: 'message', value: request.message });
  if (request.author !== undefined) parts.push({ kind: 'field', name: 'author', value: request.author });
  parts.push({ kind: 'field', name: 'branch', value: request.branch });
  parts.push({ kind: 'field', name: 'parents', value: request.parent });
  return parts;
}

const landed = (tip: BranchTip, request: CommitRequest): boolean =>
  tip.hash !== request.parent &&
  tip.parents?.[0] === request.parent &&
  (tip.message === undefined || tip.message.trim() === request.message.trim());

/**
 * One commit of every change via `POST /src`. With `branch` + `parents`, Bitbucket creates the
 * branch on `parent` or, if it exists, insists its tip is `parent` (409 otherwise). The POST is
 * never re-sent blindly after a 5xx or a lost answer: the branch is read first. The commit counts
 * as landed when the tip is a new commit sitting directly on `parent` with our message; it is
 * re-sent only while the branch is still absent or at `parent`, where `parents` makes a late
 * first attempt and the re-send exclude each other (the loser gets 409, then is recognised).
 */
export async function commitFiles(http: BitbucketTransport, request: CommitRequest): Promise<Branch> {
  const { contentType, body } = buildMultipart(partsOf(request));
  const url = http.url(apiPath('post', '/repositories/{workspace}/{repo_slug}/src', repoParams(request.repo)));
  let reply;
  for (let attempt = 1; ; attempt += 1) {
    try {
      reply = await http.send(url, { method: 'POST', body, contentType, retryOnServerError: false });
      break;
    } catch (error) {
      const ambiguous = isAppError(error) && error.code === 'server_error';
      // A 409 after an ambiguous attempt may be our own earlier commit.
      const afterAmbiguous = isAppError(error) && error.code === 'conflict' && attempt > 1;
      if (!ambiguous && !afterAmbiguous) throw error;
      const tip = await readBranchTip(http, request.repo, request.branch);
      if (tip !== undefined && landed(tip, request)) return { name: request.branch, hash: tip.hash };
      const untouched = tip === undefined || tip.hash === request.parent;
      if (!ambiguous || !untouched || !(await http.pauseBeforeRetry(attempt))) throw error;
    }
  }

  const fromLocation = reply.headers.get('location')?.match(SHA_AT_END)?.[1];
  if (fromLocation !== undefined) return { name: request.branch, hash: fromLocation };
  if (request.readTip === false) return { name: request.branch, hash: '' };
  const tip = await readBranchTip(http, request.repo, request.branch);
  if (tip === undefined) {
    throw new AppError('server_error', `Bitbucket accepted the commit but branch ${request.branch} does not exist.`);
  }
  return { name: request.branch, hash: tip.hash };
}
