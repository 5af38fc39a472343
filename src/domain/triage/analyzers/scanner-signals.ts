import type { TriageFactor } from '../../finding';
import type { AnalyzerInput } from './types';

/** CodeQL/Semgrep `precision` → points. "low" earns nothing: the scanner itself doubts it. */
const precisionPoints: Record<string, number> = { 'very-high': 30, high: 22, medium: 12, low: 0 };

/** How much the scanner's own metadata supports believing the finding. */
export function scannerPrecision({ finding }: AnalyzerInput): TriageFactor[] {
  const precision = finding.precision?.toLowerCase();
  if (!precision || !(precision in precisionPoints)) return [];
  return [{ id: 'precision', weight: precisionPoints[precision] ?? 0, detail: `The rule's precision is ${precision}.` }];
}

/** A rule its author rates 7+ describes a serious, usually well-understood flaw. */
export function securitySeverity({ finding }: AnalyzerInput): TriageFactor[] {
  if (finding.securitySeverity === undefined || finding.securitySeverity < 7) return [];
  return [{ id: 'security-severity', weight: 10, detail: `The rule's security-severity is ${finding.securitySeverity}.` }];
}

/** Independent scanners reporting the same place is the strongest outside evidence we have. */
export function agreement({ finding }: AnalyzerInput): TriageFactor[] {
  if (finding.tools.length < 2) return [];
  const names = finding.tools.map((tool) => tool.name).join(' and ');
  return [{ id: 'agreement', weight: 15, detail: `${finding.tools.length} scanners report it (${names}).` }];
}

/**
 * A verified deterministic fix makes acting on the finding cheap and its shape well known. A fix
 * the workspace turned off cannot be applied, so it earns nothing; the factor says so, so a
 * reviewer does not wonder why a fixable rule scores lower here than elsewhere.
 */
export function fixAvailable({ fixAvailable: available, fixTurnedOff }: AnalyzerInput): TriageFactor[] {
  if (available) return [{ id: 'fix-available', weight: 10, detail: 'A verified deterministic fix for this rule exists in the catalogue.' }];
  if (fixTurnedOff.length === 0) return [];
  const named = fixTurnedOff.join(', ');
  return [{ id: 'fix-turned-off', weight: 0, detail: `A fix for this rule exists in the catalogue (${named}) but the workspace turned it off, so it adds nothing.` }];
}
