import { z } from 'zod';

/**
 * The emulator's whole state: plain JSON, validated when loaded from the state file. Files are
 * stored once per content (`blobs`, keyed by git blob id); a commit holds a full path → blob tree.
 */

export const membershipSchema = z.enum(['owner', 'member']);

export const userRecordSchema = z.object({
  username: z.string(),
  email: z.string(),
  token: z.string(),
  displayName: z.string(),
  uuid: z.string(),
  accountId: z.string(),
  scopes: z.array(z.string()),
  workspaces: z.record(z.string(), membershipSchema),
  createdOn: z.string(),
});

export const workspaceRecordSchema = z.object({
  slug: z.string(),
  uuid: z.string(),
  name: z.string(),
  createdOn: z.string(),
});

/** A repository permission as Bitbucket names it (`repository_permission.permission`). */
export const repositoryPermissionSchema = z.enum(['admin', 'write', 'read', 'none']);

export const treeEntrySchema = z.object({ blob: z.string(), executable: z.boolean() });

export const commitRecordSchema = z.object({
  hash: z.string(),
  parents: z.array(z.string()),
  tree: z.record(z.string(), treeEntrySchema),
  message: z.string(),
  author: z.string(),
  /**
   * The Bitbucket account the author line maps to (by its e-mail address, as Bitbucket maps
   * `author.user`), recorded when the commit is made; absent when no account has that address.
   */
  authorUuid: z.string().optional(),
  date: z.string(),
});

export const pullRequestStateSchema = z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);

export const commentRecordSchema = z.object({
  id: z.number(),
  raw: z.string(),
  authorUuid: z.string(),
  createdOn: z.string(),
  updatedOn: z.string().optional(),
});

export const pullRequestRecordSchema = z.object({
  id: z.number(),
  title: z.string(),
  description: z.string(),
  state: pullRequestStateSchema,
  sourceBranch: z.string(),
  sourceCommit: z.string(),
  destinationBranch: z.string(),
  destinationCommit: z.string(),
  authorUuid: z.string(),
  reviewers: z.array(z.object({ uuid: z.string() })),
  closeSourceBranch: z.boolean(),
  mergeCommit: z.string().nullable(),
  createdOn: z.string(),
  updatedOn: z.string(),
  comments: z.array(commentRecordSchema),
  /** `workspace/slug` of a fork the source branch is in (absent: this repository). */
  sourceRepository: z.string().optional(),
  /** The last result of the app's merge check, shown on the pull request page. */
  mergeCheck: z.object({ success: z.boolean(), message: z.string(), trigger: z.string(), at: z.string() }).optional(),
});

/** Reports and annotations are kept as the JSON documents Bitbucket returns. */
export const reportRecordSchema = z.object({
  report: z.record(z.string(), z.unknown()),
  annotations: z.array(z.record(z.string(), z.unknown())),
});

export const repositoryRecordSchema = z.object({
  uuid: z.string(),
  workspace: z.string(),
  slug: z.string(),
  isPrivate: z.boolean(),
  mainBranch: z.string(),
  createdOn: z.string(),
  blobs: z.record(z.string(), z.string()),
  commits: z.record(z.string(), commitRecordSchema),
  branches: z.record(z.string(), z.string()),
  pullRequests: z.array(pullRequestRecordSchema),
  nextPullRequestId: z.number(),
  nextCommentId: z.number(),
  /** commit hash → report id → report. */
  reports: z.record(z.string(), z.record(z.string(), reportRecordSchema)),
  /**
   * Explicit user permissions (user uuid → level), as set on the repository's permissions page.
   * Absent in older state files. Without an entry, see `repositoryPermissionOf`.
   */
  permissions: z.record(z.string(), repositoryPermissionSchema).optional(),
  /** The app's custom merge check is Required here (Repository settings → Merge checks). */
  mergeCheckRequired: z.boolean().optional(),
});

export const emulatorStateSchema = z.object({
  version: z.literal(1),
  /** Mixed into commit hashes so two otherwise identical commits still differ. */
  sequence: z.number(),
  users: z.array(userRecordSchema),
  workspaces: z.array(workspaceRecordSchema),
  repositories: z.array(repositoryRecordSchema),
});

export type Membership = z.infer<typeof membershipSchema>;
export type RepositoryPermission = z.infer<typeof repositoryPermissionSchema>;
export type UserRecord = z.infer<typeof userRecordSchema>;
export type WorkspaceRecord = z.infer<typeof workspaceRecordSchema>;
export type TreeEntry = z.infer<typeof treeEntrySchema>;
export type CommitRecord = z.infer<typeof commitRecordSchema>;
export type PullRequestRecord = z.infer<typeof pullRequestRecordSchema>;
export type ReportRecord = z.infer<typeof reportRecordSchema>;
export type RepositoryRecord = z.infer<typeof repositoryRecordSchema>;
export type EmulatorState = z.infer<typeof emulatorStateSchema>;

export const emptyState = (): EmulatorState => ({ version: 1, sequence: 0, users: [], workspaces: [], repositories: [] });

/** A slug or a `{uuid}` (braces included), as Bitbucket accepts in paths. */
const matches = (value: string, record: { slug: string; uuid: string }) =>
  record.slug.toLowerCase() === value.toLowerCase() || record.uuid === value;

export function findWorkspace(state: EmulatorState, idOrSlug: string): WorkspaceRecord | undefined {
  return state.workspaces.find((workspace) => matches(idOrSlug, workspace));
}

export function findRepository(state: EmulatorState, workspace: string, repo: string): RepositoryRecord | undefined {
  const owner = findWorkspace(state, workspace);
  if (!owner) return undefined;
  return state.repositories.find((record) => record.workspace === owner.slug && matches(repo, record));
}

export function findUserByUuid(state: EmulatorState, uuid: string): UserRecord | undefined {
  return state.users.find((user) => user.uuid === uuid);
}

/**
 * A user's effective permission on a repository, or undefined for none: workspace owners are
 * admins of every repository; an explicit grant comes next (also for people outside the
 * workspace); other workspace members get write, as Bitbucket's default "Developers" group does.
 */
export function repositoryPermissionOf(repo: RepositoryRecord, user: UserRecord): Exclude<RepositoryPermission, 'none'> | undefined {
  const membership = user.workspaces[repo.workspace];
  if (membership === 'owner') return 'admin';
  const explicit = repo.permissions?.[user.uuid];
  if (explicit !== undefined) return explicit === 'none' ? undefined : explicit;
  return membership === 'member' ? 'write' : undefined;
}
