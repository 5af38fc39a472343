import { indentOf, type NumberedLine } from './code-view';
import { escape } from './guards';

/**
 * A name bound to each element of a list of literals the module fixes once at its top level:
 * `for (const name of TEMPLATE_NAMES)`, `for name in TEMPLATE_NAMES:` or a callback of one of its
 * array methods (`TEMPLATE_NAMES.map((name) => …)`), with `const TEMPLATE_NAMES = ['invite',
 * 'reminder'] as const` (or a Python list or tuple). Each value is one the code wrote, never a
 * caller's. Not when the list is assigned twice, holds anything but literals, or is spread from
 * elsewhere.
 */
const literal = String.raw`(?:"[^"\\\n]*"|'[^'\\\n]*'|-?\d+(?:\.\d+)?)`;
const literalList = new RegExp(String.raw`^\s*[[(]\s*(?:${literal}\s*,\s*)*(?:${literal}\s*,?\s*)?[\])]\s*(?:as\s+const\s*)?;?\s*(?:#.*|\/\/.*)?$`);

export function constantListElement(name: string, here: string, scope: readonly NumberedLine[], module: readonly string[]): { line?: number; code: string; how: string } | undefined {
  const n = escape(name);
  const binders = [
    new RegExp(String.raw`\bfor\s*\(\s*(?:const|let|var)\s+${n}\s+of\s+([A-Za-z_$][\w$]*)\s*\)`),
    new RegExp(String.raw`^\s*(?:async\s+)?for\s+${n}\s+in\s+([A-Za-z_][\w]*)\s*:`),
    new RegExp(String.raw`(?<![\w$.])([A-Za-z_$][\w$]*)\.(?:map|forEach|flatMap|filter|some|every|find)\(\s*(?:async\s*)?(?:\(\s*${n}\s*(?::\s*[^),]+)?\s*\)|${n})\s*=>`),
  ];
  const candidates: { line?: number; text: string }[] = [{ text: here }, ...[...scope].reverse()];
  for (const { line, text } of candidates) {
    const bound = binders.map((b) => b.exec(text)).find(Boolean);
    if (!bound) continue;
    const list = bound[1] ?? '';
    const l = escape(list);
    const assigned = module.filter((m) => new RegExp(String.raw`(?<![\w$.])${l}\s*(?::[^=]+)?=(?!=)|(?<![\w$.])${l}\.(?:push|unshift|splice|append|extend|insert)\(|(?<![\w$.])${l}\[[^\]]*\]\s*=(?!=)`).test(m));
    const definition = assigned.length === 1 ? assigned[0] ?? '' : '';
    const top = new RegExp(String.raw`^(?:export\s+)?(?:(?:const|let|var)\s+)?${l}\s*(?::[^=]+)?=\s*(.+)$`).exec(definition);
    if (!top || indentOf(definition) > 0 || !literalList.test(top[1] ?? '')) return undefined;
    return { line, code: `${text.trim().slice(0, 80)} (${definition.trim().slice(0, 80)})`, how: `one of the literals of \`${list}\`, a list the module fixes once at its top level` };
  }
  return undefined;
}
