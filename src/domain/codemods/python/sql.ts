/**
 * Reading a Python query expression as SQL text and values: `"… " + x`, f-strings, `"… %s" % (x,)` and
 * `"… {}".format(x)`. The SQL text keeps the source's escapes (it is written back into a literal of the same
 * kind) with the formatting escapes undone (`%%` → `%`, `{{` → `{`).
 */
import type { Node } from 'web-tree-sitter';
import type { QueryPart } from '../sql-values';

export interface PythonQuery {
  parts: QueryPart<Node>[];
  /** The literal's prefix without `f` (`r`, `u`, `''`), and its quotes: the new literal is written the same way. */
  prefix: string;
  quote: string;
  /** How the query was built, for descriptions. */
  form: 'concatenation' | 'f-string' | '%-formatting' | '.format()';
}

interface Literal {
  prefix: string;
  quote: string;
  fString: boolean;
  /** The children between the quotes. */
  inner: Node[];
  start: Node;
  end: Node;
}

function literal(node: Node): Literal | undefined {
  if (node.type !== 'string') return undefined;
  const children = node.children.filter((c): c is Node => c !== null);
  const start = children[0];
  const end = children[children.length - 1];
  if (start?.type !== 'string_start' || end?.type !== 'string_end') return undefined;
  const opening = /^([a-zA-Z]*)('''|"""|'|")$/.exec(start.text);
  if (opening === null) return undefined;
  const prefix = (opening[1] ?? '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  return { prefix: prefix.replace('f', ''), quote: opening[2] ?? '"', fString: prefix.includes('f'), inner: children.slice(1, -1), start, end };
}

function rawBetween(source: string, from: number, to: number): string {
  return source.slice(from, to);
}

const unbrace = (text: string): string => text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');

/** `a + b + c` flattened to its operands, left to right. */
function operands(node: Node): Node[] {
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left !== null && right !== null) return [...operands(left), ...operands(right)];
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) {
    const inner = node.namedChild(0);
    if (inner?.type === 'binary_operator') return operands(inner);
  }
  return [node];
}

type Read = PythonQuery | string;

function fromConcatenation(node: Node, source: string): Read {
  const parts: QueryPart<Node>[] = [];
  let style: Literal | undefined;
  for (const operand of operands(node)) {
    const lit = literal(operand);
    if (lit === undefined) {
      if (operand.type === 'string' || operand.type === 'concatenated_string') return `the query joins a string literal of a kind the fix does not rewrite (${operand.text.slice(0, 20)})`;
      parts.push({ value: operand });
      continue;
    }
    if (lit.fString) return 'the query mixes concatenation and f-strings';
    if (style !== undefined && (style.prefix !== lit.prefix || style.quote !== lit.quote)) return 'the query joins string literals of different kinds (quotes or prefixes)';
    style = lit;
    parts.push({ sql: rawBetween(source, lit.start.endIndex, lit.end.startIndex) });
  }
  if (style === undefined) return 'the query has no SQL text of its own';
  return { parts, prefix: style.prefix, quote: style.quote, form: 'concatenation' };
}

function fromFString(lit: Literal, source: string): Read {
  const parts: QueryPart<Node>[] = [];
  let at = lit.start.endIndex;
  for (const child of lit.inner) {
    if (child.type !== 'interpolation') continue;
    parts.push({ sql: unbrace(rawBetween(source, at, child.startIndex)) });
    const inner = child.namedChildren.filter((c): c is Node => c !== null);
    const [expression] = inner;
    if (inner.length !== 1 || expression === undefined) return `the f-string field {${child.text.slice(1, -1)}} has a conversion or format spec`;
    // A string inside the field (`{f"'{name}'"}`, `{'ASC'}`) is SQL text with fields of its own: read it in
    // place, or its quotes would be bound as part of the value.
    const nested = literal(expression);
    if (nested !== undefined) {
      const read = nested.fString ? fromFString(nested, source) : { parts: [{ sql: rawBetween(source, nested.start.endIndex, nested.end.startIndex) }] };
      if (typeof read === 'string') return read;
      if (nested.fString && nested.inner.some((c) => c.type !== 'interpolation' && c.type !== 'string_content')) return 'a nested f-string holds escape sequences';
      parts.push(...read.parts);
      at = child.endIndex;
      continue;
    }
    if (expression.type === 'string' || expression.type === 'concatenated_string') return 'an f-string field holds a string literal of a kind the fix does not read';
    parts.push({ value: expression });
    at = child.endIndex;
  }
  parts.push({ sql: unbrace(rawBetween(source, at, lit.end.startIndex)) });
  return { parts, prefix: lit.prefix, quote: lit.quote, form: 'f-string' };
}

function fromPercent(lit: Literal, right: Node, source: string): Read {
  const text = rawBetween(source, lit.start.endIndex, lit.end.startIndex);
  const values = right.type === 'tuple' ? right.namedChildren.filter((c): c is Node => c !== null) : [right];
  const parts: QueryPart<Node>[] = [];
  let at = 0;
  let used = 0;
  for (const match of text.matchAll(/%(.)/gs)) {
    const index = match.index ?? 0;
    if (index < at) continue;
    const spec = match[1];
    if (spec === '%') {
      parts.push({ sql: `${text.slice(at, index)}%` });
    } else if (spec === 's' || spec === 'd' || spec === 'i') {
      const value = values[used++];
      if (value === undefined) return 'the query has more %s fields than values';
      parts.push({ sql: text.slice(at, index) }, { value });
    } else {
      return `the query uses a %${spec ?? ''} field; only %s, %d and %i are rewritten`;
    }
    at = index + 2;
  }
  parts.push({ sql: text.slice(at) });
  if (used !== values.length) {
    return right.type === 'tuple' ? 'the query has fewer %s fields than values' : 'the values come from one expression that may be a tuple; the fields cannot be matched to values';
  }
  return { parts, prefix: lit.prefix, quote: lit.quote, form: '%-formatting' };
}

function fromFormat(lit: Literal, args: Node, source: string): Read {
  const text = rawBetween(source, lit.start.endIndex, lit.end.startIndex);
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of args.namedChildren) {
    if (arg === null || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name === undefined || value === null) return '.format() has an argument the fix cannot read';
      keywords.set(name, value);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      return '.format() takes *args/**kwargs, so the values cannot be known';
    } else positional.push(arg);
  }
  const parts: QueryPart<Node>[] = [];
  let at = 0;
  let auto = 0;
  for (const match of text.matchAll(/\{\{|\}\}|\{([^{}]*)\}/g)) {
    const index = match.index ?? 0;
    if (match[0] === '{{' || match[0] === '}}') {
      parts.push({ sql: `${text.slice(at, index)}${match[0][0]}` });
    } else {
      const field = match[1] ?? '';
      if (/[!:.[]/.test(field)) return `the .format() field {${field}} has a conversion, format spec or lookup`;
      const value = field === '' ? positional[auto++] : /^\d+$/.test(field) ? positional[Number(field)] : keywords.get(field);
      if (value === undefined) return `the .format() field {${field}} has no matching argument`;
      parts.push({ sql: text.slice(at, index) }, { value });
    }
    at = index + match[0].length;
  }
  parts.push({ sql: text.slice(at) });
  return { parts, prefix: lit.prefix, quote: lit.quote, form: '.format()' };
}

/** The query's SQL and values, or why the expression is not a query the fix can rewrite. */
export function readPythonQuery(node: Node, source: string): Read {
  if (node.type === 'binary_operator') {
    const operator = node.childForFieldName('operator')?.text;
    if (operator === '+') return fromConcatenation(node, source);
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const lit = left === null ? undefined : literal(left);
    if (operator === '%' && lit !== undefined && !lit.fString && right !== null) {
      if (right.type === 'dictionary' || /%\(/.test(left?.text ?? '')) return 'the query uses %(name)s fields; rewrite it by hand';
      return fromPercent(lit, right, source);
    }
    return `the query is built with ${operator ?? 'an operator'} from something other than a string literal`;
  }
  if (node.type === 'string') {
    const lit = literal(node);
    if (lit === undefined) return 'the query is a bytes or unusual literal';
    if (lit.fString && lit.inner.some((c) => c.type === 'interpolation')) return fromFString(lit, source);
    return 'constant';
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const lit = object === null ? undefined : literal(object);
    const args = node.childForFieldName('arguments');
    if (fn?.childForFieldName('attribute')?.text === 'format' && lit !== undefined && !lit.fString && args?.type === 'argument_list') return fromFormat(lit, args, source);
  }
  if (node.type === 'concatenated_string') return 'the query is made of implicitly joined literals; rewrite it by hand';
  if (node.type === 'identifier') return `the query comes from the variable ${node.text}, built elsewhere; parameterise it where it is built`;
  return 'the query is not built from string literals and values the fix can read';
}
