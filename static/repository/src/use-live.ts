import { useEffect, useRef, useState } from 'react';
import type { PullRequestItem, ScanItem } from '../../shared/src/api-types';
import { call } from '../../shared/src/resolver';
import type { AsyncState } from '../../shared/src/use-async';
import { idleDelay, isRunning, nextDelay } from './live-timing';

export { isRunning } from './live-timing';

/** What of the scans and pull requests changes the rest of the page: a new scan, status, counts, PR or PR state. */
const signature = (scans: readonly ScanItem[], pullRequests: readonly PullRequestItem[]): string =>
  scans.map((scan) => `${scan.id}:${scan.status}:${scan.counts.findings}:${scan.pullRequests?.length ?? 0}`).join('|')
  + '#' + pullRequests.map((pr) => `${pr.id}:${pr.state}`).join('|');

export interface LiveState {
  scans: AsyncState<{ items: ScanItem[] }>;
  pullRequests: AsyncState<{ items: PullRequestItem[] }>;
}

/**
 * The repository's scans and fix pull requests, kept live: polled with backoff while a scan is
 * queued or processing and slowly otherwise (never while the page is hidden). `onChange` runs
 * when either moved on (a scan finished, a PR was merged or declined), so the findings, counts
 * and summary are read again without a reload. `generation` polls at once (after an action).
 */
export function useLive(onChange: () => void, generation: number): LiveState {
  const [state, setState] = useState<LiveState>({ scans: { status: 'loading' }, pullRequests: { status: 'loading' } });
  const seen = useRef<string>();
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy: number | undefined;
    const poll = async () => {
      if (!live) return;
      if (typeof document !== 'undefined' && document.hidden) {
        timer = setTimeout(() => void poll(), idleDelay);
        return;
      }
      let running = false;
      try {
        const [scans, pullRequests] = await Promise.all([call('listScans', {}), call('listPullRequests', {})]);
        if (!live) return;
        const next = signature(scans.items, pullRequests.items);
        if (seen.current !== undefined && next !== seen.current) changed.current();
        seen.current = next;
        running = scans.items.some(isRunning);
        setState({ scans: { status: 'ready', data: scans }, pullRequests: { status: 'ready', data: pullRequests } });
      } catch (error) {
        if (!live) return;
        setState((previous) => ({
          scans: previous.scans.status === 'ready' ? previous.scans : { status: 'error', error },
          pullRequests: previous.pullRequests.status === 'ready' ? previous.pullRequests : { status: 'error', error },
        }));
      }
      const wait = nextDelay(busy, running);
      busy = running ? wait : undefined;
      timer = setTimeout(() => void poll(), wait);
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [generation]);
  return state;
}
