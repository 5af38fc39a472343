import assert from 'node:assert/strict';
import type { NormalisedFinding, TriageResult } from '../../src/domain/finding';
import { codeWindow } from '../../src/domain/triage/code-window';
import type { RepositoryFacts } from '../../src/domain/triage/repository-facts';
import { triageFinding } from '../../src/domain/triage/triage';

/**
 * Triages `finding` placed on the first line of `file` that holds `marker`, with the code around it
 * read as the scan job reads it (and the repository's facts when given).
 */
export function triageMarked(finding: Omit<NormalisedFinding, 'location'>, path: string, file: string, marker: string, repository?: RepositoryFacts): TriageResult {
  const index = file.split('\n').findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, `marker ${marker} not in the file`);
  const window = codeWindow(file, index + 1);
  assert.ok(window, `no code window at line ${index + 1}`);
  return triageFinding({ ...finding, location: { path, startLine: index + 1 } }, { fixAvailable: false, ...window, ...(repository ? { repository } : {}) });
}

/** A finding of one tool's rule, as the normaliser makes it, without its place. */
export const ruleFinding = (ruleId: string, tool: string, cwes: readonly string[] = [], severity: NormalisedFinding['severity'] = 'high'): Omit<NormalisedFinding, 'location'> => ({
  fingerprint: `fp-${tool}-${ruleId}`,
  ruleId,
  tools: [{ name: tool }],
  severity,
  cwes: [...cwes],
  message: ruleId,
});
