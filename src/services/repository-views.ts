import { z } from 'zod';
import { AppError } from '../domain/errors';
import { findingStatuses, severities, verdicts, type Finding } from '../domain/finding';
import { FindingsRepository } from '../storage/findings-repository';
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
  limit: z.number().int().min(1).max(200).optional(),
});

export const findingIdInput = z.object({ id: z.string().min(1).max(64) });
export const dismissInput = z.object({
  id: z.string().min(1).max(64),
  verdict: z.enum(['false_positive', 'wont_fix']),
  reason: z.string().trim().min(3, 'reason must say why the finding is dismissed').max(1000),
});

function item(finding: Finding) {
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
    ...(finding.pullRequest ? { pullRequest: { id: finding.pullRequest.id, url: finding.pullRequest.url, state: finding.pullRequest.state } } : {}),
  };
}

export async function listFindings(deps: Deps, repoUuid: string, input: z.infer<typeof listFindingsInput>) {
  const repository = new FindingsRepository(deps.db);
  const filter = input.filter ?? {};
  const page = await repository.list(repoUuid, filter, { ...(input.cursor ? { cursor: input.cursor } : {}), limit: input.limit ?? 50 });
  if ('badCursor' in page) throw new AppError('bad_request', 'cursor is not one this app issued; start again without it.');
  const counts = await repository.counts(repoUuid);
  return { items: page.items.map(item), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), counts };
}

export async function getFinding(deps: Deps, repoUuid: string, id: string) {
  const finding = await new FindingsRepository(deps.db).get(repoUuid, id);
  if (!finding) throw new AppError('not_found', `No finding with id "${id}" in this repository.`);
  return {
    ...item(finding),
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
