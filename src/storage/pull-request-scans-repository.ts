import { z } from 'zod';
import type { SqlDatabase } from '../ports';
import { upsertStatement } from './sql-dialect';
import { parseStoredJson } from './stored-schemas';

/**
 * What Remediate keeps per scanned pull request (issue 16): its branches, the commits seen, the one
 * comment it edits, and the merge check's verdict for the last scanned commit. The merge check
 * answers from this one row: one SQL read, no Bitbucket call, when nothing changed.
 */
export interface PullRequestScanRecord {
  repoUuid: string;
  prId: number;
  sourceBranch: string;
  destinationBranch: string;
  /** The source branch is in another repository: Remediate never pushes there. */
  fork: boolean;
  /** The PR's source commit as last seen (by a scan job, or by the merge check after a push). */
  headCommit?: string;
  /** The last source commit a scan of the PR processed. */
  scannedCommit?: string;
  /** The comment Remediate keeps up to date on the PR. */
  commentId?: number;
  /** The merge check's verdict for `scannedCommit`. */
  check?: { success: boolean; message: string; blocking: number };
  updatedAt: string;
}

const dataSchema = z.object({
  sourceBranch: z.string(),
  destinationBranch: z.string(),
  fork: z.boolean(),
  headCommit: z.string().optional(),
  scannedCommit: z.string().optional(),
  commentId: z.number().optional(),
  check: z.object({ success: z.boolean(), message: z.string(), blocking: z.number() }).optional(),
});

interface Row {
  repo_uuid: string;
  pr_id: number;
  data: string;
  updated_at: string;
}

export class PullRequestScansRepository {
  constructor(private readonly db: SqlDatabase) {}

  async get(repoUuid: string, prId: number): Promise<PullRequestScanRecord | undefined> {
    const rows = await this.db.query<Row>('SELECT * FROM pull_request_scans WHERE repo_uuid = ? AND pr_id = ?', [repoUuid, prId]);
    const row = rows[0];
    if (!row) return undefined;
    return { repoUuid: row.repo_uuid, prId: Number(row.pr_id), ...parseStoredJson(dataSchema, row.data, 'pull request scan'), updatedAt: row.updated_at };
  }

  async save(record: PullRequestScanRecord): Promise<void> {
    const { repoUuid, prId, updatedAt, ...data } = record;
    const statement = upsertStatement({
      dialect: this.db.dialect,
      table: 'pull_request_scans',
      columns: ['repo_uuid', 'pr_id', 'data', 'updated_at'],
      rows: 1,
      conflictKey: ['repo_uuid', 'pr_id'],
      updateColumns: ['data', 'updated_at'],
    });
    await this.db.execute(statement, [repoUuid, prId, JSON.stringify(dataSchema.parse(data)), updatedAt]);
  }
}
