import type { Finding, NormalisedFinding } from '../../domain/finding';
import { triageFinding } from '../../domain/triage/triage';
import { findCodemods } from '../../domain/codemods/registry';
import { FindingsRepository } from '../../storage/findings-repository';
import type { Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';

/**
 * Folds a scan's normalised findings into the repository's findings: new ones are inserted,
 * known ones (same fingerprint) refreshed. Triage runs on each, but never overrides a person's
 * dismissal, and a finding with a proposed or merged fix keeps that status.
 */
export async function mergeFindings(deps: Deps, scan: Scan, normalised: readonly NormalisedFinding[]): Promise<Finding[]> {
  const repository = new FindingsRepository(deps.db);
  const now = deps.clock.now().toISOString();
  const merged: Finding[] = [];
  for (const item of normalised) {
    const fixAvailable = item.location
      ? findCodemods({ ruleId: item.ruleId, cwes: item.cwes, path: item.location.path }).length > 0
      : false;
    const triage = triageFinding(item, { fixAvailable });
    const known = await repository.getByFingerprint(scan.repoUuid, item.fingerprint);
    const base = {
      ...item,
      workspaceId: scan.workspaceId,
      repoUuid: scan.repoUuid,
      commit: scan.commit,
      verdict: triage.verdict,
      confidence: triage.confidence,
      justification: triage.justification,
      factors: triage.factors,
      lastSeenScanId: scan.id,
      updatedAt: now,
    };
    if (!known) {
      const finding: Finding = {
        ...base,
        id: deps.ids.newId(),
        status: item.suppression ? 'suppressed' : 'open',
        firstSeenScanId: scan.id,
        createdAt: now,
      };
      await repository.insert(finding);
      merged.push(finding);
      continue;
    }
    const previous = known.finding;
    const decided = known.humanDecision;
    const finding: Finding = {
      ...base,
      id: previous.id,
      firstSeenScanId: previous.firstSeenScanId,
      createdAt: previous.createdAt,
      status: decided ? 'dismissed' : previous.status === 'open' && item.suppression ? 'suppressed' : previous.status,
      ...(decided
        ? { verdict: decided.verdict, justification: `Dismissed by a person: ${decided.reason}`, confidence: 100, factors: [] }
        : {}),
      ...(previous.fix ? { fix: previous.fix } : {}),
      ...(previous.pullRequest ? { pullRequest: previous.pullRequest } : {}),
    };
    await repository.update(finding);
    merged.push(finding);
  }
  return merged;
}
