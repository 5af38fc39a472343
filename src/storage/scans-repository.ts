import { z } from 'zod';
import type { SqlDatabase } from '../ports';
import type { NormalisedFinding } from '../domain/finding';
import { AppError } from '../domain/errors';
import { normalisedFindingSchema, parseStoredJson } from './stored-schemas';

export type ScanStatus = 'receiving' | 'queued' | 'processing' | 'done' | 'failed';

export interface ScanCounts {
  results: number;
  findings: number;
  merged: number;
  skipped: number;
  /** SARIF values cut or dropped at their bound (src/domain/sarif/README.md, "Bounds"); absent when none. */
  trimmed?: number;
}

/** One fix group's persisted step in a scan job, keyed by its branch. */
export interface GroupProgress {
  step: 'committed' | 'opened' | 'done';
  /** The fix commit, once known (Bitbucket's `Location`, else the opened PR's source commit). */
  commit?: string;
  pullRequestId?: number;
}

/**
 * A scan job's persisted steps, so a retry or a re-queued continuation resumes where it stopped:
 * groups committed or done, stale PRs closed, how many findings wait for the PR caps.
 */
export interface ScanProgress {
  groups: Record<string, GroupProgress>;
  /** Open findings with a fix that the caps held back (open PRs per repository, new PRs per scan). */
  waitingForCap: number;
  /** New pull requests this scan opened so far (counts against `maxNewPullRequestsPerScan` across continuations). */
  opened: number;
  staleClosed?: boolean;
  /** How many times the job re-queued itself to stay within its budget or time. */
  continuations: number;
}

export const emptyProgress = (): ScanProgress => ({ groups: {}, waitingForCap: 0, opened: 0, continuations: 0 });

export interface Scan {
  id: string;
  workspaceId: string;
  repoUuid: string;
  repoFullName: string;
  mainBranch: string;
  commit: string;
  branch?: string;
  status: ScanStatus;
  tools: { name: string; version?: string }[];
  counts: ScanCounts;
  /** One entry per reason: the first result's index, how many (`count`, absent in scans stored before it), a few `examples`. */
  skipped: { index: number; reason: string; count?: number; examples?: number[] }[];
  pullRequests: { id: number; url: string }[];
  error?: string;
  progress?: ScanProgress;
  createdAt: string;
  updatedAt: string;
}

interface ScanRow {
  id: string;
  workspace_id: string;
  repo_uuid: string;
  repo_full_name: string;
  main_branch: string;
  commit_sha: string;
  branch: string | null;
  status: string;
  tools: string;
  counts: string;
  skipped: string;
  pull_requests: string;
  error: string | null;
  progress?: string | null;
  created_at: string;
  updated_at: string;
}

const toolsSchema = z.array(z.object({ name: z.string(), version: z.string().optional() }));
const countsSchema = z.object({ results: z.number(), findings: z.number(), merged: z.number(), skipped: z.number(), trimmed: z.number().optional() });
const skippedSchema = z.array(z.object({ index: z.number(), reason: z.string(), count: z.number().optional(), examples: z.array(z.number()).optional() }));
const pullRequestsSchema = z.array(z.object({ id: z.number(), url: z.string() }));
const statusSchema = z.enum(['receiving', 'queued', 'processing', 'done', 'failed']);
const progressSchema = z.object({
  groups: z.record(z.string(), z.object({ step: z.enum(['committed', 'opened', 'done']), commit: z.string().optional(), pullRequestId: z.number().optional() })),
  waitingForCap: z.number(),
  opened: z.number(),
  staleClosed: z.boolean().optional(),
  continuations: z.number(),
});

/** A scan lock older than this belongs to a job that died: the next scan may take it over. */
export const STALE_LOCK_MS = 15 * 60_000;

/**
 * Normalised findings of one upload are stored in slices of at most this many findings and this
 * many bytes (as the JSON text Forge SQL's request carries, escapes included), so one slice fits
 * the 1 MiB request, and `SLICES_PER_READ` slices fit the 4 MiB response.
 */
const SLICE = 200;
const SLICE_BYTES = 512 * 1024;
const SLICES_PER_READ = 4;

