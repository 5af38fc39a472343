/**
 * Fixes one file: tries each codemod offered for a finding in turn (most specific first), finds
 * exactly one target node in the finding's region, asks the codemod for minimal text edits and
 * verifies the fix alone — the first verified fix wins — then verifies all the file's fixes
 * together, and returns the new content, a unified diff and, per finding, what was done or each
 * codemod tried with its reason.
 */
import { createTwoFilesPatch } from 'diff';
import type { Language, Node } from 'web-tree-sitter';
import type { SourceLocation } from '../finding';
import { countSyntaxErrors, findOverlap, applyEdits, normaliseEdits } from './edits';
import { languageForPath, loadLanguage, parseWith, type LanguageId } from './parser';
import { javaImportEdits } from './java/imports';
import { jsImportEdits } from './js/imports';
import { pythonImportEdits } from './python/imports';
import { createDefaultRegistry, type CodemodRegistry } from './registry';
import { refusalFor } from './refusals';
import { selectTarget } from './select';
import { sharedRoot } from './shared-root';
import { isApplied, type Codemod, type FixApplied, type ImportRequest, type ProjectContext, type TextEdit } from './types';
import { verifyEdits } from './verify';

export interface FileFinding {
  id: string;
  ruleId: string;
  cwes: string[];
  location: SourceLocation;
  /**
   * The codemods to try, most specific first (`fixFor`'s candidates). Absent: the registry's codemods
   * for `ruleId` (else the CWEs). Ids the registry does not hold are skipped.
   */
  codemods?: readonly string[];
}

export interface FileFixInput {
  path: string;
  content: string;
  findings: FileFinding[];
}

export interface FileChange {
  findingId: string;
  codemodId: string;
  /** 1-based line of the rewritten node in the original file. */
  line: number;
  description: string;
}

export interface FileFix {
  path: string;
  /** The new content; equal to the input when nothing was fixed. */
  content: string;
  /** Unified diff with `a/` and `b/` headers; empty when nothing changed. */
  diff: string;
  changes: FileChange[];
  fixed: string[];
  /** Per finding not fixed, the most telling reason. */
  unfixed: { findingId: string; reason: string }[];
  /** Per finding not fixed that a codemod was offered for: what each one made of it, in the order tried. */
  tried: { findingId: string; codemods: CodemodTried[] }[];
}

/** One codemod tried on a finding that it did not fix. `matched`: its detector found its shape there. */
export interface CodemodTried {
  codemodId: string;
  reason: string;
  matched: boolean;
}

export interface FixFileOptions {
  /** Defaults to every shipped codemod; tests inject their own. */
  registry?: CodemodRegistry;
  /** The repository's manifests as the scan read them (dependencies, versions, language levels), handed to every codemod. */
  project?: ProjectContext;
}

interface Plan {
  codemod: Codemod;
  node: Node;
  outcome: FixApplied;
  findingIds: string[];
}

/** Per-file state shared by every finding: the detector runs once per codemod, not once per finding. */
type Context = {
  source: string;
  language: LanguageId;
  path: string;
  project?: ProjectContext;
  candidatesOf: (codemod: Codemod) => Node[];
  /** Why the plan's fix fails verification on its own, or undefined when it passes. */
  verifyAlone: (plan: Plan) => string | undefined;
};
type Declined = { reason: string; matched: boolean };

/** Import edits in the file's style, or the reason they cannot be added. */
function importEdits(language: LanguageId, root: Node, source: string, path: string, requests: ImportRequest[]): TextEdit[] | string {
  if (requests.length === 0) return [];
  if (language === 'python') return pythonImportEdits(root, source, requests);
  if (language === 'java') return javaImportEdits(root, source, requests);
  return jsImportEdits(root, source, path, requests);
}

export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
  return `diff --git a/${path} b/${path}\n${patch.replace(/^=+\n/, '')}`;
}

/**
 * Tries the codemods in order; the first whose fix passes verification on its own wins. Returns
 * every codemod tried with its reason when none does.
 */
