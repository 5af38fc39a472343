import { fileLine, type CodeView, type NumberedLine } from './code-view';
import { topLevelArguments } from './expressions';

/**
 * Values the code fixes by itself, read by value-flow.ts: tables of literals, the module's own
 * folder, all-numeric `%` formats, reads from constant maps and `Intl` formatters.
 */

/**
 * A path made only from the module's own location and literals: `path.join(__dirname, 'templates')`,
 * `path.dirname(fileURLToPath(import.meta.url))`, `Path(__file__).parent / "templates"`. The code's
 * own folder is fixed when it is deployed; no caller chooses any part of it.
 */
const ownFolderPart = /^(?:path\.(?:join|resolve|dirname|normalize)|os\.path\.(?:join|dirname|abspath|realpath)|fileURLToPath|Path|new\s+URL|URL|__dirname|__filename|__file__|import\.meta\.(?:url|dirname)|\.parent|\.resolve\(\)|os\.pardir|["'][^"'$`{}]*["']|[(),/\s]|\.\.?)+$/;
export function ownFolderPath(value: string): boolean {
  const text = value.trim().replace(/;$/, '');
  return /__dirname|__filename|__file__|import\.meta\.(?:url|dirname)/.test(text) &&
    ownFolderPart.test(text.replace(/os\.pardir|path\.(?:join|resolve|dirname|normalize)|os\.path\.(?:join|dirname|abspath|realpath)|fileURLToPath|new\s+URL|import\.meta\.(?:url|dirname)|\.parents?(?:\[\d\])?|\.resolve\(\)/g, ' ').replace(/\bPath\b|\bURL\b|__dirname|__filename|__file__|["'][^"'$`{}]*["']/g, ' '));
}
/**
 * `NAME = {"date": "scheduled_for", …}` (or `const NAME = {…}`) written at the top level of the
 * file with only literal keys and values: what it holds is fixed by the code. Returns its first line.
 */
export function literalTable(module: readonly string[], name: string, indented = false): string | undefined {
  const opening = new RegExp(String.raw`^${indented ? String.raw`\s*` : ''}(?:(?:export\s+)?(?:const|let|var)\s+)?${name.replace(/\$/g, '\\$')}\s*(?::[^=]+)?=\s*\{`);
  const start = module.findIndex((line) => opening.test(line));
  if (start < 0) return undefined;
  let body = '';
  for (let i = start; i < Math.min(module.length, start + 40); i += 1) {
    body += `${module[i] ?? ''}\n`;
    if ((body.match(/\{/g) ?? []).length === (body.match(/\}/g) ?? []).length) break;
  }
  // `} as const;`, `} satisfies Record<…>;`: TypeScript's annotations change nothing of what the table holds.
  const inner = /\{([\s\S]*)\}\s*(?:as\s+const|satisfies\s+[^;{}]+)?\s*;?\s*$/.exec(body.trim())?.[1];
  if (inner === undefined) return undefined;
  const literal = String.raw`(?:"[^"\n]*"|'[^'\n]*'|-?\d+(?:\.\d+)?)`;
  const entry = new RegExp(String.raw`^\s*(?:${literal}|[A-Za-z_$][\w$]*)\s*:\s*${literal}\s*$`);
  // Split at commas outside strings: a value may hold one (`"date_trunc('week', done_at)"`).
  const entries = topLevelArguments(inner.split('\n').map((line) => line.replace(/^\s*(#|\/\/).*$/, '')).join('\n'));
  return entries.length > 0 && entries.every((e) => entry.test(e)) ? (module[start] ?? '').trim().slice(0, 100) : undefined;
}

/** A Python `%` format whose placeholders are all numeric (`%d`, `%i`, `%f`, `%.2f`). */
export function numericFormat(expression: string): boolean {
  const m = /^\s*[rbuRBU]?(["'])((?:(?!\1)[^\\]|\\.)*)\1\s*%\s*(?:\([^()]*(?:\([^()]*\)[^()]*)*\)|[\w.]+)\s*$/.exec(expression);
  if (!m) return false;
  const placeholders = [...(m[2] ?? '').matchAll(/%(?!%)[-+ 0#]*\d*(?:\.\d+)?([a-zA-Z])/g)].map((p) => p[1]);
  return placeholders.length > 0 && placeholders.every((c) => /^[dife]$/.test(c ?? ''));
}

/** A bracket read from a constant map (`LABELS[key]`, a local `const themes = {…}`), not written and not called. */
export function constantMapRead(here: string, view: CodeView, scope: readonly NumberedLine[]): string | undefined {
  const reads = [...here.matchAll(/([A-Za-z_$][\w$]*)\s*\[[^\]\n]+\](\s*(?:=(?!=)|\())?/g)];
  if (reads.length === 0 || reads.some((m) => m[2])) return undefined;
  const constant = (name: string): boolean =>
    /^[A-Z][A-Z0-9_]*$/.test(name) ||
    [...scope.map((l) => l.text), ...view.lines.slice(0, view.flagged)].some((text) => new RegExp(String.raw`\bconst\s+${name.replace(/\$/g, '\\$')}\s*(?::[^=]+)?=\s*\{`).test(text));
  return reads.every((m) => constant(m[1] ?? '')) ? reads.map((m) => m[0].trim()).join(', ') : undefined;
}

/**
 * `money.format(x)` where `money = new Intl.NumberFormat(…)` (or `DateTimeFormat`): the output is
 * digits, separators and a currency or date text the runtime writes, whatever `x` is; no markup.
 */
export function intlFormatted(expression: string, view: CodeView): { name: string; line: number; code: string } | undefined {
  const call = /^\s*([A-Za-z_$][\w$]*)\.format\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*;?\s*$/.exec(expression);
  if (!call) return undefined;
  const name = call[1] ?? '';
  const bound = new RegExp(String.raw`\b(?:const|let|var)\s+${name.replace(/\$/g, '\\$')}\s*=\s*new\s+Intl\.(?:NumberFormat|DateTimeFormat)\s*\(`);
  const index = view.lines.slice(0, view.flagged).findIndex((line) => bound.test(line));
  return index < 0 ? undefined : { name: `${name}.format(…)`, line: fileLine(view, index), code: (view.lines[index] ?? '').trim() };
}

