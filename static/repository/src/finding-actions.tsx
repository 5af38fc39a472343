import { useState } from 'react';
import type { FindingDetail, FindingItem, FixPreview, Verdict } from '../../shared/src/api-types';
import { verdictLabel } from '../../shared/src/format';
import { flag } from '../../shared/src/flags';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, ExternalLink, SectionMessage } from '../../shared/src/ui';
import { pullRequestReport, type Report } from './outcome-text';

type ActionState =
  | { kind: 'idle' }
  | { kind: 'dismissing' }
  | { kind: 'busy' }
  | { kind: 'reported'; report: Report; urls: string[] };

const dismissVerdicts: readonly Verdict[] = ['false_positive', 'wont_fix'];

/**
 * Open a fix pull request for one finding (offered only once the preview made a verified fix),
 * dismiss it with a reason, or undo a dismissal. Every outcome is reported twice: a flag in the
 * product's flag group and a message here, and nothing that did not happen is shown as success.
 */
export function FindingActions({ finding, preview, onChanged }: {
  finding: FindingDetail;
  preview?: FixPreview;
  onChanged(item?: FindingItem): void;
}) {
  const [state, setState] = useState<ActionState>({ kind: 'idle' });
  const [verdict, setVerdict] = useState<Verdict>('false_positive');
  const [reason, setReason] = useState('');
  const canOpenPr = preview?.kind === 'diff' && !finding.pullRequest && finding.status === 'open' && !finding.fixDeclined;
  const canDismiss = finding.status === 'open' || finding.status === 'fix_proposed';
  const canUndo = finding.status === 'dismissed';
  if (!canOpenPr && !canDismiss && !canUndo && state.kind !== 'reported') return null;

  const report = (next: Report, urls: string[] = []) => {
    setState({ kind: 'reported', report: next, urls });
    flag(next.kind, next.title, next.description);
  };

  const openPr = async () => {
    setState({ kind: 'busy' });
    try {
      const result = await call('createPullRequest', { findingIds: [finding.id] });
      report(pullRequestReport(result, 1), result.pullRequests.map((pr) => pr.url));
      if (result.pullRequests.length > 0) onChanged();
    } catch (error) {
      report({ kind: 'error', title: 'No pull request was opened', description: errorMessage(error) });
    }
  };
  const dismiss = async () => {
    setState({ kind: 'busy' });
    try {
      const item = await call('dismissFinding', { id: finding.id, verdict, reason: reason.trim() });
      setReason('');
      setState({ kind: 'idle' });
      flag('success', `Finding dismissed as ${verdictLabel[verdict].toLowerCase()}`, `Reason kept with the finding: ${item.dismissal?.reason ?? reason.trim()}`, [
        { text: 'Undo', onClick: () => void undo() },
      ]);
      onChanged(item);
    } catch (error) {
      report({ kind: 'error', title: 'The finding was not dismissed', description: errorMessage(error) });
    }
  };
  const undo = async () => {
    setState({ kind: 'busy' });
    try {
      const item = await call('undoDismissal', { id: finding.id });
      setState({ kind: 'idle' });
      flag('success', 'Dismissal undone', `The finding is ${verdictLabel[item.verdict].toLowerCase()} at ${item.confidence}% again, as before the dismissal.`);
      onChanged(item);
    } catch (error) {
      report({ kind: 'error', title: 'The dismissal was not undone', description: errorMessage(error) });
    }
  };

  return (
    <div className="actions">
      {state.kind === 'dismissing' ? (
        // Escape here cancels the form only (the reason typed so far is kept), not the whole detail.
        <div className="stack" onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.stopPropagation();
          setState({ kind: 'idle' });
        }}>
          <label className="field-label" htmlFor="dismiss-verdict">Dismiss as</label>
          <select id="dismiss-verdict" value={verdict} onChange={(e) => setVerdict(e.target.value === 'wont_fix' ? 'wont_fix' : 'false_positive')}>
            {dismissVerdicts.map((v) => <option key={v} value={v}>{verdictLabel[v]}</option>)}
          </select>
          <label className="field-label" htmlFor="dismiss-reason">Reason (a few words, kept with the finding)</label>
          <textarea id="dismiss-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
          <div className="row">
            <Button appearance="primary" disabled={reason.trim().length < 3} onClick={() => void dismiss()}>Dismiss finding</Button>
            <Button onClick={() => setState({ kind: 'idle' })}>Cancel</Button>
          </div>
        </div>
      ) : (
        <div className="row">
          {canOpenPr && (
            <Button appearance="primary" disabled={state.kind === 'busy'} onClick={() => void openPr()}>
              Open fix pull request
            </Button>
          )}
          {canDismiss && (
            <Button disabled={state.kind === 'busy'} onClick={() => setState({ kind: 'dismissing' })}>Dismiss…</Button>
          )}
          {canUndo && (
            <>
              <Button disabled={state.kind === 'busy'} onClick={() => void undo()}>Undo dismissal</Button>
              <span className="subtle">It gets back the verdict and status it had before the dismissal.</span>
            </>
          )}
        </div>
      )}
      {state.kind === 'reported' && (
        <div data-testid="action-outcome">
          <SectionMessage appearance={state.report.kind} title={state.report.title}>
            {state.urls.map((url) => <p key={url}><ExternalLink href={url}>{url}</ExternalLink></p>)}
            {state.report.description.split('\n').filter(Boolean).map((line) => <p key={line}>{line}</p>)}
          </SectionMessage>
        </div>
      )}
    </div>
  );
}
