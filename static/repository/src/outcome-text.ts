import type { CreatePullRequestResult, DecisionEvent, FindingItem } from '../../shared/src/api-types';
import { verdictLabel } from '../../shared/src/format';

/** Words for what happened and what can happen to a finding, kept apart from React so they can be unit-tested. */

/** The finding's title: the rule's name (short description) when the scanner gave one, else its message; the rule id is secondary. */
export function findingTitle(item: Pick<FindingItem, 'ruleName' | 'ruleId' | 'message'>): { title: string; subtitle?: string } {
  const name = item.ruleName?.trim();
  if (name && name !== item.ruleId) return { title: name, subtitle: item.message };
  return { title: item.message || item.ruleId };
}

/** The one line the list shows about the finding's fix: outcome first, then what can still be done. */
export function fixLine(item: Pick<FindingItem, 'fixOutcome' | 'fixAvailable' | 'fix' | 'fixDisabled' | 'fixDeclined' | 'status' | 'pullRequest'>): { text: string; tone: 'good' | 'bad' | 'neutral'; detail?: string } {
  if (item.fixDeclined) return { text: `Fix declined in review (#${item.fixDeclined.pullRequestId})`, tone: 'neutral', detail: 'Not proposed again. The finding stays open until someone dismisses it.' };
  // The workspace turned the fix off: that is what a person can act on, whatever the dry run made of it.
  if (item.fixDisabled && item.status === 'open') return { text: 'Fix turned off', tone: 'neutral', detail: `${item.fixDisabled.title} is turned off in the workspace settings` };
  const outcome = item.fixOutcome;
  if (outcome?.kind === 'fixed') return { text: `Fixed by ${outcome.title}`, tone: 'good' };
  if (outcome?.kind === 'not-fixed') {
    if (outcome.tried.length === 0) return { text: `Not fixed: ${outcome.reason}`, tone: 'bad' };
    const detail = outcome.tried.map((attempt) => `${attempt.title}: ${attempt.reason}`).join('\n');
    return { text: `Not fixed: ${outcome.tried.length === 1 ? outcome.tried[0]?.reason ?? outcome.reason : `${outcome.tried.length} fixes tried`}`, tone: 'bad', detail };
  }
  if (outcome?.kind === 'not-tried' && item.status === 'open') return { text: 'No automatic fix', tone: 'neutral', detail: outcome.reason };
  if (item.fix) return { text: `Fix: ${item.fix.title}`, tone: 'good' };
  if (item.fixAvailable) return { text: 'Fix available', tone: 'good' };
  return { text: 'No automatic fix', tone: 'neutral' };
}

export type Report = { kind: 'success' | 'warning' | 'error'; title: string; description: string };

/** What "open fix pull request(s)" did, never a success for nothing: refusals and partial results say why in words. */
export function pullRequestReport(result: CreatePullRequestResult, asked: number): Report {
  const opened = result.pullRequests.length;
  const notes = result.notes ?? [];
  const why = notes.join('\n');
  if (opened === 0) {
    return { kind: 'error', title: asked === 1 ? 'No pull request was opened' : `No pull request was opened for the ${asked} findings`, description: why || 'Remediate could not make a verified fix.' };
  }
  const title = opened === 1 ? 'Fix pull request opened' : `${opened} fix pull requests opened`;
  if (notes.length > 0) return { kind: 'warning', title: `${title}; some findings were left out`, description: why };
  return { kind: 'success', title, description: result.pullRequests.map((pr) => `#${pr.id}`).join(', ') };
}

/** One entry of a finding's history, for people: "Dismissed as false positive by acc-1 — why". */
export function historyLine(event: DecisionEvent, who: (accountId: string) => string = (id) => id): string {
  switch (event.action) {
    case 'dismissed':
      return `Dismissed${event.verdict ? ` as ${verdictLabel[event.verdict].toLowerCase()}` : ''} by ${who(event.by)}${event.reason ? `: “${event.reason}”` : ''}`;
    case 'dismissal-undone':
      return `Dismissal undone by ${who(event.by)}`;
    case 'fix-declined':
      return `Fix pull request #${event.pullRequestId ?? '?'} declined in review: the fix is not proposed again`;
  }
}
