/**
 * Where a value pasted into SQL text sits: only a value position (after a comparison, inside `VALUES (…)`,
 * the one value of `IN (…)`) can become a bind placeholder without changing what the statement means.
 * Identifiers, ORDER BY columns, table names and fragments of SQL stay as they are.
 */

const COMPARISON = /(?:=|<>|!=|<=|>=|<|>|\bLIKE|\bILIKE)$/i;
const VALUES_ITEM = /\bVALUES\s*\((?:[^()']*,)?$/i;
const IN_LIST = /\bIN\s*\($/i;
/** What may follow a value: the end, a space, a closing parenthesis, a comma or a semicolon. */
const AFTER_VALUE = /^(?:$|[\s),;])/;

export interface Interpolation {
  /** The SQL text before the value, placeholders for earlier values included. */
  before: string;
  /** The literal SQL text right after the value, up to the next value. */
  after: string;
  /** The expression's source, to spot `ids.join(',')` pasted into `IN (…)`. */
  expression: string;
}

/** How the value sits: `quoted` when it was written as `'${x}'` (the quotes go with the placeholder), or why it cannot be bound. */
export function valuePosition({ before, after, expression }: Interpolation): { quoted: boolean } | string {
  const quoted = before.endsWith("'") && !before.endsWith("''") && after.startsWith("'");
  const head = quoted ? before.slice(0, -1) : before;
  const tail = quoted ? after.slice(1) : after;
  const context = head.trimEnd();
  const near = JSON.stringify(context.slice(-24).trimStart());
  if ((head.match(/'/g) ?? []).length % 2 === 1) return `${expression} is pasted inside an SQL string literal (after ${near})`;
  if (!AFTER_VALUE.test(tail)) return `${expression} is joined to the SQL text that follows it`;
  if (COMPARISON.test(context) || VALUES_ITEM.test(context)) return { quoted };
  if (IN_LIST.test(context)) {
    if (!/^\s*\)/.test(tail)) return `${expression} is one of several items in an IN list`;
    if (!quoted && /\.(join|map)\s*\(/.test(expression)) return `${expression} pastes a whole list into IN (…), which one placeholder cannot hold`;
    return { quoted };
  }
  return `${expression} is not in a value position (after ${near}); identifiers, ORDER BY columns and table names cannot be bound`;
}

/** The placeholder syntax of the driver: `$1, $2` for node-postgres, `?` for mysql/mysql2. */
export type Paramstyle = 'numbered' | 'question';

export function placeholder(style: Paramstyle, index: number): string {
  return style === 'numbered' ? `$${index + 1}` : '?';
}

/** Placeholders already in the literal text would be renumbered or shifted by new ones. */
export function holdsPlaceholders(style: Paramstyle, text: string): boolean {
  return style === 'numbered' ? /\$\d/.test(text) : text.includes('?');
}
