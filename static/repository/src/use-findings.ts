import { useCallback, useEffect, useState } from 'react';
import type { FindingCounts, FindingFilter, FindingItem, FindingSort } from '../../shared/src/api-types';
import { call } from '../../shared/src/resolver';

export interface FindingsState {
  status: 'loading' | 'ready' | 'error';
  items: FindingItem[];
  nextCursor?: string;
  /** Repository-wide counts from the latest page: the summary. */
  counts?: FindingCounts;
  /** Counts of what the filter matches. */
  filteredCounts?: FindingCounts;
  error?: unknown;
  loadingMore: boolean;
  loadMoreError?: unknown;
}

const isEmptyFilter = (filter: FindingFilter): boolean => Object.values(filter).every((value) => value === undefined);

/** The listFindings payload for a filter and sort, leaving out what the resolver defaults to. */
const listPayload = (filter: FindingFilter, sort: FindingSort) => ({
  ...(isEmptyFilter(filter) ? {} : { filter }),
  ...(sort === 'severity' ? {} : { sort }),
});

/** One filtered, paged list of findings; changing the filter starts again from the first page. */
export function useFindings(filter: FindingFilter, sort: FindingSort, generation: number) {
  const [state, setState] = useState<FindingsState>({ status: 'loading', items: [], loadingMore: false });
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, status: 'loading', loadingMore: false, loadMoreError: undefined }));
    call('listFindings', listPayload(filter, sort)).then(
      (page) =>
        live &&
        setState((previous) => ({
          status: 'ready',
          items: page.items,
          nextCursor: page.nextCursor,
          counts: page.counts,
          filteredCounts: page.filteredCounts ?? page.counts,
          loadingMore: false,
        })),
      (error: unknown) => live && setState((previous) => ({ ...previous, status: 'error', error, loadingMore: false })),
    );
    return () => {
      live = false;
    };
    // filterKey stands for filter: a new object with the same values must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey, sort, generation]);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (cursor === undefined || state.loadingMore) return;
    setState((previous) => ({ ...previous, loadingMore: true, loadMoreError: undefined }));
    try {
      const page = await call('listFindings', { ...listPayload(filter, sort), cursor });
      setState((previous) => ({
        ...previous,
        items: [...previous.items, ...page.items.filter((item) => !previous.items.some((seen) => seen.id === item.id))],
        nextCursor: page.nextCursor,
        loadingMore: false,
      }));
    } catch (error) {
      setState((previous) => ({ ...previous, loadingMore: false, loadMoreError: error }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.nextCursor, state.loadingMore, filterKey, sort]);

  const replaceItem = useCallback((item: FindingItem) => {
    setState((previous) => ({
      ...previous,
      items: previous.items.map((existing) => (existing.id === item.id ? item : existing)),
    }));
  }, []);

  return { state, loadMore, replaceItem };
}
