import { escape } from './guards';
import { ifCondition, splitTop } from './helper-checks';
import type { NumberedLine } from './code-view';
import { block, dominates, reject } from './guards';

/**
 * A redirect target checked in place to be a path on this site, as code writes it: it must start
 * with `/` and may not start with `//` or `/\` (browsers read both as another host):
 * `back.startsWith('/') && !/^\/[\/\\]/.test(back) ? back : '/'`, or
 * `if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return res.redirect('/')`.
 * A check that refuses `//` but not `/\` (or only looks for a leading `/`) is not one.
 */
const leadingSlash = (n: string): RegExp => new RegExp(String.raw`^${n}\.(?:startsWith|startswith)\(\s*["'\`]/["'\`]\s*\)$|^${n}\[0\]\s*===?\s*["'\`]/["'\`]$`);
const doubleSlash = (n: string): RegExp => new RegExp(String.raw`^${n}\.(?:startsWith|startswith)\(\s*["'\`]//["'\`]\s*\)$`);
const backSlash = (n: string): RegExp => new RegExp(String.raw`^${n}\.(?:startsWith|startswith)\(\s*["'\`]/\\\\["'\`]\s*\)$`);
/** A pattern test on the value, compiled and tried on `//host`, `/\\host` and `/path`: which of the two prefixes it catches. */
function catches(part: string, n: string): { double: boolean; back: boolean } {
  const m = new RegExp(String.raw`^/((?:[^/\\\n]|\\.)+)/([a-z]*)\.test\(\s*${n}\s*\)$`).exec(part) ?? new RegExp(String.raw`^re\.(?:match|search)\(\s*[rR]?(["'])((?:(?!\1).)+)\1\s*,\s*${n}\s*\)$`).exec(part);
  if (!m) return { double: false, back: false };
  const source = m[0].startsWith('/') ? m[1] ?? '' : m[2] ?? '';
  try {
    const re = new RegExp(source.startsWith('^') || !m[0].startsWith('re.match') ? source : `^${source}`);
    return re.test('/plain/path') ? { double: false, back: false } : { double: re.test('//evil.example'), back: re.test('/\\evil.example') };
  } catch {
    return { double: false, back: false };
  }
}

/** Which of the three facts a set of conditions on `name` establishes when every one holds (`positive`) or fails. */
function facts(parts: readonly string[], name: string, positive: boolean): { slash: boolean; notDouble: boolean; notBack: boolean } {
  const n = escape(name);
  const out = { slash: false, notDouble: false, notBack: false };
  for (const raw of parts) {
    const part = raw.trim().replace(/^\((.*)\)$/, '$1');
    const negated = /^(?:!\s*|not\s+)([\s\S]+)$/.exec(part)?.[1]?.trim();
    // Positive parts hold; in a rejecting `or`, a part that fails is what holds past the check.
    const holds = positive ? negated === undefined ? part : undefined : negated;
    const fails = positive ? negated : negated === undefined ? part : undefined;
    if (holds && leadingSlash(n).test(holds)) out.slash = true;
    if (fails && doubleSlash(n).test(fails)) out.notDouble = true;
    if (fails && backSlash(n).test(fails)) out.notBack = true;
    const caught = fails ? catches(fails, n) : { double: false, back: false };
    if (caught.double) out.notDouble = true;
    if (caught.back) out.notBack = true;
  }
  return out;
}

const local = (f: { slash: boolean; notDouble: boolean; notBack: boolean }): boolean => f.slash && f.notDouble && f.notBack;

/** `cond ? target : '/'` / `target if cond else "/"` where the condition makes the target a local path. */
export function localPathTernary(expression: string): { value: string; code: string } | undefined {
  const literal = String.raw`(?:"[^"\n]*"|'[^'\n]*'|\`[^\`$\n]*\`)`;
  const js = new RegExp(String.raw`^\s*(.+?)\s*\?\s*([\w$.]+)\s*:\s*${literal}\s*$`).exec(expression);
  const py = new RegExp(String.raw`^\s*([\w.]+)\s+if\s+(.+?)\s+else\s+${literal}\s*$`).exec(expression);
  const [condition, value] = js ? [js[1], js[2]] : py ? [py[2], py[1]] : [];
  if (!condition || !value) return undefined;
  return local(facts(splitTop(condition, 'and'), value, true)) ? { value, code: expression.trim() } : undefined;
}

/** `if (!t.startsWith('/') || t.startsWith('//') || t.startsWith('/\\')) return …` dominating the sink. */
export function refusedUnlessLocalPath(name: string, scope: readonly NumberedLine[], indent: number): { line: number; code: string } | undefined {
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const condition = ifCondition(scope[i]?.text ?? '');
    if (condition === undefined || !reject.test(block(scope, i)) || !dominates(scope, i, indent, name)) continue;
    if (local(facts(splitTop(condition, 'or'), name, false))) return { line: scope[i]?.line ?? 0, code: (scope[i]?.text ?? '').trim() };
  }
  return undefined;
}

/** A condition (`&&`/`and` of parts) that holds only when `name` is a path on this site. */
export function localPathCondition(condition: string, name: string): boolean {
  return local(facts(splitTop(condition, 'and'), name, true));
}
