import type { Finding, NormalisedFinding, TriageResult } from '../../domain/finding';
import { codeWindow } from '../../domain/triage/code-window';
import { triageFinding, type TriageContext } from '../../domain/triage/triage';
import { createDefaultRegistry } from '../../domain/codemods/registry';
import { FindingsRepository, type KnownFinding } from '../../storage/findings-repository';
import { slices, statementLimits } from '../../storage/sql-dialect';
import type { Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { getPolicy } from '../settings-service';
import type { Policy } from '../policy';
import { triageReadOrder, type CodeAccess, type SourceFiles, type TriageRead } from './source-files';

/** A person's decision on a fingerprint, as the repository keeps it. */
export interface HumanDecision {
  verdict: Finding['verdict'];
  reason: string;
}

/**
 * Folds a scan's normalised findings into the repository's findings: new ones are inserted,
 * known ones (same fingerprint) refreshed. Triage runs on each, but never overrides a person's
 * dismissal, and a finding with a proposed or merged fix keeps that status. `policy` defaults to
 * the workspace's stored policy (one settings read per scan).
 *
 * Works in slices of `statementLimits.maxRows` findings: one `IN (…)` read of the known ones,
 * multi-row upserts, and for new ones a read of the ids actually stored (another scan may have
 * stored the same fingerprint a moment earlier; its id wins). About a dozen statements per
 * 1,000 findings instead of two or three each, which matters under Forge SQL's request rate.
 */
export async function mergeFindings(
  deps: Deps,
  scan: Scan,
  normalised: readonly NormalisedFinding[],
  policy?: Pick<Policy, 'ignoreRules' | 'ignoreCwes'> & Partial<Pick<Policy, 'disabledCodemods'>>,
  code: CodeAccess = { unavailable: 'no repository access was given to triage' },
): Promise<Finding[]> {
  const repository = new FindingsRepository(deps.db);
  const { ignoreRules, ignoreCwes, disabledCodemods = [] } = policy ?? (await getPolicy(deps, scan.workspaceId));
  const now = deps.clock.now().toISOString();
  const merged: Finding[] = [];
  const codemods = createDefaultRegistry();
  const turnedOff = new Set(disabledCodemods);
  /** The catalogue's answers to a finding, split into those the workspace allows and those it turned off. */
  const fixesFor = (item: NormalisedFinding): { enabled: number; off: string[] } => {
    const found = item.location ? codemods.find({ ruleId: item.ruleId, cwes: item.cwes, path: item.location.path }) : [];
    const off = found.filter((codemod) => turnedOff.has(codemod.id)).map((codemod) => codemod.id);
    return { enabled: found.length - off.length, off };
  };
  // A turned-off codemod is no fix: it earns no triage confidence and does not move a file up the read order.
  const fixable = (item: NormalisedFinding): boolean => fixesFor(item).enabled > 0;
  const fixContext = (item: NormalisedFinding): Pick<TriageContext, 'fixAvailable' | 'fixTurnedOff'> => {
    const { enabled, off } = fixesFor(item);
    return enabled > 0 ? { fixAvailable: true } : { fixAvailable: false, fixTurnedOff: off };
  };
  const reads = 'sources' in code ? await readForTriage(code.sources, triageReadOrder(normalised, fixable)) : new Map<string, TriageRead>();
  const splitFiles = new Map<string, string[]>();
  const codeFor = (item: NormalisedFinding): Pick<TriageContext, 'code' | 'codeStartLine' | 'codeNotRead'> => {
    if (!item.location) return {};
    if ('unavailable' in code) return { codeNotRead: code.unavailable };
    const read = reads.get(item.location.path);
    if (!read) return { codeNotRead: 'its path alone decides the verdict' };
    if ('notRead' in read) return { codeNotRead: read.notRead };
    let lines = splitFiles.get(item.location.path);
    if (!lines) splitFiles.set(item.location.path, (lines = read.content.split('\n')));
    return codeWindow(lines, item.location.startLine, item.location.endLine) ?? { codeNotRead: `line ${item.location.startLine} is beyond the end of the file` };
  };
  /** What this merge already wrote, so a fingerprint repeated in one upload folds into one row. */
  const written = new Map<string, KnownFinding>();
  for (const slice of slices(normalised, statementLimits.maxRows)) {
    const stored = await repository.findByFingerprints(
      scan.repoUuid,
      slice.map((item) => item.fingerprint).filter((fingerprint) => !written.has(fingerprint)),
    );
    const batch = new Map<string, KnownFinding & { isNew: boolean }>();
    const folded: Finding[] = [];
    for (const item of slice) {
      const known = batch.get(item.fingerprint) ?? written.get(item.fingerprint) ?? stored.get(item.fingerprint);
      // A retried or continued job of the same scan keeps the triage its first run made (which may
      // rest on code read then); a new scan triages afresh.
      const triage = known && known.finding.lastSeenScanId === scan.id && known.finding.factors.length > 0
        ? { verdict: known.finding.verdict, confidence: known.finding.confidence, justification: known.finding.justification, factors: known.finding.factors }
        : triageFinding(item, { ...fixContext(item), ignoreRules, ignoreCwes, ...codeFor(item) });
      const finding = foldFinding({ item, triage, scan, now, newId: () => deps.ids.newId(), previous: known?.finding, humanDecision: known?.humanDecision });
      const isNew = batch.get(item.fingerprint)?.isNew ?? (!written.has(item.fingerprint) && !stored.has(item.fingerprint));
      batch.set(item.fingerprint, { finding, ...(known?.humanDecision ? { humanDecision: known.humanDecision } : {}), isNew });
      folded.push(finding);
    }
    await repository.upsertMany([...batch.values()]);
    const inserted = [...batch.values()].filter((entry) => entry.isNew).map((entry) => entry.finding.fingerprint);
    const storedIds = inserted.length > 0 ? await repository.idsByFingerprints(scan.repoUuid, inserted) : new Map<string, string>();
    const withStoredId = (finding: Finding): Finding => {
      const id = storedIds.get(finding.fingerprint);
      return id && id !== finding.id ? { ...finding, id } : finding;
    };
    for (const [fingerprint, entry] of batch) {
      written.set(fingerprint, { finding: withStoredId(entry.finding), ...(entry.humanDecision ? { humanDecision: entry.humanDecision } : {}) });
    }
    merged.push(...folded.map(withStoredId));
  }
  return merged;
}

/** Reads the files in priority order, a few at a time; the cache caps and budgets the reads. */
async function readForTriage(sources: SourceFiles, paths: readonly string[]): Promise<Map<string, TriageRead>> {
  const reads = new Map<string, TriageRead>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next] ?? '';
      next += 1;
      reads.set(path, await sources.readForTriage(path));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return reads;
}

