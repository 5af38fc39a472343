import { structuredPatch } from 'diff';
import type { BitbucketClient, FileChange, RepoRef } from '../../bitbucket/types';
import { fixFile } from '../../domain/codemods/engine';
import { languageForPath, type LanguageId } from '../../domain/codemods/parser';
import { CodemodRegistry } from '../../domain/codemods/registry';
import type { Codemod, ProjectContext } from '../../domain/codemods/types';
import type { Finding } from '../../domain/finding';
import type { PrFileChange } from '../../domain/pr/description';

/** Reads a file of the scanned commit; the scan job's per-job cache when it has one. */
export interface SourceReader {
  read(path: string): Promise<string | undefined>;
  /** The repository's manifests for these languages, read once per job (see `SourceFiles.project`). */
  project?(languages: Iterable<LanguageId>): Promise<ProjectContext>;
}

export interface PreparedFix {
  files: FileChange[];
  changes: PrFileChange[];
  fixed: Finding[];
  /** Unified diff of the file each fixed finding is in, by finding id. */
  diffs: Map<string, string>;
  /** Why findings were not fixed, for people. */
  reasons: string[];
  /** The group's findings this step did not fix, each with why. */
  unfixed: { finding: Finding; reason: string }[];
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
 * workspace turned off); the scan's dry run already chose it per finding, trying every candidate —
 * with the project context the job read from the manifests, and keeps what it fixed. Nothing is
 * written here.
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
  const prepared: PreparedFix = { files: [], changes: [], fixed: [], diffs: new Map(), reasons: [], unfixed: [] };
  const byId = new Map(findings.map((finding) => [finding.id, finding]));
  const fixedIds = new Set<string>();
  const registry = new CodemodRegistry([codemod]);
  const languages = new Set([...byPath.keys()].flatMap((path) => languageForPath(path) ?? []));
  const project: ProjectContext | undefined = sources?.project && languages.size > 0 ? await sources.project(languages) : undefined;
  for (const [path, fileFindings] of byPath) {
    const content = sources ? await sources.read(path) : await client.readFile(repo, commit, path);
    if (content === undefined) {
      const reason = `${path} does not exist at ${commit.slice(0, 12)}`;
      prepared.reasons.push(reason);
      prepared.unfixed.push(...fileFindings.map((finding) => ({ finding, reason })));
      continue;
    }
    const result = await fixFile({
      path,
      content,
      // Whichever rule of a folded finding named it, the group's codemod is the one to run.
      findings: fileFindings.flatMap((f) => (f.location ? [{ id: f.id, ruleId: f.ruleId, cwes: f.cwes, location: f.location, codemods: [codemod.id] }] : [])),
    }, { registry, ...(project ? { project } : {}) });
    prepared.reasons.push(...result.unfixed.map((u) => u.reason));
    for (const { findingId, reason } of result.unfixed) {
      const finding = byId.get(findingId);
      if (finding) prepared.unfixed.push({ finding, reason });
    }
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
