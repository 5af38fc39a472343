import type { Deps } from '../services/deps';
import { reconcilePullRequests, type ReconcileOptions, type ReconcileResult } from '../services/pull-requests/reconcile';

/**
 * The `reconcile-pull-requests` scheduled trigger (hourly). Forge calls it with
 * `({context: {cloudId, moduleKey}, contextToken}, context)`; nothing in either is needed. It
 * answers `{statusCode: 200}`, the shape the platform expects from a scheduled trigger. The local
 * host runs the same handler on a timer.
 */
export function makeReconcileHandler(getDeps: () => Promise<Deps>, options: ReconcileOptions = {}) {
  return async (_request?: unknown, _context?: unknown): Promise<{ statusCode: 200; result: ReconcileResult }> => {
    const deps = await getDeps();
    const result = await reconcilePullRequests(deps, options);
    return { statusCode: 200, result };
  };
}
