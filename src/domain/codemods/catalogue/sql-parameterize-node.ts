import type { Node } from 'web-tree-sitter';
import { looksLikeCallback } from '../js/callbacks';
import { driverFor, driverImported, queryVariable, replacementsEdit, SQL_METHODS, SQL_TEXT, valuesStable } from '../js/sql-query';
import { holdsPlaceholders, placeholder, valuePosition, type Paramstyle } from '../js/sql-text';
import { callArgs, jsString } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

interface Plan {
  edits: TextEdit[];
  values: string[];
  nodes: Node[];
}

/** A leaf of a `+` chain: literal text (with its node) or a value expression. */
type Leaf = { kind: 'text'; node: Node; text: string | undefined } | { kind: 'expr'; node: Node };

function leaves(node: Node): Leaf[] {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left !== null && right !== null) return [...leaves(left), ...leaves(right)];
  }
  if (node.type === 'string' || (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution'))) {
    return [{ kind: 'text', node, text: jsString(node) }];
  }
  return [{ kind: 'expr', node }];
}

/** `"… id = " + id` → `"… id = $1"`: each value and the `" + … + "` around it become one placeholder. */
function planConcat(parts: Leaf[], style: Paramstyle): Plan | string {
  const plan: Plan = { edits: [], values: [], nodes: [] };
  let sql = '';
  let skip = 0;
  for (const [i, leaf] of parts.entries()) {
    if (leaf.kind === 'text') {
      if (leaf.text === undefined) return `the SQL literal ${leaf.node.text} holds an escape sequence`;
      if (holdsPlaceholders(style, leaf.text)) return 'the SQL text already holds placeholders';
      sql += leaf.text.slice(skip);
      skip = 0;
      continue;
    }
    const prev = parts[i - 1];
    const next = parts[i + 1];
    if (prev?.kind !== 'text') return i === 0 ? 'the SQL text starts with a value' : `${leaf.node.text} is joined directly to another value`;
    if (next !== undefined && next.kind !== 'text') return `${leaf.node.text} is joined directly to another value`;
    const position = valuePosition({ before: sql, after: next?.text ?? '', expression: leaf.node.text });
    if (typeof position === 'string') return position;
    const q = position.quoted ? 1 : 0;
    const close = prev.node.text.slice(-1);
    const mark = placeholder(style, plan.values.length);
    if (next !== undefined && next.node.text[0] !== close) return 'the SQL literals around a value use different quotes';
    plan.edits.push(
      next === undefined
        ? { start: prev.node.endIndex - 1 - q, end: leaf.node.endIndex, text: `${mark}${close}` }
        : { start: prev.node.endIndex - 1 - q, end: next.node.startIndex + 1 + q, text: mark },
    );
    plan.values.push(leaf.node.text);
    plan.nodes.push(leaf.node);
    sql = sql.slice(0, sql.length - q) + mark;
    skip = q;
  }
  return plan;
}

/** `` `… id = ${id}` `` → `` `… id = $1` ``. */
function planTemplate(node: Node, source: string, style: Paramstyle): Plan | string {
  const plan: Plan = { edits: [], values: [], nodes: [] };
  const subs = node.namedChildren.filter((c): c is Node => c?.type === 'template_substitution');
  const texts = subs.map((s, i) => source.slice(i === 0 ? node.startIndex + 1 : (subs[i - 1]?.endIndex ?? 0), s.startIndex));
  texts.push(source.slice(subs[subs.length - 1]?.endIndex ?? node.startIndex + 1, node.endIndex - 1));
  if (texts.some((t) => t.includes('\\'))) return 'the SQL template holds an escape sequence';
  if (texts.some((t) => holdsPlaceholders(style, t))) return 'the SQL text already holds placeholders';
  let sql = texts[0] ?? '';
  for (const [i, sub] of subs.entries()) {
    const expression = sub.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (expression == null) return 'the SQL template has an empty substitution';
    const after = texts[i + 1] ?? '';
    const position = valuePosition({ before: sql, after, expression: expression.text });
    if (typeof position === 'string') return position;
    const q = position.quoted ? 1 : 0;
    const mark = placeholder(style, plan.values.length);
    plan.edits.push({ start: sub.startIndex - q, end: sub.endIndex + q, text: mark });
    plan.values.push(expression.text);
    plan.nodes.push(expression);
    sql = sql.slice(0, sql.length - q) + mark + after.slice(q);
  }
  return plan;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const [arg, ...rest] = callArgs(node);
  const where = `the query on line ${line}`;
  if (arg === undefined) return { unfixed: `${where} passes no SQL` };
  // `var query = "…" + x; db.query(query)`: the SQL is rewritten where it is built, the values passed at the call.
  const built = arg.type === 'identifier' ? queryVariable(arg, node) : arg;
  if (typeof built === 'string') return { unfixed: `${where} takes its SQL from ${arg.text}: ${built}; parameterise it where it is built` };
  const parts = built.type === 'template_string' ? undefined : leaves(built);
  const constant = parts === undefined ? !built.namedChildren.some((c) => c?.type === 'template_substitution') : parts.every((p) => p.kind === 'text');
  if (constant) return { unfixed: `${where} passes constant SQL text; nothing to fix`, alreadySafe: true };
  if (parts?.length === 1) return { unfixed: `${where} takes its SQL from a variable or expression (${built.text}); parameterise it where it is built` };
  const driver = driverFor(node, root, ctx.project);
  if (typeof driver === 'string') return { unfixed: `${where}: ${driver}; review it by hand` };
  const [values] = rest;
  if (driver.values === 'array' && values !== undefined && !(rest.length === 1 && looksLikeCallback(values))) {
    return { unfixed: `${where} already passes values (${values.text}); merge the placeholders by hand` };
  }
  const plan = parts === undefined ? planTemplate(built, source, driver.style) : planConcat(parts, driver.style);
  if (typeof plan === 'string') return { unfixed: `${where}: ${plan}` };
  if (!built.equals(arg)) {
    const moved = valuesStable(plan.nodes, built, node);
    if (moved !== undefined) return { unfixed: `${where}: ${moved}; review it by hand` };
  }
  const list = `[${plan.values.join(', ')}]`;
  const valuesEdit = driver.values === 'replacements' ? replacementsEdit(node, arg, list, source) : { start: arg.endIndex, end: arg.endIndex, text: `, ${list}` };
  if (typeof valuesEdit === 'string') return { unfixed: `${where} ${valuesEdit}; review it by hand` };
  const how = driver.values === 'replacements' ? 'Sequelize replacements (?)' : `bound parameters (${driver.style === 'numbered' ? '$1, $2, …' : '?'})`;
  const held = built.equals(arg) ? '' : ` (the SQL built in ${arg.text} now holds placeholders)`;
  return {
    edits: [...plan.edits, valuesEdit],
    description: `Passed ${plan.values.join(', ')} to the ${driver.module} query on line ${line} as ${how} instead of pasting them into the SQL text${held}.`,
  };
}

