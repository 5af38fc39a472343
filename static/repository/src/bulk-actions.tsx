import { useState } from 'react';
import type { FindingFilter, FindingItem, Verdict } from '../../shared/src/api-types';
import { verdictLabel } from '../../shared/src/format';
import { flag } from '../../shared/src/flags';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, SectionMessage } from '../../shared/src/ui';
import { canOpenPullRequest } from './findings-table';
import { pullRequestReport, type Report } from './outcome-text';

export type Selection = { kind: 'some'; items: ReadonlyMap<string, FindingItem> } | { kind: 'all-matching'; filter: FindingFilter; total: number };

/**
 * Actions on the selected findings: one reason dismisses them all (or every finding the filter
 * matches), and fix pull requests open for the fixable ones. What happened is reported in words,
 * partial results and refusals included; "nothing happened" is never a success.
 */
export function BulkActions({ selection, onSelectAll, canSelectAll, matching, onClear, onDone }: {
  selection: Selection;
  onSelectAll(): void;
  canSelectAll: boolean;
  matching: number;
  onClear(): void;
  onDone(): void;
}) {
  const [dismissing, setDismissing] = useState(false);
  const [verdict, setVerdict] = useState<Verdict>('false_positive');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report>();
  const count = selection.kind === 'some' ? selection.items.size : selection.total;
  const fixable = selection.kind === 'some' ? [...selection.items.values()].filter(canOpenPullRequest).map((item) => item.id) : [];
  if (count === 0 && !report) return null;

  const tell = (next: Report) => {
    setReport(next);
    flag(next.kind, next.title, next.description);
  };
  const openPrs = async () => {
    setBusy(true);
    try {
      const result = selection.kind === 'some'
        ? await call('createPullRequest', { findingIds: fixable.slice(0, 100) })
        : await call('createPullRequest', { filter: selection.filter });
      tell(pullRequestReport(result, selection.kind === 'some' ? Math.min(fixable.length, 100) : selection.total));
      if (result.pullRequests.length > 0) onDone();
    } catch (error) {
      tell({ kind: 'error', title: 'No pull request was opened', description: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const dismiss = async () => {
    setBusy(true);
    try {
      const payload = selection.kind === 'some'
        ? { ids: [...selection.items.keys()].slice(0, 500), verdict, reason: reason.trim() }
        : { filter: selection.filter, verdict, reason: reason.trim() };
      const result = await call('dismissFindings', payload);
      const skipped = result.skipped > 0 ? ` ${result.skipped} already dismissed, fixed or suppressed were left as they were.` : '';
      const more = result.more ? ' More findings match: run it again for the rest.' : '';
      tell(result.dismissed === 0
        ? { kind: 'error', title: 'No finding was dismissed', description: `${skipped.trim() || 'None of them could be dismissed.'}${more}` }
        : { kind: result.skipped > 0 || result.more ? 'warning' : 'success', title: `${result.dismissed} finding${result.dismissed === 1 ? '' : 's'} dismissed as ${verdictLabel[verdict].toLowerCase()}`, description: `Reason: ${reason.trim()}.${skipped}${more}` });
      setDismissing(false);
      setReason('');
      onDone();
    } catch (error) {
      tell({ kind: 'error', title: 'No finding was dismissed', description: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bulk-bar" data-testid="bulk-actions" role="region" aria-label="Selected findings">
      {count > 0 && (
        <div className="row">
          <strong data-testid="selected-count">{selection.kind === 'all-matching' ? `All ${count} matching findings selected` : `${count} selected`}</strong>
          {selection.kind === 'some' && canSelectAll && matching > count && (
            <Button appearance="subtle" onClick={onSelectAll}>Select all {matching} matching</Button>
          )}
          <Button onClick={onClear} appearance="subtle">Clear selection</Button>
          <Button disabled={busy} onClick={() => setDismissing(true)}>Dismiss…</Button>
          {selection.kind === 'some' && (
            <Button appearance="primary" disabled={busy || fixable.length === 0} onClick={() => void openPrs()}
              title={fixable.length === 0 ? 'None of the selected findings has a fix to propose' : undefined}>
              {fixable.length === 0 ? 'No fixable finding selected' : `Open fix pull requests for ${Math.min(fixable.length, 100)}`}
            </Button>
          )}
          {selection.kind === 'all-matching' && (
            <Button appearance="primary" disabled={busy} onClick={() => void openPrs()}>Open fix pull requests for the fixable ones</Button>
          )}
          {selection.kind === 'all-matching' && <span className="subtle small">Open findings with a fix, 100 at a time; the others are left as they are.</span>}
        </div>
      )}
      {dismissing && count > 0 && (
        <div className="stack bulk-dismiss">
          <label className="field-label" htmlFor="bulk-verdict">Dismiss {count} as</label>
          <select id="bulk-verdict" value={verdict} onChange={(e) => setVerdict(e.target.value === 'wont_fix' ? 'wont_fix' : 'false_positive')}>
            <option value="false_positive">{verdictLabel.false_positive}</option>
            <option value="wont_fix">{verdictLabel.wont_fix}</option>
          </select>
          <label className="field-label" htmlFor="bulk-reason">Reason (kept with each finding)</label>
          <textarea id="bulk-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="row">
            <Button appearance="primary" disabled={busy || reason.trim().length < 3} onClick={() => void dismiss()}>Dismiss {count}</Button>
            <Button onClick={() => setDismissing(false)}>Cancel</Button>
          </div>
        </div>
      )}
      {report && (
        <div data-testid="bulk-outcome">
          <SectionMessage appearance={report.kind} title={report.title}>
            {report.description.split('\n').filter(Boolean).map((line) => <p key={line}>{line}</p>)}
          </SectionMessage>
        </div>
      )}
    </div>
  );
}
