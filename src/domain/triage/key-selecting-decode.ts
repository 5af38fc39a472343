import { enclosingFunction, fileLine, indentOf, statement } from './code-view';
import { escape } from './guards';
import type { AnalyzerInput } from './analyzers/types';

/**
 * An unverified JWT decode whose payload only picks the key for a verified decode of the same token
 * (`unverified = jwt.decode(raw, options={"verify_signature": False})`, then
 * `key = KEYS.get(unverified.get("ctl"))`, then `return jwt.decode(raw, key, algorithms=["HS256"])`):
 * the claims that are acted on are the verified ones, and a forged id only selects a key the forger
 * does not hold. Kept when the unverified payload is used any other way (returned, read for a user
 * or role), when the verified decode is of another token, uses another key, or names no algorithms.
 */
export function keySelectingDecode(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const here = statement(view);
  const flagged = /^\s*([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:await\s+)?(?:jwt|jose|pyjwt)\.decode\(\s*([A-Za-z_$][\w$]*)\s*(?:,\s*options\s*=\s*\{\s*["']verify_signature["']\s*:\s*False\s*\}\s*)?\)\s*;?\s*$/.exec(here.replace(/^\s*(?:const|let|var)\s+/, ''));
  if (!flagged || !/verify_signature["']\s*:\s*False|^\s*(?:const|let|var)\s/.test(here)) return undefined;
  const [, payload = '', token = ''] = flagged;
  const header = enclosingFunction(view);
  if (header === undefined) return undefined;
  const depth = indentOf(view.lines[header] ?? '');
  const rest: { line: number; text: string }[] = [];
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const text = view.lines[i] ?? '';
    if (text.trim() && indentOf(text) <= depth && !/^\s*[})\]]/.test(text)) break;
    rest.push({ line: fileLine(view, i), text });
  }
  const p = escape(payload);
  const uses = rest.filter((l) => new RegExp(String.raw`(?<![\w$.])${p}(?![\w$])`).test(l.text));
  // The one use: a key looked up by a claim of the unverified payload.
  const lookup = uses.length === 1 ? new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=\s*[\w$.]+(?:\.get\(|\[)\s*${p}(?:\.get\(\s*["'][\w-]+["'](?:\s*,\s*["'][^"']*["'])?\s*\)|\[\s*["'][\w-]+["']\s*\]|\.[A-Za-z_$][\w$]*)\s*(?:\)|\])\s*;?\s*$`).exec(uses[0]?.text ?? '') : undefined;
  const key = lookup?.[1];
  if (!key) return undefined;
  const verified = rest.find((l) => l.line > (uses[0]?.line ?? 0) && new RegExp(String.raw`\b(?:jwt\.decode\(\s*${escape(token)}\s*,\s*${escape(key)}\s*,\s*algorithms\s*=\s*\[\s*["'][A-Z]{2}\d{3}["']|jwt\.verify\(\s*${escape(token)}\s*,\s*${escape(key)}\s*,\s*\{\s*algorithms\s*:\s*\[\s*["'][A-Z]{2}\d{3}["'])`).test(l.text));
  if (!verified || /verify_signature/.test(verified.text)) return undefined;
  return `line ${uses[0]?.line}: \`${uses[0]?.text.trim()}\`; line ${verified.line}: \`${verified.text.trim()}\``;
}
