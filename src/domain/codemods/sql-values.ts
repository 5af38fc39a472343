/**
 * Turning a query built from SQL text and values into one SQL string with placeholders, for the SQL
 * parameterisation codemods (Python DB-API, JDBC). A value may become a parameter only where SQL takes a
 * value: a whole quoted literal (`'` + x + `'`), or after a comparison, LIKE, LIMIT/OFFSET, BETWEEN, or
 * inside `IN (…)` / `VALUES (…)`. Anywhere else (a table or column name, ORDER BY, part of a quoted string,
 * a whole condition) a placeholder would change or break the query, so the reason comes back instead.
 */

/** A query as written: SQL text (as the database would see it, source escapes kept) and value slots between. */
export type QueryPart<V> = { sql: string } | { value: V };

export interface Parameterised<V> {
  /** The SQL with one placeholder per value. */
  sql: string;
  /** The values, in placeholder order. */
  values: V[];
}

const VALUE_BEFORE = /(?:[=<>]|\bLIKE|\bLIMIT|\bOFFSET|\bBETWEEN|\bTHEN|\bELSE)\s*$/i;
const BETWEEN_AND = /\bBETWEEN\s+\?\s+AND\s*$/i;

/** Is the last unclosed `(` of the SQL so far the list of an `IN (` or `VALUES (`? */
function inValueList(before: string): boolean {
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) return /\b(?:IN|VALUES)\s*$/i.test(before.slice(0, i));
      depth--;
    }
  }
  return false;
}

function quotesIn(text: string): number {
  return text.split("'").length - 1;
}

/**
 * One SQL string with `placeholder` for each value, or the reason the query cannot be parameterised.
 * `describe` names a value in reasons (its source text).
 */
export function parameterise<V>(parts: readonly QueryPart<V>[], placeholder: string, describe: (value: V) => string): Parameterised<V> | string {
  const merged: QueryPart<V>[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if ('sql' in part && last !== undefined && 'sql' in last) last.sql += part.sql;
    else merged.push('sql' in part ? { sql: part.sql } : part);
  }
  let sql = '';
  const values: V[] = [];
  for (let i = 0; i < merged.length; i++) {
    const part = merged[i]!;
    if ('sql' in part) {
      sql += part.sql;
      continue;
    }
    const next = merged[i + 1];
    const after = next !== undefined && 'sql' in next ? next.sql : '';
    const shown = describe(part.value);
    if (quotesIn(sql) % 2 === 1) {
      // Inside a quoted SQL string: fine only when the value is the whole literal, '…' + x + '…'.
      if (!sql.endsWith("'") || !after.startsWith("'")) return `${shown} is spliced into part of a quoted SQL string; a parameter can only stand for a whole value`;
      sql = `${sql.slice(0, -1)}${placeholder}`;
      // `'…'AND` was valid SQL only because the quote ended the literal: keep the keyword apart from the placeholder.
      if (next !== undefined && 'sql' in next) next.sql = /^\w/.test(after.slice(1)) ? ` ${after.slice(1)}` : after.slice(1);
      values.push(part.value);
      continue;
    }
    if (/["`\]]$/.test(sql) || /^["`[]/.test(after)) return `${shown} sits in a quoted identifier; parameters cannot stand for names`;
    const bare = VALUE_BEFORE.test(sql) || BETWEEN_AND.test(sql.replace(/\?|%s/g, '?')) || (/[(,]\s*$/.test(sql) && inValueList(sql));
    if (!bare) {
      const context = sql.trimEnd().split(/\s+/).slice(-2).join(' ');
      return `${shown} is not in a value position (after "${context}"): it may be a table or column name, ORDER BY or a whole condition, which parameters cannot stand for`;
    }
    if (/^[\w.]/.test(after)) return `${shown} is glued to the SQL text after it ("${after.slice(0, 10)}")`;
    if (/\bIN\s*\(\s*$/i.test(sql) && /^\s*\)/.test(after)) return `${shown} is the whole list of an IN (…); it may hold several comma-separated values, which one parameter cannot`;
    sql += placeholder;
    values.push(part.value);
  }
  if (values.length === 0) return 'the query has no values spliced into it';
  return { sql, values };
}
