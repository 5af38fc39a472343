import { z } from 'zod';
import { createDefaultRegistry, type CodemodRegistry } from '../domain/codemods/registry';
import { fixFor } from '../domain/codemods/fix-for';
import { AppError } from '../domain/errors';
import { shownFactors } from '../domain/triage/shown-factors';
import type { CodemodInfo, FindingDetail, FindingItem, FindingPage, FixOutcomeView, LocatedStep, PullRequestItem, ScanItem } from '../contracts/resolver-api';
import {
  findingStatuses, reportsOf, severities, verdicts, type Finding, type FindingFixOutcome, type LocatedMessage, type SourceLocation,
} from '../domain/finding';
import { FindingsRepository, findingSorts } from '../storage/findings-repository';
import { PullRequestsRepository } from '../storage/pull-requests-repository';
import { ScansRepository, type Scan } from '../storage/scans-repository';
import type { Deps } from './deps';
import { getPolicy } from './settings-service';
import { appClient } from './caller-access';
import { REVIEW_DECISION_BY } from '../domain/pr/lifecycle';

export const listFindingsInput = z.object({
  filter: z
    .object({
      verdict: z.enum(verdicts).optional(),
      severity: z.enum(severities).optional(),
      status: z.enum(findingStatuses).optional(),
      tool: z.string().max(100).optional(),
      path: z.string().max(500).optional(),
      rule: z.string().max(500).optional(),
      q: z.string().max(200).optional(),
    })
    .optional(),
  cursor: z.string().max(500).optional(),
  sort: z.enum(findingSorts).optional(),
  limit: z.number().int().min(1).max(200).optional(),
  /** Rows to skip for a numbered page; not with `cursor`. */
  offset: z.number().int().min(0).max(1_000_000).optional(),
  groupBy: z.enum(['rule', 'file']).optional(),
});

export const findingIdInput = z.object({ id: z.string().min(1).max(64) });

/** What a page may offer as a fix: the catalogue, less the codemods the workspace turned off. Built once per request. */
export interface FixCatalogue {
  codemods: CodemodRegistry;
  disabled: ReadonlySet<string>;
}

export async function fixCatalogue(deps: Deps, workspaceId: string | undefined): Promise<FixCatalogue> {
  const policy = workspaceId === undefined ? undefined : await getPolicy(deps, workspaceId);
  return { codemods: createDefaultRegistry(), disabled: new Set(policy?.disabledCodemods ?? []) };
}

/** The dry run's outcome as the pages show it, with the codemods' titles. */
function outcomeView(outcome: FindingFixOutcome, codemods: CodemodRegistry): FixOutcomeView {
  const title = (id: string): string => codemods.get(id)?.title ?? id;
  if (outcome.kind === 'fixed') return { kind: 'fixed', codemodId: outcome.codemodId, title: title(outcome.codemodId), description: outcome.description };
  if (outcome.kind === 'not-tried') return { kind: 'not-tried', reason: outcome.reason };
  return { kind: 'not-fixed', reason: outcome.reason, tried: outcome.tried.map((t) => ({ codemodId: t.codemodId, title: title(t.codemodId), reason: t.reason, matched: t.matched })) };
}

/**
 * Whether "open a fix pull request" can work: a fix was made, or the scan's dry run verified one on
 * this finding's code (never a rule or CWE lookup alone); else which turned-off codemod would have
 * answered. A finding stored before dry runs existed has no fix available until the next scan.
 */
