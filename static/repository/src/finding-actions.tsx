import { useState } from 'react';
import type { FindingDetail, FindingItem, Verdict } from '../../shared/src/api-types';
import { verdictLabel } from '../../shared/src/format';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, ExternalLink, SectionMessage } from '../../shared/src/ui';
import { canOpenPullRequest } from './findings-table';

type ActionState =
  | { kind: 'idle' }
  | { kind: 'dismissing' }
  | { kind: 'busy' }
  | { kind: 'opened'; urls: string[] }
  | { kind: 'failed'; message: string };

const dismissVerdicts: readonly Verdict[] = ['false_positive', 'wont_fix'];

/** Open a fix pull request for one finding, or dismiss it with a reason a reviewer can read later. */
export function FindingActions({ finding, onChanged }: { finding: FindingDetail; onChanged(item?: FindingItem): void }) {
  const [state, setState] = useState<ActionState>({ kind: 'idle' });
  const [verdict, setVerdict] = useState<Verdict>('false_positive');
  const [reason, setReason] = useState('');
  const canOpenPr = canOpenPullRequest(finding);
  const canDismiss = finding.status === 'open' || finding.status === 'fix_proposed';
  const canUndo = finding.status === 'dismissed';
  if (!canOpenPr && !canDismiss && !canUndo) return null;

  const openPr = async () => {
    setState({ kind: 'busy' });
    try {
      const { pullRequests } = await call('createPullRequest', { findingIds: [finding.id] });
      setState({ kind: 'opened', urls: pullRequests.map((pr) => pr.url) });
      onChanged();
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  const dismiss = async () => {
    setState({ kind: 'busy' });
    try {
      const item = await call('dismissFinding', { id: finding.id, verdict, reason: reason.trim() });
      setState({ kind: 'idle' });
      onChanged(item);
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };

  const undo = async () => {
    setState({ kind: 'busy' });
    try {
      const item = await call('undoDismissal', { id: finding.id });
      setState({ kind: 'idle' });
      onChanged(item);
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };

  return (
    <div className="actions">
      {state.kind === 'dismissing' ? (
        <div className="stack">
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
              <span className="subtle">It becomes open again and the next scan triages it afresh.</span>
            </>
          )}
        </div>
      )}
      {state.kind === 'opened' && (
        <SectionMessage appearance="success" title="Pull request opened">
          {state.urls.map((url) => <p key={url}><ExternalLink href={url}>{url}</ExternalLink></p>)}
        </SectionMessage>
      )}
      {state.kind === 'failed' && (
        <SectionMessage appearance="error" title="That did not work">
          <p>{state.message}</p>
        </SectionMessage>
      )}
    </div>
  );
}
