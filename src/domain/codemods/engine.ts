/**
 * Fixes one file: picks a codemod per finding, finds exactly one target node in the finding's region,
 * asks the codemod for minimal text edits, verifies each fix alone and then all together, and returns
 * the new content, a unified diff and, per finding, what was done or why not.
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
  unfixed: { findingId: string; reason: string }[];
}

export interface FixFileOptions {
  /** Defaults to every shipped codemod; tests inject their own. */
  registry?: CodemodRegistry;
  /** The project's dependencies, for codemods the file alone cannot decide (the SQL driver of a client passed in). */
  project?: ProjectContext;
}

interface Plan {
  codemod: Codemod;
  node: Node;
  outcome: FixApplied;
  findingIds: string[];
}

/** Per-file state shared by every finding: the detector runs once per codemod, not once per finding. */
type Context = { source: string; language: LanguageId; path: string; project?: ProjectContext; candidatesOf: (codemod: Codemod) => Node[] };
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

/** Tries the codemods in order; the first that plans a fix wins. Returns the best reason when none does. */
function planFor(finding: FileFinding, codemods: Codemod[], root: Node, ctx: Context, plans: Map<string, Plan>): string | undefined {
  const reasons: Declined[] = [];
  for (const codemod of codemods) {
    try {
      const reason = tryCodemod(codemod, finding, root, ctx, plans);
      if (reason === undefined) return undefined;
      reasons.push(reason);
    } catch (error) {
      // A bug in one codemod must not take the file down: report it against the finding.
      reasons.push({ reason: `${codemod.id} failed: ${error instanceof Error ? error.message : String(error)}`, matched: true });
    }
  }
  const best = reasons.find((r) => r.matched) ?? reasons[0];
  return best?.reason ?? `no codemod handles rule ${finding.ruleId}`;
}

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
  const outcome = codemod.fix({ node, root, source: ctx.source, language: ctx.language, path: ctx.path, project: ctx.project });
  if (!isApplied(outcome)) return { reason: outcome.unfixed, matched: true };
  const malformed = outcome.edits.find((e) => typeof e.text !== 'string' || !Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > ctx.source.length);
  if (malformed !== undefined) return { reason: `${codemod.id} failed: it returned a malformed edit (${JSON.stringify({ start: malformed.start, end: malformed.end })})`, matched: true };
  plans.set(key, { codemod, node, outcome, findingIds: [finding.id] });
  return undefined;
}

function finish(input: FileFixInput, content: string, plans: Plan[], unfixed: FileFix['unfixed']): FileFix {
  // Report in the caller's finding order, whatever order the fixes were planned and verified in.
  const order = new Map(input.findings.map((f, i) => [f.id, i]));
  const byFinding = (a: { findingId: string }, b: { findingId: string }): number => (order.get(a.findingId) ?? 0) - (order.get(b.findingId) ?? 0);
  const changes = plans
    .flatMap((p) => p.findingIds.map((findingId) => ({ findingId, codemodId: p.codemod.id, line: p.node.startPosition.row + 1, description: p.outcome.description })))
    .sort(byFinding);
  unfixed.sort(byFinding);
  return {
    path: input.path,
    content,
    diff: unifiedDiff(input.path, input.content, content),
    changes,
    fixed: changes.map((c) => c.findingId),
    unfixed,
  };
}

export async function fixFile(input: FileFixInput, options: FixFileOptions = {}): Promise<FileFix> {
  const { path, content: source } = input;
  const registry = options.registry ?? createDefaultRegistry();
  const unfixed: FileFix['unfixed'] = [];
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
    const ctx: Context = { source, language, path, project: options.project, candidatesOf };
    const plans = new Map<string, Plan>();
    for (const finding of input.findings) {
      if (finding.location.path !== path) {
        unfixed.push({ findingId: finding.id, reason: `finding is located in ${finding.location.path}, not ${path}` });
        continue;
      }
      const codemods = registry.find({ ruleId: finding.ruleId, cwes: finding.cwes, path });
      const refusal = codemods.length === 0 ? refusalFor(finding.ruleId) : undefined;
      const unhandled = refusal === undefined ? `no codemod handles rule ${finding.ruleId}` : `no safe automatic fix: ${refusal}`;
      const reason = codemods.length === 0 ? unhandled : planFor(finding, codemods, root, ctx, plans);
      if (reason !== undefined) unfixed.push({ findingId: finding.id, reason });
    }
    const verify = (edits: TextEdit[], fixes: Plan[]): string | undefined =>
      verifyEdits({ grammar, language, path, source, tree, baseErrors, edits, fixes });
    const editsOf = (group: Plan[]): TextEdit[] | string => {
      const imports = importEdits(language, root, source, path, group.flatMap((p) => p.outcome.imports ?? []));
      if (typeof imports === 'string') return `cannot add the import the fix needs: ${imports}`;
      const edits = normaliseEdits([...group.flatMap((p) => p.outcome.edits), ...imports]);
      return findOverlap(edits) === undefined ? edits : 'verification failed: the fix has overlapping edits';
    };
    const drop = (plan: Plan, reason: string): void => {
      for (const findingId of plan.findingIds) unfixed.push({ findingId, reason });
    };
    // Each fix alone, then the survivors together; a fix that conflicts with an earlier one waits for a rerun.
    const accepted: Plan[] = [];
    for (const plan of plans.values()) {
      const own = editsOf([plan]);
      const failure = typeof own === 'string' ? own : verify(own, [plan]);
      if (failure !== undefined) {
        drop(plan, failure);
        continue;
      }
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
        return finish(input, source, [], unfixed);
      }
    }
    return finish(input, applyEdits(source, edits), accepted, unfixed);
  } finally {
    tree.delete();
  }
}
