import { view as bridgeView } from '@forge/bridge';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FindingItem } from '../../shared/src/api-types';
import { errorMessage } from '../../shared/src/resolver';
import { useRouteState } from '../../shared/src/route-state';
import { Button, Section, SectionMessage, Spinner } from '../../shared/src/ui';
import { useAsync } from '../../shared/src/use-async';
import { PullRequestList, ScanList } from './activity-lists';
import { BulkActions, type Selection } from './bulk-actions';
import { FindingDetailPanel } from './finding-detail';
import { FindingFilters } from './findings-filters';
import { FindingsTable, rowToggleId } from './findings-table';
import { GroupsList } from './groups-list';
import { Pager } from './pager';
import { ScanProgress } from './scan-progress';
import { Summary } from './summary';
import { useFindings } from './use-findings';
import { useLive } from './use-live';
import { isFiltered, pageSizes, readViewState, writeViewState, type ViewState } from './view-state';

const emptyStateText = 'No scans yet — upload SARIF from CI; see the settings page for the snippet. This page shows the findings as soon as a scan arrives.';

export function RepositoryApp() {
  const [params, setParams, routeReady] = useRouteState();
  const view = useMemo(() => readViewState(params), [params]);
  const setView = useCallback((next: ViewState) => setParams(writeViewState(next)), [setParams]);
  const [generation, setGeneration] = useState(0);
  const [selectedId, setSelectedId] = useState<string>();
  const [selection, setSelection] = useState<Selection>({ kind: 'some', items: new Map() });
  const { state: findings, refresh: refreshFindings, replaceItem } = useFindings(view, routeReady);
  const [context] = useAsync(() => bridgeView.getContext(), []);
  const me = context.status === 'ready' ? (context.data as { accountId?: string }).accountId : undefined;
  const who = useCallback((accountId: string) => (accountId === me ? 'you' : accountId === 'pull-request-review' ? 'review' : `account ${accountId}`), [me]);

  // After an action or when a scan moves on: the rows, the counts and the lists are read again in place.
  const refresh = useCallback(() => {
    refreshFindings();
    setGeneration((n) => n + 1);
  }, [refreshFindings]);
  const { scans, pullRequests } = useLive(refresh, generation);

  // A new view (filters, sort, page) starts with nothing selected.
  const viewKey = JSON.stringify(view);
  useEffect(() => setSelection({ kind: 'some', items: new Map() }), [viewKey]);

  const closeDetail = useCallback(() => {
    const id = selectedId;
    setSelectedId(undefined);
    // Back to the row the detail came from, for keyboard users.
    if (id) requestAnimationFrame(() => document.getElementById(rowToggleId(id))?.focus());
  }, [selectedId]);

  const check = (item: FindingItem, on: boolean) =>
    setSelection((current) => {
      const items = new Map(current.kind === 'some' ? current.items : []);
      if (on) items.set(item.id, item);
      else items.delete(item.id);
      return { kind: 'some', items };
    });
  const checkedIds = selection.kind === 'some' ? new Set(selection.items.keys()) : new Set(findings.items.map((item) => item.id));
  const allOnPage = findings.items.length > 0 && findings.items.every((item) => checkedIds.has(item.id));
  const noScans = scans.status === 'ready' && scans.data.items.length === 0;
  const noFindings = findings.counts?.total === 0;
  const matching = findings.filteredCounts?.total ?? 0;

  return (
    <main className="page page-wide">
      <div className="row page-header">
        <h1>Remediate</h1>
        <Button appearance="subtle" onClick={refresh}>Refresh</Button>
      </div>
      <p className="lead">Scanner findings for this repository, how they were triaged, and the pull requests that fix them.</p>

      {scans.status === 'ready' && <ScanProgress scans={scans.data.items} />}
      {noScans && noFindings ? (
        <SectionMessage appearance="information" title="Nothing to show yet">
          <p data-testid="empty-state">{emptyStateText}</p>
        </SectionMessage>
      ) : (
        findings.counts && <Summary counts={findings.counts} />
      )}

      <Section id="findings" title="Findings">
        {!noFindings && <FindingFilters view={view} onChange={setView} />}
        {findings.status === 'ready' && findings.counts && findings.filteredCounts && findings.counts.total > 0 && (
          <p className="subtle result-count" data-testid="result-count" aria-live="polite">
            {matching === findings.counts.total
              ? `${findings.counts.total} finding${findings.counts.total === 1 ? '' : 's'}`
              : `${matching} of ${findings.counts.total} findings match`}
            {matching > findings.items.length && findings.items.length > 0
              ? ` · showing ${(view.page - 1) * view.pageSize + 1}–${(view.page - 1) * view.pageSize + findings.items.length}`
              : ''}
          </p>
        )}
        {view.groupBy && findings.groups && (
          <GroupsList by={view.groupBy} groups={findings.groups} onPick={(group) => {
            const { groupBy: _grouped, ...rest } = view;
            setView({ ...rest, filter: view.groupBy === 'rule' ? { ...view.filter, rule: group.key } : { ...view.filter, path: group.key }, page: 1 });
          }} />
        )}
        {findings.status === 'loading' && <Spinner label="Loading findings…" />}
        {findings.status === 'error' && (
          <SectionMessage appearance="error" title="The findings could not be loaded">
            <p>{errorMessage(findings.error)}</p>
            <Button onClick={refresh}>Try again</Button>
          </SectionMessage>
        )}
        {findings.status === 'ready' && findings.items.length === 0 && (
          <p className="subtle">{noFindings ? 'No findings yet.' : isFiltered(view.filter) ? 'No findings match these filters.' : 'No findings on this page.'}</p>
        )}
        <BulkActions
          selection={selection}
          matching={matching}
          canSelectAll={allOnPage}
          onSelectAll={() => setSelection({ kind: 'all-matching', filter: view.filter, total: matching })}
          onClear={() => setSelection({ kind: 'some', items: new Map() })}
          onDone={() => { setSelection({ kind: 'some', items: new Map() }); refresh(); }}
        />
        {findings.status === 'ready' && findings.items.length > 0 && (
          <FindingsTable
            checked={checkedIds}
            onCheck={(id, on) => { const item = findings.items.find((candidate) => candidate.id === id); if (item) check(item, on); }}
            allChecked={allOnPage}
            onCheckAll={(on) => setSelection(on
              ? { kind: 'some', items: new Map(findings.items.map((item) => [item.id, item])) }
              : { kind: 'some', items: new Map() })}
            items={findings.items}
            selectedId={selectedId}
            onSelect={(id) => (selectedId === id ? closeDetail() : setSelectedId(id))}
            detail={
              selectedId !== undefined && (
                <FindingDetailPanel id={selectedId} who={who} onClose={closeDetail}
                  onChanged={(item) => { if (item) replaceItem(item); refresh(); }} />
              )
            }
          />
        )}
        {/* Shown whenever a page size can matter, so a list that fits one page of 100 can go back to 50. */}
        {findings.status === 'ready' && matching > pageSizes[0] && <Pager view={view} total={matching} onChange={setView} />}
      </Section>

      <PullRequestList state={pullRequests} onRetry={refresh} />
      <ScanList state={scans} onRetry={refresh} />
    </main>
  );
}
