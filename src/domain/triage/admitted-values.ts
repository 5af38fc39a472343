import { escape } from './guards';
import { isLiteral } from './expressions';

/**
 * A value admitted by a membership test against literals, else a literal fallback:
 * `x if x in ("day", "week") else "week"` (Python), `['asc', 'desc'].includes(x) ? x : 'asc'`
 * (JavaScript), also with the list fixed once at the module's top level (`ALLOWED = ("a", "b")`).
 * Whatever the condition, the result is one of the literals the code wrote. Not when the fallback is
 * not a literal, the test is on another name, or the list holds anything but literals.
 */
const literal = String.raw`(?:"[^"\\\n]*"|'[^'\\\n]*'|-?\d+(?:\.\d+)?)`;
const literalList = String.raw`[[({]\s*(?:${literal}\s*,\s*)*${literal}\s*,?\s*[\])}]`;

export function admittedByMembership(name: string, value: string, module: readonly string[]): string | undefined {
  const v = value.trim();
  const py = /^([A-Za-z_][\w.]*)\s+if\s+([A-Za-z_][\w.]*)\s+in\s+(.+?)\s+else\s+(.+)$/.exec(v);
  const js = /^(.+?)\.includes\(\s*([A-Za-z_$][\w$.]*)\s*\)\s*\?\s*([A-Za-z_$][\w$.]*)\s*:\s*(.+)$/.exec(v);
  const [kept, tested, list, fallback] = py ? [py[1], py[2], py[3], py[4]] : js ? [js[3], js[2], js[1], js[4]] : [];
  if (!kept || kept !== tested || !list || !fallback || !isLiteral(fallback.replace(/;$/, '').trim())) return undefined;
  if (new RegExp(String.raw`^${literalList}$`).test(list.trim())) return `\`${kept}\` kept only when it is one of ${list.trim()}, else the literal ${fallback.trim()}`;
  // A list named once at the top level of the module, holding literals only.
  if (!/^[A-Za-z_$][\w$]*$/.test(list.trim())) return undefined;
  const l = escape(list.trim());
  const definitions = module.filter((m) => new RegExp(String.raw`(?<![\w$.])${l}\s*(?::[^=]+)?=(?!=)|(?<![\w$.])${l}\.(?:push|unshift|splice|append|extend|insert|add)\(`).test(m));
  const top = definitions.length === 1 ? new RegExp(String.raw`^(?:export\s+)?(?:(?:const|let|var)\s+)?${l}\s*(?::[^=]+)?=\s*(?:new Set\(|frozenset\(|set\()?\s*(${literalList})`).exec(definitions[0] ?? '') : undefined;
  return top ? `\`${kept}\` kept only when it is one of \`${list.trim()}\` (${top[1]}), else the literal ${fallback.trim()}` : undefined;
}
