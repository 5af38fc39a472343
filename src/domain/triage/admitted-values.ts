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

/**
 * A redirect target kept only when it is a path on this site, else a literal path:
 * `t if t.startswith("/") and not t.startswith("//") else "/"` (`t.startsWith('/') &&
 * !t.startsWith('//') ? t : '/'`). A single leading `/` and no second one leaves no host to name;
 * `/\evil.example` also reaches a host in browsers, so the test must refuse `/\` too unless the
 * response is Starlette's `RedirectResponse`, which percent-encodes a backslash in the URL.
 */
export function sameSitePathTernary(value: string, module: readonly string[]): string | undefined {
  const v = value.trim().replace(/;$/, '');
  const py = /^([A-Za-z_][\w.]*)\s+if\s+(.+?)\s+else\s+(["'][^"']*["'])$/.exec(v);
  const js = /^(.+?)\s*\?\s*([A-Za-z_$][\w$.]*)\s*:\s*(["'`][^"'`]*["'`])$/.exec(v);
  const [kept, condition, fallback] = py ? [py[1], py[2], py[3]] : js ? [js[2], js[1], js[3]] : [];
  if (!kept || !condition || !fallback || !/^["'`]\//.test(fallback) || /^["'`]\/\//.test(fallback)) return undefined;
  const k = escape(kept);
  const call = (prefix: string) => String.raw`${k}\.(?:startswith|startsWith)\(\s*["']${prefix}["']\s*\)`;
  // Only conjunctions: an `or` would admit what one side refuses.
  if (/\s(?:or)\s|\|\|/.test(condition)) return undefined;
  const parts = condition.split(/\s+and\s+|\s*&&\s*/).map((p) => p.trim());
  const positive = parts.some((p) => new RegExp(`^${call('/')}$`).test(p));
  const refused = (prefix: string) => parts.some((p) => new RegExp(String.raw`^(?:not\s+|!\s*)${call(prefix)}$`).test(p));
  if (!positive || !refused('//')) return undefined;
  const starlette = module.some((l) => /\bRedirectResponse\b/.test(l)) && module.some((l) => /^\s*from\s+(?:starlette|fastapi)[\w.]*\s+import\b/.test(l));
  if (!refused('/\\\\\\\\') && !starlette) return undefined;
  return `\`${kept}\` kept only when it starts with a single \`/\` (a path on this site${refused('/\\\\\\\\') ? '' : '; Starlette percent-encodes a backslash'}), else ${fallback}`;
}
