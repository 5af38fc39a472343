import { z } from 'zod';
import { createDefaultRegistry, type CodemodRegistry } from '../domain/codemods/registry';
import { AppError } from '../domain/errors';
import { findingStatuses, severities, verdicts, type Finding } from '../domain/finding';
import { FindingsRepository, findingSorts } from '../storage/findings-repository';
import { PullRequestsRepository } from '../storage/pull-requests-repository';
import { ScansRepository } from '../storage/scans-repository';
import type { Deps } from './deps';

export const listFindingsInput = z.object({
  filter: z
    .object({
      verdict: z.enum(verdicts).optional(),
      severity: z.enum(severities).optional(),
      status: z.enum(findingStatuses).optional(),
      tool: z.string().max(100).optional(),
      path: z.string().max(500).optional(),
    })
    .optional(),
  cursor: z.string().max(500).optional(),
  sort: z.enum(findingSorts).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

export const findingIdInput = z.object({ id: z.string().min(1).max(64) });
export const dismissInput = z.object({
  id: z.string().min(1).max(64),
  verdict: z.enum(['false_positive', 'wont_fix']),
  reason: z.string().trim().min(3, 'reason must say why the finding is dismissed').max(1000),
});

const catalogueHasFix = (finding: Finding, codemods: CodemodRegistry): boolean =>
  finding.location !== undefined
  && codemods.find({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path }).length > 0;

/** One finding as the pages show it; `codemods` is built once per request by the caller. */
function item(finding: Finding, codemods: CodemodRegistry = createDefaultRegistry()) {
  return {
    id: finding.id,
    ruleId: finding.ruleId,
    tools: finding.tools.map((tool) => tool.name),
    ...(finding.location ? { path: finding.location.path, line: finding.location.startLine } : {}),
    severity: finding.severity,
    verdict: finding.verdict,
    confidence: finding.confidence,
    justification: finding.justification,
    status: finding.status,
    message: finding.message,
    ...(finding.fix ? { fix: { codemodId: finding.fix.codemodId, title: finding.fix.title } } : {}),
    // Whether "open a fix pull request" can work: a fix was made, or the catalogue has one for this rule and file.
    fixAvailable: finding.fix !== undefined || catalogueHasFix(finding, codemods),
    ...(finding.pullRequest ? { pullRequest: { id: finding.pullRequest.id, url: finding.pullRequest.url, state: finding.pullRequest.state } } : {}),
  };
}

export async function listFindings(deps: Deps, repoUuid: string, input: z.infer<typeof listFindingsInput>) {
  const repository = new FindingsRepository(deps.db);
  const filter = input.filter ?? {};
  const page = await repository.list(repoUuid, filter, {
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(input.sort ? { sort: input.sort } : {}),
    limit: input.limit ?? 50,
  });
  if ('badCursor' in page) throw new AppError('bad_request', 'cursor is not one this app issued for this sort; start again without it.');
  const counts = await repository.counts(repoUuid);
  const filtered = Object.values(filter).some((value) => value !== undefined);
  // `counts` stays repository-wide; `filteredCounts` follows the filter (the same object when there is none).
  const filteredCounts = filtered ? await repository.counts(repoUuid, filter) : counts;
  const codemods = createDefaultRegistry();
  return { items: page.items.map((finding) => item(finding, codemods)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), counts, filteredCounts };
}

export async function getFinding(deps: Deps, repoUuid: string, id: string) {
  const finding = await new FindingsRepository(deps.db).get(repoUuid, id);
  if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
  const scan = await new ScansRepository(deps.db).get(finding.lastSeenScanId);
  // The file at the scanned commit, on Bitbucket's web UI (paths are repository-relative, never escaping it).
  const fileUrl = scan && finding.location
    ? `${deps.bitbucketWebUrl}/${scan.repoFullName}/src/${encodeURIComponent(finding.commit)}/${finding.location.path
      .split('/').map(encodeURIComponent).join('/')}#lines-${finding.location.startLine}`
    : undefined;
  return {
    ...item(finding),
    ...(fileUrl ? { fileUrl } : {}),
    factors: finding.factors,
    cwes: finding.cwes,
    commit: finding.commit,
    ...(finding.snippet ? { snippet: finding.snippet } : {}),
    ...(finding.location ? { location: finding.location } : {}),
    ...(finding.fix ? { fix: finding.fix } : {}),
  };
}

export async function dismissFinding(deps: Deps, repoUuid: string, accountId: string, input: z.infer<typeof dismissInput>) {
  const repository = new FindingsRepository(deps.db);
  const finding = await repository.get(repoUuid, input.id);
  if (!finding) throw new AppError('not_found', `No finding with id "${input.id}" in this repository.`);
  const at = deps.clock.now().toISOString();
  const dismissed: Finding = {
    ...finding,
    status: 'dismissed',
    verdict: input.verdict,
    confidence: 100,
    justification: `Dismissed by a person: ${input.reason}`,
    factors: [],
    updatedAt: at,
  };
  await repository.update(dismissed, { verdict: input.verdict, reason: input.reason, by: accountId, at });
  return item(dismissed);
}

/** Undoes a dismissal: the finding is open again and its human decision forgotten, so the next scan re-triages it. */
export async function undoDismissal(deps: Deps, repoUuid: string, accountId: string, id: string) {
  const repository = new FindingsRepository(deps.db);
  const finding = await repository.get(repoUuid, id);
  if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
  if (finding.status !== 'dismissed') throw new AppError('conflict', 'Only a dismissed finding can have its dismissal undone.');
  const restored: Finding = {
    ...finding,
    status: finding.pullRequest?.state === 'OPEN' ? 'fix_proposed' : 'open',
    verdict: 'suspicious',
    confidence: 50,
    justification: 'The dismissal was undone; the next scan triages this finding again.',
    factors: [],
    updatedAt: deps.clock.now().toISOString(),
  };
  await repository.updateForgettingDecision(restored);
  deps.logger.info('Dismissal undone', { findingId: id, by: accountId });
  return item(restored);
}

export async function listPullRequests(deps: Deps, repoUuid: string) {
  const items = await new PullRequestsRepository(deps.db).listForRepository(repoUuid);
  return {
    items: items.map((pr) => ({ id: pr.id, title: pr.title, url: pr.url, state: pr.state, branch: pr.branch, codemodId: pr.codemodId, findingIds: pr.findingIds })),
  };
}

export async function listScans(deps: Deps, repoUuid: string) {
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
      createdAt: scan.createdAt,
      ...(scan.error ? { error: scan.error } : {}),
    })),
  };
}
