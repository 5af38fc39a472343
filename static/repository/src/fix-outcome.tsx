import type { FixOutcomeView } from '../../shared/src/api-types';

/**
 * What the scan's dry run made of a finding, in words: a fix verified on its code, or why there is
 * none (each fix tried with its reason, or why none was tried).
 */
export function fixOutcomeSummary(outcome: FixOutcomeView): { title: string; detail: string; tried: { title: string; reason: string }[] } {
  if (outcome.kind === 'fixed') return { title: 'A verified fix is available', detail: `${outcome.title}: ${outcome.description}`, tried: [] };
  if (outcome.kind === 'not-tried') return { title: 'No automatic fix was tried', detail: outcome.reason, tried: [] };
  return {
    title: 'No automatic fix',
    detail: outcome.tried.length > 1 ? `${outcome.tried.length} fixes were tried on this code; none applies.` : outcome.reason,
    tried: outcome.tried.length > 1 ? outcome.tried.map((t) => ({ title: t.title, reason: t.reason })) : [],
  };
}

/** The detail panel's "Fix" section for a finding with no fix made and no pull request. */
export function FixOutcomeSection({ outcome }: { outcome: FixOutcomeView }) {
  const summary = fixOutcomeSummary(outcome);
  return (
    <>
      <h3>{summary.title}</h3>
      <p data-testid="fix-outcome">{summary.detail}</p>
      {summary.tried.length > 0 && (
        <ul className="factors" data-testid="fix-tried">
          {summary.tried.map((t) => <li key={t.title}><strong>{t.title}</strong>: {t.reason}</li>)}
        </ul>
      )}
    </>
  );
}