function fixOffer(finding: Finding, { codemods, disabled }: FixCatalogue): Pick<FindingItem, 'fixAvailable' | 'fixDisabled' | 'fixOutcome'> {
  const outcome = finding.fixOutcome;
  const view = outcome ? { fixOutcome: outcomeView(outcome, codemods) } : {};
  // A reviewer declined this fix: it is never offered again for the finding.
  if (finding.fixDeclined) return { fixAvailable: false, ...view };
  const verified = outcome?.kind === 'fixed' ? outcome.codemodId : undefined;
  const made = finding.fix && !disabled.has(finding.fix.codemodId);
  if (made || (verified !== undefined && !disabled.has(verified))) return { fixAvailable: true, ...view };
  // Turned off: the fix made or verified, else a turned-off codemod whose detector matched this code
  // (the fix for its shape is off; `fixOutcome` says whether it would have fixed it).
  const offId = finding.fix?.codemodId ?? verified
    ?? (outcome === undefined
      ? turnedOffFor(finding, disabled, codemods)
      : outcome.kind === 'not-fixed' ? outcome.tried.find((t) => t.matched && disabled.has(t.codemodId))?.codemodId : undefined);
  const off = offId === undefined ? undefined : { codemodId: offId, title: finding.fix?.codemodId === offId ? finding.fix.title : codemods.get(offId)?.title ?? offId };
  return off ? { fixAvailable: false, fixDisabled: off, ...view } : { fixAvailable: false, ...view };
}

/** For a finding without a dry run: the turned-off codemod the catalogue names for its rule, if any. */
function turnedOffFor(finding: Finding, disabled: ReadonlySet<string>, codemods: CodemodRegistry): string | undefined {
  const fix = fixFor(finding, { disabledCodemods: [...disabled] }, codemods);
  return fix.kind === 'turned-off' ? fix.codemods[0]?.id : undefined;
}

/** Rows of one `listFindings` page stay under this many bytes of JSON (the whole answer under 1 MB; Forge allows 5 MB). */
export const MAX_PAGE_BYTES = 900 * 1024;

/** One finding as the list rows show it: no code flow, no diff, so a 200-row page stays small. */
export function item(finding: Finding, catalogue: FixCatalogue): FindingItem {
  return {
    id: finding.id,
    ruleId: finding.ruleId,
    tools: finding.tools.map((tool) => tool.name),
    rules: reportsOf(finding).map(({ tool, ruleId }) => ({ tool, ruleId })),
    ...(finding.location ? { path: finding.location.path, line: finding.location.startLine } : {}),
    severity: finding.severity,
    verdict: finding.verdict,
    confidence: finding.confidence,
    justification: finding.justification,
    ...(finding.category ? { category: finding.category } : {}),
    status: finding.status,
    message: finding.message,
    ...(finding.fix ? { fix: { codemodId: finding.fix.codemodId, title: finding.fix.title } } : {}),
    ...fixOffer(finding, catalogue),
    ...(finding.pullRequest ? { pullRequest: { id: finding.pullRequest.id, url: finding.pullRequest.url, state: finding.pullRequest.state } } : {}),
    ...(finding.ruleName ? { ruleName: finding.ruleName } : {}),
    ...(finding.fixDeclined ? { fixDeclined: { pullRequestId: finding.fixDeclined.pullRequestId, at: finding.fixDeclined.at } } : {}),
    ...(finding.dismissal && finding.status === 'dismissed'
      ? { dismissal: { verdict: finding.dismissal.verdict, reason: finding.dismissal.reason, by: finding.dismissal.by, at: finding.dismissal.at } }
      : {}),
  };
}

export async function listFindings(deps: Deps, repoUuid: string, input: z.infer<typeof listFindingsInput>): Promise<FindingPage> {
  const repository = new FindingsRepository(deps.db);
  const filter = input.filter ?? {};
  if (input.cursor && input.offset) throw new AppError('bad_request', 'offset: give a cursor or an offset, not both.');
  const page = await repository.list(repoUuid, filter, {
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(input.sort ? { sort: input.sort } : {}),
    ...(input.offset ? { offset: input.offset } : {}),
    limit: input.limit ?? 50,
  });
  if ('badCursor' in page) throw new AppError('bad_request', 'cursor is not one this app issued for this sort; start again without it.');
  const counts = await repository.counts(repoUuid);
  const filtered = Object.values(filter).some((value) => value !== undefined);
  // `counts` stays repository-wide; `filteredCounts` follows the filter (the same object when there is none).
  const filteredCounts = filtered ? await repository.counts(repoUuid, filter) : counts;
  // Every finding of a repository belongs to one workspace: its policy says which fixes are on.
  const catalogue = await fixCatalogue(deps, page.items[0]?.workspaceId);
  // A page stops before MAX_PAGE_BYTES of rows (measured as the JSON the resolver returns), whatever
  // the rows hold; the cursor then continues after the last row sent.
  const groups = input.groupBy ? await repository.groups(repoUuid, filter, input.groupBy) : undefined;
  const items: FindingItem[] = [];
  let bytes = 0;
  for (const finding of page.items) {
    const row = item(finding, catalogue);
    bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    if (bytes > MAX_PAGE_BYTES && items.length > 0) {
      return { items, nextCursor: page.cursorAfter(items.length - 1), counts, filteredCounts, ...(groups ? { groups } : {}) };
    }
    items.push(row);
  }
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), counts, filteredCounts, ...(groups ? { groups } : {}) };
}

