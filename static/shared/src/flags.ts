import { showFlag } from '@forge/bridge';

export type FlagKind = 'success' | 'warning' | 'error' | 'info';

let sequence = 0;

/**
 * Tells the person what an action did, in the product's flag group (Forge `showFlag`): success,
 * partial success (warning) or refusal (error), with the reasons in words. Errors and warnings
 * stay until dismissed; a plain success closes itself. A bridge that cannot show flags leaves the
 * page's own message as the only report, so nothing here throws.
 */
export function flag(kind: FlagKind, title: string, description?: string, actions?: { text: string; onClick(): void }[]): void {
  sequence += 1;
  try {
    showFlag({
      id: `remediate-${Date.now()}-${sequence}`,
      type: kind,
      title,
      ...(description ? { description } : {}),
      ...(actions?.length ? { actions } : {}),
      isAutoDismiss: kind === 'success' || kind === 'info',
    });
  } catch {
    // The inline message on the page still says what happened.
  }
}
