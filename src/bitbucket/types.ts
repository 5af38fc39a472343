/**
 * The Bitbucket Cloud operations Remediate uses, in the app's own vocabulary. One client
 * (`client.ts`) implements this over REST 2.0 with an injected fetch; services depend only on
 * this interface. Failures throw `AppError` with codes `unauthorized`, `missing_scope`,
 * `not_found`, `conflict`, `rate_limited`, `server_error` (Bitbucket's message kept, token never).
 */

/** A repository by workspace and repository, each a slug or a `{uuid}` (braces included). */
export interface RepoRef {
  workspace: string;
  repo: string;
}

export interface BitbucketCredentials {
  /** Atlassian account email: the Basic-auth user name for API tokens. */
  email: string;
  apiToken: string;
}

export interface BitbucketUser {
  uuid: string;
  accountId: string;
  /** What Bitbucket shows as the account's username (`nickname` / `username`). */
  username: string;
  displayName: string;
  /** Scopes from `x-oauth-scopes` when Bitbucket sends it, else undefined. */
  grantedScopes?: string[];
}

export interface WorkspaceAccess {
  slug: string;
  uuid: string;
  administrator: boolean;
}

export type WorkspacePermissionLevel = 'owner' | 'collaborator' | 'member';

/** A user's effective permission on one repository (the highest of direct and group grants). */
export type RepositoryPermissionLevel = 'admin' | 'write' | 'read' | 'none';

export interface Repository {
  uuid: string;
  slug: string;
  fullName: string;
  workspace: { slug: string; uuid: string };
  mainBranch: string;
  isPrivate: boolean;
  htmlUrl: string;
}

export interface Branch {
  name: string;
  hash: string;
  /** `getBranch` only: the account Bitbucket links the tip commit's author to, when it knows one. */
  authorUuid?: string;
}

export interface FileMeta {
  path: string;
  size: number;
  /** Subset of link, executable, subrepository, binary, lfs. */
  attributes: string[];
}

export interface FileChange {
  path: string;
  content: string;
  /** Keep the executable bit (Bitbucket drops it unless the part says so). */
  executable?: boolean;
}

export interface CommitRequest {
  repo: RepoRef;
  /** Always given: never commit to the main branch by accident. */
  branch: string;
  /** The commit the new commit sits on: the scanned commit for a new branch, the tip for an existing one. */
  parent: string;
  message: string;
  /** `Full Name <email>`. */
  author?: string;
  files: FileChange[];
  deletions?: string[];
  /**
   * `false` skips reading the branch after the commit when Bitbucket sends no `Location` (it
   * usually does not): the returned `hash` is then `''`. For callers that learn the tip elsewhere,
   * e.g. from the pull request they open next. Default `true`.
   */
  readTip?: boolean;
}

export type PullRequestState = 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';

export interface PullRequest {
  id: number;
  title: string;
  description: string;
  state: PullRequestState;
  sourceBranch: string;
  sourceCommit?: string;
  /** `workspace/slug` of the repository the source branch is in: another one than the destination's for a fork. */
  sourceRepository?: string;
  destinationBranch: string;
  destinationCommit?: string;
  destinationRepository?: string;
  htmlUrl: string;
  authorUuid?: string;
  reviewers: { uuid: string }[];
}

export interface CreatePullRequest {
  repo: RepoRef;
  title: string;
  description: string;
  sourceBranch: string;
  destinationBranch: string;
  closeSourceBranch?: boolean;
}

export interface CodeInsightsReport {
  title: string;
  details: string;
  reportType: 'SECURITY' | 'COVERAGE' | 'TEST' | 'BUG';
  reporter: string;
  result: 'PASSED' | 'FAILED' | 'PENDING';
  link?: string;
  data?: { title: string; type: 'BOOLEAN' | 'DATE' | 'DURATION' | 'LINK' | 'NUMBER' | 'PERCENTAGE' | 'TEXT'; value: unknown }[];
}

export interface CodeInsightsAnnotation {
  externalId: string;
  annotationType: 'VULNERABILITY' | 'CODE_SMELL' | 'BUG';
  summary: string;
  details?: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  result?: 'PASSED' | 'FAILED' | 'IGNORED' | 'SKIPPED';
  path?: string;
  line?: number;
  link?: string;
}

