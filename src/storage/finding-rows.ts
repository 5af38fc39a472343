import type { SqlValue } from '../ports';
import { severities, type Finding, type Severity } from '../domain/finding';
import { findingDataSchema, parseStoredJson, type FindingData } from './stored-schemas';

/** How a `Finding` maps onto a row of the `findings` table, and back. */

export interface FindingRow {
  id: string;
  confidence?: number;
  path_key?: string;
  workspace_id: string;
  repo_uuid: string;
  fingerprint?: string;
  severity_rank: number;
  data: string;
  first_seen_scan: string;
  last_seen_scan: string;
  created_at: string;
  updated_at: string;
}

export type HumanDecisionRecord = NonNullable<FindingData['humanDecision']>;

export const severityRank = (severity: Severity): number => severities.indexOf(severity);

/** Every column an insert writes, in the order of `findingRowValues`. */
export const findingColumns = [
  'id', 'workspace_id', 'repo_uuid', 'fingerprint', 'rule_id', 'tools', 'path', 'line', 'severity', 'severity_rank',
  'verdict', 'confidence', 'status', 'codemod_id', 'pr_id', 'data', 'first_seen_scan', 'last_seen_scan', 'created_at', 'updated_at',
  'pr_scope',
] as const;

/** The columns a later scan or a person may change; the rest describe the finding's identity and first sighting. */
export const findingMutableColumns = [
  'rule_id', 'tools', 'path', 'line', 'severity', 'severity_rank', 'verdict', 'confidence', 'status', 'codemod_id', 'pr_id',
  'data', 'last_seen_scan', 'updated_at',
] as const;

export function findingFromRow(row: FindingRow): Finding {
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

/** The finding with the person's decision recorded on its row, if there is one. */
export function knownFindingFromRow(row: FindingRow): { finding: Finding; humanDecision?: HumanDecisionRecord } {
  const { humanDecision } = parseStoredJson(findingDataSchema, row.data, `finding ${row.id}`);
  return humanDecision ? { finding: findingFromRow(row), humanDecision } : { finding: findingFromRow(row) };
}

export function findingData(finding: Finding, humanDecision?: HumanDecisionRecord): FindingData {
  const { id: _id, workspaceId: _ws, repoUuid: _repo, firstSeenScanId: _f, lastSeenScanId: _l, createdAt: _c, updatedAt: _u, ...data } =
    finding;
  return humanDecision ? { ...data, humanDecision } : data;
}

/**
 * The first `max` characters (code points, as MySQL's VARCHAR counts them, never half a surrogate
 * pair). Forge SQL's strict mode refuses overlong text where SQLite would keep it; the whole value
 * is always in `data`, the column only serves filters and sorting.
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : Array.from(text).slice(0, max).join('');
}

/** The filterable columns between `fingerprint` and `data`, in `findingColumns` order (widths as in migration 004). */
function findingFilterValues(finding: Finding): SqlValue[] {
  const path = finding.location?.path;
  return [
    clip(finding.ruleId, 255),
    clip(`,${finding.tools.map((tool) => tool.name).join(',')},`, 1024),
    path === undefined ? null : clip(path, 1024),
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

/** One row's values in `findingColumns` order. */
export function findingRowValues(finding: Finding, humanDecision?: HumanDecisionRecord): SqlValue[] {
  return [
    finding.id, finding.workspaceId, finding.repoUuid, finding.fingerprint, ...findingFilterValues(finding),
    JSON.stringify(findingData(finding, humanDecision)), finding.firstSeenScanId, finding.lastSeenScanId, finding.createdAt, finding.updatedAt,
    finding.prScope ?? null,
  ];
}
