import type { SqlDatabase } from '../ports';

/** An open remediation pull request due for a state check by the scheduled reconcile. */
export interface PullRequestToCheck {
  workspaceId: string;
  repoUuid: string;
  id: number;
  checkedAt?: string;
}

interface Row {
  workspace_id: string;
  repo_uuid: string;
  id: number;
  checked_at: string | null;
}

/**
 * The reconcile's bookkeeping on `pull_requests.checked_at` (migration 010). Kept apart from
 * `PullRequestsRepository` so the lifecycle's writes never touch it and it never touches theirs.
 */
export class PullRequestChecksRepository {
  constructor(private readonly db: SqlDatabase) {}

  /** Open pull requests, never-checked first, then the longest ago (ties by repository and id). */
  async oldestCheckedOpen(limit: number): Promise<PullRequestToCheck[]> {
    const rows = await this.db.query<Row>(
      `SELECT workspace_id, repo_uuid, id, checked_at FROM pull_requests WHERE state = 'OPEN'
        ORDER BY COALESCE(checked_at, ''), repo_uuid, id LIMIT ${Math.max(1, Math.trunc(limit))}`,
    );
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      repoUuid: row.repo_uuid,
      id: Number(row.id),
      ...(row.checked_at ? { checkedAt: row.checked_at } : {}),
    }));
  }

  async markChecked(repoUuid: string, id: number, at: string): Promise<void> {
    await this.db.execute('UPDATE pull_requests SET checked_at = ? WHERE repo_uuid = ? AND id = ?', [at, repoUuid, id]);
  }
}
