/**
 * The scan job's dry run of the codemods: for each finding, every codemod offered for it (by its
 * rules, else its CWEs; most specific first, those the workspace turned off last) is tried on
 * the file as the job already read it, and the first whose fix passes verification wins. "Fix
 * available" means exactly this: a detector matched the finding's code at the scanned commit and
 * the fix verified. Nothing is written; the outcome is stored on the finding, decides the triage's
 * fix factor, and groups the pull requests by the codemod that really fixes each finding.
 */
import { fixFile, type FileFinding, type FileFix } from '../../domain/codemods/engine';
import { fixFor } from '../../domain/codemods/fix-for';
import { languageForPath } from '../../domain/codemods/parser';
import type { CodemodRegistry } from '../../domain/codemods/registry';
import type { ProjectContext } from '../../domain/codemods/types';
import type { FindingFixOutcome, NormalisedFinding } from '../../domain/finding';
import type { CodeAccess, TriageRead } from './source-files';

export interface DryRunInput {
  findings: readonly NormalisedFinding[];
  /** The files the job read (for triage), by path, or why each was not read. */
  reads: ReadonlyMap<string, TriageRead>;
  code: CodeAccess;
  commit: string;
  policy: { disabledCodemods?: readonly string[] };
  registry: CodemodRegistry;
}

type Entry = { finding: NormalisedFinding; fileFinding: FileFinding; on: string[]; turnedOff: string[] };

/** Each finding's outcome, by object identity. */
export async function dryRunFixes(input: DryRunInput): Promise<Map<NormalisedFinding, FindingFixOutcome>> {
  const { findings, reads, code, commit, policy, registry } = input;
  const outcomes = new Map<NormalisedFinding, FindingFixOutcome>();
  const byPath = new Map<string, Entry[]>();
  const off = new Set(policy.disabledCodemods ?? []);
  findings.forEach((finding, index) => {
    // Turned-off codemods are tried last: their outcome is kept (the pages then say a fix exists but
    // is turned off, and turning it on offers it without a new scan), and it is never used while off.
    const fix = fixFor(finding, undefined, registry);
    if (fix.kind !== 'codemod') return void outcomes.set(finding, { kind: 'not-tried', reason: fix.kind === 'none' ? fix.reason : 'no codemod handles it', codemods: [] });
    const on = fix.candidates.filter((c) => !off.has(c.codemod.id)).map((c) => c.codemod.id);
    const turnedOff = fix.candidates.filter((c) => off.has(c.codemod.id)).map((c) => c.codemod.id);
    const ids = [...on, ...turnedOff];
    const location = finding.location!; // fixFor answers `none` for a finding without a file
    const read = reads.get(location.path);
    const notRead = 'unavailable' in code ? code.unavailable : read === undefined ? 'its path alone decides its triage' : 'notRead' in read ? read.notRead : undefined;
    if (notRead !== undefined) {
      if (read !== undefined && 'deferred' in read && read.deferred) {
        return void outcomes.set(finding, { kind: 'not-tried', reason: `its file was not read for triage (${notRead}); the fix step reads it before choosing a fix`, codemods: ids, deferred: true });
      }
      return void outcomes.set(finding, { kind: 'not-tried', reason: `its file was not read during the scan (${notRead}), so no fix was tried`, codemods: ids });
    }
    const list = byPath.get(location.path) ?? [];
    list.push({ finding, fileFinding: { id: String(index), ruleId: fix.ruleId, cwes: finding.cwes, location }, on, turnedOff });
    byPath.set(location.path, list);
  });
  if (byPath.size === 0) return outcomes;
  const project = await projectFor(code, byPath.keys());
  for (const [path, entries] of byPath) {
    const read = reads.get(path);
    if (!read || !('content' in read)) continue;
    const run = async (pass: Entry[], codemodsOf: (entry: Entry) => string[]): Promise<Pick<FileFix, 'changes' | 'fixed' | 'unfixed' | 'tried'>> =>
      pass.length === 0
        ? { changes: [], fixed: [], unfixed: [], tried: [] }
        : fixFile({ path, content: read.content, findings: pass.map((entry) => ({ ...entry.fileFinding, codemods: codemodsOf(entry) })) }, { registry, ...(project ? { project } : {}) });
    // The codemods that are on first, all the file's fixes verified together as the fix step would;
    // then, apart, the turned-off ones for what those left, so a fix that is off never crowds out one that is on.
    const first = await run(entries.filter((entry) => entry.on.length > 0), (entry) => entry.on);
    const second = entries.filter((entry) => entry.turnedOff.length > 0 && !first.fixed.includes(entry.fileFinding.id));
    const late = second.length > 0 ? await run(second, (entry) => entry.turnedOff) : undefined;
    for (const entry of entries) {
      const id = entry.fileFinding.id;
      const change = first.changes.find((c) => c.findingId === id) ?? late?.changes.find((c) => c.findingId === id);
      if (change) {
        outcomes.set(entry.finding, { kind: 'fixed', codemodId: change.codemodId, commit, description: change.description });
        continue;
      }
      const tried = [...(first.tried.find((t) => t.findingId === id)?.codemods ?? []), ...(late?.tried.find((t) => t.findingId === id)?.codemods ?? [])];
      const reason = (tried.find((t) => t.matched) ?? tried[0])?.reason
        ?? first.unfixed.find((u) => u.findingId === id)?.reason ?? late?.unfixed.find((u) => u.findingId === id)?.reason ?? 'no codemod fixed it';
      outcomes.set(entry.finding, { kind: 'not-fixed', commit, reason, tried });
    }
  }
  return outcomes;
}

/** The manifests' project context for the languages of these files (read once per job), when the job can read. */
async function projectFor(code: CodeAccess, paths: Iterable<string>): Promise<ProjectContext | undefined> {
  if (!('sources' in code)) return undefined;
  const languages = new Set([...paths].flatMap((path) => languageForPath(path) ?? []));
  return languages.size === 0 ? undefined : code.sources.project(languages);
}