export interface DiffStat {
  status: 'added' | 'removed' | 'modified' | 'renamed';
  linesAdded: number;
  linesRemoved: number;
  oldPath?: string;
  newPath?: string;
}

/** Requests made and left in this invocation's budgets (Forge egress and Bitbucket's hourly limit). */
export interface RequestBudget {
  made: number;
  remainingThisMinute: number;
  remainingThisHour: number;
}

export interface BitbucketClient {
  getCurrentUser(): Promise<BitbucketUser>;
  listUserWorkspaces(): Promise<WorkspaceAccess[]>;
  /** The permission of one account in a workspace, or undefined when not a member. */
  getWorkspacePermission(workspace: string, accountId: string): Promise<WorkspacePermissionLevel | undefined>;
  /** The display names of those of `accountIds` who are members of `workspace` (others are left out). */
  workspaceMemberNames(workspace: string, accountIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * One account's effective permission on a repository of `workspace`, or undefined when the
   * account has none there. A repository outside `workspace` is `not_found`. Bitbucket lets only
   * repository admins (and the Forge app, `asApp`) ask.
   */
  getRepositoryPermission(workspace: string, repository: string, accountId: string): Promise<{ permission: RepositoryPermissionLevel; repositoryUuid?: string } | undefined>;
  getRepository(repo: RepoRef): Promise<Repository>;
  /** A few repositories of `workspace` the account can read (most recently updated first): the slugs and full names. */
  listRepositories(workspace: string, limit: number): Promise<{ slug: string; fullName: string }[]>;
  getBranch(repo: RepoRef, name: string): Promise<Branch | undefined>;
  /** Whether the repository has the commit (false on 404). */
  commitExists(repo: RepoRef, hash: string): Promise<boolean>;
  createBranch(repo: RepoRef, name: string, hash: string): Promise<Branch>;
  deleteBranch(repo: RepoRef, name: string): Promise<void>;
  /** Raw file content at a commit, or undefined when the file does not exist there. */
  readFile(repo: RepoRef, commit: string, path: string): Promise<string | undefined>;
  getFileMeta(repo: RepoRef, commit: string, path: string): Promise<FileMeta | undefined>;
  /** Every file path at a commit (follows `next`), for mapping absolute SARIF paths. */
  listFiles(repo: RepoRef, commit: string): Promise<string[]>;
  /** One commit of all files via multipart `POST /src`; returns the new tip of `branch`. */
  commitFiles(request: CommitRequest): Promise<Branch>;
  createPullRequest(request: CreatePullRequest): Promise<PullRequest>;
  getPullRequest(repo: RepoRef, id: number): Promise<PullRequest>;
  listPullRequests(repo: RepoRef, filter: { sourceBranch?: string; states?: PullRequestState[] }): Promise<PullRequest[]>;
  /** Updates title/description, sending the existing reviewers back so they are not cleared. */
  updatePullRequest(repo: RepoRef, id: number, update: { title?: string; description?: string }): Promise<PullRequest>;
  declinePullRequest(repo: RepoRef, id: number): Promise<PullRequest>;
  /** Adds a comment; returns its id when Bitbucket says it. */
  commentOnPullRequest(repo: RepoRef, id: number, markdown: string): Promise<number | undefined>;
  /** Rewrites one comment (Remediate's own, kept up to date on each scan). */
  updatePullRequestComment(repo: RepoRef, id: number, commentId: number, markdown: string): Promise<void>;
  putReport(repo: RepoRef, commit: string, reportId: string, report: CodeInsightsReport): Promise<void>;
  /** Sends annotations in batches of at most 100 (a report holds at most 1,000). */
  addAnnotations(repo: RepoRef, commit: string, reportId: string, annotations: CodeInsightsAnnotation[]): Promise<void>;
  /** Deletes a report and its annotations; a report that is not there is not an error. */
  deleteReport(repo: RepoRef, commit: string, reportId: string): Promise<void>;
  diffstat(repo: RepoRef, spec: string): Promise<DiffStat[]>;
  budget(): RequestBudget;
  /**
   * Whether `requests` more calls fit in both budgets now. A call that would overspend is not sent:
   * it throws `rate_limited` with `details.budget` ('minute' | 'hour') and `retryAfterSeconds`,
   * so a job can stop cleanly and re-queue itself.
   */
  canAfford(requests: number): boolean;
}