/** Does this argument (or the local variable it names) hold SQL text? Used where no driver import says so. */
function looksLikeSql(arg: Node, call: Node): boolean {
  const text = (n: Node): string => (n.type === 'template_string' ? n.text.slice(1) : leaves(n).find((l) => l.kind === 'text')?.node.text.slice(1) ?? '');
  if (arg.type !== 'identifier') return SQL_TEXT.test(text(arg));
  const value = queryVariable(arg, call);
  return typeof value !== 'string' && SQL_TEXT.test(text(value));
}

export const sqlParameterizeNode: Codemod = {
  id: 'sql-parameterize-node',
  title: 'Bind SQL values as query parameters (node-postgres, mysql)',
  summary: 'Pass values to SQL queries as bound parameters instead of pasting them',
  description: [
    'A value pasted into SQL text with `+` or a template literal is parsed as SQL: a quote in it ends the string and',
    'the rest runs as part of the statement. This change puts a placeholder where the value was (`$1`, `$2`, … for',
    'node-postgres, `?` for mysql/mysql2) and passes the values in an array, so the driver sends them as data.',
    "Quotes written around a value (`'${name}'`) go with it: the placeholder needs none.",
    '',
    '```diff',
    "-const { rows } = await pool.query(`SELECT * FROM users WHERE email = '${email}' AND org_id = ${orgId}`);",
    '+const { rows } = await pool.query(`SELECT * FROM users WHERE email = $1 AND org_id = $2`, [email, orgId]);',
    '```',
    '',
    'Only values in value positions are bound (after a comparison, in `VALUES (…)`, the single value of `IN (…)`);',
    'a pasted column, table name or ORDER BY clause is left for a human, since placeholders cannot stand for identifiers.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason:
    'The database now receives typed parameters instead of literals: a value that relied on being pasted unquoted (a number written into text, SQL like NOW()) behaves differently.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-89'],
  owasp: ['A03:2021'],
  references: [
    { title: 'node-postgres: parameterized query', url: 'https://node-postgres.com/features/queries#parameterized-query' },
    { title: 'mysql: escaping query values', url: 'https://github.com/mysqljs/mysql#escaping-query-values' },
    { title: 'OWASP SQL Injection Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html' },
  ],
  ruleIds: {
    codeql: ['js/sql-injection'],
    semgrep: [
      'javascript.lang.security.audit.sqli.node-postgres-sqli.node-postgres-sqli',
      'javascript.lang.security.audit.sqli.node-mysql-sqli.node-mysql-sqli',
      'javascript.express.security.injection.tainted-sql-string.tainted-sql-string',
    ],
    eslint: ['sonarjs/sql-queries'],
    sonar: ['javascript:S2077', 'jssecurity:S3649'],
    snyk: ['javascript/Sqli', 'javascript/NoSqli'],
    checkmarx: ['SQL_Injection'],
  },
  target: 'query call',
  candidates(root) {
    return root.descendantsOfType('call_expression').filter((c): c is Node => {
      const callee = c?.childForFieldName('function');
      const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
      const [first] = c == null ? [] : callArgs(c);
      if (c == null || method === undefined || !SQL_METHODS.has(method) || first === undefined) return false;
      return driverImported(root, method) || looksLikeSql(first, c);
    });
  },
  fix,
};
