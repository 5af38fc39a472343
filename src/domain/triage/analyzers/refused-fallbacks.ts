import { indentOf, statement, type CodeView } from '../code-view';
import { topLevelArguments } from '../expressions';
import { block, escape } from '../guards';
import { ifCondition, splitTop } from '../helper-checks';
import { moduleReader } from '../module-imports';
import type { AnalyzerInput } from './types';

/**
 * Development fallbacks of secrets that production never reaches, in the two shapes configuration
 * code writes them (besides those `settings-defaults.ts` reads):
 * - the literal is the fallback argument of a helper of the code that, by its body, returns
 *   `process.env[name]` and throws in production before it would return the fallback
 *   (`cookiePassword: required('COOKIE_PASSWORD', 'local-only-…')`, the helper in the file or in a
 *   module it imports; `function-summaries.ts`);
 * - the module refuses to load in production without the variable, then fills it for a laptop:
 *   `LINK_SECRET = os.environ.get("LINK_SECRET", "")`, `if ENV == "production" and not LINK_SECRET:
 *   raise …`, `if not LINK_SECRET: LINK_SECRET = "dev-…"` (also `x = x or "dev"`, `x ||= 'dev'`).
 * Not when the helper merely warns, returns the fallback in production too, or the literal is set
 * unconditionally after the check. A value in a vendor's live format is the caller's to exclude.
 */
export function refusedFallback(input: AnalyzerInput, live: (value: string) => boolean): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  return fallbackOfRequiredHelper(input, view, live) ?? filledAfterRefusal(view, live);
}

function fallbackOfRequiredHelper(input: AnalyzerInput, view: CodeView, live: (value: string) => boolean): string | undefined {
  const text = statement(view);
  const reader = moduleReader(input.finding.location?.path ?? '', view.lines, view.startLine, input.repository?.modules);
  for (const m of text.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\(([^()]*)\)/g)) {
    const summary = reader.helper(m[1] ?? '');
    const required = summary?.requiredEnv;
    if (!required) continue;
    const args = topLevelArguments(m[2] ?? '');
    const fallback = args[required.fallbackParam] ?? '';
    if (!/^["'`][^"'`]*["'`]$/.test(fallback) || live(fallback.slice(1)) || !/^["'][A-Za-z_]\w*["']$/.test(args[required.nameParam] ?? '')) continue;
    // Every other string of the statement is the variable's name: the literal is only that fallback.
    const others = text.replace(m[0], '').match(/["'`][^"'`\n]{4,}["'`]/g) ?? [];
    if (others.length > 0) continue;
    return `the value is the development fallback of \`${m[1]}(${args[required.nameParam]}, …)\`: ${required.how}`;
  }
  return undefined;
}

const environmentRead = /\b(?:process\.env|os\.environ|environ\.get|os\.getenv|getenv)\b/;
const production = /prod(uction)?\b/i;

function filledAfterRefusal(view: CodeView, live: (value: string) => boolean): string | undefined {
  const lines = view.lines;
  const flagged = lines[view.flagged] ?? '';
  const text = statement(view).trim();
  const assigned = /^(?:(?:let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?:=|\|\|=|\?\?=)\s*(.+?)\s*;?\s*(?:#.*|\/\/.*)?$/.exec(text.replace(/^if\s*\(\s*!\s*[\w$]+\s*\)\s*/, '').replace(/^if\s+not\s+[\w$]+\s*:\s*/, ''));
  if (!assigned) return undefined;
  const name = assigned[1] ?? '';
  const n = escape(name);
  const value = assigned[2]?.replace(new RegExp(String.raw`^${n}\s*(?:\|\||\?\?|\bor\b)\s*`), '') ?? '';
  if (!/^["'`][^"'`]*["'`]$/.test(value) || live(value.slice(1))) return undefined;
  // Only when the variable is empty: `if not NAME:` / `if (!NAME)` holding the line (or on it), or `NAME = NAME or "…"`.
  const empty = String.raw`(?:not\s+${n}|!\s*${n}|${n}\s+is\s+None|${n}\s*===?\s*(?:""|''|None|null|undefined))`;
  const onlyIfEmpty = new RegExp(String.raw`^if\s*\(?\s*${empty}\s*\)?\s*:?`).test(text)
    || new RegExp(String.raw`^${n}\s*(?:\|\|=|\?\?=|=\s*${n}\s*(?:\|\||\?\?|\bor\b))`).test(text)
    || (() => {
      for (let i = view.flagged - 1; i >= 0; i -= 1) {
        const above = lines[i] ?? '';
        if (above.trim() === '' || indentOf(above) >= indentOf(flagged)) continue;
        const condition = ifCondition(above);
        return condition !== undefined && new RegExp(String.raw`^\(?\s*${empty}\s*\)?$`).test(condition.trim());
      }
      return false;
    })();
  if (!onlyIfEmpty) return undefined;
  // Read from the environment first, and refused in production when missing, above the line.
  const from = lines.slice(0, view.flagged).findIndex((l) => new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${n}\s*(?::[^=]+)?=(?!=)`).test(l) && environmentRead.test(l));
  if (from < 0) return undefined;
  for (let i = from + 1; i < view.flagged; i += 1) {
    const line = lines[i] ?? '';
    const condition = ifCondition(line);
    if (condition === undefined || indentOf(line) > indentOf(lines[from] ?? '')) continue;
    const parts = splitTop(condition, 'and');
    const missing = parts.some((p) => new RegExp(String.raw`^\(?\s*${empty}\s*\)?$`).test(p.trim()));
    const inProduction = parts.some((p) => production.test(p)) || /^\s*if\b/.test(lines.slice(0, i).reverse().find((l) => l.trim() && indentOf(l) < indentOf(line)) ?? '') && production.test(lines.slice(0, i).reverse().find((l) => l.trim() && indentOf(l) < indentOf(line)) ?? '');
    if (!missing || !inProduction) continue;
    if (!/\b(?:raise|throw|sys\.exit|process\.exit)\b|ImproperlyConfigured/.test(block(lines.map((t, k) => ({ line: k, text: t })), i))) continue;
    return `line ${view.startLine + i}: \`${line.trim().slice(0, 100)}\` refuses a missing ${name} in production before line ${view.startLine + view.flagged} fills it for development`;
  }
  return undefined;
}
