import { z } from 'zod';
import type { SqlDatabase } from '../ports';
import { parseStoredJson } from './stored-schemas';

export interface StoredPullRequest {
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
  created_at: string;
  updated_at: string;
}

const stateSchema = z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);

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
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class PullRequestsRepository {
  constructor(private readonly db: SqlDatabase) {}

  async save(pr: StoredPullRequest): Promise<void> {
    const existing = await this.db.query<Row>('SELECT * FROM pull_requests WHERE repo_uuid = ? AND id = ?', [pr.repoUuid, pr.id]);
    if (existing.length > 0) {
      await this.db.execute(
        'UPDATE pull_requests SET title = ?, url = ?, state = ?, finding_ids = ?, updated_at = ? WHERE repo_uuid = ? AND id = ?',
        [pr.title, pr.url, pr.state, JSON.stringify(pr.findingIds), pr.updatedAt, pr.repoUuid, pr.id],
      );
      return;
    }
    await this.db.execute(
      `INSERT INTO pull_requests (repo_uuid, id, workspace_id, branch, title, url, state, codemod_id, finding_ids, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [pr.repoUuid, pr.id, pr.workspaceId, pr.branch, pr.title, pr.url, pr.state, pr.codemodId, JSON.stringify(pr.findingIds), pr.createdAt, pr.updatedAt],
    );
  }

  async listForRepository(repoUuid: string): Promise<StoredPullRequest[]> {
    const rows = await this.db.query<Row>('SELECT * FROM pull_requests WHERE repo_uuid = ? ORDER BY id DESC', [repoUuid]);
    return rows.map(fromRow);
  }

  async findByBranch(repoUuid: string, branch: string): Promise<StoredPullRequest[]> {
    const rows = await this.db.query<Row>('SELECT * FROM pull_requests WHERE repo_uuid = ? AND branch = ? ORDER BY id DESC', [repoUuid, branch]);
    return rows.map(fromRow);
  }
}
