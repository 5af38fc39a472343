import { useEffect, useRef } from 'react';
import { reportedBy } from './scan-text';
import type { FindingItem } from '../../shared/src/api-types';
import {
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
import { useAsync } from '../../shared/src/use-async';
import { CodeFlow, RelatedLocations } from './code-flow';
import { DiffView } from './diff-view';
import { FindingActions } from './finding-actions';
import { FixOutcomeSection } from './fix-outcome';

/** The expanded panel for one finding: what the scanner said, why triage decided, and the proposed fix. */
export function FindingDetailPanel({ id, onClose, onChanged }: {
  id: string;
  onClose(): void;
  onChanged(item?: FindingItem): void;
}) {
  const [state, reload] = useAsync(() => call('getFinding', { id }), [id]);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), [id]);

  return (
    <aside className="detail-panel" aria-label="Finding details" data-testid="finding-detail"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <div className="detail-header">
        <h2>Finding</h2>
        <Button appearance="subtle" onClick={onClose} aria-label="Close details" ref={closeRef}>Close</Button>
      </div>
      {state.status === 'loading' && <Spinner label="Loading the finding…" />}
      {state.status === 'error' && (
        <SectionMessage appearance="error" title="The finding could not be loaded">
          <p>{errorMessage(state.error)}</p>
          <Button onClick={reload}>Try again</Button>
        </SectionMessage>
      )}
      {state.status === 'ready' && (() => {
        const f = state.data;
        return (
          <div className="detail-body">
            <p className="rule-title"><strong>{f.ruleId}</strong> <span className="subtle" data-testid="reported-by">({reportedBy(f)})</span></p>
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
            <h3>Message</h3>
            <p>{f.message}</p>
            {f.codeFlow && f.codeFlow.length > 0 && (<><h3>Code flow</h3><CodeFlow steps={f.codeFlow} /></>)}
            {f.relatedLocations && f.relatedLocations.length > 0 && (
              <><h3>Related locations</h3><RelatedLocations steps={f.relatedLocations} /></>
            )}
            <h3>Why this verdict</h3>
            <p data-testid="justification">{f.justification}</p>
            {f.factors.length > 0 && (
              <ul className="factors">
                {f.factors.map((factor) => (
                  <li key={factor.id}>
                    <span className={`factor-weight ${factor.weight >= 0 ? 'positive' : 'negative'}`}>
                      {factor.weight >= 0 ? `+${factor.weight}` : factor.weight}
                    </span>
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
            {f.snippet && (<><h3>Code</h3><pre className="code" tabIndex={0} aria-label="Code at the finding">{f.snippet}</pre></>)}
            {f.fix && (
              <>
                <h3>Proposed fix: {f.fix.title}</h3>
                <p>{f.fix.description}</p>
                <DiffView diff={f.fix.diff} />
              </>
            )}
            {!f.fix && !f.pullRequest && !f.fixDisabled && f.fixOutcome && <FixOutcomeSection outcome={f.fixOutcome} />}
            {f.fixDisabled && !f.pullRequest && (
              <SectionMessage appearance="information" title="This kind of fix is turned off">
                <p data-testid="fix-disabled">
                  Remediate has a fix for this finding ({f.fixDisabled.title}), but a workspace admin turned it off in the
                  Remediate settings (Policy, Kinds of fix), so no pull request is offered for it.
                </p>
              </SectionMessage>
            )}
            {f.pullRequest && (
              <p className="row">
                Pull request <ExternalLink href={f.pullRequest.url}>#{f.pullRequest.id}</ExternalLink>
                <Lozenge appearance={stateAppearance(f.pullRequest.state)}>{f.pullRequest.state}</Lozenge>
              </p>
            )}
            <FindingActions finding={f} onChanged={(item) => { reload(); onChanged(item); }} />
          </div>
        );
      })()}
    </aside>
  );
}
