import { z } from 'zod';
import type { SqlDatabase } from '../ports';
import { parseStoredJson } from './stored-schemas';

/** What the PR lifecycle remembers beside the row's columns (stored as JSON in `lifecycle`). */
export interface PullRequestLifecycle {
  /** Our last commit on the branch: when the branch tip is still this, every commit on it is ours. */
  headCommit?: string;
  /** Hash of the description body we last wrote; a PUT is sent only when it changes. */
  bodyHash?: string;
  /** Findings reviewers were told could not be added (so the comment is made once). */
  notAddedIds?: string[];
  /** Set when Remediate itself declined the PR because its findings are gone. */
  closedByApp?: boolean;
  /** The closing comment was posted (a retried close does not post it twice). */
  closingCommented?: boolean;
  /** Lines changed per file, for the description when a later commit adds findings. */
  files?: { path: string; linesAdded: number; linesRemoved: number }[];
  /**
   * The PR's branch on Bitbucket when it is not `branch` (the group's name, the dedupe key):
   * someone else held that name, so Remediate used a fresh one (`remediate/x-2`).
   */
  sourceBranch?: string;
}

export interface StoredPullRequest extends PullRequestLifecycle {
  repoUuid: string;
  id: number;
  workspaceId: string;
  branch: string;
  title: string;
  url: string;
  state: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  codemodId: string;
  findingIds: string[];
  createdAt: string;
  updatedAt: string;
}

interface Row {
  repo_uuid: string;
  id: number;
  workspace_id: string;
  branch: string;
  title: string;
  url: string;
  state: string;
  codemod_id: string;
  finding_ids: string;
  lifecycle: string | null;
  created_at: string;
  updated_at: string;
}

const stateSchema = z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);
const lifecycleSchema = z.object({
  headCommit: z.string().optional(),
  bodyHash: z.string().optional(),
  notAddedIds: z.array(z.string()).optional(),
  closedByApp: z.boolean().optional(),
  closingCommented: z.boolean().optional(),
  files: z.array(z.object({ path: z.string(), linesAdded: z.number(), linesRemoved: z.number() })).optional(),
  sourceBranch: z.string().optional(),
});

const fromRow = (row: Row): StoredPullRequest => ({
  repoUuid: row.repo_uuid,
  id: Number(row.id),
  workspaceId: row.workspace_id,
  branch: row.branch,
  title: row.title,
  url: row.url,
  state: stateSchema.parse(row.state),
  codemodId: row.codemod_id,
  findingIds: parseStoredJson(z.array(z.string()), row.finding_ids, 'pull request finding ids'),
  ...(row.lifecycle ? parseStoredJson(lifecycleSchema, row.lifecycle, 'pull request lifecycle') : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const lifecycleJson = (pr: StoredPullRequest): string => {
  const { headCommit, bodyHash, notAddedIds, closedByApp, closingCommented, files, sourceBranch } = pr;
  return JSON.stringify(lifecycleSchema.parse({ headCommit, bodyHash, notAddedIds, closedByApp, closingCommented, files, sourceBranch }));
};

export class PullRequestsRepository {
  constructor(private readonly db: SqlDatabase) {}

  async save(pr: StoredPullRequest): Promise<void> {
    const existing = await this.db.query<Row>('SELECT id FROM pull_requests WHERE repo_uuid = ? AND id = ?', [pr.repoUuid, pr.id]);
    if (existing.length > 0) {
      await this.db.execute(
        'UPDATE pull_requests SET title = ?, url = ?, state = ?, finding_ids = ?, lifecycle = ?, updated_at = ? WHERE repo_uuid = ? AND id = ?',
        [pr.title, pr.url, pr.state, JSON.stringify(pr.findingIds), lifecycleJson(pr), pr.updatedAt, pr.repoUuid, pr.id],
      );
      return;
    }
    await this.db.execute(
      `INSERT INTO pull_requests (repo_uuid, id, workspace_id, branch, title, url, state, codemod_id, finding_ids, lifecycle, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [pr.repoUuid, pr.id, pr.workspaceId, pr.branch, pr.title, pr.url, pr.state, pr.codemodId, JSON.stringify(pr.findingIds), lifecycleJson(pr), pr.createdAt, pr.updatedAt],
    );
  }

  async get(repoUuid: string, id: number): Promise<StoredPullRequest | undefined> {
    const rows = await this.db.query<Row>('SELECT * FROM pull_requests WHERE repo_uuid = ? AND id = ?', [repoUuid, id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async listForRepository(repoUuid: string): Promise<StoredPullRequest[]> {
    const rows = await this.db.query<Row>('SELECT * FROM pull_requests WHERE repo_uuid = ? ORDER BY id DESC', [repoUuid]);
    return rows.map(fromRow);
  }

  async listOpen(repoUuid: string): Promise<StoredPullRequest[]> {
    const rows = await this.db.query<Row>("SELECT * FROM pull_requests WHERE repo_uuid = ? AND state = 'OPEN' ORDER BY id DESC", [repoUuid]);
    return rows.map(fromRow);
  }

  /** Open pull requests whose branch starts with `prefix` (a scanned pull request's own fixes: `remediate/pr-{id}/`). */
  async listOpenUnder(repoUuid: string, prefix: string): Promise<StoredPullRequest[]> {
    const rows = await this.db.query<Row>(
      "SELECT * FROM pull_requests WHERE repo_uuid = ? AND state = 'OPEN' AND branch LIKE ? ESCAPE '!' ORDER BY id DESC",
      [repoUuid, `${prefix.replace(/[!%_]/g, '!$&')}%`],
    );
    return rows.map(fromRow);
  }

  async findByBranch(repoUuid: string, branch: string): Promise<StoredPullRequest[]> {
    const rows = await this.db.query<Row>('SELECT * FROM pull_requests WHERE repo_uuid = ? AND branch = ? ORDER BY id DESC', [repoUuid, branch]);
    return rows.map(fromRow);
  }
}
