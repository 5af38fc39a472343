/**
 * Checks a fix before it leaves the engine: the edited file parses with no new ERROR/MISSING nodes,
 * the codemod's detector no longer flags the fixed place, and running the codemod there again
 * changes nothing. Any failure drops the fix.
 */
import type { Language, Node } from 'web-tree-sitter';
import { applyEdits, countSyntaxErrors, lineAt, mapOffset } from './edits';
import { parseWith, type LanguageId } from './parser';
import { isApplied, type Codemod, type TextEdit } from './types';

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
  baseErrors: number;
  edits: readonly TextEdit[];
  fixes: readonly FixUnderTest[];
}

/** The failure, prefixed "verification failed: ", or undefined when the edited file passes. */
export function verifyEdits(input: VerifyInput): string | undefined {
  const { grammar, language, path, source, edits } = input;
  const fixed = applyEdits(source, edits);
  if (fixed === source) return 'verification failed: the fix changes nothing';
  const tree = parseWith(grammar, fixed);
  try {
    const root = tree.rootNode;
    const errors = countSyntaxErrors(root);
    if (errors > input.baseErrors) {
      return `verification failed: the fixed file has ${errors - input.baseErrors} new syntax error(s)`;
    }
    for (const fix of input.fixes) {
      try {
        const failure = recheck(fix, { root, fixed, edits, language, path });
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
  { root, fixed, edits, language, path }: { root: Node; fixed: string; edits: readonly TextEdit[]; language: LanguageId; path: string },
): string | undefined {
  const start = mapOffset(node.startIndex, edits, 'start');
  const line = lineAt(fixed, start);
  // "At that place": candidates of the same codemod starting where the rewritten node now starts.
  const again = codemod.candidates(root, language).filter((c) => c.startIndex === start);
  for (const candidate of again) {
    const outcome = codemod.fix({ node: candidate, root, source: fixed, language, path });
    if (isApplied(outcome)) {
      if (applyEdits(fixed, outcome.edits) !== fixed) return `verification failed: ${codemod.id} would change line ${line} again (not idempotent)`;
    } else if (outcome.alreadySafe !== true) {
      return `verification failed: the ${codemod.target} on line ${line} is still flagged after the fix (${outcome.unfixed})`;
    }
  }
  return undefined;
}
