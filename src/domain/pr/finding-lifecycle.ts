/**
 * A stored finding across scans, without I/O: what a new sighting keeps and what it replaces.
 * Human decisions win over triage; a suppressed result of an open finding becomes `suppressed`;
 * a proposed or merged fix survives re-triage; a finding reported again by another scanner or rule
 * keeps its fingerprint and id (dismissals and PR links hang on them) and lists every reporter.
 * The pull-request side of the lifecycle is `lifecycle.ts` beside this file.
 */
import type { Dismissal, Finding, NormalisedFinding, RuleReport, TriageResult } from '../finding';
import { foldInto } from '../sarif/dedupe';

/** A person's decision on a fingerprint, as the repository keeps it. */
export interface HumanDecision {
  verdict: Finding['verdict'];
  reason: string;
  by?: string;
  at?: string;
}

/** What a scan is, as far as its findings are concerned. */
export interface SightingScan {
  id: string;
  workspaceId: string;
  repoUuid: string;
  commit: string;
}

/**
 * The stored finding after this scan: a person's decision always wins over triage (verdict,
 * reason, confidence 100); a suppressed result of an open finding becomes `suppressed`; fix and
 * pull request survive re-triage. When `previous` is known, its fingerprint, id and first sighting
 * stay, and the reporters, aliases, CWEs and weaknesses of both are kept (`withEarlierReporters`).
 */
export function foldFinding(input: {
  item: NormalisedFinding;
  triage: TriageResult;
  scan: SightingScan;
  now: string;
  newId: () => string;
  previous?: Finding;
  humanDecision?: HumanDecision;
}): Finding {
  const { triage, scan, now, previous, humanDecision: decided } = input;
  const item = previous ? withEarlierReporters(input.item, previous, previous.commit === scan.commit) : input.item;
  const base = {
    ...item,
    workspaceId: scan.workspaceId,
    repoUuid: scan.repoUuid,
    commit: scan.commit,
    verdict: triage.verdict,
    confidence: triage.confidence,
    justification: triage.justification,
    factors: triage.factors,
    ...(triage.category ? { category: triage.category } : {}),
    lastSeenScanId: scan.id,
    updatedAt: now,
  };
  if (!previous) {
    return { ...base, id: input.newId(), status: item.suppression ? 'suppressed' : 'open', firstSeenScanId: scan.id, createdAt: now };
  }
  const status = decided ? 'dismissed' : previous.status === 'open' && item.suppression ? 'suppressed' : previous.status;
  return {
    ...base,
    id: previous.id,
    firstSeenScanId: previous.firstSeenScanId,
    createdAt: previous.createdAt,
    status,
    ...(decided ? { verdict: decided.verdict, justification: `Dismissed by a person: ${decided.reason}`, confidence: 100, factors: [], category: undefined } : {}),
    ...(decided ? { dismissal: dismissalAfterTriage(previous, decided, base, now) } : {}),
    ...(previous.fix ? { fix: previous.fix } : {}),
    ...(previous.pullRequest ? { pullRequest: previous.pullRequest } : {}),
    ...(previous.fixDeclined ? { fixDeclined: previous.fixDeclined } : {}),
    ...(previous.history?.length ? { history: previous.history } : {}),
  };
}

/**
 * The dismissal of a finding a scan saw again: who, when and why stay; what an undo restores
 * becomes this scan's triage (the code moved on), with the status the finding had before. A
 * dismissal stored before the state was kept gets one now, from this scan's triage.
 */
function dismissalAfterTriage(previous: Finding, decided: HumanDecision, triage: TriageResult, now: string): Dismissal {
  const before = previous.dismissal?.before;
  const state = { verdict: triage.verdict, confidence: triage.confidence, justification: triage.justification, factors: triage.factors };
  if (previous.dismissal) return { ...previous.dismissal, before: { ...state, status: before?.status ?? 'open' } };
  return {
    verdict: decided.verdict, reason: decided.reason, by: decided.by ?? 'unknown', at: decided.at ?? now,
    before: { ...state, status: previous.pullRequest?.state === 'OPEN' ? 'fix_proposed' : 'open' },
  };
}

/**
 * The new sighting `item` of the stored finding `previous`: the fingerprint stays the stored one
 * (the item's becomes an alias), and the reporters, CWEs, weaknesses and aliases of both are kept.
 * A finding only gains reporters: which scanners agreed stays part of its record. On a later commit
 * the place, message and evidence are the new sighting's (the code moved on); on the same commit
 * (another upload of it) the strongest evidence of both is kept, as one combined upload would.
 */
export function withEarlierReporters(item: NormalisedFinding, previous: NormalisedFinding, sameCommit = false): NormalisedFinding {
  if (item.fingerprint === previous.fingerprint && sameList(item.reports, previous.reports) && !previous.aliases?.length) return item;
  const merged: NormalisedFinding = { ...item, tools: [...item.tools], cwes: [...item.cwes] };
  const stored: NormalisedFinding = { ...previous, reports: previous.reports ?? legacyReports(previous) };
  foldInto(merged, stored);
  // On a later commit the evidence is the new sighting's, whichever carried more: a finding shows what was last scanned.
  if (!sameCommit) for (const key of ['ruleId', 'ruleName', 'message', 'location', 'absoluteLocation', 'snippet', 'relatedLocations', 'codeFlow', 'suppression', 'securitySeverity', 'precision', 'ruleHelp'] as const) {
    const mutable = merged as unknown as Record<string, unknown>;
    if (item[key] === undefined) delete mutable[key];
    else mutable[key] = item[key];
  }
  // The stored fingerprint names the finding for good; every other one is an alias.
  const aliases = new Set([...(merged.aliases ?? []), merged.fingerprint, item.fingerprint]);
  aliases.delete(previous.fingerprint);
  merged.fingerprint = previous.fingerprint;
  if (aliases.size > 0) merged.aliases = [...aliases].sort();
  else delete merged.aliases;
  return merged;
}

const sameList = (a: readonly RuleReport[] | undefined, b: readonly RuleReport[] | undefined): boolean =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((report, i) => {
    const other = b?.[i];
    return other !== undefined && other.tool === report.tool && other.ruleId === report.ruleId && other.analysis === report.analysis;
  });

/** Reporters of a finding stored before reports were kept: each tool with the finding's rule. */
const legacyReports = (finding: NormalisedFinding): RuleReport[] =>
  finding.tools.map((tool) => ({ tool: tool.name, ruleId: finding.ruleId, analysis: tool.name.trim().toLowerCase() }));
