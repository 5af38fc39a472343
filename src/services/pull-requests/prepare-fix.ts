import { structuredPatch } from 'diff';
import type { BitbucketClient, FileChange, RepoRef } from '../../bitbucket/types';
import { fixFile } from '../../domain/codemods/engine';
import { CodemodRegistry } from '../../domain/codemods/registry';
import type { Codemod } from '../../domain/codemods/types';
import { ruleIdsOf, type Finding } from '../../domain/finding';
import type { PrFileChange } from '../../domain/pr/description';

/** Reads a file of the scanned commit; the scan job's per-job cache when it has one. */
export interface SourceReader {
  read(path: string): Promise<string | undefined>;
}

export interface PreparedFix {
  files: FileChange[];
  changes: PrFileChange[];
  fixed: Finding[];
  /** Unified diff of the file each fixed finding is in, by finding id. */
  diffs: Map<string, string>;
  /** Why findings were not fixed, for people. */
  reasons: string[];
}

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

/**
 * Reads each file of the findings at `commit` (one call per file, or the job's cache), runs the
 * group's codemod — only that one, so the change is the fix the PR describes (and never one the
 * workspace turned off) — and keeps what it fixed. Nothing is written here.
 */
export async function prepareFix(
  client: BitbucketClient,
  repo: RepoRef,
  commit: string,
  codemod: Codemod,
  findings: readonly Finding[],
  sources?: SourceReader,
): Promise<PreparedFix> {
  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!finding.location) continue;
    byPath.set(finding.location.path, [...(byPath.get(finding.location.path) ?? []), finding]);
  }
  const prepared: PreparedFix = { files: [], changes: [], fixed: [], diffs: new Map(), reasons: [] };
  const fixedIds = new Set<string>();
  const registry = new CodemodRegistry([codemod]);
  for (const [path, fileFindings] of byPath) {
    const content = sources ? await sources.read(path) : await client.readFile(repo, commit, path);
    if (content === undefined) {
      prepared.reasons.push(`${path} does not exist at ${commit.slice(0, 12)}`);
      continue;
    }
    const result = await fixFile({
      path,
      content,
      // A finding folded from several rules is offered under the rule id this codemod answers.
      findings: fileFindings.flatMap((f) => (f.location ? [{ id: f.id, ruleId: ruleIdsOf(f).find((id) => registry.find({ ruleId: id, cwes: [], path }).length > 0) ?? f.ruleId, cwes: f.cwes, location: f.location }] : [])),
    }, { registry });
    prepared.reasons.push(...result.unfixed.map((u) => u.reason));
    if (result.fixed.length === 0 || result.content === content) continue;
    for (const id of result.fixed) {
      fixedIds.add(id);
      prepared.diffs.set(id, result.diff);
    }
    // Bitbucket drops the executable bit unless a commit names it; only scripts (a `#!` first
    // line) are worth the extra call to ask.
    const executable = content.startsWith('#!')
      ? ((await client.getFileMeta(repo, commit, path))?.attributes.includes('executable') ?? false)
      : false;
    prepared.files.push({ path, content: result.content, executable });
    prepared.changes.push(countLines(content, result.content, path));
  }
  prepared.fixed = findings.filter((finding) => fixedIds.has(finding.id));
  return prepared;
}
