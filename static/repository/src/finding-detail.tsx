import { useEffect, useRef } from 'react';
import { reportedBy } from './scan-text';
import type { FindingDetail, FindingItem, FixPreview } from '../../shared/src/api-types';
import {
  formatWhen,
  location,
  severityAppearance,
  severityLabel,
  shortSha,
  stateAppearance,
  statusLabel,
  verdictAppearance,
  verdictLabel,
  categoryLabel,
} from '../../shared/src/format';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, ExternalLink, Lozenge, SectionMessage, Spinner } from '../../shared/src/ui';
import { useAsync, type AsyncState } from '../../shared/src/use-async';
import { CodeFlow, RelatedLocations } from './code-flow';
import { DiffView } from './diff-view';
import { FindingActions } from './finding-actions';
import { findingTitle, fixLine, historyLine } from './outcome-text';

/** The expanded panel for one finding: what the scanner said, why triage decided, the fix (previewed) and the decisions so far. */
export function FindingDetailPanel({ id, onClose, onChanged, who }: {
  id: string;
  onClose(): void;
  onChanged(item?: FindingItem): void;
  /** How to name an account id in the history ("you" for the viewer). */
  who(accountId: string): string;
}) {
  const [state, reload] = useAsync(() => call('getFinding', { id }), [id]);
  // The preview is a dry run of the fix (it reads the file through Bitbucket), so it is asked for
  // only when a fix could exist and none has been made yet.
  const wantsPreview = state.status === 'ready' && !state.data.fix && !state.data.pullRequest && (state.data.fixAvailable ?? false);
  const [preview] = useAsync<FixPreview | undefined>(() => (wantsPreview ? call('previewFix', { id }) : Promise.resolve(undefined)), [id, wantsPreview]);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), [id]);

  return (
    <aside className="detail-panel" aria-label="Finding details" data-testid="finding-detail"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        onClose();
      }}>
      <div className="detail-header">
        <h3 className="detail-heading">Finding details</h3>
        <Button appearance="subtle" onClick={onClose} aria-label="Close details" ref={closeRef}>Close</Button>
      </div>
      {state.status === 'loading' && <Spinner label="Loading the finding…" />}
      {state.status === 'error' && (
        <SectionMessage appearance="error" title="The finding could not be loaded">
          <p>{errorMessage(state.error)}</p>
          <Button onClick={reload}>Try again</Button>
        </SectionMessage>
      )}
      {state.status === 'ready' && <Body f={state.data} preview={wantsPreview ? preview : undefined} who={who} onChanged={(item) => { reload(); onChanged(item); }} />}
    </aside>
  );
}