/**
 * The stored finding after this scan, decided without I/O so the rules are testable alone:
 * a person's decision always wins over triage (verdict, reason, confidence 100); a suppressed
 * result of an open finding becomes `suppressed`; fix and pull request survive re-triage.
 */
export function foldFinding(input: {
  item: NormalisedFinding;
  triage: TriageResult;
  scan: Pick<Scan, 'id' | 'workspaceId' | 'repoUuid' | 'commit'>;
  now: string;
  newId: () => string;
  previous?: Finding;
  humanDecision?: HumanDecision;
}): Finding {
  const { item, triage, scan, now, previous, humanDecision: decided } = input;
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
  if (!previous) {
    return { ...base, id: input.newId(), status: item.suppression ? 'suppressed' : 'open', firstSeenScanId: scan.id, createdAt: now };
  }
  return {
    ...base,
    id: previous.id,
    firstSeenScanId: previous.firstSeenScanId,
    createdAt: previous.createdAt,
    status: decided ? 'dismissed' : previous.status === 'open' && item.suppression ? 'suppressed' : previous.status,
    ...(decided ? { verdict: decided.verdict, justification: `Dismissed by a person: ${decided.reason}`, confidence: 100, factors: [] } : {}),
    ...(previous.fix ? { fix: previous.fix } : {}),
    ...(previous.pullRequest ? { pullRequest: previous.pullRequest } : {}),
  };
}
