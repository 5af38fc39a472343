import { z } from 'zod';
import { createDefaultRegistry, type CodemodRegistry } from '../domain/codemods/registry';
import { fixFor } from '../domain/codemods/fix-for';
import { AppError } from '../domain/errors';
import type { CodemodInfo, FindingDetail, FindingItem, FindingPage, LocatedStep, PullRequestItem, ScanItem } from '../contracts/resolver-api';
import {
  findingStatuses, reportsOf, severities, verdicts, type Finding, type LocatedMessage, type SourceLocation,
} from '../domain/finding';
import { FindingsRepository, findingSorts } from '../storage/findings-repository';
import { PullRequestsRepository } from '../storage/pull-requests-repository';
import { ScansRepository } from '../storage/scans-repository';
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

/** Whether "open a fix pull request" can work, or which turned-off codemod would have answered. */
function fixOffer(finding: Finding, { codemods, disabled }: FixCatalogue): Pick<FindingItem, 'fixAvailable' | 'fixDisabled'> {
  const fix = fixFor(finding, { disabledCodemods: [...disabled] }, codemods);
  const made = finding.fix && !disabled.has(finding.fix.codemodId);
  if (finding.fixDeclined) return { fixAvailable: false };
  if (made || fix.kind === 'codemod') return { fixAvailable: true };
  const turnedOff = fix.kind === 'turned-off' ? fix.codemods[0] : undefined;
  const off = finding.fix ? { codemodId: finding.fix.codemodId, title: finding.fix.title } : turnedOff && { codemodId: turnedOff.id, title: turnedOff.title };
  return off ? { fixAvailable: false, fixDisabled: off } : { fixAvailable: false };
}

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
  const groups = input.groupBy ? await repository.groups(repoUuid, filter, input.groupBy) : undefined;
  return {
    items: page.items.map((finding) => item(finding, catalogue)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    counts,
    filteredCounts,
    ...(groups ? { groups } : {}),
  };
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
    factors: finding.factors,
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

export async function listScans(deps: Deps, repoUuid: string): Promise<{ items: ScanItem[] }> {
  const scans = await new ScansRepository(deps.db).listForRepository(repoUuid);
  return {
    items: scans.map((scan) => ({
      id: scan.id,
      status: scan.status,
      commit: scan.commit,
      ...(scan.branch ? { branch: scan.branch } : {}),
      tools: scan.tools.map((tool) => (tool.version ? `${tool.name} ${tool.version}` : tool.name)),
      counts: scan.counts,
      skipped: scan.skipped.slice(0, 50),
      pullRequests: scan.pullRequests,
      ...(scan.progress?.waitingForCap ? { waitingForCap: scan.progress.waitingForCap } : {}),
      createdAt: scan.createdAt,
      ...(scan.error ? { error: readableError(scan.error, scan.repoFullName) } : {}),
    })),
  };
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
