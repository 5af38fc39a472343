import { Fragment, type ReactNode } from 'react';
import { reportedBy } from './scan-text';
import type { FindingItem } from '../../shared/src/api-types';
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
import { ExternalLink, Lozenge } from '../../shared/src/ui';
import { findingTitle, fixLine } from './outcome-text';

/** Whether a fix pull request may be asked for (the list's bulk action); the detail offers it only after a verified preview. */
export const canOpenPullRequest = (item: Pick<FindingItem, 'fixAvailable' | 'fix' | 'pullRequest' | 'status' | 'fixDeclined'>): boolean =>
  (item.fixAvailable ?? item.fix !== undefined) && item.pullRequest === undefined && item.status === 'open' && !item.fixDeclined;

/** The DOM id of a row's toggle, so closing the detail (Escape included) can put focus back on it. */
export const rowToggleId = (id: string): string => `finding-toggle-${id}`;

/**
 * One page of findings. Each row leads with its title (the rule's name, then the message; the
 * rule id below), keeps severity and verdict beside it (on small screens the row stacks, with
 * those two first), and opens its detail right under it: Forge sizes the iframe to its content,
 * so a side panel would land far from the row that was clicked.
 */
export function FindingsTable({ items, selectedId, onSelect, detail, checked, onCheck, allChecked, onCheckAll }: {
  items: FindingItem[];
  selectedId?: string;
  onSelect(id: string): void;
  detail?: ReactNode;
  checked: ReadonlySet<string>;
  onCheck(id: string, on: boolean): void;
  allChecked: boolean;
  onCheckAll(on: boolean): void;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Findings table">
      <table className="findings" data-testid="findings-table">
        <caption className="visually-hidden">Findings on this page; choose a finding to see its details and fix.</caption>
        <thead>
          <tr>
            <th className="select-cell">
              <input type="checkbox" aria-label="Select every finding on this page" checked={allChecked} onChange={(event) => onCheckAll(event.target.checked)} />
            </th>
            <th>Finding</th>
            <th>Severity</th>
            <th>Verdict</th>
            <th>Location</th>
            <th>Status</th>
            <th>Fix</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const { title, subtitle } = findingTitle(item);
            const fix = fixLine(item);
            return (
              <Fragment key={item.id}>
                <tr className={`finding-row clickable${item.id === selectedId ? ' selected' : ''}`} data-testid="finding-row" onClick={() => onSelect(item.id)}>
                  <td className="select-cell" onClick={(event) => event.stopPropagation()}>
                    <input type="checkbox" data-testid="row-check" aria-label={`Select ${title}`} checked={checked.has(item.id)}
                      onChange={(event) => onCheck(item.id, event.target.checked)} />
                  </td>
                  <td className="finding-cell">
                    {/* The row is clickable with a mouse; this button is the keyboard and screen-reader way in. */}
                    <button type="button" id={rowToggleId(item.id)} className="rule-toggle" aria-expanded={item.id === selectedId}
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(item.id);
                      }}>
                      {title}
                    </button>
                    {subtitle && <div className="finding-message small">{subtitle}</div>}
                    <div className="subtle small"><span className="mono rule-id">{item.ruleId}</span> · <span data-testid="reported-by">{reportedBy(item)}</span></div>
                  </td>
                  <td className="severity-cell" data-label="Severity"><Lozenge appearance={severityAppearance[item.severity]}>{severityLabel[item.severity]}</Lozenge></td>
                  <td className="verdict-cell" data-testid="verdict" data-label="Verdict">
                    <Lozenge appearance={verdictAppearance[item.verdict]}>{verdictLabel[item.verdict]}</Lozenge>
                    <span className="subtle small confidence"> {item.confidence}%</span>
                    {item.category && <div className="subtle small" data-testid="verdict-category">{categoryLabel[item.category]}</div>}
                  </td>
                  <td className="mono location" data-label="Location" title={location(item.path, item.line)}>{location(item.path, item.line)}</td>
                  <td className="nowrap" data-label="Status">{statusLabel[item.status]}</td>
                  <td data-label="Fix" data-testid="row-fix" onClick={(event) => event.stopPropagation()}>
                    {item.pullRequest && !item.fixDeclined ? (
                      <span className="row nowrap-row">
                        <ExternalLink href={item.pullRequest.url}>#{item.pullRequest.id}</ExternalLink>
                        <Lozenge appearance={stateAppearance(item.pullRequest.state)}>{item.pullRequest.state}</Lozenge>
                      </span>
                    ) : (
                      <span className={`fix-${fix.tone}`} title={fix.detail}>{fix.text}</span>
                    )}
                  </td>
                </tr>
                {item.id === selectedId && detail !== undefined && (
                  <tr className="detail-row">
                    <td colSpan={7}>{detail}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
