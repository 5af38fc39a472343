import { structuredPatch } from 'diff';
import type { BitbucketClient, RepoRef } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import type { Finding } from '../../domain/finding';
import { fixFile } from '../../domain/codemods/engine';
import type { Codemod } from '../../domain/codemods/types';
import { remediationBranch } from '../../domain/pr/branch-name';
import { pullRequestDescription, pullRequestTitle, type PrFileChange } from '../../domain/pr/description';
import { FindingsRepository } from '../../storage/findings-repository';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import type { Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import type { ServiceAccount } from '../settings-service';

const guidanceText: Record<Codemod['reviewGuidance'], string> = {
  'merge-without-review': 'Safe to merge after the build passes.',
  'merge-after-cursory-review': 'Give the change a quick read before merging.',
  'merge-after-review': 'Review the change carefully before merging.',
};

function countLines(before: string, after: string, path: string): PrFileChange {
  const patch = structuredPatch(path, path, before, after);
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) linesAdded += 1;
      else if (line.startsWith('-')) linesRemoved += 1;
    }
  }
  return { path, linesAdded, linesRemoved };
}

export type PublishOutcome =
  | { kind: 'opened'; pullRequest: { id: number; url: string } }
  | { kind: 'existing'; pullRequest: { id: number; url: string } }
  | { kind: 'declined-before' }
  | { kind: 'nothing-fixed'; reasons: string[] };

/**
 * Reads the files of one fix group at the scanned commit, runs the codemod, and — when anything
 * was fixed — commits all files in one commit on the group's branch and opens its pull request.
 */
export async function publishFix(
  deps: Deps,
  context: { client: BitbucketClient; account: ServiceAccount; scan: Scan; repo: RepoRef; repositoryWebUrl: string },
  codemod: Codemod,
  findings: Finding[],
): Promise<PublishOutcome> {
  const { client, scan, repo } = context;
  const branch = remediationBranch(codemod.id);
  const earlier = await client.listPullRequests(repo, { sourceBranch: branch, states: ['OPEN', 'DECLINED'] });
  const open = earlier.find((pr) => pr.state === 'OPEN');
  if (open) return { kind: 'existing', pullRequest: { id: open.id, url: open.htmlUrl } };
  const fingerprints = new Set(findings.map((finding) => finding.fingerprint));
  const declined = earlier.find((pr) => pr.state === 'DECLINED' && [...fingerprints].some((fp) => pr.description.includes(fp)));
  if (declined) return { kind: 'declined-before' };

  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!finding.location) continue;
    byPath.set(finding.location.path, [...(byPath.get(finding.location.path) ?? []), finding]);
  }
  const files: { path: string; content: string; executable: boolean }[] = [];
  const changes: PrFileChange[] = [];
  const fixedIds = new Set<string>();
  const diffs = new Map<string, string>();
  const reasons: string[] = [];
  for (const [path, fileFindings] of byPath) {
    const content = await client.readFile(repo, scan.commit, path);
    if (content === undefined) {
      reasons.push(`${path} does not exist at ${scan.commit.slice(0, 12)}`);
      continue;
    }
    const result = await fixFile({
      path,
      content,
      findings: fileFindings.flatMap((f) => (f.location ? [{ id: f.id, ruleId: f.ruleId, cwes: f.cwes, location: f.location }] : [])),
    });
    reasons.push(...result.unfixed.map((u) => u.reason));
    if (result.fixed.length === 0 || result.content === content) continue;
    result.fixed.forEach((id) => fixedIds.add(id));
    for (const id of result.fixed) diffs.set(id, result.diff);
    // Bitbucket drops the executable bit unless a commit names it; only scripts (a `#!` first
    // line) are worth the extra call to ask.
    const executable = content.startsWith('#!')
      ? ((await client.getFileMeta(repo, scan.commit, path))?.attributes.includes('executable') ?? false)
      : false;
    files.push({ path, content: result.content, executable });
    changes.push(countLines(content, result.content, path));
  }
  if (files.length === 0) return { kind: 'nothing-fixed', reasons };

  const fixed = findings.filter((finding) => fixedIds.has(finding.id));
  const prCodemod = {
    id: codemod.id,
    title: codemod.title,
    summary: codemod.summary,
    description: codemod.description,
    reviewGuidance: `${guidanceText[codemod.reviewGuidance]} ${codemod.reviewGuidanceReason}`,
    references: codemod.references,
  };
  const prContent = { codemod: prCodemod, findings: fixed, files: changes, repositoryWebUrl: context.repositoryWebUrl, commit: scan.commit, scanId: scan.id };
  const title = pullRequestTitle(prContent);

  const commit = () =>
    client.commitFiles({
      repo,
      branch,
      parent: scan.commit,
      message: `${title}\n\n${codemod.summary}\n\nFindings: ${fixed.map((f) => `${f.ruleId} at ${f.location?.path}:${f.location?.startLine}`).join(', ')}`,
      author: `${context.account.username} <${context.account.email}>`,
      files,
    });
  try {
    await commit();
  } catch (error) {
    // 409: the branch exists on another commit. With no open pull request (checked above) it is
    // a branch left by an interrupted earlier run: ours to replace.
    if (!isAppError(error) || error.code !== 'conflict') throw error;
    await client.deleteBranch(repo, branch);
    await commit();
  }
  const pr = await client.createPullRequest({
    repo,
    title,
    description: pullRequestDescription(prContent),
    sourceBranch: branch,
    destinationBranch: scan.mainBranch,
    closeSourceBranch: true,
  });

  const now = deps.clock.now().toISOString();
  await new PullRequestsRepository(deps.db).save({
    repoUuid: scan.repoUuid,
    id: pr.id,
    workspaceId: scan.workspaceId,
    branch,
    title: pr.title,
    url: pr.htmlUrl,
    state: pr.state,
    codemodId: codemod.id,
    findingIds: fixed.map((f) => f.id),
    createdAt: now,
    updatedAt: now,
  });
  const findingsRepository = new FindingsRepository(deps.db);
  for (const finding of fixed) {
    await findingsRepository.update({
      ...finding,
      status: 'fix_proposed',
      fix: { codemodId: codemod.id, title: codemod.title, description: codemod.summary, diff: diffs.get(finding.id) ?? '' },
      pullRequest: { id: pr.id, url: pr.htmlUrl, state: pr.state, branch },
      updatedAt: now,
    });
  }
  return { kind: 'opened', pullRequest: { id: pr.id, url: pr.htmlUrl } };
}
