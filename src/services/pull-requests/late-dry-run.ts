/**
 * The fix dry run for findings whose file triage left unread (its per-scan cap or the request
 * budget): before a scan chooses its fix groups, and when a person asks for a fix, their files are
 * read (through the job's cache) and every codemod offered is tried on them, as the scan's dry run
 * does for the files triage read. Outcomes are stored, so a continued job does not repeat them.
 */
import type { BitbucketClient } from '../../bitbucket/types';
import type { CodemodRegistry } from '../../domain/codemods/registry';
import type { Finding } from '../../domain/finding';
import type { FindingsRepository } from '../../storage/findings-repository';
import { dryRunFixes } from '../scan/dry-run-fixes';
import type { SourceFiles, TriageRead } from '../scan/source-files';

/** Whether a finding still waits for its dry run: never tried, or deferred by triage's cap or budget. */
export const awaitsDryRun = (finding: Finding): boolean =>
  finding.fixOutcome === undefined || (finding.fixOutcome.kind === 'not-tried' && finding.fixOutcome.deferred === true);

export interface LateDryRunInput {
  client: Pick<BitbucketClient, 'canAfford'>;
  sources: SourceFiles;
  findings: readonly Finding[];
  /** Those worth trying now (the policy would fix them, or a person asked). */
  wanted: (finding: Finding) => boolean;
  policy: { disabledCodemods?: readonly string[] };
  registry: CodemodRegistry;
  store: Pick<FindingsRepository, 'update'>;
  /** The scanned commit the files are read at. */
  commit: string;
}

/**
 * The findings with the dry run done for the wanted ones that awaited it, file by file, while the
 * request budget allows one more read; `complete` is false when some still wait (the caller
 * continues in a new job).
 */
export async function completeDryRuns(input: LateDryRunInput): Promise<{ findings: Finding[]; complete: boolean }> {
  const { client, sources, findings, wanted, policy, registry, store, commit } = input;
  const waiting = findings.filter((finding) => finding.location && awaitsDryRun(finding) && wanted(finding));
  if (waiting.length === 0) return { findings: [...findings], complete: true };
  const byPath = new Map<string, Finding[]>();
  for (const finding of waiting) byPath.set(finding.location!.path, [...(byPath.get(finding.location!.path) ?? []), finding]);
  const updated = new Map<string, Finding>();
  let complete = true;
  for (const [path, onPath] of byPath) {
    if (!client.canAfford(1)) {
      complete = false;
      break;
    }
    const content = await sources.read(path);
    const read: TriageRead = content === undefined ? { notRead: `${path} does not exist at the scanned commit` } : { content };
    const outcomes = await dryRunFixes({ findings: onPath, reads: new Map([[path, read]]), code: { sources }, commit, policy, registry });
    for (const finding of onPath) {
      const fixOutcome = outcomes.get(finding);
      if (!fixOutcome) continue;
      const next: Finding = { ...finding, fixOutcome };
      await store.update(next);
      updated.set(finding.id, next);
    }
  }
  return { findings: findings.map((finding) => updated.get(finding.id) ?? finding), complete };
}
