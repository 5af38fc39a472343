import type { ReactElement } from 'react';
import type { PullRequestItem, ScanItem } from '../../shared/src/api-types';
import { formatWhen, shortSha, stateAppearance } from '../../shared/src/format';
import { errorMessage } from '../../shared/src/resolver';
import { Button, ExternalLink, Lozenge, Section, SectionMessage, Spinner } from '../../shared/src/ui';
import type { AsyncState } from '../../shared/src/use-async';
import { skippedLine } from './scan-text';

function Loading<T>({ state, what, onRetry, children }: {
  state: AsyncState<T>;
  what: string;
  onRetry(): void;
  children(data: T): ReactElement;
}) {
  if (state.status === 'loading') return <Spinner label={`Loading ${what}…`} />;
  if (state.status === 'error') {
    return (
      <SectionMessage appearance="error" title={`The ${what} could not be loaded`}>
        <p>{errorMessage(state.error)}</p>
        <Button onClick={onRetry}>Try again</Button>
      </SectionMessage>
    );
  }
  return children(state.data);
}

export function PullRequestList({ state, onRetry }: { state: AsyncState<{ items: PullRequestItem[] }>; onRetry(): void }) {
  return (
    <Section id="pull-requests" title="Fix pull requests">
      <Loading state={state} what="pull requests" onRetry={onRetry}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="subtle">No fix pull requests yet.</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Fix pull requests table"><table data-testid="pull-requests">
              <thead>
                <tr><th>Pull request</th><th>State</th><th>Branch</th><th>Fix</th><th>Findings</th></tr>
              </thead>
              <tbody>
                {items.map((pr) => (
                  <tr key={pr.id}>
                    <td><ExternalLink href={pr.url}>#{pr.id} {pr.title}</ExternalLink></td>
                    <td><Lozenge appearance={stateAppearance(pr.state)}>{pr.state}</Lozenge></td>
                    <td className="mono">{pr.branch}</td>
                    <td className="mono">{pr.codemodId}</td>
                    <td>{pr.findingIds.length}</td>
                  </tr>
                ))}
              </tbody>
            </table></div>
          )
        }
      </Loading>
    </Section>
  );
}

export function ScanList({ state, onRetry }: { state: AsyncState<{ items: ScanItem[] }>; onRetry(): void }) {
  return (
    <Section id="scans" title="Scans">
      <Loading state={state} what="scans" onRetry={onRetry}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="subtle">No scans yet.</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Scans table"><table data-testid="scans">
              <thead>
                <tr><th>When</th><th>Commit</th><th>Branch</th><th>Tools</th><th>Results</th><th>Skipped</th><th>Status</th></tr>
              </thead>
              <tbody>
                {items.map((scan) => (
                  <tr key={scan.id} data-testid="scan-row">
                    <td title={scan.createdAt}>{formatWhen(scan.createdAt)}</td>
                    <td className="mono">{shortSha(scan.commit)}</td>
                    <td className="mono">{scan.branch ?? '—'}</td>
                    <td>{scan.tools.join(', ') || '—'}</td>
                    <td>
                      {scan.counts.results} result{scan.counts.results === 1 ? '' : 's'} → {scan.counts.findings} finding{scan.counts.findings === 1 ? '' : 's'}
                      {scan.counts.merged > 0 && <div className="subtle small">{scan.counts.merged} merged as duplicates</div>}
                      {scan.waitingForCap !== undefined && scan.waitingForCap > 0 && (
                        <div className="subtle small" data-testid="waiting-for-cap">
                          {scan.waitingForCap} fixable finding{scan.waitingForCap === 1 ? '' : 's'} wait{scan.waitingForCap === 1 ? 's' : ''} for the pull request caps
                        </div>
                      )}
                      {scan.pullRequests !== undefined && scan.pullRequests.length > 0 && (
                        <div className="small">
                          {scan.pullRequests.length} pull request{scan.pullRequests.length === 1 ? '' : 's'} opened
                        </div>
                      )}
                    </td>
                    <td><SkippedResults scan={scan} /></td>
                    <td>
                      <Lozenge appearance={stateAppearance(scan.status)}>{scan.status}</Lozenge>
                      {scan.error && <div className="field-error" data-testid="scan-error">{scan.error}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table></div>
          )
        }
      </Loading>
    </Section>
  );
}

/** How many SARIF results the scan could not use, and why (one line per reason). */
function SkippedResults({ scan }: { scan: ScanItem }) {
  if (scan.counts.skipped === 0) return <span className="subtle">none</span>;
  const reasons = scan.skipped ?? [];
  if (reasons.length === 0) return <span>{scan.counts.skipped}</span>;
  const listed = reasons.reduce((sum, entry) => sum + (entry.count ?? 1), 0);
  return (
    <details className="scan-skipped" data-testid="scan-skipped">
      <summary>{scan.counts.skipped} skipped</summary>
      <ul>
        {reasons.map((entry) => <li key={entry.index}>{skippedLine(entry)}</li>)}
        {scan.counts.skipped > listed && <li>…and {scan.counts.skipped - listed} more</li>}
      </ul>
    </details>
  );
}