function fromRow(row: ScanRow): Scan {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    repoUuid: row.repo_uuid,
    repoFullName: row.repo_full_name,
    mainBranch: row.main_branch,
    commit: row.commit_sha,
    ...(row.branch ? { branch: row.branch } : {}),
    status: statusSchema.parse(row.status),
    tools: parseStoredJson(toolsSchema, row.tools, 'scan tools'),
    counts: parseStoredJson(countsSchema, row.counts, 'scan counts'),
    skipped: parseStoredJson(skippedSchema, row.skipped, 'scan skipped results'),
    pullRequests: parseStoredJson(pullRequestsSchema, row.pull_requests, 'scan pull requests'),
    ...(row.error ? { error: row.error } : {}),
    ...(row.progress ? { progress: parseStoredJson(progressSchema, row.progress, 'scan progress') } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ScansRepository {
  constructor(private readonly db: SqlDatabase) {}

  /**
   * Stores a new scan. A branch name longer than its column (255 characters) is refused as bad
   * input: Forge SQL's strict mode would refuse the row, SQLite would keep it.
   */
  async insert(scan: Scan): Promise<void> {
    if (scan.branch !== undefined && [...scan.branch].length > 255) {
      throw new AppError('bad_request', `The branch name is ${[...scan.branch].length} characters long; at most 255 are accepted.`);
    }
    await this.db.execute(
      `INSERT INTO scans (id, workspace_id, repo_uuid, repo_full_name, main_branch, commit_sha, branch, status, tools,
        counts, skipped, pull_requests, error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        scan.id, scan.workspaceId, scan.repoUuid, scan.repoFullName, scan.mainBranch, scan.commit, scan.branch ?? null,
        scan.status, JSON.stringify(scan.tools), JSON.stringify(scan.counts), JSON.stringify(scan.skipped),
        JSON.stringify(scan.pullRequests), scan.error ?? null, scan.createdAt, scan.updatedAt,
      ],
    );
  }

  async get(id: string): Promise<Scan | undefined> {
    const rows = await this.db.query<ScanRow>('SELECT * FROM scans WHERE id = ?', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async listForRepository(repoUuid: string, limit = 50): Promise<Scan[]> {
    const rows = await this.db.query<ScanRow>(
      `SELECT * FROM scans WHERE repo_uuid = ? AND status <> 'receiving' ORDER BY created_at DESC, id DESC LIMIT ${Math.trunc(limit)}`,
      [repoUuid],
    );
    return rows.map(fromRow);
  }

  /** The repository this workspace scanned last, if any. */
  async lastScannedRepository(workspaceId: string): Promise<string | undefined> {
    const rows = await this.db.query<{ repo_uuid: string }>(
      'SELECT repo_uuid FROM scans WHERE workspace_id = ? ORDER BY created_at DESC LIMIT 1',
      [workspaceId],
    );
    return rows[0]?.repo_uuid;
  }

  async countActive(repoUuid: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM scans WHERE repo_uuid = ? AND status IN ('receiving', 'queued', 'processing')`,
      [repoUuid],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async update(
    id: string,
    change: Partial<Pick<Scan, 'status' | 'pullRequests' | 'error' | 'counts' | 'progress'>>,
    updatedAt: string,
  ): Promise<void> {
    const sets: string[] = ['updated_at = ?'];
    const params: (string | null)[] = [updatedAt];
    if (change.status) { sets.push('status = ?'); params.push(change.status); }
    if (change.pullRequests) { sets.push('pull_requests = ?'); params.push(JSON.stringify(change.pullRequests)); }
    if (change.counts) { sets.push('counts = ?'); params.push(JSON.stringify(change.counts)); }
    if (change.progress) { sets.push('progress = ?'); params.push(JSON.stringify(progressSchema.parse(change.progress))); }
    if ('error' in change) { sets.push('error = ?'); params.push(change.error ?? null); }
    await this.db.execute(`UPDATE scans SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  async saveNormalisedFindings(scanId: string, findings: readonly NormalisedFinding[]): Promise<void> {
    let seq = 0;
    let slice: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (slice.length === 0) return;
      await this.db.execute('INSERT INTO scan_findings (scan_id, seq, data) VALUES (?, ?, ?)', [scanId, seq, `[${slice.join(',')}]`]);
      seq += 1;
      slice = [];
      bytes = 0;
    };
    for (const finding of findings) {
      const json = JSON.stringify(finding);
      const size = Buffer.byteLength(JSON.stringify(json));
      if (slice.length >= SLICE || (slice.length > 0 && bytes + size > SLICE_BYTES)) await flush();
      slice.push(json);
      bytes += size + 1;
    }
    await flush();
  }

  /** Reads the slices back a few at a time, so no response exceeds Forge SQL's 4 MiB. */
  async loadNormalisedFindings(scanId: string): Promise<NormalisedFinding[]> {
    const findings: NormalisedFinding[] = [];
    for (let from = 0; ; from += SLICES_PER_READ) {
      const rows = await this.db.query<{ data: string }>(
        `SELECT data FROM scan_findings WHERE scan_id = ? AND seq >= ? ORDER BY seq LIMIT ${SLICES_PER_READ}`,
        [scanId, from],
      );
      for (const row of rows) findings.push(...parseStoredJson(z.array(normalisedFindingSchema), row.data, 'scan findings'));
      if (rows.length < SLICES_PER_READ) return findings;
    }
  }

  /**
   * Takes the repository's scan lock for `scanId`: true when it is free, already this scan's, or
   * stale (older than `STALE_LOCK_MS`). One scan job per repository runs at a time; the lock row is
   * read back, so two jobs racing for it cannot both win.
   */
  async acquireLock(repoUuid: string, scanId: string, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const staleBefore = new Date(now.getTime() - STALE_LOCK_MS).toISOString();
    const held = await this.db.query<{ scan_id: string }>('SELECT scan_id FROM scan_locks WHERE repo_uuid = ?', [repoUuid]);
    if (held.length === 0) {
      try {
        await this.db.execute('INSERT INTO scan_locks (repo_uuid, scan_id, acquired_at) VALUES (?, ?, ?)', [repoUuid, scanId, at]);
      } catch {
        // Another job inserted the row first: the read below tells who holds it.
      }
    } else {
      await this.db.execute(
        'UPDATE scan_locks SET scan_id = ?, acquired_at = ? WHERE repo_uuid = ? AND (scan_id = ? OR acquired_at < ?)',
        [scanId, at, repoUuid, scanId, staleBefore],
      );
    }
    const owner = await this.db.query<{ scan_id: string }>('SELECT scan_id FROM scan_locks WHERE repo_uuid = ?', [repoUuid]);
    return owner[0]?.scan_id === scanId;
  }

  async releaseLock(repoUuid: string, scanId: string): Promise<void> {
    await this.db.execute('DELETE FROM scan_locks WHERE repo_uuid = ? AND scan_id = ?', [repoUuid, scanId]);
  }

  /** Removes every trace of a scan: used when an upload is rejected after it began to be stored. */
  async delete(scanId: string): Promise<void> {
    await this.db.execute('DELETE FROM scan_findings WHERE scan_id = ?', [scanId]);
    await this.db.execute('DELETE FROM scans WHERE id = ?', [scanId]);
  }
}
