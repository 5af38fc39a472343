import type { SqlDatabase, SqlValue } from '../ports';
import type { FindingFilter } from '../contracts/resolver-api';
import type { Finding } from '../domain/finding';
import type { FindingData } from './stored-schemas';
import {
  findingColumns, findingFromRow as fromRow, findingMutableColumns, findingRowValues, knownFindingFromRow,
  type FindingRow, type HumanDecisionRecord,
} from './finding-rows';
import { chunkRows, placeholders, slices, statementLimits, upsertStatement } from './sql-dialect';
import { dataText, findingWhere } from './finding-filter-sql';

export { severityRank } from './finding-rows';

/** The repository page's filter, as the resolver contract defines it. */
export type { FindingFilter };

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

/** A stored finding with the person's decision kept on its row (never shown as part of the finding). */
export type KnownFinding = { finding: Finding; humanDecision?: HumanDecisionRecord };

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

  async getByFingerprint(repoUuid: string, fingerprint: string): Promise<KnownFinding | undefined> {
    const rows = await this.db.query<FindingRow>('SELECT * FROM findings WHERE repo_uuid = ? AND fingerprint = ?', [repoUuid, fingerprint]);
    return rows[0] ? knownFindingFromRow(rows[0]) : undefined;
  }

  /**
   * The stored findings among `fingerprints`, keyed by fingerprint: one `IN (…)` query per
   * `statementLimits.maxRows` fingerprints instead of one query each.
   */
  async findByFingerprints(repoUuid: string, fingerprints: readonly string[]): Promise<Map<string, KnownFinding>> {
    const known = new Map<string, KnownFinding>();
    for (const row of await this.rowsByFingerprints<FindingRow>('*', repoUuid, fingerprints)) {
      if (row.fingerprint !== undefined) known.set(row.fingerprint, knownFindingFromRow(row));
    }
    return known;
  }

  /** The stored id of each of `fingerprints` (ids only: cheap to read after a batch write). */
  async idsByFingerprints(repoUuid: string, fingerprints: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.rowsByFingerprints<{ id: string; fingerprint: string }>('id, fingerprint', repoUuid, fingerprints);
    return new Map(rows.map((row) => [row.fingerprint, row.id]));
  }

  /** `columns` of the rows among `fingerprints` (each distinct once), `statementLimits.maxRows` per `IN (…)` query. */
  private async rowsByFingerprints<R extends object>(columns: string, repoUuid: string, fingerprints: readonly string[]): Promise<R[]> {
    const rows: R[] = [];
    for (const slice of slices([...new Set(fingerprints)], statementLimits.maxRows)) {
      rows.push(...(await this.db.query<R>(
        `SELECT ${columns} FROM findings WHERE repo_uuid = ? AND fingerprint IN ${placeholders(slice.length)}`,
        [repoUuid, ...slice],
      )));
    }
    return rows;
  }

  /**
   * The stored findings that `aliases` were folded into (another scanner's or rule's result at the
   * same place), keyed by alias; only aliases the `finding_aliases` table knows.
   */
  async findByAliases(repoUuid: string, aliases: readonly string[]): Promise<Map<string, KnownFinding>> {
    const owners = new Map<string, string>();
    for (const slice of slices([...new Set(aliases)], statementLimits.maxRows)) {
      const rows = await this.db.query<{ alias: string; fingerprint: string }>(
        `SELECT alias, fingerprint FROM finding_aliases WHERE repo_uuid = ? AND alias IN ${placeholders(slice.length)}`,
        [repoUuid, ...slice],
      );
      for (const row of rows) owners.set(row.alias, row.fingerprint);
    }
    if (owners.size === 0) return new Map();
    const stored = await this.findByFingerprints(repoUuid, [...owners.values()]);
    const found = new Map<string, KnownFinding>();
    for (const [alias, fingerprint] of owners) {
      const known = stored.get(fingerprint);
      if (known) found.set(alias, known);
    }
    return found;
  }

  /** Records that each alias lands on its finding's fingerprint (an alias never moves once recorded). */
  async saveAliases(repoUuid: string, entries: readonly { alias: string; fingerprint: string }[]): Promise<void> {
    const rows = entries.map(({ alias, fingerprint }) => [repoUuid, alias, fingerprint]);
    for (const chunk of chunkRows(rows)) {
      const statement = upsertStatement({
        dialect: this.db.dialect,
        table: 'finding_aliases',
        columns: ['repo_uuid', 'alias', 'fingerprint'],
        rows: chunk.length,
        conflictKey: ['repo_uuid', 'alias'],
        // A no-op update: the first owner recorded keeps the alias.
        updateColumns: ['alias'],
      });
      await this.db.execute(statement, chunk.flat());
    }
  }

  /**
   * The stored findings in `paths` (to find one at the same place that another scanner reported):
   * the repository's own, or with `prScope` those of that pull request's scans.
   */
  async findInPaths(repoUuid: string, paths: readonly string[], prScope?: number): Promise<KnownFinding[]> {
    const found: KnownFinding[] = [];
    const scope = prScope === undefined ? 'pr_scope IS NULL' : 'pr_scope = ?';
    for (const slice of slices([...new Set(paths)], statementLimits.maxRows)) {
      const rows = await this.db.query<FindingRow>(
        `SELECT * FROM findings WHERE repo_uuid = ? AND ${scope} AND path IN ${placeholders(slice.length)}`,
        prScope === undefined ? [repoUuid, ...slice] : [repoUuid, prScope, ...slice],
      );
      found.push(...rows.map(knownFindingFromRow));
    }
    return found;
  }

  async insert(finding: Finding): Promise<void> {
    await this.db.execute(`INSERT INTO findings (${findingColumns.join(', ')}) VALUES ${placeholders(findingColumns.length)}`, findingRowValues(finding));
  }

  /**
   * Writes many findings with multi-row upserts on `(repo_uuid, fingerprint)`, each statement
   * within Forge SQL's request size. A fingerprint that is already stored keeps its id, first
   * sighting and creation time and takes everything else from `finding`, so two scans storing the
   * same new finding at once leave one row, not an error. Each item's `humanDecision` is written
   * as given (pass the stored one to keep it); a row a person dismissed after the caller read it
   * keeps the person's verdict, status and data, and takes only the new sighting.
   */
  async upsertMany(items: readonly KnownFinding[]): Promise<void> {
    const rows = items.map(({ finding, humanDecision }) => findingRowValues(finding, humanDecision));
    for (const chunk of chunkRows(rows)) {
      const statement = upsertStatement({
        dialect: this.db.dialect,
        table: 'findings',
        columns: findingColumns,
        rows: chunk.length,
        conflictKey: ['repo_uuid', 'fingerprint'],
        updateColumns: findingMutableColumns,
        // A person who dismissed the finding after the writer read it wins: only the sighting is updated.
        keepStored: { column: 'status', value: 'dismissed', guarded: findingMutableColumns.filter((column) => column !== 'last_seen_scan' && column !== 'updated_at') },
      });
      await this.db.execute(statement, chunk.flat());
    }
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
    const values = findingRowValues(finding, keep);
    const sets = findingMutableColumns.map((column) => `${column} = ?`).join(', ');
    const mutable = findingMutableColumns.map((column) => values[findingColumns.indexOf(column)] ?? null);
    await this.db.execute(`UPDATE findings SET ${sets} WHERE repo_uuid = ? AND id = ?`, [...mutable, finding.repoUuid, finding.id]);
  }

  /** The repository's own findings (the page, its counts): a pull request's scans keep theirs apart. */
  private where(repoUuid: string, filter: FindingFilter): { clause: string; params: SqlValue[] } {
    return findingWhere(this.db.dialect, repoUuid, filter);
  }

  private dataText(field: 'message' | 'ruleName'): string {
    return dataText(this.db.dialect, field);
  }

  /**
   * How many findings the filter matches per rule (with the rule's name) or per file, most first:
   * the repository page's groups. At most `limit` groups.
   */
  async groups(repoUuid: string, filter: FindingFilter, by: 'rule' | 'file', limit = 200): Promise<{ key: string; label?: string; count: number }[]> {
    const { clause, params } = this.where(repoUuid, filter);
    const key = by === 'rule' ? 'rule_id' : "COALESCE(path, '')";
    const label = by === 'rule' ? `MIN(${this.dataText('ruleName')})` : 'NULL';
    const rows = await this.db.query<{ k: string; label: string | null; n: number }>(
      `SELECT ${key} AS k, ${label} AS label, COUNT(*) AS n FROM findings WHERE ${clause} GROUP BY ${key} ORDER BY n DESC, k LIMIT ${Math.max(1, Math.min(500, Math.trunc(limit)))}`,
      params,
    );
    return rows.map((row) => ({ key: String(row.k), ...(row.label ? { label: String(row.label) } : {}), count: Number(row.n) }));
  }

  async list(
    repoUuid: string,
    filter: FindingFilter,
    page: { cursor?: string; limit: number; sort?: FindingSort; offset?: number },
  ): Promise<{ items: Finding[]; nextCursor?: string; cursorAfter: (index: number) => string } | { badCursor: true }> {
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
    // A numbered page (the page's table) skips rows; a cursor (everything else) continues after one.
    const offset = !page.cursor && page.offset ? ` OFFSET ${Math.max(0, Math.trunc(page.offset))}` : '';
    const rows = await this.db.query<FindingRow>(
      `SELECT *, COALESCE(path, '') AS path_key FROM findings WHERE ${clause}${keyset}
        ORDER BY ${key}${descending ? ' DESC' : ''}, id LIMIT ${limit + 1}${offset}`,
      params,
    );
    const items = rows.slice(0, limit).map(fromRow);
    // The cursor that continues after `items[index]`, for a caller that returns fewer items (a byte budget).
    const cursorAfter = (index: number): string => {
      const row = rows[index]!;
      const value = row[column];
      return encodeCursor(typeof value === 'number' || typeof value === 'string' ? value : '', row.id, sort);
    };
    return rows.length > limit ? { items, nextCursor: cursorAfter(limit - 1), cursorAfter } : { items, cursorAfter };
  }

  /**
   * Every finding of a repository, most severe first, read 100 at a time: one query for all of a
   * large repository would pass Forge SQL's 4 MiB response limit.
   */
  async listAll(repoUuid: string, prScope?: number): Promise<Finding[]> {
    if (prScope !== undefined) return this.listScope(repoUuid, prScope);
    const all: Finding[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(repoUuid, {}, { limit: 100, ...(cursor ? { cursor } : {}) });
      if ('badCursor' in page) throw new Error('listAll produced a cursor it cannot read');
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** Every finding of one pull request's scans (a PR's findings are few: one page of 200 at a time). */
  private async listScope(repoUuid: string, prScope: number): Promise<Finding[]> {
    const all: Finding[] = [];
    for (let offset = 0; ; offset += 200) {
      const rows = await this.db.query<FindingRow>(
        `SELECT * FROM findings WHERE repo_uuid = ? AND pr_scope = ? ORDER BY severity_rank, id LIMIT 200 OFFSET ${offset}`,
        [repoUuid, prScope],
      );
      all.push(...rows.map(fromRow));
      if (rows.length < 200) return all;
    }
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
