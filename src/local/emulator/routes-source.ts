import { z } from 'zod';
import { filterByBbql } from './bbql';
import { attributesOf, diffStat, fileContent, isDirectory, listDirectory, resolveRef, type DirectoryEntry } from './git';
import { badRequest, empty, errorReply, json, page, parseJsonBody, type Reply } from './http-io';
import type { CommitRecord, RepositoryRecord } from './model';
import { branchJson, commitJson, repositoryJson, repoHtml } from './render';
import { repoRoute, type RepoContext, type Route } from './router';

/** Repository metadata, branches, source browsing and diffstat. */

const MIME: Record<string, string> = {
  json: 'application/json',
  js: 'application/javascript',
  md: 'text/markdown',
  html: 'text/html',
  py: 'text/x-python',
  java: 'text/x-java',
  xml: 'application/xml',
  yml: 'application/x-yaml',
  yaml: 'application/x-yaml',
};

const commitNotFound = (ref: string) => errorReply(404, `Commit not found: ${ref}`);

/** The commit a ref names, or the error reply Bitbucket would send. */
export function commitOrReply(repo: RepositoryRecord, ref: string): CommitRecord | Reply {
  const resolved = resolveRef(repo, ref);
  if ('commit' in resolved) return resolved.commit;
  return resolved.error === 'ambiguous' ? badRequest(`Ambiguous commit id: ${ref}`) : commitNotFound(ref);
}

const isReply = (value: CommitRecord | Reply): value is Reply => 'status' in value;

function entryJson(entry: DirectoryEntry, commit: CommitRecord, { req, repo }: RepoContext) {
  const self = `${req.publicBase}/2.0/repositories/${repo.workspace}/${repo.slug}/src/${commit.hash}/${entry.path}`;
  const common = { path: entry.path, commit: { type: 'commit', hash: commit.hash }, escaped_path: entry.path };
  if (entry.type === 'commit_directory') return { type: 'commit_directory', ...common, links: { self: { href: `${self}/` } } };
  return {
    type: 'commit_file',
    ...common,
    size: Buffer.byteLength(fileContent(repo, entry.entry)),
    attributes: attributesOf(entry.entry),
    mimetype: null,
    links: { self: { href: self }, meta: { href: `${self}?format=meta` } },
  };
}

function source(ctx: RepoContext): Reply {
  const { req, repo, params } = ctx;
  const commit = commitOrReply(repo, params.commit ?? '');
  if (isReply(commit)) return commit;
  const path = (params.path ?? '').replace(/^\/+|\/+$/g, '');
  const file = commit.tree[path];
  const meta = req.query.get('format') === 'meta';
  if (file) {
    if (meta) return json(200, entryJson({ type: 'commit_file', path, entry: file }, commit, ctx));
    const extension = path.split('.').pop()?.toLowerCase() ?? '';
    return {
      status: 200,
      headers: { 'content-type': MIME[extension] ?? 'text/plain', 'content-disposition': 'attachment' },
      body: fileContent(repo, file),
    };
  }
  if (!isDirectory(commit.tree, path)) return errorReply(404, `No such file or directory: ${path}`);
  if (meta) return json(200, entryJson({ type: 'commit_directory', path }, commit, ctx));
  const depth = Number.parseInt(req.query.get('max_depth') ?? '1', 10);
  const entries = listDirectory(commit.tree, path, Number.isNaN(depth) || depth < 1 ? 1 : depth);
  return page(req, entries, (entry) => entryJson(entry, commit, ctx));
}

function branchOr404(repo: RepositoryRecord, name: string, base: string): Reply {
  const hash = repo.branches[name];
  const commit = hash === undefined ? undefined : repo.commits[hash];
  return commit ? json(200, branchJson(name, commit, repo, base)) : errorReply(404, `Branch not found: ${name}`);
}