/** Links a repository-relative location to the file at the scanned commit on Bitbucket's web UI. */
function fileLink(deps: Deps, repoFullName: string, commit: string, location: SourceLocation): string {
  // Paths are repository-relative and never escape it (the normaliser drops any that would).
  const path = location.path.split('/').map(encodeURIComponent).join('/');
  return `${deps.bitbucketWebUrl}/${repoFullName}/src/${encodeURIComponent(commit)}/${path}#lines-${location.startLine}`;
}

function steps(located: readonly LocatedMessage[], link: (location: SourceLocation) => string | undefined): LocatedStep[] {
  return located.map((step) => {
    // The normaliser marks where it shortened a long list with `{omitted: n}`.
    if ('omitted' in step && typeof step.omitted === 'number') return { omitted: step.omitted };
    const url = step.location ? link(step.location) : undefined;
    return {
      ...(step.location ? { path: step.location.path, line: step.location.startLine } : {}),
      ...(step.message ? { message: step.message } : {}),
      ...(url ? { fileUrl: url } : {}),
    };
  });
}

export async function getFinding(deps: Deps, repoUuid: string, id: string): Promise<FindingDetail> {
  const finding = await new FindingsRepository(deps.db).get(repoUuid, id);
  if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
  const scan = await new ScansRepository(deps.db).get(finding.lastSeenScanId);
  const link = (location: SourceLocation) => (scan ? fileLink(deps, scan.repoFullName, finding.commit, location) : undefined);
  const fileUrl = finding.location ? link(finding.location) : undefined;
  // The row's short `fix` is replaced by the full one (description and diff).
  const { fix: _short, ...row } = item(finding, await fixCatalogue(deps, finding.workspaceId));
  return {
    ...row,
    ...(fileUrl ? { fileUrl } : {}),
    factors: shownFactors(finding.confidence, finding.factors),
    cwes: finding.cwes,
    commit: finding.commit,
    ...(finding.snippet ? { snippet: finding.snippet } : {}),
    ...(finding.codeFlow?.length ? { codeFlow: steps(finding.codeFlow, link) } : {}),
    ...(finding.relatedLocations?.length ? { relatedLocations: steps(finding.relatedLocations, link) } : {}),
    ...(finding.fix ? { fix: finding.fix } : {}),
    ...(finding.history?.length ? { history: finding.history } : {}),
    ...(await peopleOf(deps, finding)),
  };
}

/**
 * Who the accounts of a finding's decisions are, by name: one question to Bitbucket, as the app,
 * for those who are workspace members. Names are a courtesy: without them the page shows ids.
 */
async function peopleOf(deps: Deps, finding: Finding): Promise<{ people?: Record<string, string> }> {
  const ids = [...new Set([finding.dismissal?.by, ...(finding.history ?? []).map((event) => event.by)])]
    .filter((id): id is string => id !== undefined && id !== REVIEW_DECISION_BY && id !== 'unknown');
  if (ids.length === 0) return {};
  try {
    const names = await appClient(deps).workspaceMemberNames(finding.workspaceId, ids);
    return names.size > 0 ? { people: Object.fromEntries(names) } : {};
  } catch (error) {
    deps.logger.warn('Could not name the people of a finding\'s history', { code: error instanceof Error && 'code' in error ? String(error.code) : 'unknown' });
    return {};
  }
}

