import { indentOf, type CodeView } from './code-view';
import { isLiteral, topLevelArguments } from './expressions';
import { escape } from './guards';
import { opens, walkBrackets } from './brackets';

/**
 * A parameter of a local helper that every caller fills with a literal: `const pick = (tag, from)
 * => from.match(new RegExp(`<${tag}>`))` called only as `pick('title', xml)` and
 * `pick('description', xml)`. The helper must be defined inside another function (so no other
 * file can call it), its enclosing block must end in view (so every call is seen), it must be
 * called at least once, and never passed around by name (`items.map(pick)` hides its arguments).
 */
export function literalCallers(name: string, statement: string, view: CodeView, scopeHeader?: string): { helper: string; values: string[] } | undefined {
  const arrow = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\(([^)]*)\)\s*(?::[^=]+)?=>/.exec(statement);
  const declared = arrow ?? (scopeHeader ? /(?:function\s+|def\s+)([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/.exec(scopeHeader) : null);
  if (!declared) return undefined;
  const helper = declared[1] ?? '';
  const parameters = topLevelArguments(declared[2] ?? '').map((p) => p.replace(/[:=][\s\S]*$/, '').replace(/^\.\.\./, '').trim());
  const position = parameters.indexOf(name);
  if (position < 0) return undefined;
  const definitionIndex = view.lines.findIndex((line) => line.includes(declared[0]));
  const definitionIndent = indentOf(view.lines[definitionIndex] ?? '');
  if (definitionIndex < 0 || definitionIndent === 0 || /^\s*export\b/.test(view.lines[definitionIndex] ?? '')) return undefined;
  // The enclosing block closes in view: a later non-blank line indented less than the definition.
  const closes = view.lines.slice(definitionIndex + 1).some((line) => line.trim() !== '' && indentOf(line) < definitionIndent);
  if (!closes) return undefined;
  const values: string[] = [];
  const uses = new RegExp(String.raw`(?<![\w$.])${escape(helper)}(?![\w$])`, 'g');
  for (const [index, line] of view.lines.entries()) {
    if (index === definitionIndex) continue;
    for (const m of line.matchAll(uses)) {
      const after = line.slice((m.index ?? 0) + m[0].length);
      const call = /^\s*\(/.exec(after);
      if (!call) return undefined;
      const args = argumentsOf(after.slice(call[0].length));
      const value = args?.[position];
      if (value === undefined || !isLiteral(value)) return undefined;
      values.push(value);
    }
  }
  return values.length > 0 ? { helper, values: [...new Set(values)] } : undefined;
}

/** The arguments of a call whose text starts just after its `(`, when it closes on the same line. */
function argumentsOf(text: string): string[] | undefined {
  let depth = 1;
  let end = -1;
  walkBrackets(text, (bracket, index) => {
    depth += opens(bracket) ? 1 : -1;
    if (depth === 0) end = index;
    return depth === 0;
  });
  return end < 0 ? undefined : topLevelArguments(text.slice(0, end));
}
