import { createCommit, storeBlob, type Tree } from './git';
import { FormError, parseCommitForm } from './form';
import { badRequest, empty, errorReply, type Reply } from './http-io';
import { commitOrReply, VALID_BRANCH } from './routes-source';
import { repoRoute, type RepoContext, type Route } from './router';

/**
 * `POST /src`: one commit of file adds, changes and deletions, with Bitbucket's branch/parents
 * rules (bitbucket-api.md §2.4):
 * 1. branch exists + parents: parents must be the tip, else 409;
 * 2. branch exists, no parents: on top of the tip;
 * 3. branch missing, no parents: on the main tip, new branch, main unchanged;
 * 4. branch missing + parents: new branch on parents;
 * 5. no branch + parents: parents must be the main tip, else 409; lands on main;
 * 6. no branch, no parents: lands on main;
 * 7. empty repository: the first commit is a root (and the main branch).
 */

const AUTHOR = /^[^<>]+ <[^<>\s]+>$/;

function normalisePath(path: string): string | undefined {
  const clean = path.replace(/^\/+/, '');
  const parts = clean.split('/');
  return clean === '' || parts.some((part) => part === '' || part === '.' || part === '..') ? undefined : clean;
}

function commitSource({ req, state, repo, user }: RepoContext): Reply {
  let form;
  try {
    form = parseCommitForm(req.body, String(req.headers['content-type'] ?? ''), req.query);
  } catch (error) {
    if (error instanceof FormError) return badRequest(`Malformed form body: ${error.message}`);
    throw error;
  }
  const repeated = (['branch', 'parents', 'message', 'author'] as const).find((field) => form.meta[field].length > 1);
  if (repeated === 'parents') return badRequest('parents: Only a single parent commit is supported.');
  if (repeated !== undefined) return badRequest(`${repeated}: may not be repeated`, { [repeated]: ['may not be repeated'] });
  const [branch] = form.meta.branch;
  const [parentRef] = form.meta.parents;
  const [message = 'Edited online with Bitbucket'] = form.meta.message;
  const [author = `${user.displayName} <${user.email}>`] = form.meta.author;
  if (!AUTHOR.test(author)) return badRequest('author: must be "Full Name <email>"', { author: ['invalid'] });
  if (branch !== undefined && !VALID_BRANCH.test(branch)) return badRequest(`branch: invalid name "${branch}"`);

  let parent: string | undefined;
  if (parentRef !== undefined) {
    const resolved = commitOrReply(repo, parentRef);
    if ('status' in resolved) return resolved.status === 404 ? badRequest(`parents: commit not found: ${parentRef}`) : resolved;
    parent = resolved.hash;
  }

  const target = branch ?? repo.mainBranch;
  const tip = repo.branches[target];
  if (tip !== undefined && parent !== undefined && parent !== tip) {
    return errorReply(409, `Commit ${parent} is not the tip of branch ${target} (the tip is ${tip}).`);
  }
  const mainTip = repo.branches[repo.mainBranch];
  const base = tip ?? parent ?? mainTip;

  const tree: Tree = { ...(base === undefined ? {} : repo.commits[base]?.tree) };
  const written = new Set<string>();
  for (const file of form.files) {
    const path = normalisePath(file.path);
    if (path === undefined) return badRequest(`Invalid file path: ${file.path}`);
    tree[path] = { blob: storeBlob(repo, file.content), executable: file.executable };
    written.add(path);
  }
  for (const listed of form.meta.files) {
    const path = normalisePath(listed);
    if (path === undefined) return badRequest(`files: invalid path ${listed}`);
    // A listed path without a part of its own is replaced by the null set: deleted.
    if (!written.has(path)) delete tree[path];
  }

  // Bitbucket links the author line to the account with that e-mail address (`author.user`).
  const email = /<([^>]*)>\s*$/.exec(author)?.[1]?.toLowerCase();
  const authorAccount = state.users.find((candidate) => candidate.email.toLowerCase() === email);
  const commit = createCommit(state, repo, {
    parents: base === undefined ? [] : [base],
    tree,
    message,
    author,
    ...(authorAccount ? { authorUuid: authorAccount.uuid } : {}),
  });
  if (Object.keys(repo.branches).length === 0) repo.mainBranch = target;
  repo.branches[target] = commit.hash;
  return empty(201);
}

export const commitRoutes: Route[] = [repoRoute('POST', '/src', 'write:repository:bitbucket', commitSource)];