export async function listPullRequests(deps: Deps, repoUuid: string): Promise<{ items: PullRequestItem[] }> {
  const items = await new PullRequestsRepository(deps.db).listForRepository(repoUuid);
  return {
    items: items.map((pr) => ({ id: pr.id, title: pr.title, url: pr.url, state: pr.state, branch: pr.sourceBranch ?? pr.branch, codemodId: pr.codemodId, findingIds: pr.findingIds })),
  };
}

/**
 * A stored error as people read it: Bitbucket API paths (`GET /2.0/repositories/%7B…%7D/%7B…%7D/src/…`)
 * become the repository's name and what was asked of it.
 */
export function readableError(error: string, repoFullName: string): string {
  return error.replace(/\b(GET|POST|PUT|DELETE) \/2\.0\/repositories\/[^/\s]+\/[^/\s]+(\/[^\s]*)?/g, (_match, _verb: string, rest: string | undefined) => {
    const what = rest ? decodeURIComponent(rest.replace(/[?#].*$/, '')).replace(/^\//, '') : '';
    return `request for ${repoFullName}${what ? ` (${what})` : ''}`;
  });
}

/** Tool names a scan row lists (an upload may have up to 100 runs, each its own tool). */
const MAX_SCAN_ROW_TOOLS = 20;

export async function listScans(deps: Deps, repoUuid: string): Promise<{ items: ScanItem[] }> {
  const scans = await new ScansRepository(deps.db).listForRepository(repoUuid);
  const items: ScanItem[] = [];
  let bytes = 0;
  // Like listFindings: rows stop before MAX_PAGE_BYTES, whatever tool names the uploads carried.
  for (const row of scanRows(scans)) {
    bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    if (bytes > MAX_PAGE_BYTES && items.length > 0) break;
    items.push(row);
  }
  return { items };
}

function scanRows(scans: readonly Scan[]): ScanItem[] {
  return scans.map((scan) => ({
    id: scan.id,
    status: scan.status,
    commit: scan.commit,
    ...(scan.branch ? { branch: scan.branch } : {}),
    ...(scan.analyses ? { analyses: scan.analyses } : {}),
    tools: [
      ...scan.tools.slice(0, MAX_SCAN_ROW_TOOLS).map((tool) => (tool.version ? `${tool.name} ${tool.version}` : tool.name)),
      ...(scan.tools.length > MAX_SCAN_ROW_TOOLS ? [`…and ${scan.tools.length - MAX_SCAN_ROW_TOOLS} more`] : []),
    ],
    counts: scan.counts,
    skipped: scan.skipped.slice(0, 50),
    pullRequests: scan.pullRequests,
    ...(scan.progress?.waitingForCap ? { waitingForCap: scan.progress.waitingForCap } : {}),
    createdAt: scan.createdAt,
    ...(scan.error ? { error: readableError(scan.error, scan.repoFullName) } : {}),
  }));
}

/** The codemod catalogue as the settings page lists it, to turn codemods off and on. */
export function listCodemods(): { items: CodemodInfo[] } {
  return {
    items: createDefaultRegistry().all().map((codemod) => ({
      id: codemod.id, title: codemod.title, summary: codemod.summary, languages: [...codemod.languages], cwes: [...codemod.cwes],
    })),
  };
}

/**
 * The `disabledCodemods` to store: ids the catalogue does not have are refused by name, except ids
 * already stored (a codemod a later version removed), which are dropped so the policy can still be saved.
 */
export function checkCodemodIds(ids: readonly string[], alreadyStored: readonly string[] = []): string[] {
  const codemods = createDefaultRegistry();
  const unknown = ids.find((id) => codemods.get(id) === undefined && !alreadyStored.includes(id));
  if (unknown !== undefined) {
    throw new AppError('bad_request', `policy.disabledCodemods: "${unknown.slice(0, 100)}" is not a codemod of this app (listCodemods names them all).`);
  }
  return [...new Set(ids.filter((id) => codemods.get(id) !== undefined))];
}
