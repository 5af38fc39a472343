import { view } from '@forge/bridge';
import { useCallback, useEffect, useRef, useState } from 'react';

interface RouteLocation {
  search: string;
}
interface RouteHistory {
  location: RouteLocation;
  push(path: string): void;
  replace(path: string): void;
  listen(listener: (location: RouteLocation) => void): () => void;
}

/**
 * The page's view state (filters, sort, page…) as query parameters of the app's route, through
 * the bridge's history (`view.createHistory`), so a reload or a shared link shows the same list.
 * Where the product offers no history (Bitbucket Cloud did not when this was written), the state
 * lives in memory only and the page works the same.
 */
export function useRouteState(): [URLSearchParams, (next: URLSearchParams, mode?: 'push' | 'replace') => void, boolean] {
  const [params, setParams] = useState(() => new URLSearchParams());
  const [ready, setReady] = useState(false);
  const history = useRef<RouteHistory>();
  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | undefined;
    view.createHistory().then(
      (created) => {
        if (!live) return;
        const routed = created as unknown as RouteHistory;
        if (typeof routed?.push !== 'function' || typeof routed.listen !== 'function') {
          setReady(true);
          return;
        }
        history.current = routed;
        setParams(new URLSearchParams(routed.location?.search ?? ''));
        unlisten = routed.listen((location) => setParams(new URLSearchParams(location.search)));
        setReady(true);
      },
      () => live && setReady(true),
    );
    return () => {
      live = false;
      unlisten?.();
    };
  }, []);
  const update = useCallback((next: URLSearchParams, mode: 'push' | 'replace' = 'push') => {
    const search = next.toString();
    if (history.current) history.current[mode](`/${search ? `?${search}` : ''}`);
    else setParams(new URLSearchParams(search));
  }, []);
  return [params, update, ready];
}
