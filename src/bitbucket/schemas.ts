import { z } from 'zod';
import type { AssertKnownFields, Expect, Page, Schemas } from './openapi';

/**
 * The parts of Bitbucket's responses the client relies on. Lenient: unknown fields pass, and a
 * field the client can do without is optional, so a `fields=`-trimmed answer still validates.
 */

export const pageSchema = z.looseObject({
  values: z.array(z.unknown()),
  next: z.string().optional(),
});

export const userSchema = z.looseObject({
  uuid: z.string(),
  account_id: z.string(),
  username: z.string().optional(),
  nickname: z.string().optional(),
  display_name: z.string(),
});

export const workspaceAccessSchema = z.looseObject({
  administrator: z.boolean(),
  workspace: z.looseObject({ slug: z.string(), uuid: z.string() }),
});

export const workspaceMembershipSchema = z.looseObject({
  permission: z.enum(['owner', 'collaborator', 'member']),
});

/** A workspace membership as its user's account id and display name. */
export const workspaceMemberSchema = z.looseObject({
  user: z.looseObject({ account_id: z.string().optional(), display_name: z.string().optional() }).optional(),
});

/** One entry of `paginated_repository_permissions`: a user's effective permission on a repository. */
export const repositoryPermissionSchema = z.looseObject({
  permission: z.enum(['admin', 'write', 'read', 'none']),
  repository: z.looseObject({ uuid: z.string() }).optional(),
  user: z.looseObject({ account_id: z.string().optional() }).optional(),
});

const hrefSchema = z.looseObject({ href: z.string() });

export const repositorySchema = z.looseObject({
  uuid: z.string(),
  slug: z.string().optional(),
  full_name: z.string(),
  workspace: z.looseObject({ slug: z.string(), uuid: z.string() }).optional(),
  mainbranch: z.looseObject({ name: z.string() }).nullish(),
  is_private: z.boolean(),
  links: z.looseObject({ html: hrefSchema.optional() }).optional(),
});

/** A repository as a workspace listing names it (`fields=values.slug,values.full_name`). */
export const repositoryNameSchema = z.looseObject({ slug: z.string().optional(), full_name: z.string() });

export const branchSchema = z.looseObject({
  name: z.string(),
  target: z.looseObject({
    hash: z.string(),
    message: z.string().optional(),
    /** `user` is the account Bitbucket links the author line to (by e-mail address), when there is one. */
    author: z.looseObject({ raw: z.string().optional(), user: z.looseObject({ uuid: z.string().optional() }).nullish() }).nullish(),
    parents: z.array(z.looseObject({ hash: z.string() })).optional(),
  }),
});

export const directoryEntrySchema = z.looseObject({
  type: z.string(),
  path: z.string(),
});

export const fileMetaSchema = z.looseObject({
  type: z.string(),
  path: z.string(),
  size: z.number().optional(),
  attributes: z.array(z.string()).optional(),
});

const endpointSchema = z.looseObject({
  branch: z.looseObject({ name: z.string() }),
  commit: z.looseObject({ hash: z.string() }).nullish(),
  repository: z.looseObject({ full_name: z.string().optional(), uuid: z.string().optional() }).nullish(),
});

export const commentSchema = z.looseObject({ id: z.number().int() });

export const pullRequestSchema = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  summary: z.looseObject({ raw: z.string().nullish() }).nullish(),
  state: z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']),
  source: endpointSchema,
  destination: endpointSchema,
  author: z.looseObject({ uuid: z.string().optional() }).nullish(),
  reviewers: z.array(z.looseObject({ uuid: z.string() })).optional(),
  links: z.looseObject({ html: hrefSchema.optional() }).optional(),
});

export const diffStatSchema = z.looseObject({
  status: z.enum(['added', 'removed', 'modified', 'renamed']),
  lines_added: z.number().optional(),
  lines_removed: z.number().optional(),
  old: z.looseObject({ path: z.string() }).nullish(),
  new: z.looseObject({ path: z.string() }).nullish(),
});

export type PullRequestJson = z.infer<typeof pullRequestSchema>;

/*
 * Every field the schemas above read must be named by the official OpenAPI description. The
 * `& {...}` additions are fields bitbucket.org sends that the bundled description leaves out:
 * `username` (older accounts), `workspace_access` (CHANGE-3022's `/user/workspaces`), a membership's
 * `permission`, a repository's `slug` and `workspace`, a file's `size`, a pull request's `description`.
 */
type WorkspaceAccessApi = { administrator?: boolean; workspace?: Schemas['workspace'] };
export type SchemaChecks = [
  Expect<AssertKnownFields<z.infer<typeof pageSchema>, Page<unknown>>>,
  Expect<AssertKnownFields<z.infer<typeof userSchema>, Schemas['user'] & { username?: string }>>,
  Expect<AssertKnownFields<z.infer<typeof workspaceAccessSchema>, WorkspaceAccessApi>>,
  Expect<AssertKnownFields<z.infer<typeof workspaceMembershipSchema>, Schemas['workspace_membership'] & { permission?: string }>>,
  Expect<AssertKnownFields<z.infer<typeof repositoryPermissionSchema>, Schemas['repository_permission']>>,
  Expect<AssertKnownFields<z.infer<typeof repositorySchema>, Schemas['repository'] & { slug?: string; workspace?: Schemas['workspace'] }>>,
  Expect<AssertKnownFields<z.infer<typeof branchSchema>, Schemas['branch']>>,
  Expect<AssertKnownFields<z.infer<typeof directoryEntrySchema>, Schemas['treeentry']>>,
  Expect<AssertKnownFields<z.infer<typeof fileMetaSchema>, Schemas['commit_file'] & { size?: number }>>,
  Expect<AssertKnownFields<z.infer<typeof pullRequestSchema>, Schemas['pullrequest'] & { description?: string }>>,
  Expect<AssertKnownFields<z.infer<typeof diffStatSchema>, Schemas['diffstat']>>,
  Expect<AssertKnownFields<z.infer<typeof commentSchema>, Schemas['pullrequest_comment']>>,
];