function planFor(finding: FileFinding, codemods: Codemod[], root: Node, ctx: Context, plans: Map<string, Plan>): CodemodTried[] | undefined {
  const tried: CodemodTried[] = [];
  for (const codemod of codemods) {
    let declined: Declined | undefined;
    try {
      declined = tryCodemod(codemod, finding, root, ctx, plans);
    } catch (error) {
      // A bug in one codemod must not take the file down: report it against the finding.
      declined = { reason: `${codemod.id} failed: ${error instanceof Error ? error.message : String(error)}`, matched: true };
    }
    if (declined === undefined) return undefined;
    tried.push({ codemodId: codemod.id, ...declined });
  }
  return tried;
}

/** The most telling reason among those tried: a codemod whose detector matched says more than one that saw nothing. */
const bestReason = (tried: readonly CodemodTried[], ruleId: string): string =>
  (tried.find((t) => t.matched) ?? tried[0])?.reason ?? `no codemod handles rule ${ruleId}`;

/** Plans (or joins) a fix for the finding with one codemod; returns why not otherwise. */
function tryCodemod(codemod: Codemod, finding: FileFinding, root: Node, ctx: Context, plans: Map<string, Plan>): Declined | undefined {
  const selection = selectTarget(ctx.candidatesOf(codemod), finding.location, codemod.target);
  if (!('node' in selection)) return { reason: selection.reason, matched: selection.matches > 0 };
  const { node } = selection;
  const key = `${codemod.id}@${node.startIndex}:${node.endIndex}`;
  const existing = plans.get(key);
  if (existing !== undefined) {
    existing.findingIds.push(finding.id);
    return undefined;
  }
  const outcome = codemod.fix({ node, root, source: ctx.source, language: ctx.language, path: ctx.path, ...(ctx.project ? { project: ctx.project } : {}) });
  if (!isApplied(outcome)) return { reason: outcome.unfixed, matched: true };
  const malformed = outcome.edits.find((e) => typeof e.text !== 'string' || !Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > ctx.source.length);
  if (malformed !== undefined) return { reason: `${codemod.id} failed: it returned a malformed edit (${JSON.stringify({ start: malformed.start, end: malformed.end })})`, matched: true };
  const plan: Plan = { codemod, node, outcome, findingIds: [finding.id] };
  // Verified now, so that a fix failing verification leaves the finding to the next codemod.
  const failure = ctx.verifyAlone(plan);
  if (failure !== undefined) return { reason: failure, matched: true };
  plans.set(key, plan);
  return undefined;
}

function finish(input: FileFixInput, content: string, plans: Plan[], unfixed: FileFix['unfixed'], tried: FileFix['tried'] = []): FileFix {
  // Report in the caller's finding order, whatever order the fixes were planned and verified in.
  const order = new Map(input.findings.map((f, i) => [f.id, i]));
  const byFinding = (a: { findingId: string }, b: { findingId: string }): number => (order.get(a.findingId) ?? 0) - (order.get(b.findingId) ?? 0);
  const changes = plans
    .flatMap((p) => p.findingIds.map((findingId) => ({ findingId, codemodId: p.codemod.id, line: p.node.startPosition.row + 1, description: p.outcome.description })))
    .sort(byFinding);
  unfixed.sort(byFinding);
  tried.sort(byFinding);
  return {
    path: input.path,
    content,
    diff: unifiedDiff(input.path, input.content, content),
    changes,
    fixed: changes.map((c) => c.findingId),
    unfixed,
    tried,
  };
}

