import { useCallback, useEffect, useRef, useState } from 'react';
import type { FindingCounts, FindingGroup, FindingItem } from '../../shared/src/api-types';
import { call } from '../../shared/src/resolver';
import { isFiltered, type ViewState } from './view-state';

export interface FindingsState {
  status: 'loading' | 'ready' | 'error';
  items: FindingItem[];
  /** Repository-wide counts: the summary. */
  counts?: FindingCounts;
  /** Counts of what the filter matches. */
  filteredCounts?: FindingCounts;
  groups?: FindingGroup[];
  error?: unknown;
  /** A refresh in the background (live updates) is running; the rows stay on screen. */
  refreshing: boolean;
}

/**
 * One numbered page of the filtered findings. A change of view loads with a spinner; `refresh()`
 * (after an action, or when a scan finishes) reloads the same page in place, so the rows, the
 * counts and the summary follow without the list jumping.
 */
export function useFindings(view: ViewState, enabled = true) {
  const [state, setState] = useState<FindingsState>({ status: 'loading', items: [], refreshing: false });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(view);
  const shownKey = useRef<string>();

  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    const background = shownKey.current === key;
    setState((previous) => (background ? { ...previous, refreshing: true } : { ...previous, status: 'loading', refreshing: false }));
    call('listFindings', {
      ...(isFiltered(view.filter) ? { filter: view.filter } : {}),
      ...(view.sort === 'severity' ? {} : { sort: view.sort }),
      limit: view.pageSize,
      ...(view.page > 1 ? { offset: (view.page - 1) * view.pageSize } : {}),
      ...(view.groupBy ? { groupBy: view.groupBy } : {}),
    }).then(
      (page) => {
        if (!live) return;
        shownKey.current = key;
        setState({
          status: 'ready',
          items: page.items,
          counts: page.counts,
          filteredCounts: page.filteredCounts ?? page.counts,
          ...(page.groups ? { groups: page.groups } : {}),
          refreshing: false,
        });
      },
      (error: unknown) => live && setState((previous) => (background ? { ...previous, refreshing: false } : { ...previous, status: 'error', error, refreshing: false })),
    );
    return () => {
      live = false;
    };
    // `key` stands for `view`: a new object with the same values must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation, enabled]);

  const refresh = useCallback(() => setGeneration((n) => n + 1), []);
  const replaceItem = useCallback((item: FindingItem) => {
    setState((previous) => ({ ...previous, items: previous.items.map((existing) => (existing.id === item.id ? item : existing)) }));
  }, []);
  return { state, refresh, replaceItem };
}