/** Git's ref-name rules, roughly: no spaces, `..`, `~^:?*[\\`, leading/trailing or double `/`. */
export const VALID_BRANCH = /^(?!\/)(?!.*\/\/)(?!.*\.\.)(?!.*\/$)[^\s~^:?*[\\]+$/;

const createBranchBody = z.object({
  name: z.string().regex(VALID_BRANCH, 'not a valid branch name'),
  target: z.object({ hash: z.string() }),
});

function createBranch({ req, repo }: RepoContext): Reply {
  const parsed = parseJsonBody(req, createBranchBody);
  if ('reply' in parsed) return parsed.reply;
  const { name, target: { hash } } = parsed.data;
  if (repo.branches[name] !== undefined) return badRequest(`Branch "${name}" already exists.`);
  const commit = commitOrReply(repo, hash);
  if (isReply(commit)) return commit;
  repo.branches[name] = commit.hash;
  return json(201, branchJson(name, commit, repo, req.publicBase), { location: `${repoHtml(repo, req.publicBase)}/branch/${name}` });
}

function deleteBranch({ repo, params }: RepoContext): Reply {
  const name = params.name ?? '';
  if (repo.branches[name] === undefined) return errorReply(404, `Branch not found: ${name}`);
  if (name === repo.mainBranch) return badRequest('You cannot delete the main branch.');
  delete repo.branches[name];
  return empty(204);
}

function diffstat({ req, repo, params }: RepoContext): Reply {
  const [changedRef = '', baseRef] = (params.spec ?? '').split('..');
  const changed = commitOrReply(repo, changedRef);
  if (isReply(changed)) return changed;
  let base: CommitRecord | undefined;
  if (baseRef !== undefined) {
    const resolved = commitOrReply(repo, baseRef);
    if (isReply(resolved)) return resolved;
    base = resolved;
  } else {
    const parent = changed.parents[0];
    base = parent === undefined ? undefined : repo.commits[parent];
  }
  const stats = diffStat(repo, changed, base);
  return page(
    req,
    stats,
    (stat) => ({
      type: 'diffstat',
      status: stat.status,
      lines_added: stat.linesAdded,
      lines_removed: stat.linesRemoved,
      old: stat.status === 'added' ? null : { type: 'commit_file', path: stat.path },
      new: stat.status === 'removed' ? null : { type: 'commit_file', path: stat.path },
    }),
    500,
  );
}

export const sourceRoutes: Route[] = [
  repoRoute('GET', '', 'read:repository:bitbucket', ({ req, state, repo }) => json(200, repositoryJson(state, repo, req.publicBase))),
  repoRoute('GET', '/refs/branches', 'read:repository:bitbucket', ({ req, repo }) => {
    const names = Object.keys(repo.branches).sort();
    const q = req.query.get('q');
    const filtered = q === null ? names : filterByBbql(names, q, { name: (name) => name });
    return page(req, filtered, (name) => {
      const commit = repo.commits[repo.branches[name] ?? ''];
      return commit ? branchJson(name, commit, repo, req.publicBase) : { type: 'branch', name };
    });
  }),
  repoRoute('GET', '/refs/branches/*name', 'read:repository:bitbucket', ({ req, repo, params }) =>
    branchOr404(repo, params.name ?? '', req.publicBase),
  ),
  repoRoute('POST', '/refs/branches', 'write:repository:bitbucket', createBranch),
  repoRoute('DELETE', '/refs/branches/*name', 'write:repository:bitbucket', deleteBranch),
  repoRoute('GET', '/commit/:commit', 'read:repository:bitbucket', ({ req, repo, params }) => {
    const commit = commitOrReply(repo, params.commit ?? '');
    return isReply(commit) ? commit : json(200, commitJson(commit, repo, req.publicBase));
  }),
  repoRoute('GET', '/src/:commit/*path', 'read:repository:bitbucket', source),
  repoRoute('GET', '/diffstat/:spec', 'read:repository:bitbucket', diffstat),
];
