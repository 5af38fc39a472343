import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { reportedBy } from './scan-text';
import type { FindingFilter, FindingItem, FindingSort } from '../../shared/src/api-types';
import { findingSorts, findingStatuses, severities, verdicts } from '../../shared/src/api-types';
import {
  location,
  severityAppearance,
  severityLabel,
  stateAppearance,
  statusLabel,
  verdictAppearance,
  verdictLabel,
  categoryLabel,
} from '../../shared/src/format';
import { Button, ExternalLink, Lozenge } from '../../shared/src/ui';

const textKeys = ['tool', 'path'] as const;

export function FindingFilters({ filter, sort, onChange, onSortChange }: {
  filter: FindingFilter;
  sort: FindingSort;
  onChange(filter: FindingFilter): void;
  onSortChange(sort: FindingSort): void;
}) {
  // Keys set to "any" (or left blank) are dropped rather than sent as undefined.
  const set = (change: FindingFilter) => {
    const next: FindingFilter = { ...filter, ...change };
    for (const key of ['verdict', 'severity', 'status', ...textKeys] as const) if (!next[key]) delete next[key];
    onChange(next);
  };
  const pick = <T extends string>(allowed: readonly T[], value: string): T | undefined =>
    allowed.find((option) => option === value);
  const [text, setText] = useState({ tool: filter.tool ?? '', path: filter.path ?? '' });
  useEffect(() => setText({ tool: filter.tool ?? '', path: filter.path ?? '' }), [filter.tool, filter.path]);
  // Typed filters apply after a pause, so each keystroke does not cost a resolver call.
  useEffect(() => {
    const tool = text.tool.trim();
    const path = text.path.trim();
    if (tool === (filter.tool ?? '') && path === (filter.path ?? '')) return undefined;
    const timer = setTimeout(() => set({ tool, path }), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text.tool, text.path, JSON.stringify(filter)]);
  const active = Object.values(filter).some((value) => value !== undefined);
  return (
    <div className="filters" role="group" aria-label="Filter and sort findings">
      <label>
        Verdict
        <select value={filter.verdict ?? ''} onChange={(e) => set({ verdict: pick(verdicts, e.target.value) })} name="verdict">
          <option value="">Any verdict</option>
          {verdicts.map((v) => <option key={v} value={v}>{verdictLabel[v]}</option>)}
        </select>
      </label>
      <label>
        Severity
        <select value={filter.severity ?? ''} onChange={(e) => set({ severity: pick(severities, e.target.value) })} name="severity">
          <option value="">Any severity</option>
          {severities.map((s) => <option key={s} value={s}>{severityLabel[s]}</option>)}
        </select>
      </label>
      <label>
        Status
        <select value={filter.status ?? ''} onChange={(e) => set({ status: pick(findingStatuses, e.target.value) })} name="status">
          <option value="">Any status</option>
          {findingStatuses.map((s) => <option key={s} value={s}>{statusLabel[s]}</option>)}
        </select>
      </label>
      <label>
        Tool
        <input type="text" name="tool" placeholder="e.g. Semgrep OSS" value={text.tool} spellCheck={false}
          onChange={(e) => setText((t) => ({ ...t, tool: e.target.value }))} />
      </label>
      <label>
        Path contains
        <input type="text" name="path" placeholder="e.g. src/api/" value={text.path} spellCheck={false}
          onChange={(e) => setText((t) => ({ ...t, path: e.target.value }))} />
      </label>
      <label>
        Sort by
        <select value={sort} name="sort" onChange={(e) => onSortChange(pick(findingSorts, e.target.value) ?? 'severity')}>
          {findingSorts.map((s) => <option key={s} value={s}>{sortLabel[s]}</option>)}
        </select>
      </label>
      {active && (
        <Button appearance="subtle" onClick={() => onChange({})}>
          Clear filters
        </Button>
      )}
    </div>
  );
}

const sortLabel: Record<FindingSort, string> = {
  severity: 'Severity (most severe first)',
  confidence: 'Confidence (highest first)',
  path: 'Location (A–Z)',
  newest: 'Recently updated',
};

/** Whether a fix pull request can be opened for the finding (its row's tick box, its detail's button). */
export const canOpenPullRequest = (item: Pick<FindingItem, 'fixAvailable' | 'fix' | 'pullRequest' | 'status'>): boolean =>
  (item.fixAvailable ?? item.fix !== undefined) && item.pullRequest === undefined && item.status === 'open';

/**
 * The selected finding's details open in a row right under it: Forge sizes the iframe to its
 * content, so a fixed side panel would land far from the row that was clicked.
 */
export function FindingsTable({ items, selectedId, onSelect, detail, checked, onCheck }: {
  items: FindingItem[];
  selectedId?: string;
  onSelect(id: string): void;
  detail?: ReactNode;
  /** Findings ticked for "open fix pull requests". */
  checked: ReadonlySet<string>;
  onCheck(id: string, on: boolean): void;
}) {
  return (
    <div className="table-wrap">
    <table className="findings" data-testid="findings-table">
      <thead>
        <tr>
          <th>Rule</th>
          <th>Location</th>
          <th>Severity</th>
          <th>Verdict</th>
          <th>Confidence</th>
          <th>Status</th>
          <th>Pull request</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <Fragment key={item.id}>
          <tr
            className={`clickable${item.id === selectedId ? ' selected' : ''}`}
            data-testid="finding-row"
            onClick={() => onSelect(item.id)}
          >
            <td>
              {/* The row is clickable with a mouse; this button is the keyboard and screen-reader way in. */}
              <button
                type="button"
                className="rule rule-toggle"
                aria-expanded={item.id === selectedId}
                onClick={(event) => {
                  event.stopPropagation();
                  onSelect(item.id);
                }}
              >
                {item.ruleId}
              </button>
              <div className="subtle small" data-testid="reported-by">{reportedBy(item)}</div>
            </td>
            <td className="mono location" title={location(item.path, item.line)}>{location(item.path, item.line)}</td>
            <td><Lozenge appearance={severityAppearance[item.severity]}>{severityLabel[item.severity]}</Lozenge></td>
            <td data-testid="verdict">
              <Lozenge appearance={verdictAppearance[item.verdict]}>{verdictLabel[item.verdict]}</Lozenge>
              {item.category && <div className="subtle small" data-testid="verdict-category">{categoryLabel[item.category]}</div>}
            </td>
            <td>{item.confidence}%</td>
            <td className="nowrap">{statusLabel[item.status]}</td>
            <td className="nowrap" onClick={(event) => event.stopPropagation()}>
              {item.pullRequest ? (
                <span className="row">
                  <ExternalLink href={item.pullRequest.url}>#{item.pullRequest.id}</ExternalLink>
                  <Lozenge appearance={stateAppearance(item.pullRequest.state)}>{item.pullRequest.state}</Lozenge>
                </span>
              ) : (
                canOpenPullRequest(item) ? (
                  <label className="fix-check">
                    <input
                      type="checkbox"
                      data-testid="fix-check"
                      checked={checked.has(item.id)}
                      onChange={(event) => onCheck(item.id, event.target.checked)}
                    />
                    Fix available
                  </label>
                ) : item.fixDisabled && item.status === 'open' ? (
                  <span className="subtle" title={`${item.fixDisabled.title} is turned off in the workspace settings`}>Fix turned off</span>
                ) : (
                  <span className="subtle">—</span>
                )
              )}
            </td>
          </tr>
          {item.id === selectedId && detail !== undefined && (
            <tr className="detail-row">
              <td colSpan={7}>{detail}</td>
            </tr>
          )}
          </Fragment>
        ))}
      </tbody>
    </table>
    </div>
  );
}
