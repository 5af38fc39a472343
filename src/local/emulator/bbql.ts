/**
 * A small BBQL (`q=`) parser: `field op value` terms joined by AND / OR with parentheses.
 * Operators `= != ~ !~ > >= < <=`; values are double-quoted strings, numbers, true, false, null.
 */

export class BbqlError extends Error {}

type Value = string | number | boolean | null;
type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=';
export type BbqlExpression =
  | { kind: 'term'; field: string; op: Operator; value: Value }
  | { kind: 'and' | 'or'; left: BbqlExpression; right: BbqlExpression };

type Token = { type: 'field' | 'op' | 'paren' | 'and' | 'or'; text: string } | { type: 'value'; value: Value };

const OPERATORS: readonly Operator[] = ['!=', '!~', '>=', '<=', '=', '~', '>', '<'];

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i] ?? '';
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: 'paren', text: char });
      i += 1;
    } else if (char === '"') {
      let text = '';
      i += 1;
      while (i < query.length && query[i] !== '"') {
        if (query[i] === '\\') i += 1;
        text += query[i] ?? '';
        i += 1;
      }
      if (i >= query.length) throw new BbqlError('unterminated string');
      tokens.push({ type: 'value', value: text });
      i += 1;
    } else {
      const op = OPERATORS.find((candidate) => query.startsWith(candidate, i));
      if (op) {
        tokens.push({ type: 'op', text: op });
        i += op.length;
        continue;
      }
      const word = /^[A-Za-z0-9_.\-:+]+/.exec(query.slice(i))?.[0];
      if (!word) throw new BbqlError(`unexpected character '${char}'`);
      i += word.length;
      const lower = word.toLowerCase();
      if (lower === 'and' || lower === 'or') tokens.push({ type: lower, text: word });
      else if (lower === 'true' || lower === 'false') tokens.push({ type: 'value', value: lower === 'true' });
      else if (lower === 'null') tokens.push({ type: 'value', value: null });
      else if (/^-?\d+(\.\d+)?$/.test(word)) tokens.push({ type: 'value', value: Number(word) });
      else tokens.push({ type: 'field', text: word });
    }
  }
  return tokens;
}

export function parseBbql(query: string): BbqlExpression {
  const tokens = tokenize(query);
  let position = 0;
  const peek = () => tokens[position];

  const primary = (): BbqlExpression => {
    const token = tokens[position++];
    if (token?.type === 'paren' && token.text === '(') {
      const inner = or();
      const close = tokens[position++];
      if (close?.type !== 'paren' || close.text !== ')') throw new BbqlError('missing )');
      return inner;
    }
    if (token?.type !== 'field') throw new BbqlError('expected a field name');
    const op = tokens[position++];
    if (op?.type !== 'op') throw new BbqlError(`expected an operator after ${token.text}`);
    const value = tokens[position++];
    if (value?.type !== 'value') throw new BbqlError(`expected a value after ${token.text} ${op.text}`);
    return { kind: 'term', field: token.text, op: op.text as Operator, value: value.value };
  };
  const and = (): BbqlExpression => {
    let left = primary();
    while (peek()?.type === 'and') {
      position += 1;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): BbqlExpression => {
    let left = and();
    while (peek()?.type === 'or') {
      position += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new BbqlError('empty query');
  const expression = or();
  if (position !== tokens.length) throw new BbqlError('unexpected text after the expression');
  return expression;
}

function fieldsOf(expression: BbqlExpression): string[] {
  return expression.kind === 'term' ? [expression.field] : [...fieldsOf(expression.left), ...fieldsOf(expression.right)];
}

function compare(actual: unknown, op: Operator, expected: Value): boolean {
  if (expected === null || actual === null || actual === undefined) {
    const equal = (actual ?? null) === expected;
    return op === '=' ? equal : op === '!=' ? !equal : false;
  }
  const left = typeof expected === 'number' ? Number(actual) : String(actual);
  const right = typeof expected === 'number' ? expected : String(expected);
  switch (op) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '~':
      return String(left).toLowerCase().includes(String(right).toLowerCase());
    case '!~':
      return !String(left).toLowerCase().includes(String(right).toLowerCase());
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
  }
}

function evaluate<T>(expression: BbqlExpression, item: T, fields: Record<string, (item: T) => unknown>): boolean {
  if (expression.kind === 'term') return compare(fields[expression.field]?.(item), expression.op, expression.value);
  if (expression.kind === 'and') return evaluate(expression.left, item, fields) && evaluate(expression.right, item, fields);
  return evaluate(expression.left, item, fields) || evaluate(expression.right, item, fields);
}

/** Items matching `query`; throws BbqlError for bad syntax or a field the endpoint does not know. */
export function filterByBbql<T>(items: readonly T[], query: string, fields: Record<string, (item: T) => unknown>): T[] {
  const expression = parseBbql(query);
  const unknown = fieldsOf(expression).find((field) => !(field in fields));
  if (unknown !== undefined) throw new BbqlError(`'${unknown}' is not a field you can filter on here`);
  return items.filter((item) => evaluate(expression, item, fields));
}

export function mentionsField(query: string, field: string): boolean {
  return fieldsOf(parseBbql(query)).includes(field);
}
