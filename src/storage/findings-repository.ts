import type { SqlDatabase, SqlValue } from '../ports';
import { severities, type Finding, type FindingStatus, type Severity, type Verdict } from '../domain/finding';
import { findingDataSchema, parseStoredJson, type FindingData } from './stored-schemas';

export interface FindingFilter {
  verdict?: Verdict;
  severity?: Severity;
  status?: FindingStatus;
  tool?: string;
  /** Path prefix or substring. */
  path?: string;
}

/** Orders the findings table offers; each pages by keyset (the sort value, then id). */
export const findingSorts = ['severity', 'confidence', 'path', 'newest'] as const;
export type FindingSort = (typeof findingSorts)[number];

const sortSql: Record<FindingSort, { key: string; column: keyof FindingRow; descending: boolean }> = {
  severity: { key: 'severity_rank', column: 'severity_rank', descending: false },
  confidence: { key: 'confidence', column: 'confidence', descending: true },
  path: { key: "COALESCE(path, '')", column: 'path_key', descending: false },
  newest: { key: 'updated_at', column: 'updated_at', descending: true },
};

export type FindingCounts = {
  total: number;
  byVerdict: Record<string, number>;
  bySeverity: Record<string, number>;
  byStatus: Record<string, number>;
};

interface FindingRow {
  id: string;
  confidence?: number;
  path_key?: string;
  workspace_id: string;
  repo_uuid: string;
  severity_rank: number;
  data: string;
  first_seen_scan: string;
  last_seen_scan: string;
  created_at: string;
  updated_at: string;
}

export const severityRank = (severity: Severity): number => severities.indexOf(severity);

function fromRow(row: FindingRow): Finding {
  const data = parseStoredJson(findingDataSchema, row.data, `finding ${row.id}`);
  const { humanDecision: _decision, ...rest } = data;
  return {
    ...rest,
    id: row.id,
    workspaceId: row.workspace_id,
    repoUuid: row.repo_uuid,
    firstSeenScanId: row.first_seen_scan,
    lastSeenScanId: row.last_seen_scan,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toData(finding: Finding, humanDecision?: FindingData['humanDecision']): FindingData {
  const { id: _id, workspaceId: _ws, repoUuid: _repo, firstSeenScanId: _f, lastSeenScanId: _l, createdAt: _c, updatedAt: _u, ...data } =
    finding;
  return humanDecision ? { ...data, humanDecision } : data;
}

/**
 * Cursor for keyset paging: the sort value then id, so a page costs the same at 10 or 10,000
 * findings. A third element names a sort other than severity (older cursors have two).
 */
function encodeCursor(value: number | string, id: string, sort: FindingSort): string {
  return Buffer.from(JSON.stringify(sort === 'severity' ? [value, id] : [value, id, sort])).toString('base64url');
}

function decodeCursor(cursor: string, sort: FindingSort): [number | string, string] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || typeof value[1] !== 'string' || (value[2] ?? 'severity') !== sort) return undefined;
    const numeric = sort === 'severity' || sort === 'confidence';
    if (numeric ? typeof value[0] === 'number' : typeof value[0] === 'string') return [value[0] as number | string, value[1]];
  } catch {
    // fall through: a malformed cursor is reported by the caller
  }
  return undefined;
}

export class FindingsRepository {
  constructor(private readonly db: SqlDatabase) {}

