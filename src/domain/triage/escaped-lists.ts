import type { NumberedLine } from './code-view';
import { isLiteral } from './expressions';
import { escape } from './guards';

/**
 * `var rows = items.map(function (b) {` … `return '<li>' + escapeHtml(b.id) + '</li>';` … `});`: a
 * list whose every element is markup literals joined with values that each pass through an HTML
 * escaper — one of the family's sanitisers, or a helper of the file judged by its body (it replaces
 * `&`, `<`, `>`, `"` and `'` with their entities). Any other part and it decides nothing.
 */
export function escapedMap(head: string, scope: readonly NumberedLine[], at: number, sanitisers: string | undefined, module: readonly string[]): string | undefined {
  if (!/^[\w$.]+\.map\(\s*(?:function\s*\(\s*[\w$]+\s*\)|\(?\s*[\w$]+\s*\)?\s*=>)\s*\{\s*$/.test(head.trim())) return undefined;
  const body = scope.slice(at + 1, at + 4).map((l) => l.text.trim());
  const close = body.findIndex((text) => /^\}\s*\)\s*;?$/.test(text));
  if (close !== 1) return undefined;
  const expression = /^return\s+(.+?);?$/.exec(body[0] ?? '')?.[1];
  if (!expression) return undefined;
  const parts = expression.split(/\s\+\s/).map((part) => part.trim());
  const helpers = new Set<string>();
  for (const part of parts) {
    if (isLiteral(part)) continue;
    const call = /^([\w$.]+)\((?:[^()]|\([^()]*\))*\)$/.exec(part)?.[1];
    if (!call) return undefined;
    const named = sanitisers !== undefined && new RegExp(`^(?:${sanitisers})$`).test(call);
    if (!named && !escapesByBody(call, module)) return undefined;
    helpers.add(call);
  }
  return helpers.size > 0 ? `a list of markup literals joined with values each escaped by ${[...helpers].map((h) => `\`${h}\``).join(', ')}` : undefined;
}

/** A helper of the file whose body replaces `&`, `<`, `>`, `"` and `'` with HTML entities. */
function escapesByBody(helper: string, module: readonly string[]): boolean {
  const start = module.findIndex((line) => new RegExp(String.raw`\bfunction\s+${escape(helper)}\s*\(|\b(?:const|let|var)\s+${escape(helper)}\s*=\s*(?:function\b|\()`).test(line));
  if (start < 0) return false;
  const text = module.slice(start, start + 8).join('\n');
  return /\.replace(?:All)?\(\s*\/\[[^\]]*\]\/g/.test(text) && ['&amp;', '&lt;', '&gt;', '&quot;'].every((entity) => text.includes(entity)) && /&#0?39;|&#x27;|&apos;/.test(text);
}
