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

/** Fills `{0}` placeholders from `args`; `{{` and `}}` are literal braces (SARIF §3.11.5). Unknown placeholders stay. */
export function fillPlaceholders(template: string, args: readonly unknown[]): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, n: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const index = Number(n);
    return index < args.length ? argumentText(args[index]) : match;
  });
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
export function formatMessage(message: MessageData | null | undefined, ruleStrings: MessageStrings, globalStrings: MessageStrings): string {
  if (!message) return '';
  const id = message.id ?? undefined;
  const fromId = id === undefined ? undefined : (ruleStrings?.[id] ?? globalStrings?.[id]);
  const template = message.text || message.markdown || fromId?.text || fromId?.markdown || '';
  const args = message.arguments;
  const filled = args && args.length > 0 ? fillPlaceholders(template, args) : template;
  return bound(resolveEmbeddedLinks(filled).trim(), MAX_MESSAGE_CHARS);
}
