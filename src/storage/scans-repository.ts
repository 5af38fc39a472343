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
  /** The pull request the job speaks for, once found (so a continuation does not ask again); null: none. */
  pullRequest?: PullRequestScope | null;
}

/** A scanned pull request, as the scan job found it (issue 16). */
export interface PullRequestScope {
  id: number;
  sourceBranch: string;
  destinationBranch: string;
  /** The source branch is in another repository (a fork): Remediate never pushes there. */
  fork: boolean;
  sourceCommit?: string;
  destinationCommit?: string;
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
  /** The analyses (`tool|category`, see `domain/sarif/analysis.ts`) the upload held; absent on scans stored before them. */
  analyses?: string[];
  /**
   * The scan whose job processes this upload together with the other uploads of its commit that
   * waited with it (its own id for that scan); unset until a job claims it.
   */
  batchId?: string;
  /** The pull request the upload names (`pullRequest={id}`), if any. */
  pullRequestId?: number;
  /** The upload's `category` (its analysis), if it named one: the scan job normalises the body again with it. */
  category?: string;
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
  analyses?: string | null;
  batch_id?: string | null;
  pr_id?: number | null;
  category?: string | null;
  created_at: string;
  updated_at: string;
}

const toolsSchema = z.array(z.object({ name: z.string(), version: z.string().optional() }));
const analysesSchema = z.array(z.string());
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
  pullRequest: z.object({
    id: z.number(), sourceBranch: z.string(), destinationBranch: z.string(), fork: z.boolean(),
    sourceCommit: z.string().optional(), destinationCommit: z.string().optional(),
  }).nullable().optional(),
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
    ...(row.analyses ? { analyses: parseStoredJson(analysesSchema, row.analyses, 'scan analyses') } : {}),
    ...(row.batch_id ? { batchId: row.batch_id } : {}),
    ...(row.pr_id != null ? { pullRequestId: Number(row.pr_id) } : {}),
    ...(row.category ? { category: row.category } : {}),
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
        analyses, counts, skipped, pull_requests, error, created_at, updated_at, pr_id, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        scan.id, scan.workspaceId, scan.repoUuid, scan.repoFullName, scan.mainBranch, scan.commit, scan.branch ?? null,
        scan.status, JSON.stringify(scan.tools), scan.analyses ? JSON.stringify(scan.analyses) : null, JSON.stringify(scan.counts),
        JSON.stringify(scan.skipped), JSON.stringify(scan.pullRequests), scan.error ?? null, scan.createdAt, scan.updatedAt,
        scan.pullRequestId ?? null, scan.category ?? null,
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

  /**
   * The repository as a scan of this workspace stored it since `since` (ISO time), found by its
   * `workspace/slug` (any case) or `{uuid}`: uploads of one CI job need not ask Bitbucket again.
   */
  async recentRepository(workspaceId: string, ref: { fullName?: string; uuid?: string }, since: string): Promise<Pick<Scan, 'repoUuid' | 'repoFullName' | 'mainBranch'> | undefined> {
    const [column, value] = ref.uuid ? ['repo_uuid', ref.uuid] : ['LOWER(repo_full_name)', (ref.fullName ?? '').toLowerCase()];
    const rows = await this.db.query<{ repo_uuid: string; repo_full_name: string; main_branch: string }>(
      `SELECT repo_uuid, repo_full_name, main_branch FROM scans WHERE workspace_id = ? AND ${column} = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1`,
      [workspaceId, value, since],
    );
    const row = rows[0];
    return row ? { repoUuid: row.repo_uuid, repoFullName: row.repo_full_name, mainBranch: row.main_branch } : undefined;
  }

  /** Whether an upload of this commit of the repository was accepted before (so the commit exists). */
  async commitScanned(repoUuid: string, commit: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM scans WHERE repo_uuid = ? AND commit_sha = ? AND status <> 'receiving' LIMIT 1`,
      [repoUuid, commit],
    );
    return rows.length > 0;
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

  /**
   * The uploads of `lead`'s (repository, commit) processed by `lead`'s job: those already in its
   * batch, plus every upload of the commit still waiting unclaimed (claimed here, once: a later
   * continuation of the job keeps the same batch). Oldest first, so every run folds them alike.
   */
  async claimBatch(lead: Scan): Promise<Scan[]> {
    // Only uploads that speak for the same branch and pull request are one combined upload.
    await this.db.execute(
      `UPDATE scans SET batch_id = ? WHERE repo_uuid = ? AND commit_sha = ? AND status = 'queued' AND batch_id IS NULL
        AND COALESCE(branch, '') = ? AND COALESCE(pr_id, -1) = ?`,
      [lead.id, lead.repoUuid, lead.commit, lead.branch ?? '', lead.pullRequestId ?? -1],
    );
    const rows = await this.db.query<ScanRow>('SELECT * FROM scans WHERE batch_id = ? ORDER BY created_at, id', [lead.id]);
    const batch = rows.map(fromRow);
    return batch.some((scan) => scan.id === lead.id) ? batch : [lead, ...batch];
  }

  /** Sets the same change on every scan of a batch (status, pull requests, error). */
  async updateMany(ids: readonly string[], change: Partial<Pick<Scan, 'status' | 'pullRequests' | 'error'>>, updatedAt: string): Promise<void> {
    for (const id of ids) await this.update(id, change, updatedAt);
  }

  /**
   * The analyses already processed for a commit by scans outside `batchId`: an upload for a commit
   * its analysis already scanned never closes anything (it is not a later commit).
   */
  async analysesDoneAt(repoUuid: string, commit: string, batchId: string): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string; batch_id: string | null; analyses: string | null; tools: string }>(
      `SELECT id, batch_id, analyses, tools FROM scans WHERE repo_uuid = ? AND commit_sha = ? AND status = 'done'`,
      [repoUuid, commit],
    );
    const done = new Set<string>();
    for (const row of rows) {
      if (row.batch_id === batchId || row.id === batchId) continue;
      // Scans stored before analyses were kept count as their tools' analyses.
      const analyses = row.analyses
        ? parseStoredJson(analysesSchema, row.analyses, 'scan analyses')
        : parseStoredJson(toolsSchema, row.tools, 'scan tools').map((tool) => tool.name.trim().toLowerCase());
      for (const analysis of analyses) done.add(analysis);
    }
    return done;
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
