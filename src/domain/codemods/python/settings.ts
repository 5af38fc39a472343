/** Django settings helpers: top-level `NAME = value` assignments in a settings module. */
import type { Node } from 'web-tree-sitter';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** `settings.py`, `settings/<x>.py`, `<x>_settings.py`: where Django reads settings from. */
function isSettingsPath(path: string): boolean {
  return /(^|\/)((\w+_)?settings\.py|settings\/\w+\.py)$/.test(path);
}

/** Top-level `NAME = <value>` statements (plain assignment to a bare name). */
function topLevelAssignments(root: Node, name: string): Node[] {
  return root.namedChildren
    .filter((s): s is Node => s?.type === 'expression_statement')
    .map((s) => s.namedChild(0))
    .filter((a): a is Node => a?.type === 'assignment' && a.childForFieldName('left')?.text === name && a.childForFieldName('right') !== null);
}

/** A codemod flipping a boolean Django setting from `unsafe` to its safe value. */
export function settingFlip(name: string, safe: 'True' | 'False', why: string): Pick<Codemod, 'candidates' | 'fix' | 'target'> {
  const unsafeType = safe === 'True' ? 'false' : 'true';
  return {
    target: `${name} setting`,
    candidates: (root) => topLevelAssignments(root, name),
    fix(ctx: FixContext): FixOutcome {
      const line = ctx.node.startPosition.row + 1;
      const value = ctx.node.childForFieldName('right');
      if (value === null) return { unfixed: `line ${line} holds no ${name} setting` };
      if (value.type === safe.toLowerCase()) return { unfixed: `${name} on line ${line} is already ${safe}; nothing to fix`, alreadySafe: true };
      if (!isSettingsPath(ctx.path)) return { unfixed: `${ctx.path} is not a Django settings module; ${name} there may mean something else` };
      if (value.type !== unsafeType) return { unfixed: `${name} on line ${line} is set from an expression (${value.text}); review it by hand` };
      return { edits: [{ start: value.startIndex, end: value.endIndex, text: safe }], description: `Set ${name} = ${safe} on line ${line}, ${why}.` };
    },
  };
}
