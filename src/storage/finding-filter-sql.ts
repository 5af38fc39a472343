import type { SqlDatabase, SqlValue } from '../ports';
import type { FindingFilter } from '../contracts/resolver-api';

/** The WHERE clause of the repository page's filters, the same in SQLite and MySQL (Forge SQL). */

/** A text field of a finding's `data` JSON, unquoted, in the database's dialect. */
export function dataText(dialect: SqlDatabase['dialect'], field: 'message' | 'ruleName'): string {
  return dialect === 'sqlite' ? `json_extract(data, '$.${field}')` : `JSON_UNQUOTE(JSON_EXTRACT(data, '$.${field}'))`;
}

export function findingWhere(dialect: SqlDatabase['dialect'], repoUuid: string, filter: FindingFilter): { clause: string; params: SqlValue[] } {
  // A pull request's scans keep their findings apart (issue 16): the page and its counts never see them.
  const parts = ['repo_uuid = ?', 'pr_scope IS NULL'];
  const params: SqlValue[] = [repoUuid];
  if (filter.verdict) { parts.push('verdict = ?'); params.push(filter.verdict); }
  if (filter.severity) { parts.push('severity = ?'); params.push(filter.severity); }
  if (filter.status) { parts.push('status = ?'); params.push(filter.status); }
  // `!` escapes LIKE's wildcards the same way in SQLite and MySQL, so `test_config.py` matches itself only.
  // Both sides are lowered because SQLite's LIKE ignores ASCII case while Forge SQL's binary
  // collation (utf8mb4_bin) does not: the filters ignore case on both.
  const literal = (text: string) => text.toLowerCase().replace(/[!%_]/g, '!$&');
  if (filter.tool) { parts.push("LOWER(tools) LIKE ? ESCAPE '!'"); params.push(`%,${literal(filter.tool.replace(/,/g, ''))},%`); }
  if (filter.path) { parts.push("LOWER(path) LIKE ? ESCAPE '!'"); params.push(`%${literal(filter.path)}%`); }
  if (filter.rule) { parts.push('rule_id = ?'); params.push(filter.rule); }
  // Free text: the path, the rule id, the rule's name and the message (the last two live in `data`).
  const q = filter.q?.trim();
  if (q) {
    const fields = ['LOWER(rule_id)', "LOWER(COALESCE(path, ''))", `LOWER(COALESCE(${dataText(dialect, 'message')}, ''))`, `LOWER(COALESCE(${dataText(dialect, 'ruleName')}, ''))`];
    parts.push(`(${fields.map((field) => `${field} LIKE ? ESCAPE '!'`).join(' OR ')})`);
    params.push(...fields.map(() => `%${literal(q)}%`));
  }
  return { clause: parts.join(' AND '), params };
}
