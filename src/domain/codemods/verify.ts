/**
 * Checks a fix before it leaves the engine: the edited file parses with no new ERROR/MISSING nodes,
 * the codemod's detector no longer flags the fixed place, and running the codemod there again
 * changes nothing. Any failure drops the fix.
 */
import { Parser, type Edit, type Language, type Node, type Point, type Tree } from 'web-tree-sitter';
import { applyEdits, countSyntaxErrors, lineAt, mapOffset, normaliseEdits } from './edits';
import { parseWith, type LanguageId } from './parser';
import { sharedRoot } from './shared-root';
import { isApplied, type Codemod, type ProjectContext, type TextEdit } from './types';

/** One fix to check: the codemod and the (original) node it rewrote. */
export interface FixUnderTest {
  codemod: Codemod;
  node: Node;
}

export interface VerifyInput {
  grammar: Language;
  language: LanguageId;
  path: string;
  source: string;
  /** The original file's tree: the fixed file is re-parsed incrementally from it (left untouched). */
  tree?: Tree;
  baseErrors: number;
  edits: readonly TextEdit[];
  fixes: readonly FixUnderTest[];
  /** Given to the codemods' second run exactly as to their first. */
  project?: ProjectContext;
}

/** The failure, prefixed "verification failed: ", or undefined when the edited file passes. */
export function verifyEdits(input: VerifyInput): string | undefined {
  const { grammar, language, path, source, edits } = input;
  const fixed = applyEdits(source, edits);
  if (fixed === source) return 'verification failed: the fix changes nothing';
  const tree = input.tree === undefined ? parseWith(grammar, fixed) : reparse(grammar, input.tree, source, edits, fixed);
  try {
    const root = sharedRoot(tree.rootNode);
    const errors = countSyntaxErrors(root);
    if (errors > input.baseErrors) {
      return `verification failed: the fixed file has ${errors - input.baseErrors} new syntax error(s)`;
    }
    for (const fix of input.fixes) {
      try {
        const failure = recheck(fix, { root, fixed, edits, language, path, ...(input.project ? { project: input.project } : {}) });
        if (failure !== undefined) return failure;
      } catch (error) {
        return `verification failed: ${fix.codemod.id} threw on the fixed file (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    return undefined;
  } finally {
    tree.delete();
  }
}

/** Runs the codemod again where it just fixed: nothing may be left to fix or flag there. */
function recheck(
  { codemod, node }: FixUnderTest,
  { root, fixed, edits, language, path, project }: { root: Node; fixed: string; edits: readonly TextEdit[]; language: LanguageId; path: string; project?: ProjectContext },
): string | undefined {
  const start = mapOffset(node.startIndex, edits, 'start');
  const line = lineAt(fixed, start);
  // "At that place": candidates of the same codemod starting where the rewritten node now starts.
  const again = codemod.candidates(root, language).filter((c) => c.startIndex === start);
  for (const candidate of again) {
    const outcome = codemod.fix({ node: candidate, root, source: fixed, language, path, ...(project ? { project } : {}) });
    if (isApplied(outcome)) {
      if (applyEdits(fixed, outcome.edits) !== fixed) return `verification failed: ${codemod.id} would change line ${line} again (not idempotent)`;
    } else if (outcome.alreadySafe !== true) {
      return `verification failed: the ${codemod.target} on line ${line} is still flagged after the fix (${outcome.unfixed})`;
    }
  }
  return undefined;
}

/** Row and column (UTF-16 code units, as web-tree-sitter reports them for JS strings) of an offset. */
function pointAt(source: string, offset: number): Point {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  let row = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < lineStart; i = source.indexOf('\n', i + 1)) row++;
  return { row, column: offset - lineStart };
}

function pointAfter(start: Point, text: string): Point {
  const lastNewline = text.lastIndexOf('\n');
  if (lastNewline === -1) return { row: start.row, column: start.column + text.length };
  let newlines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines++;
  return { row: start.row + newlines, column: text.length - lastNewline - 1 };
}

/**
 * The fixed file's tree, parsed incrementally: the edits are applied to a copy of the original tree, last
 * first so each edit's original offsets are still right, and tree-sitter re-parses only what changed.
 */
export function reparse(grammar: Language, original: Tree, source: string, edits: readonly TextEdit[], fixed: string): Tree {
  const copy = original.copy();
  const parser = new Parser();
  try {
    for (const edit of normaliseEdits(edits).reverse()) {
      const startPosition = pointAt(source, edit.start);
      const change: Edit = {
        startIndex: edit.start,
        oldEndIndex: edit.end,
        newEndIndex: edit.start + edit.text.length,
        startPosition,
        oldEndPosition: pointAt(source, edit.end),
        newEndPosition: pointAfter(startPosition, edit.text),
      };
      copy.edit(change);
    }
    parser.setLanguage(grammar);
    const tree = parser.parse(fixed, copy);
    if (tree === null) throw new Error('tree-sitter returned no tree');
    return tree;
  } finally {
    parser.delete();
    copy.delete();
  }
}
