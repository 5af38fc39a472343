/**
 * "Which codemod fixes this finding" — the one answer every step uses (triage's fix factor, the
 * scan's fix groups, a person's "open fix pull request", the pages' "fix available").
 */
import { ruleIdsOf, type Finding, type NormalisedFinding } from '../finding';
import { createDefaultRegistry, type CodemodRegistry } from './registry';
import { refusalFor } from './refusals';
import type { Codemod } from './types';

export type FixAnswer =
  /** `codemod` is the first the workspace allows; `candidates` every allowed one, most specific first. `ruleId` is the finding's rule id the codemod was found by. */
  | { kind: 'codemod'; codemod: Codemod; ruleId: string; candidates: { codemod: Codemod; ruleId: string }[] }
  /** The catalogue has fixes, but the workspace turned every one of them off. */
  | { kind: 'turned-off'; codemods: Codemod[] }
  | { kind: 'none'; reason: string };

type FixableFinding = Pick<NormalisedFinding, 'ruleId' | 'cwes' | 'location' | 'reports' | 'tools'>;

/**
 * The codemods for a finding: those naming any of its rule ids (its own rule first, then every
 * other rule folded into it), else those sharing one of its CWEs; only for the file's language.
 * Codemods in `policy.disabledCodemods` are never offered.
 */
export function fixFor(
  finding: FixableFinding,
  policy: { disabledCodemods?: readonly string[] } | undefined,
  registry: CodemodRegistry = createDefaultRegistry(),
): FixAnswer {
  const path = finding.location?.path;
  if (path === undefined) return { kind: 'none', reason: 'the finding names no file of the repository' };
  const found: { codemod: Codemod; ruleId: string }[] = [];
  const seen = new Set<Codemod>();
  const ruleIds = ruleIdsOf(finding);
  for (const ruleId of ruleIds) {
    for (const codemod of registry.find({ ruleId, cwes: [], path })) {
      if (!seen.has(codemod)) found.push({ codemod, ruleId }), seen.add(codemod);
    }
  }
  if (found.length === 0) {
    for (const codemod of registry.find({ ruleId: finding.ruleId, cwes: finding.cwes, path })) {
      if (!seen.has(codemod)) found.push({ codemod, ruleId: finding.ruleId }), seen.add(codemod);
    }
  }
  if (found.length === 0) {
    // A rule the catalogue deliberately leaves alone says why (pickle, hard-coded secrets…).
    const refusal = ruleIds.map(refusalFor).find((reason) => reason !== undefined);
    if (refusal !== undefined) return { kind: 'none', reason: `no safe automatic fix: ${refusal}` };
    return { kind: 'none', reason: `no codemod handles ${ruleIds.length === 1 ? `rule ${finding.ruleId}` : `rules ${ruleIds.join(', ')}`}` };
  }
  const off = new Set(policy?.disabledCodemods ?? []);
  const candidates = found.filter(({ codemod }) => !off.has(codemod.id));
  const first = candidates[0];
  if (!first) return { kind: 'turned-off', codemods: found.map(({ codemod }) => codemod) };
  return { kind: 'codemod', codemod: first.codemod, ruleId: first.ruleId, candidates };
}

/**
 * The codemod that fixes a stored finding: the one the scan's dry run verified on its code (every
 * candidate tried, most specific first), unless the workspace turned it off since. A finding stored
 * before dry runs existed falls back to `fixFor`'s first candidate, which the fix step then tries.
 */
export function fixingCodemod(
  finding: FixableFinding & Pick<Finding, 'fixOutcome'>,
  policy: { disabledCodemods?: readonly string[] } | undefined,
  registry: CodemodRegistry = createDefaultRegistry(),
): { codemod: Codemod } | { reason: string } {
  const outcome = finding.fixOutcome;
  if (outcome === undefined) {
    const fix = fixFor(finding, policy, registry);
    if (fix.kind === 'codemod') return { codemod: fix.codemod };
    return { reason: fix.kind === 'none' ? fix.reason : `its fix (${fix.codemods.map((c) => c.id).join(', ')}) is turned off in the workspace's Remediate settings` };
  }
  if (outcome.kind !== 'fixed') return { reason: outcome.reason };
  if (policy?.disabledCodemods?.includes(outcome.codemodId)) return { reason: `its fix (${outcome.codemodId}) is turned off in the workspace's Remediate settings` };
  const codemod = registry.get(outcome.codemodId);
  return codemod ? { codemod } : { reason: `the codemod ${outcome.codemodId} that fixed it is no longer shipped` };
}
