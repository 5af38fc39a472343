import type { Finding, FindingFixOutcome, NormalisedFinding, TriageResult } from '../../domain/finding';
import { codeWindow } from '../../domain/triage/code-window';
import { triageFinding, type TriageContext } from '../../domain/triage/triage';
import { createDefaultRegistry, type CodemodRegistry } from '../../domain/codemods/registry';
import { fixFor } from '../../domain/codemods/fix-for';
import { foldFinding, withEarlierReporters } from '../../domain/pr/finding-lifecycle';
import { samePlaceAndWeakness } from '../../domain/sarif/dedupe';
import { FindingsRepository, type KnownFinding } from '../../storage/findings-repository';
import { slices, statementLimits } from '../../storage/sql-dialect';
import type { Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { getPolicy } from '../settings-service';
import type { Policy } from '../policy';
import { dryRunFixes } from './dry-run-fixes';
import { triageReadOrder, type CodeAccess, type SourceFiles, type TriageRead } from './source-files';
import type { RepositoryFacts } from '../../domain/triage/repository-facts';

export type { HumanDecision } from '../../domain/pr/finding-lifecycle';
export { foldFinding } from '../../domain/pr/finding-lifecycle';

/**
 * Folds a scan's normalised findings into the repository's findings: new ones are inserted,
 * known ones refreshed. A result is known by its fingerprint, by an alias (a fingerprint folded
 * into a stored finding earlier), or — for a result another scanner or rule reports at the place
 * of a stored finding, with the same weakness — by that place; it then joins the stored finding,
 * whose fingerprint and id never change. Triage runs on each, but never overrides a person's
 * dismissal, and a finding with a proposed or merged fix keeps that status. `policy` defaults to
 * the workspace's stored policy (the scan job passes its own).
 *
 * Works in slices of `statementLimits.maxRows` findings: one `IN (…)` read of the known ones (and of
 * aliases, and of the files of results still unknown), multi-row upserts, and for new ones a read
 * of the ids actually stored (another scan may have stored the same fingerprint a moment earlier;
 * its id wins). About a dozen statements per 1,000 findings.
 */
export async function mergeFindings(
  deps: Deps,
  scan: Scan,
  normalised: readonly NormalisedFinding[],
  policy?: Pick<Policy, 'ignoreRules' | 'ignoreCwes'> & Partial<Pick<Policy, 'disabledCodemods'>>,
  code: CodeAccess = { unavailable: 'no repository access was given to triage' },
  options: {
    registry?: CodemodRegistry;
    /** A pull request's scan: its findings (already in the PR's scope) meet only that PR's stored findings. */
    prScope?: number;
    /** What the repository's manifests say ships, given the files triage read (the scan job's `repositoryFacts`). */
    repositoryFacts?: (read: ReadonlyMap<string, string>) => Promise<RepositoryFacts | undefined>;
  } = {},
): Promise<Finding[]> {
  const registry = options.registry ?? createDefaultRegistry();
  const prScope = options.prScope;
  const repository = new FindingsRepository(deps.db);
  const { ignoreRules, ignoreCwes, disabledCodemods = [] } = policy ?? (await getPolicy(deps, scan.workspaceId));
  const now = deps.clock.now().toISOString();
  /** Every finding this merge wrote, by stored fingerprint, in the order first written. */
  const merged = new Map<string, Finding>();
  // A turned-off codemod is no fix: it does not move a file up the read order.
  const fixable = (item: NormalisedFinding): boolean => fixFor(item, { disabledCodemods }, registry).kind === 'codemod';
  const reads = 'sources' in code ? await readForTriage(code.sources, triageReadOrder(normalised, fixable)) : new Map<string, TriageRead>();
  const readText = new Map([...reads].flatMap(([path, read]) => ('content' in read ? [[path, read.content] as const] : [])));
  const facts = await options.repositoryFacts?.(readText);
  // "Fix available" is the dry run's answer on the code just read, never a rule-id or CWE lookup.
  const dryRun = await dryRunFixes({ findings: normalised, reads, code, commit: scan.commit, policy: { disabledCodemods }, registry });
  const fixContext = (item: NormalisedFinding, outcome: FindingFixOutcome | undefined): Pick<TriageContext, 'fixAvailable' | 'fixTurnedOff'> => {
    if (outcome?.kind === 'fixed' && !disabledCodemods.includes(outcome.codemodId)) return { fixAvailable: true };
    const fix = fixFor(item, { disabledCodemods }, registry);
    return { fixAvailable: false, fixTurnedOff: fix.kind === 'turned-off' ? fix.codemods.map((c) => c.id) : [] };
  };
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
  /** What this merge already wrote, by stored fingerprint, so results landing on one finding fold into one row. */
  const written = new Map<string, KnownFinding>();
  for (const slice of slices(normalised, statementLimits.maxRows)) {
    const stored = await storedMatches(repository, scan, slice, written, registry, prScope);
    const batch = new Map<string, KnownFinding & { isNew: boolean }>();
    const folded = new Map<string, Finding>();
    const aliases: { alias: string; fingerprint: string }[] = [];
    for (const item of slice) {
      const match = stored.get(item);
      const key = match?.finding.fingerprint ?? item.fingerprint;
      const known = batch.get(key) ?? written.get(key) ?? match;
      // A retried or continued job of the same scan keeps the triage and the dry run its first run
      // made (which rest on code read then); a new scan triages and tries the fixes afresh.
      const sameScan = known !== undefined && known.finding.lastSeenScanId === scan.id;
      // Several results landing on one finding: a verified fix for any of them is the finding's.
      const kept = sameScan ? known.finding.fixOutcome : undefined;
      const tried = dryRun.get(item);
      const fixOutcome = kept === undefined || (kept.kind !== 'fixed' && tried?.kind === 'fixed') ? tried ?? kept : kept;
      // Triage judges everything known of the finding at this commit: another upload of the same
      // commit may have reported it already, with other rules and evidence.
      const seen = known ? withEarlierReporters(item, known.finding, known.finding.commit === scan.commit) : item;
      const triage: TriageResult = sameScan && known.finding.factors.length > 0
        ? { verdict: known.finding.verdict, confidence: known.finding.confidence, justification: known.finding.justification, factors: known.finding.factors, ...(known.finding.category ? { category: known.finding.category } : {}) }
        : triageFinding(seen, { ...fixContext(seen, fixOutcome), ignoreRules, ignoreCwes, ...codeFor(seen), ...(facts ? { repository: facts } : {}) });
      const sighted = foldFinding({ item, triage, scan, now, newId: () => deps.ids.newId(), previous: known?.finding, humanDecision: known?.humanDecision });
      const finding: Finding = fixOutcome ? { ...sighted, fixOutcome } : sighted;
      const isNew = batch.get(key)?.isNew ?? (!written.has(key) && match === undefined);
      batch.set(key, { finding, ...(known?.humanDecision ? { humanDecision: known.humanDecision } : {}), isNew });
      folded.set(key, finding);
      const before = new Set(known?.finding.aliases ?? []);
      for (const alias of finding.aliases ?? []) if (!before.has(alias)) aliases.push({ alias, fingerprint: finding.fingerprint });
    }
    await repository.upsertMany([...batch.values()]);
    if (aliases.length > 0) await repository.saveAliases(scan.repoUuid, aliases);
    const inserted = [...batch.values()].filter((entry) => entry.isNew).map((entry) => entry.finding.fingerprint);
    const storedIds = inserted.length > 0 ? await repository.idsByFingerprints(scan.repoUuid, inserted) : new Map<string, string>();
    const withStoredId = (finding: Finding): Finding => {
      const id = storedIds.get(finding.fingerprint);
      return id && id !== finding.id ? { ...finding, id } : finding;
    };
    for (const [fingerprint, entry] of batch) {
      written.set(fingerprint, { finding: withStoredId(entry.finding), ...(entry.humanDecision ? { humanDecision: entry.humanDecision } : {}) });
    }
    for (const [fingerprint, finding] of folded) merged.set(fingerprint, withStoredId(finding));
  }
  return [...merged.values()];
}

/**
 * The stored finding each result of a slice lands on: by fingerprint, then by alias, then — for a
 * result still unknown — a stored finding at the same place with the same weakness that no rule of
 * the result reported already. Findings this merge wrote in earlier slices count as stored.
 */
async function storedMatches(
  repository: FindingsRepository,
  scan: Pick<Scan, 'id' | 'repoUuid'>,
  slice: readonly NormalisedFinding[],
  written: ReadonlyMap<string, KnownFinding>,
  registry: CodemodRegistry,
  prScope: number | undefined,
): Promise<Map<NormalisedFinding, KnownFinding>> {
  const matches = new Map<NormalisedFinding, KnownFinding>();
  const fingerprintsOf = (item: NormalisedFinding): string[] => [item.fingerprint, ...(item.aliases ?? [])];
  const wanted = slice.flatMap(fingerprintsOf).filter((fingerprint) => !written.has(fingerprint));
  const repoUuid = scan.repoUuid;
  const byFingerprint = await repository.findByFingerprints(repoUuid, wanted);
  const pick = (item: NormalisedFinding, lookUp: (fingerprint: string) => KnownFinding | undefined): boolean => {
    for (const fingerprint of fingerprintsOf(item)) {
      const known = lookUp(fingerprint);
      if (known) return matches.set(item, known), true;
    }
    return false;
  };
  let unknown = slice.filter((item) => !pick(item, (fp) => written.get(fp) ?? byFingerprint.get(fp)));
  if (unknown.length === 0) return matches;
  const byAlias = await repository.findByAliases(repoUuid, unknown.flatMap(fingerprintsOf));
  unknown = unknown.filter((item) => !pick(item, (fp) => byAlias.get(fp)));
  const placed = unknown.filter((item) => item.location);
  if (placed.length === 0) return matches;
  const claimed = new Set([...matches.values()].map((known) => known.finding.fingerprint));
  const ruleClass = (finding: { ruleId: string; cwes: string[]; path: string }) => registry.find(finding)[0]?.id;
  // Findings this merge wrote already are the upload's own, which the upload's fold kept apart.
  const near = new Map<string, KnownFinding[]>();
  for (const known of await repository.findInPaths(repoUuid, placed.map((item) => item.location!.path), prScope)) {
    if (known.finding.lastSeenScanId === scan.id || !known.finding.location) continue;
    const list = near.get(known.finding.location.path) ?? [];
    list.push(known);
    near.set(known.finding.location.path, list);
  }
  for (const item of placed) {
    const candidates = (near.get(item.location!.path) ?? []).filter((known) => !claimed.has(known.finding.fingerprint));
    const found = candidates.find((known) => samePlaceAndWeakness(item, known.finding, ruleClass));
    if (found) {
      matches.set(item, written.get(found.finding.fingerprint) ?? found);
      claimed.add(found.finding.fingerprint);
    }
  }
  return matches;
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
