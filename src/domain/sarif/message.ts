/** SARIF message objects → one plain-text line of prose. */

export const MAX_MESSAGE_CHARS = 4000;

interface MessageData {
  text?: string | null;
  markdown?: string | null;
  id?: string | null;
  arguments?: readonly unknown[] | null;
}
export type MessageStrings = Readonly<Record<string, { text?: string | null; markdown?: string | null }>> | null | undefined;

/** Cuts `value` to at most `max` characters (ending in `…` when cut), never splitting a surrogate pair. */
export function bound(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

const argumentText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

/**
 * Fills `{0}` placeholders from `args`; `{{` and `}}` are literal braces (SARIF §3.11.5). Unknown
 * placeholders stay. Stops once the text passes `max` characters: a template of many placeholders
 * and a long argument would otherwise build a string far larger than the upload.
 */
export function fillPlaceholders(template: string, args: readonly unknown[], max = Number.POSITIVE_INFINITY): string {
  const pattern = /\{\{|\}\}|\{(\d+)\}/g;
  let out = '';
  let last = 0;
  for (let match = pattern.exec(template); match !== null && out.length <= max; match = pattern.exec(template)) {
    const [text, n] = match;
    out += template.slice(last, match.index);
    if (text === '{{') out += '{';
    else if (text === '}}') out += '}';
    else if (Number(n) < args.length) {
      const value = argumentText(args[Number(n)]);
      out += value.length > max ? value.slice(0, max + 1) : value;
    } else out += text;
    last = match.index + text.length;
  }
  return out.length > max ? out : out + template.slice(last);
}

/**
 * Resolves SARIF embedded links `[text](1)` (references to related locations) to their text,
 * then unescapes `\[` and `\]`. Links to URLs are kept as written.
 */
export function resolveEmbeddedLinks(text: string): string {
  if (!text.includes('[') && !text.includes('\\')) return text;
  return text
    .replace(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\((\d+)\)/g, (_m, inner: string) => inner)
    .replace(/\\([[\]])/g, '$1');
}

/**
 * `message.text` → `message.markdown` → the rule's `messageStrings[message.id]` → the run's
 * `globalMessageStrings[message.id]`; placeholders filled from `arguments`, links resolved,
 * trimmed and bounded. Empty when the message says nothing.
 */
export function formatMessage(
  message: MessageData | null | undefined,
  ruleStrings: MessageStrings,
  globalStrings: MessageStrings,
  max = MAX_MESSAGE_CHARS,
  onCut?: () => void,
): string {
  if (!message) return '';
  const id = message.id ?? undefined;
  const fromId = id === undefined ? undefined : (ruleStrings?.[id] ?? globalStrings?.[id]);
  const whole = message.text || message.markdown || fromId?.text || fromId?.markdown || '';
  // Work on no more than twice the bound (links and trimming shorten text, never lengthen it much).
  const work = 2 * max + 64;
  const template = whole.length > work ? whole.slice(0, work) : whole;
  const args = message.arguments;
  const filled = args && args.length > 0 ? fillPlaceholders(template, args, work) : template;
  const text = resolveEmbeddedLinks(filled.length > work ? filled.slice(0, work) : filled).trim();
  if (text.length > max) onCut?.();
  return bound(text, max);
}