function Body({ f, preview, who: named, onChanged }: { f: FindingDetail; preview?: AsyncState<FixPreview | undefined>; who(id: string): string; onChanged(item?: FindingItem): void }) {
  // "you" first, then the name Bitbucket gave, then the account id.
  const who = (id: string) => {
    const fallback = named(id);
    return fallback === 'you' ? fallback : f.people?.[id] ?? fallback;
  };
  const { title, subtitle } = findingTitle(f);
  const fix = fixLine(f);
  const previewed = preview?.status === 'ready' ? preview.data : undefined;
  return (
    <div className="detail-body">
      <p className="rule-title"><strong>{title}</strong></p>
      {subtitle && <p>{subtitle}</p>}
      <p className="subtle small"><span className="mono">{f.ruleId}</span> · <span data-testid="reported-by">{reportedBy(f)}</span></p>
      <p className="mono" data-testid="finding-location">
        {f.fileUrl ? <ExternalLink href={f.fileUrl}>{location(f.path, f.line)}</ExternalLink> : location(f.path, f.line)}{' '}
        <span className="subtle">at {shortSha(f.commit)}</span>
      </p>
      <div className="row">
        <Lozenge appearance={severityAppearance[f.severity]}>{severityLabel[f.severity]}</Lozenge>
        <Lozenge appearance={verdictAppearance[f.verdict]}>{verdictLabel[f.verdict]}</Lozenge>
        {f.category && <span className="subtle" data-testid="finding-category">({categoryLabel[f.category]})</span>}
        <span>{f.confidence}% confidence</span>
        <span className="subtle">· {statusLabel[f.status]}</span>
      </div>
      {f.dismissal && (
        <p data-testid="dismissal">
          Dismissed as {verdictLabel[f.dismissal.verdict].toLowerCase()} by {who(f.dismissal.by)}{' '}
          <span title={f.dismissal.at}>{formatWhen(f.dismissal.at)}</span>: “{f.dismissal.reason}”
        </p>
      )}
      {f.codeFlow && f.codeFlow.length > 0 && (<><h4>Code flow</h4><CodeFlow steps={f.codeFlow} /></>)}
      {f.relatedLocations && f.relatedLocations.length > 0 && (<><h4>Related locations</h4><RelatedLocations steps={f.relatedLocations} /></>)}
      <h4>Why this verdict</h4>
      <p data-testid="justification">{f.justification}</p>
      {f.factors.length > 0 && (
        <ul className="factors">
          {f.factors.map((factor) => (
            <li key={factor.id}>
              <span className={`factor-weight ${factor.weight >= 0 ? 'positive' : 'negative'}`}>{factor.weight >= 0 ? `+${factor.weight}` : factor.weight}</span>
              <span>{factor.detail}</span>
            </li>
          ))}
          <li key="total" className="factors-total">
            <span className="factor-weight">= {f.confidence}</span>
            <span>confidence</span>
          </li>
        </ul>
      )}
      {f.cwes.length > 0 && <p className="subtle">{f.cwes.join(' · ')}</p>}
      {f.snippet && (<><h4>Code</h4><pre className="code" tabIndex={0} aria-label="Code at the finding">{f.snippet}</pre></>)}
      <h4>Fix</h4>
      <p data-testid="fix-outcome" className={`fix-${fix.tone}`}>{fix.text}</p>
      {fix.detail && <p className="subtle small pre-line">{fix.detail}</p>}
      {f.fix ? (
        <>
          <p><strong>{f.fix.title}</strong>: {f.fix.description}</p>
          <DiffView diff={f.fix.diff} />
        </>
      ) : preview?.status === 'loading' || (preview?.status === 'ready' && preview.data === undefined) ? (
        <Spinner label="Making the fix to preview it…" />
      ) : preview?.status === 'error' ? (
        <SectionMessage appearance="warning" title="The fix could not be previewed"><p>{errorMessage(preview.error)}</p></SectionMessage>
      ) : previewed?.kind === 'diff' ? (
        <div data-testid="fix-preview">
          <p><strong>Preview: {previewed.title}</strong> — the change a pull request would make. {previewed.description}</p>
          <DiffView diff={previewed.diff} />
        </div>
      ) : previewed?.kind === 'none' ? (
        <p data-testid="no-fix-reason">{previewed.reason}</p>
      ) : f.fixDisabled && !f.pullRequest ? (
        <p data-testid="fix-disabled">
          Remediate has a fix for this finding ({f.fixDisabled.title}), but a workspace admin turned it off in the Remediate
          settings (Policy, Kinds of fix), so no pull request is offered for it.
        </p>
      ) : !f.pullRequest && !f.fixDeclined ? (
        <p data-testid="no-fix-reason">No pull request is offered: Remediate has no verified fix for this finding.</p>
      ) : null}
      {f.pullRequest && (
        <p className="row">
          Pull request <ExternalLink href={f.pullRequest.url}>#{f.pullRequest.id}</ExternalLink>
          <Lozenge appearance={stateAppearance(f.pullRequest.state)}>{f.pullRequest.state}</Lozenge>
        </p>
      )}
      {f.history && f.history.length > 0 && (
        <>
          <h4>History</h4>
          <ol className="history" data-testid="history">
            {f.history.map((event, index) => (
              <li key={index}><span className="subtle" title={event.at}>{formatWhen(event.at)}</span> {historyLine(event, who)}</li>
            ))}
          </ol>
        </>
      )}
      <FindingActions finding={f} {...(previewed ? { preview: previewed } : {})} onChanged={onChanged} />
    </div>
  );
}
