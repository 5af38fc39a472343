import { AppError, isAppError } from '../domain/errors';
import type { BitbucketTransport } from './http';
import { buildMultipart, type MultipartPart } from './multipart';
import { encodePath, repoPath } from './paths';
import { branchSchema } from './schemas';
import type { Branch, CommitRequest, RepoRef } from './types';

const SHA_AT_END = /\b([0-9a-f]{40})\/?$/;

export interface BranchTip {
  name: string;
  hash: string;
  parents: string[] | undefined;
  message: string | undefined;
}

/** The tip of a branch with what is needed to recognise our own commit, or undefined on 404. */
export async function readBranchTip(http: BitbucketTransport, repo: RepoRef, name: string): Promise<BranchTip | undefined> {
  const url = http.url(`${repoPath(repo)}/refs/branches/${encodePath(name)}`, {
    fields: 'name,target.hash,target.parents.hash,target.message',
  });
  try {
    const branch = await http.json(url, branchSchema);
    return {
      name: branch.name,
      hash: branch.target.hash,
      parents: branch.target.parents?.map((parent) => parent.hash),
      message: branch.target.message,
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

/**
 * One commit of every change via `POST /src`. With `branch` + `parents`, Bitbucket creates the
 * branch on `parent` or, if it exists, insists its tip is `parent` (409 otherwise). The POST is
 * never re-sent after a 5xx or a lost answer: the branch is read instead, and the commit counts
 * as landed only when the tip is a new commit sitting directly on `parent` with our message.
 */
export async function commitFiles(http: BitbucketTransport, request: CommitRequest): Promise<Branch> {
  const { contentType, body } = buildMultipart(partsOf(request));
  const url = http.url(`${repoPath(request.repo)}/src`);
  let reply;
  try {
    reply = await http.send(url, { method: 'POST', body, contentType, retryOnServerError: false });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'server_error') throw error;
    const tip = await readBranchTip(http, request.repo, request.branch);
    const landed =
      tip !== undefined &&
      tip.hash !== request.parent &&
      tip.parents?.[0] === request.parent &&
      (tip.message === undefined || tip.message.trim() === request.message.trim());
    if (landed) return { name: request.branch, hash: tip.hash };
    throw error;
  }

  const fromLocation = reply.headers.get('location')?.match(SHA_AT_END)?.[1];
  if (fromLocation !== undefined) return { name: request.branch, hash: fromLocation };
  const tip = await readBranchTip(http, request.repo, request.branch);
  if (tip === undefined) {
    throw new AppError('server_error', `Bitbucket accepted the commit but branch ${request.branch} does not exist.`);
  }
  return { name: request.branch, hash: tip.hash };
}
