import { Fragment, type ReactNode } from 'react';
import type { FindingFilter, FindingItem } from '../../shared/src/api-types';
import { findingStatuses, severities, verdicts } from '../../shared/src/api-types';
import {
  location,
  severityAppearance,
  severityLabel,
  stateAppearance,
  statusLabel,
  verdictAppearance,
  verdictLabel,
} from '../../shared/src/format';
import { Button, ExternalLink, Lozenge } from '../../shared/src/ui';

export function FindingFilters({ filter, onChange }: { filter: FindingFilter; onChange(filter: FindingFilter): void }) {
  // Keys set to "any" are dropped rather than sent as undefined.
  const set = (change: FindingFilter) => {
    const next: FindingFilter = { ...filter, ...change };
    for (const key of ['verdict', 'severity', 'status'] as const) if (next[key] === undefined) delete next[key];
    onChange(next);
  };
  const pick = <T extends string>(allowed: readonly T[], value: string): T | undefined =>
    allowed.find((option) => option === value);
  const active = filter.verdict !== undefined || filter.severity !== undefined || filter.status !== undefined;
  return (
    <div className="filters" role="group" aria-label="Filter findings">
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
      {active && (
        <Button appearance="subtle" onClick={() => onChange({})}>
          Clear filters
        </Button>
      )}
    </div>
  );
}

/**
 * The selected finding's details open in a row right under it: Forge sizes the iframe to its
 * content, so a fixed side panel would land far from the row that was clicked.
 */
export function FindingsTable({ items, selectedId, onSelect, detail }: {
  items: FindingItem[];
  selectedId?: string;
  onSelect(id: string): void;
  detail?: ReactNode;
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
            tabIndex={0}
            onClick={() => onSelect(item.id)}
            aria-expanded={item.id === selectedId}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelect(item.id);
              }
            }}
          >
            <td>
              <div className="rule">{item.ruleId}</div>
              <div className="subtle small">{item.tools.join(', ')}</div>
            </td>
            <td className="mono location" title={location(item.path, item.line)}>{location(item.path, item.line)}</td>
            <td><Lozenge appearance={severityAppearance[item.severity]}>{severityLabel[item.severity]}</Lozenge></td>
            <td data-testid="verdict">
              <Lozenge appearance={verdictAppearance[item.verdict]}>{verdictLabel[item.verdict]}</Lozenge>
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
                <span className="subtle">{item.fix && item.status === 'open' ? 'Fix available' : '—'}</span>
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
