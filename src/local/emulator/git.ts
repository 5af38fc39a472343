import { createHash } from 'node:crypto';
import type { CommitRecord, EmulatorState, RepositoryRecord, TreeEntry } from './model';

/** A tiny content-addressed git model: blobs, full trees per commit, branches as name → hash. */

export type Tree = Record<string, TreeEntry>;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Stores content once and returns its git blob id. */
export function storeBlob(repo: RepositoryRecord, content: string): string {
  const id = sha1(`blob ${Buffer.byteLength(content)}\0${content}`);
  repo.blobs[id] = content;
  return id;
}

export function createCommit(
  state: EmulatorState,
  repo: RepositoryRecord,
  commit: { parents: string[]; tree: Tree; message: string; author: string; authorUuid?: string },
): CommitRecord {
  state.sequence += 1;
  const date = new Date().toISOString();
  const treeId = sha1(JSON.stringify(Object.entries(commit.tree).sort(([a], [b]) => (a < b ? -1 : 1))));
  const hash = sha1(JSON.stringify([commit.parents, treeId, commit.message, commit.author, date, state.sequence]));
  const record: CommitRecord = { hash, date, ...commit };
  repo.commits[hash] = record;
  return record;
}

export type Resolved = { commit: CommitRecord } | { error: 'not_found' | 'ambiguous' };

/** A branch name, a full hash, or a unique hash prefix of at least 7 characters. */
export function resolveRef(repo: RepositoryRecord, ref: string): Resolved {
  const branchTip = repo.branches[ref];
  const direct = branchTip === undefined ? repo.commits[ref] : repo.commits[branchTip];
  if (direct) return { commit: direct };
  if (!/^[0-9a-f]{7,40}$/.test(ref)) return { error: 'not_found' };
  const candidates = Object.keys(repo.commits).filter((hash) => hash.startsWith(ref));
  const [only] = candidates;
  if (candidates.length > 1) return { error: 'ambiguous' };
  const commit = only === undefined ? undefined : repo.commits[only];
  return commit ? { commit } : { error: 'not_found' };
}

export const fileContent = (repo: RepositoryRecord, entry: TreeEntry): string => repo.blobs[entry.blob] ?? '';

export const attributesOf = (entry: TreeEntry): string[] => (entry.executable ? ['executable'] : []);

/** `''` is the root. True when some file lies below `path`. */
export function isDirectory(tree: Tree, path: string): boolean {
  if (path === '') return true;
  const prefix = `${path}/`;
  return Object.keys(tree).some((file) => file.startsWith(prefix));
}

export type DirectoryEntry = { type: 'commit_file'; path: string; entry: TreeEntry } | { type: 'commit_directory'; path: string };

/** Entries below `directory`, breadth-first, down to `maxDepth` levels (1 = direct children). */
export function listDirectory(tree: Tree, directory: string, maxDepth: number): DirectoryEntry[] {
  const prefix = directory === '' ? '' : `${directory}/`;
  const levels = new Map<number, Map<string, DirectoryEntry>>();
  for (const [path, entry] of Object.entries(tree)) {
    if (!path.startsWith(prefix)) continue;
    const parts = path.slice(prefix.length).split('/');
    for (let depth = 1; depth <= Math.min(maxDepth, parts.length); depth += 1) {
      const child = prefix + parts.slice(0, depth).join('/');
      const level = levels.get(depth) ?? new Map<string, DirectoryEntry>();
      levels.set(depth, level);
      level.set(child, depth === parts.length ? { type: 'commit_file', path: child, entry } : { type: 'commit_directory', path: child });
    }
  }
  return [...levels.keys()]
    .sort((a, b) => a - b)
    .flatMap((depth) => [...(levels.get(depth)?.values() ?? [])].sort((a, b) => (a.path < b.path ? -1 : 1)));
}

/** Every ancestor of a commit, nearest first, the commit itself included. */
function ancestors(repo: RepositoryRecord, hash: string): string[] {
  const seen: string[] = [];
  const queue = [hash];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.includes(next)) continue;
    seen.push(next);
    queue.push(...(repo.commits[next]?.parents ?? []));
  }
  return seen;
}

export function mergeBase(repo: RepositoryRecord, a: string, b: string): string | undefined {
  const ofB = new Set(ancestors(repo, b));
  return ancestors(repo, a).find((hash) => ofB.has(hash));
}

/** `onto` plus what `from` changed since `base` (the source wins where both changed a file). */
export function applyChanges(onto: Tree, from: Tree, base: Tree): Tree {
  const result: Tree = { ...onto };
  for (const path of new Set([...Object.keys(from), ...Object.keys(base)])) {
    const before = base[path];
    const after = from[path];
    if (before?.blob === after?.blob && before?.executable === after?.executable) continue;
    if (after === undefined) delete result[path];
    else result[path] = after;
  }
  return result;
}

export interface DiffStatEntry {
  status: 'added' | 'removed' | 'modified';
  path: string;
  linesAdded: number;
  linesRemoved: number;
}

const linesOf = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Lines added and removed: common prefix and suffix trimmed, the middle compared as multisets. */
function countLines(before: string, after: string): { added: number; removed: number } {
  const a = linesOf(before);
  const b = linesOf(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const pool = new Map<string, number>();
  for (const line of a.slice(start, endA)) pool.set(line, (pool.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of b.slice(start, endB)) {
    const left = pool.get(line) ?? 0;
    if (left > 0) pool.set(line, left - 1);
    else added += 1;
  }
  const removed = [...pool.values()].reduce((sum, count) => sum + count, 0);
  return { added, removed };
}

/** What `changed` holds relative to `base` (undefined: the empty tree). */
export function diffStat(repo: RepositoryRecord, changed: CommitRecord, base: CommitRecord | undefined): DiffStatEntry[] {
  const before: Tree = base?.tree ?? {};
  const after = changed.tree;
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const entries: DiffStatEntry[] = [];
  for (const path of paths) {
    const old = before[path];
    const now = after[path];
    if (old?.blob === now?.blob && old?.executable === now?.executable) continue;
    const { added, removed } = countLines(old ? fileContent(repo, old) : '', now ? fileContent(repo, now) : '');
    const status = old === undefined ? 'added' : now === undefined ? 'removed' : 'modified';
    entries.push({ status, path, linesAdded: added, linesRemoved: removed });
  }
  return entries;
}
