import { severities, type Finding } from '../../domain/finding';
import { matchesAnyGlob } from '../../domain/glob';
import { createDefaultRegistry, type CodemodRegistry } from '../../domain/codemods/registry';
import { fixingCodemod } from '../../domain/codemods/fix-for';
import type { Codemod } from '../../domain/codemods/types';
import { remediationBranch } from '../../domain/pr/branch-name';
import type { Policy } from '../policy';

export interface FixGroup {
  codemod: Codemod;
  findings: Finding[];
  /** `remediate/<codemod>[/<key>]`: the dedupe key of the group's pull request. */
  branch: string;
  /** What the title names besides the codemod: the file (per-file) or `path:line` (per-finding). */
  scope?: string;
}

/** How many characters of a fingerprint name a per-finding branch: unique enough, short enough. */
const FINGERPRINT_KEY = 12;

/** The group a finding belongs to under the policy's `grouping`, keyed by its branch. */
export function groupOf(codemod: Codemod, finding: Finding, grouping: Policy['grouping'], prefix?: string): Omit<FixGroup, 'findings'> {
  const path = finding.location?.path;
  if (grouping === 'per-file' && path !== undefined) {
    return { codemod, branch: remediationBranch(codemod.id, path, prefix), scope: path };
  }
  if (grouping === 'per-finding') {
    return {
      codemod,
      branch: remediationBranch(codemod.id, finding.fingerprint.slice(0, FINGERPRINT_KEY), prefix),
      ...(path === undefined ? {} : { scope: `${path}:${finding.location?.startLine ?? 0}` }),
    };
  }
  return { codemod, branch: remediationBranch(codemod.id, undefined, prefix) };
}

/** Adds a finding to the group its branch names, creating the group on first use. */
export function addToGroup(groups: Map<string, FixGroup>, group: Omit<FixGroup, 'findings'>, finding: Finding): void {
  const existing = groups.get(group.branch) ?? { ...group, findings: [] };
  existing.findings.push(finding);
  groups.set(group.branch, existing);
}

/**
 * Whether the policy lets a scan fix this finding automatically: open (or carried by a PR), a true
 * positive at or above the thresholds, in a file no exclude names.
 */
export function policyAllowsFix(finding: Finding, policy: Pick<Policy, 'minSeverity' | 'minConfidence' | 'pathExcludes'>): boolean {
  if ((finding.status !== 'open' && finding.status !== 'fix_proposed') || finding.verdict !== 'true_positive' || !finding.location) return false;
  if (severities.indexOf(finding.severity) > severities.indexOf(policy.minSeverity) || finding.confidence < policy.minConfidence) return false;
  return !matchesAnyGlob(finding.location.path, policy.pathExcludes);
}

/**
 * Findings the policy allows an automatic fix for, grouped by the codemod that fixes them (the scan's
 * dry run chose it, trying every candidate) and
 * the policy's `grouping` (`per-codemod`, `per-file`, `per-finding`). Findings already carried by
 * a pull request (`fix_proposed`) stay in their group, so a scan can tell which findings an open
 * PR lacks; only `open` ones are ever fixed again.
 */
export function selectFixable(
  findings: readonly Finding[],
  policy: Policy,
  registry: CodemodRegistry = createDefaultRegistry(),
  /** A pull request's own fixes: `remediate/pr-{id}/` branches, for the findings it introduces only. */
  pullRequest?: { branchPrefix: string },
): FixGroup[] {
  const groups = new Map<string, FixGroup>();
  for (const finding of findings) {
    if (!policyAllowsFix(finding, policy)) continue;
    if (pullRequest && finding.introduced !== true) continue;
    // The codemod the scan's dry run verified on this finding's code, not merely the first mapped to its rule.
    const fix = fixingCodemod(finding, policy, registry);
    if (!('codemod' in fix)) continue;
    addToGroup(groups, groupOf(fix.codemod, finding, policy.grouping, pullRequest?.branchPrefix), finding);
  }
  return [...groups.values()];
}
