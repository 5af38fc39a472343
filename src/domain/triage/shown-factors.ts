import type { NoiseCategory, TriageFactor } from '../finding';

/** What each category of a set-aside verdict means, in the words the pages, Code Insights and PRs use. */
export const categoryLabel: Record<NoiseCategory, string> = {
  test_code: 'test code',
  non_production: 'not production code',
  suppressed_in_code: 'suppressed in the code',
  not_security: 'no security impact here',
  defused: 'input made safe',
  policy: 'project policy',
};

/**
 * The factors to show beside a confidence, always adding up to it. Verdicts triaged since bases
 * were shown already do (their first factor is the base); older stored ones started from an
 * unstated 50 or an analyzer's base, so the difference is shown as the base they had. A person's
 * decision has no factors and shows none.
 */
export function shownFactors(confidence: number, factors: readonly TriageFactor[]): TriageFactor[] {
  if (factors.length === 0) return [];
  const sum = factors.reduce((total, factor) => total + factor.weight, 0);
  if (sum === confidence) return [...factors];
  return [{ id: 'base', weight: confidence - sum, detail: 'Base: the starting confidence of this verdict when it was triaged (not recorded separately then).' }, ...factors];
}