export async function fixFile(input: FileFixInput, options: FixFileOptions = {}): Promise<FileFix> {
  const { path, content: source } = input;
  const registry = options.registry ?? createDefaultRegistry();
  const unfixed: FileFix['unfixed'] = [];
  const tried: FileFix['tried'] = [];
  const language = languageForPath(path);
  if (language === undefined) {
    return finish(input, source, [], input.findings.map((f) => ({ findingId: f.id, reason: `no codemod reads ${path} (unknown file type)` })));
  }
  const grammar: Language = await loadLanguage(language);
  const tree = parseWith(grammar, source);
  try {
    const root = sharedRoot(tree.rootNode);
    const baseErrors = countSyntaxErrors(root);
    const detected = new Map<Codemod, Node[]>();
    const candidatesOf = (codemod: Codemod): Node[] => {
      const found = detected.get(codemod) ?? codemod.candidates(root, language);
      detected.set(codemod, found);
      return found;
    };
    const verify = (edits: TextEdit[], fixes: Plan[]): string | undefined =>
      verifyEdits({ grammar, language, path, source, tree, baseErrors, edits, fixes, ...(options.project ? { project: options.project } : {}) });
    const editsOf = (group: Plan[]): TextEdit[] | string => {
      const imports = importEdits(language, root, source, path, group.flatMap((p) => p.outcome.imports ?? []));
      if (typeof imports === 'string') return `cannot add the import the fix needs: ${imports}`;
      const edits = normaliseEdits([...group.flatMap((p) => p.outcome.edits), ...imports]);
      return findOverlap(edits) === undefined ? edits : 'verification failed: the fix has overlapping edits';
    };
    const verifyAlone = (plan: Plan): string | undefined => {
      const own = editsOf([plan]);
      return typeof own === 'string' ? own : verify(own, [plan]);
    };
    const ctx: Context = { source, language, path, candidatesOf, verifyAlone, ...(options.project ? { project: options.project } : {}) };
    const plans = new Map<string, Plan>();
    for (const finding of input.findings) {
      if (finding.location.path !== path) {
        unfixed.push({ findingId: finding.id, reason: `finding is located in ${finding.location.path}, not ${path}` });
        continue;
      }
      const codemods = finding.codemods !== undefined
        ? finding.codemods.flatMap((id) => registry.get(id) ?? [])
        : registry.find({ ruleId: finding.ruleId, cwes: finding.cwes, path });
      if (codemods.length === 0) {
        // A rule the catalogue deliberately leaves alone says why (refusals.ts), not just "no codemod".
        const refusal = refusalFor(finding.ruleId);
        unfixed.push({ findingId: finding.id, reason: refusal === undefined ? `no codemod handles rule ${finding.ruleId}` : `no safe automatic fix: ${refusal}` });
        continue;
      }
      const codemodsTried = planFor(finding, codemods, root, ctx, plans);
      if (codemodsTried !== undefined) {
        unfixed.push({ findingId: finding.id, reason: bestReason(codemodsTried, finding.ruleId) });
        tried.push({ findingId: finding.id, codemods: codemodsTried });
      }
    }
    const drop = (plan: Plan, reason: string): void => {
      for (const findingId of plan.findingIds) {
        unfixed.push({ findingId, reason });
        tried.push({ findingId, codemods: [{ codemodId: plan.codemod.id, reason, matched: true }] });
      }
    };
    // Each fix was verified alone when planned; the survivors go together, and a fix that conflicts
    // with an earlier one waits for a rerun.
    const accepted: Plan[] = [];
    for (const plan of plans.values()) {
      const combined = editsOf([...accepted, plan]);
      if (typeof combined === 'string') {
        drop(plan, 'overlaps another fix in this file; it will be retried once that fix is merged');
        continue;
      }
      accepted.push(plan);
    }
    const edits = editsOf(accepted);
    if (typeof edits === 'string') throw new Error(`accepted fixes overlap: ${edits}`);
    // One survivor was verified alone on exactly these edits; only a group needs a second check.
    if (accepted.length > 1) {
      const failure = verify(edits, accepted);
      if (failure !== undefined) {
        for (const plan of accepted) drop(plan, `${failure} (with the other fixes in this file)`);
        return finish(input, source, [], unfixed, tried);
      }
    }
    return finish(input, applyEdits(source, edits), accepted, unfixed, tried);
  } finally {
    tree.delete();
  }
}
