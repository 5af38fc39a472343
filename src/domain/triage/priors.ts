import type { Family } from './families';

/**
 * How often a finding of each weakness family that no decisive analyzer set aside was a real
 * vulnerability in the labelled sets: `real` of `seen`, counted by `npm run learn:priors`
 * (scripts/learn-priors.ts) over the in-sample fixtures, holdout and holdout-2 — never over the
 * corpus or the held-aside set, which measure the result. Regenerate after changing an analyzer;
 * `test/triage-priors.test.ts` fails while this table and the script disagree.
 */
export const priorCounts: Record<Family, { real: number; seen: number }> = {
  injection: { real: 85, seen: 89 },
  deserialisation: { real: 8, seen: 8 },
  crypto: { real: 6, seen: 6 },
  randomness: { real: 6, seen: 7 },
  secrets: { real: 12, seen: 12 },
  transport: { real: 2, seen: 2 },
  configuration: { real: 29, seen: 29 },
  'dom-sinks': { real: 10, seen: 11 },
  'code-quality': { real: 11, seen: 13 },
};

/**
 * The prior in points: the share of real findings with one real and one false pseudo-count added
 * (so a family seen twice does not jump to 100 or 0), kept between 30 and 90 so the scanner's own
 * signals and the code evidence still move it.
 */
export function priorOf(counts: { real: number; seen: number }): number {
  const share = (counts.real + 1) / (counts.seen + 2);
  return Math.max(30, Math.min(90, Math.round(share * 100)));
}
