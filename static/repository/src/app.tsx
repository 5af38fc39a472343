import { useState } from 'react';
import type { FindingFilter, FindingSort } from '../../shared/src/api-types';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Section, SectionMessage, Spinner } from '../../shared/src/ui';
import { useAsync } from '../../shared/src/use-async';
import { PullRequestList, ScanList } from './activity-lists';
import { FindingDetailPanel } from './finding-detail';
import { BulkFix } from './bulk-fix';
import { canOpenPullRequest, FindingFilters, FindingsTable } from './findings-table';
import { Summary } from './summary';
import { useFindings } from './use-findings';

const emptyStateText = 'No scans yet — upload SARIF from CI; see the settings page for the snippet.';

export function RepositoryApp() {
  const [filter, setFilter] = useState<FindingFilter>({});
  const [sort, setSort] = useState<FindingSort>('severity');
  const [generation, setGeneration] = useState(0);
  const [selectedId, setSelectedId] = useState<string>();
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const { state: findings, loadMore, replaceItem } = useFindings(filter, sort, generation);
  const [pullRequests, reloadPullRequests] = useAsync(() => call('listPullRequests', {}), [generation]);
  const [scans, reloadScans] = useAsync(() => call('listScans', {}), [generation]);

  const refresh = () => setGeneration((n) => n + 1);
  const check = (id: string, on: boolean) =>
    setChecked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  // Only findings still on screen and still fixable count as ticked.
  const checkedIds = findings.items.filter((item) => checked.has(item.id) && canOpenPullRequest(item)).map((item) => item.id);
  const noScans = scans.status === 'ready' && scans.data.items.length === 0;
  const noFindings = findings.counts?.total === 0;

  return (
    <main className="page page-wide">
      <div className="row page-header">
        <h1>Remediate</h1>
        <Button appearance="subtle" onClick={refresh}>Refresh</Button>
      </div>
      <p className="lead">Scanner findings for this repository, how they were triaged, and the pull requests that fix them.</p>

      {noScans && noFindings ? (
        <SectionMessage appearance="information" title="Nothing to show yet">
          <p data-testid="empty-state">{emptyStateText}</p>
        </SectionMessage>
      ) : (
        findings.counts && <Summary counts={findings.counts} />
      )}

      <Section id="findings" title="Findings">
        {!noFindings && <FindingFilters filter={filter} sort={sort} onChange={setFilter} onSortChange={setSort} />}
        {findings.status === 'ready' && findings.counts && findings.filteredCounts && findings.counts.total > 0 && (
          <p className="subtle result-count" data-testid="result-count" aria-live="polite">
            {findings.filteredCounts.total === findings.counts.total
              ? `${findings.counts.total} finding${findings.counts.total === 1 ? '' : 's'}`
              : `${findings.filteredCounts.total} of ${findings.counts.total} findings match`}
            {findings.items.length < findings.filteredCounts.total ? ` · showing the first ${findings.items.length}` : ''}
          </p>
        )}
        {findings.status === 'loading' && <Spinner label="Loading findings…" />}
        {findings.status === 'error' && (
          <SectionMessage appearance="error" title="The findings could not be loaded">
            <p>{errorMessage(findings.error)}</p>
            <Button onClick={refresh}>Try again</Button>
          </SectionMessage>
        )}
        {findings.status === 'ready' && findings.items.length === 0 && (
          <p className="subtle">{noFindings ? 'No findings yet.' : 'No findings match these filters.'}</p>
        )}
        <BulkFix ids={checkedIds} onDone={() => { setChecked(new Set()); refresh(); }} />
        {findings.status === 'ready' && findings.items.length > 0 && (
          <FindingsTable
            checked={checked}
            onCheck={check}
            items={findings.items}
            selectedId={selectedId}
            onSelect={(id) => setSelectedId((current) => (current === id ? undefined : id))}
            detail={
              selectedId !== undefined && (
                <FindingDetailPanel
                  id={selectedId}
                  onClose={() => setSelectedId(undefined)}
                  onChanged={(item) => (item ? replaceItem(item) : refresh())}
                />
              )
            }
          />
        )}
        {findings.loadMoreError !== undefined && (
          <SectionMessage appearance="error" title="More findings could not be loaded">
            <p>{errorMessage(findings.loadMoreError)}</p>
          </SectionMessage>
        )}
        {findings.status === 'ready' && findings.nextCursor !== undefined && (
          <div className="load-more">
            <Button onClick={() => void loadMore()} disabled={findings.loadingMore}>
              {findings.loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          </div>
        )}
      </Section>

      <PullRequestList state={pullRequests} onRetry={reloadPullRequests} />
      <ScanList state={scans} onRetry={reloadScans} />
    </main>
  );
}