  async get(repoUuid: string, id: string): Promise<Finding | undefined> {
    const rows = await this.db.query<FindingRow>('SELECT * FROM findings WHERE repo_uuid = ? AND id = ?', [repoUuid, id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async getByFingerprint(repoUuid: string, fingerprint: string): Promise<{ finding: Finding; humanDecision?: FindingData['humanDecision'] } | undefined> {
    const rows = await this.db.query<FindingRow>('SELECT * FROM findings WHERE repo_uuid = ? AND fingerprint = ?', [repoUuid, fingerprint]);
    const row = rows[0];
    if (!row) return undefined;
    const { humanDecision } = parseStoredJson(findingDataSchema, row.data, `finding ${row.id}`);
    return humanDecision ? { finding: fromRow(row), humanDecision } : { finding: fromRow(row) };
  }

  async insert(finding: Finding): Promise<void> {
    await this.db.execute(
      `INSERT INTO findings (id, workspace_id, repo_uuid, fingerprint, rule_id, tools, path, line, severity, severity_rank,
        verdict, confidence, status, codemod_id, pr_id, data, first_seen_scan, last_seen_scan, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        finding.id, finding.workspaceId, finding.repoUuid, finding.fingerprint, ...this.columns(finding),
        JSON.stringify(toData(finding)), finding.firstSeenScanId, finding.lastSeenScanId, finding.createdAt, finding.updatedAt,
      ],
    );
  }

  /** Rewrites a finding's columns and data; a recorded human decision is kept unless one is given. */
  async update(finding: Finding, humanDecision?: FindingData['humanDecision']): Promise<void> {
    const keep = humanDecision ?? (await this.getByFingerprint(finding.repoUuid, finding.fingerprint))?.humanDecision;
    await this.write(finding, keep);
  }

  /** Rewrites a finding and forgets its human decision, so the next scan triages it again (undo of a dismissal). */
  async updateForgettingDecision(finding: Finding): Promise<void> {
    await this.write(finding, undefined);
  }

  private async write(finding: Finding, keep: FindingData['humanDecision']): Promise<void> {
    await this.db.execute(
      `UPDATE findings SET rule_id = ?, tools = ?, path = ?, line = ?, severity = ?, severity_rank = ?, verdict = ?,
        confidence = ?, status = ?, codemod_id = ?, pr_id = ?, data = ?, last_seen_scan = ?, updated_at = ?
        WHERE repo_uuid = ? AND id = ?`,
      [
        ...this.columns(finding), JSON.stringify(toData(finding, keep)), finding.lastSeenScanId, finding.updatedAt,
        finding.repoUuid, finding.id,
      ],
    );
  }

  private columns(finding: Finding): SqlValue[] {
    return [
      finding.ruleId,
      `,${finding.tools.map((tool) => tool.name).join(',')},`,
      finding.location?.path ?? null,
      finding.location?.startLine ?? null,
      finding.severity,
      severityRank(finding.severity),
      finding.verdict,
      finding.confidence,
      finding.status,
      finding.fix?.codemodId ?? null,
      finding.pullRequest?.id ?? null,
    ];
  }

  private where(repoUuid: string, filter: FindingFilter): { clause: string; params: SqlValue[] } {
    const parts = ['repo_uuid = ?'];
    const params: SqlValue[] = [repoUuid];
    if (filter.verdict) { parts.push('verdict = ?'); params.push(filter.verdict); }
    if (filter.severity) { parts.push('severity = ?'); params.push(filter.severity); }
    if (filter.status) { parts.push('status = ?'); params.push(filter.status); }
    // `!` escapes LIKE's wildcards the same way in SQLite and MySQL, so `test_config.py` matches itself only.
    const literal = (text: string) => text.replace(/[!%_]/g, '!$&');
    if (filter.tool) { parts.push("tools LIKE ? ESCAPE '!'"); params.push(`%,${literal(filter.tool.replace(/,/g, ''))},%`); }
    if (filter.path) { parts.push("path LIKE ? ESCAPE '!'"); params.push(`%${literal(filter.path)}%`); }
    return { clause: parts.join(' AND '), params };
  }

  async list(
    repoUuid: string,
    filter: FindingFilter,
    page: { cursor?: string; limit: number; sort?: FindingSort },
  ): Promise<{ items: Finding[]; nextCursor?: string } | { badCursor: true }> {
    const { clause, params } = this.where(repoUuid, filter);
    const sort = page.sort ?? 'severity';
    const { key, column, descending } = sortSql[sort];
    let keyset = '';
    if (page.cursor) {
      const decoded = decodeCursor(page.cursor, sort);
      if (!decoded) return { badCursor: true };
      keyset = ` AND (${key} ${descending ? '<' : '>'} ? OR (${key} = ? AND id > ?))`;
      params.push(decoded[0], decoded[0], decoded[1]);
    }
    const limit = Math.max(1, Math.min(200, Math.trunc(page.limit)));
    const rows = await this.db.query<FindingRow>(
      `SELECT *, COALESCE(path, '') AS path_key FROM findings WHERE ${clause}${keyset}
        ORDER BY ${key}${descending ? ' DESC' : ''}, id LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map(fromRow);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    if (!last) return { items };
    const value = last[column];
    return { items, nextCursor: encodeCursor(typeof value === 'number' || typeof value === 'string' ? value : '', last.id, sort) };
  }

  async listAll(repoUuid: string): Promise<Finding[]> {
    const rows = await this.db.query<FindingRow>('SELECT * FROM findings WHERE repo_uuid = ? ORDER BY severity_rank, id', [repoUuid]);
    return rows.map(fromRow);
  }

  async counts(repoUuid: string, filter: FindingFilter = {}): Promise<FindingCounts> {
    const { clause, params } = this.where(repoUuid, filter);
    const rows = await this.db.query<{ verdict: string; severity: string; status: string; n: number }>(
      `SELECT verdict, severity, status, COUNT(*) AS n FROM findings WHERE ${clause} GROUP BY verdict, severity, status`,
      params,
    );
    const counts: FindingCounts = { total: 0, byVerdict: {}, bySeverity: {}, byStatus: {} };
    for (const row of rows) {
      const n = Number(row.n);
      counts.total += n;
      counts.byVerdict[row.verdict] = (counts.byVerdict[row.verdict] ?? 0) + n;
      counts.bySeverity[row.severity] = (counts.bySeverity[row.severity] ?? 0) + n;
      counts.byStatus[row.status] = (counts.byStatus[row.status] ?? 0) + n;
    }
    return counts;
  }
}
