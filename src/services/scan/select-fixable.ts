import { severities, type Finding } from '../../domain/finding';
import { matchesAnyGlob } from '../../domain/glob';
import { createDefaultRegistry } from '../../domain/codemods/registry';
import type { Codemod } from '../../domain/codemods/types';
import type { Policy } from '../policy';

export interface FixGroup {
  codemod: Codemod;
  findings: Finding[];
}

/** Findings the policy allows an automatic fix for, grouped by the codemod that answers them. */
export function selectFixable(findings: readonly Finding[], policy: Policy): FixGroup[] {
  const minRank = severities.indexOf(policy.minSeverity);
  const groups = new Map<string, FixGroup>();
  const codemods = createDefaultRegistry();
  for (const finding of findings) {
    if (finding.status !== 'open' || finding.verdict !== 'true_positive' || !finding.location) continue;
    if (severities.indexOf(finding.severity) > minRank || finding.confidence < policy.minConfidence) continue;
    if (matchesAnyGlob(finding.location.path, policy.pathExcludes)) continue;
    // The first codemod the workspace has not turned off (policy.disabledCodemods).
    const codemod = codemods.find({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path }).find((c) => !policy.disabledCodemods.includes(c.id));
    if (!codemod) continue;
    const group = groups.get(codemod.id) ?? { codemod, findings: [] };
    group.findings.push(finding);
    groups.set(codemod.id, group);
  }
  return [...groups.values()];
}
