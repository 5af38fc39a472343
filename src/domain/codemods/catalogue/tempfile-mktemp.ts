import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callsTo } from '../python/args';
import { callArguments, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, ImportRequest } from '../types';

/** Calls that create their own file, directory, link or socket at a path, failing when it already exists. */
const NEEDS_ABSENT = new Set(['mkdir', 'makedirs', 'mkfifo', 'mknod', 'symlink', 'link', 'copytree', 'bind', 'rename', 'replace']);
/** Expressions that may evaluate the call zero times or several times: hoisting it would change that. */
const DEFERRED: Record<string, string> = {
  conditional_expression: 'a conditional expression',
  boolean_operator: 'an and/or expression',
  lambda: 'a lambda',
  list_comprehension: 'a comprehension',
  set_comprehension: 'a comprehension',
  dictionary_comprehension: 'a comprehension',
  generator_expression: 'a generator expression',
  default_parameter: 'a default argument',
  typed_default_parameter: 'a default argument',
  decorator: 'a decorator',
};
/** Statements the call may sit in, evaluated once each time the statement runs: the new lines go just before it. */
const HOSTS = new Set(['expression_statement', 'return_statement', 'raise_statement', 'with_statement', 'if_statement', 'for_statement']);

/** A name the file does not use yet. */
function freshName(source: string, base: string): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}${i}`;
    if (!new RegExp(`\\b${name}\\b`).test(source)) return name;
  }
}

/** The statement to put the mkstemp lines before, or why the call cannot be moved there. */
function hostStatement(call: Node): Node | string {
  for (let n = call.parent; n !== null; n = n.parent) {
    const deferred = DEFERRED[n.type];
    if (deferred !== undefined) return `is inside ${deferred}, which may run it never or several times`;
    if (HOSTS.has(n.type)) return n;
    if (n.type === 'while_statement') return 'is in a while condition, run on every pass';
    if (n.type === 'elif_clause') return 'is in an elif condition';
    if (n.type.endsWith('_statement') || n.type === 'block' || n.type === 'module') return `is in a ${n.type.replace(/_/g, ' ')}`;
  }
  return 'is in no statement';
}

function enclosingScope(node: Node): Node {
  for (let n = node.parent; n !== null; n = n.parent) if (n.type === 'function_definition' || n.type === 'module') return n;
  return node;
}

/** Does code in the scope create something at this path itself (so the path must not exist yet)? */
function createdAt(scope: Node, call: Node, name: string | undefined, bindings: ReturnType<typeof pythonBindings>): string | undefined {
  for (const other of scope.descendantsOfType('call')) {
    if (other === null || other.equals(call)) continue;
    const fn = resolveCallee(other, bindings)?.qualified.split('.').pop();
    if (fn === undefined || !NEEDS_ABSENT.has(fn)) continue;
    const args = other.childForFieldName('arguments');
    const passes = args !== null && ((call.startIndex >= args.startIndex && call.endIndex <= args.endIndex) || (name !== undefined && args.descendantsOfType('identifier').some((i) => i?.text === name)));
    if (passes) return fn;
  }
  return undefined;
}

/** How to call os.close here, or why it cannot be named. */
function closeCall(call: Node, root: Node, bindings: ReturnType<typeof pythonBindings>): { call: string; imports: ImportRequest[] } | string {
  const scope = enclosingScope(call);
  const shadowed = scope.type === 'function_definition' && scope.descendantsOfType('identifier').some((i) => i?.text === 'os' && (i.parent?.type === 'assignment' || i.parent?.type === 'parameters' || i.parent?.type === 'default_parameter'));
  if (shadowed) return 'the function uses os as a variable, so os.close cannot be named there';
  if (bindings.modules.get('os') === 'os') return { call: 'os.close', imports: [] };
  const close = bindings.names.get('close');
  if (close?.module === 'os' && close.name === 'close') return { call: 'close', imports: [] };
  if (root.descendantsOfType('identifier').some((i) => i?.text === 'os')) return 'os names something other than the os module in this file';
  return { call: 'os.close', imports: [{ module: 'os' }] };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = pythonBindings(root);
  const callee = resolveCallee(node, bindings);
  if (callee === undefined || callArguments(node) === undefined) return { unfixed: `line ${line} holds no call to tempfile.mktemp` };
  const host = hostStatement(node);
  if (typeof host === 'string') return { unfixed: `tempfile.mktemp on line ${line} ${host}; review it by hand` };
  const lineStart = source.lastIndexOf('\n', host.startIndex - 1) + 1;
  const indent = source.slice(lineStart, host.startIndex);
  if (!/^[ \t]*$/.test(indent)) return { unfixed: `tempfile.mktemp on line ${line} shares its line with other statements; review it by hand` };
  const others = host.descendantsOfType('call').filter((c) => c !== null && !c.equals(node) && resolveCallee(c, bindings)?.qualified === 'tempfile.mktemp');
  if (others.length > 0) return { unfixed: `tempfile.mktemp on line ${line} shares its statement with another mktemp call; review it by hand` };
  // `path = tempfile.mktemp(…)`: the name itself receives the path; elsewhere a fresh name stands in for the call.
  const assignment = node.parent;
  const target = assignment?.type === 'assignment' && assignment.parent?.equals(host) === true && assignment.childForFieldName('right')?.equals(node) === true ? assignment.childForFieldName('left') : null;
  const assigned = target?.type === 'identifier' && assignment?.childForFieldName('type') == null ? target.text : undefined;
  const creator = createdAt(enclosingScope(node), node, assigned, bindings);
  if (creator !== undefined) return { unfixed: `tempfile.mktemp on line ${line}: the code then calls ${creator} on that path, which fails once mkstemp has created the file; review it by hand` };
  const close = closeCall(node, root, bindings);
  if (typeof close === 'string') return { unfixed: `tempfile.mktemp on line ${line}: ${close}; review it by hand` };
  // mkstemp takes mktemp's arguments (suffix, prefix, dir) in the same order, so the call keeps them as written.
  const mkstemp = `${source.slice(node.startIndex, callee.nameNode.startIndex)}mkstemp${source.slice(callee.nameNode.endIndex, node.endIndex)}`;
  const fd = freshName(source, 'tmp_fd');
  const eol = detectEol(source);
  const imports: ImportRequest[] = [...close.imports, ...(callee.fromImport ? [{ module: 'tempfile', name: 'mkstemp' }] : [])];
  const description = `Replaced tempfile.mktemp on line ${line} with mkstemp, which creates the file atomically (mode 0600), and closed its descriptor; the code keeps using the path.`;
  if (assigned !== undefined && assignment !== null) {
    const text = `${fd}, ${assigned} = ${mkstemp}${eol}${indent}${close.call}(${fd})`;
    return { edits: [{ start: host.startIndex, end: host.endIndex, text }], description, imports };
  }
  const path = freshName(source, 'tmp_path');
  const hoisted = `${fd}, ${path} = ${mkstemp}${eol}${indent}${close.call}(${fd})${eol}${indent}`;
  return { edits: [{ start: host.startIndex, end: node.endIndex, text: `${hoisted}${source.slice(host.startIndex, node.startIndex)}${path}` }], description, imports };
}

export const tempfileMktemp: Codemod = {
  id: 'tempfile-mktemp',
  title: 'Create temporary files atomically',
  summary: 'Replace tempfile.mktemp with mkstemp, closing its descriptor',
  description: [
    '`tempfile.mktemp` only returns a name; between that call and the caller creating the file, another process can',
    'create it (or a symlink to a file of its choosing) first. `tempfile.mkstemp` takes the same arguments and creates',
    'the file itself with `O_EXCL` and mode 0600; its descriptor is closed at once and the code keeps using the path.',
    'Where the call sits inside an expression (`return tempfile.mktemp()`, `print(tempfile.mktemp())`), the two lines go',
    'just before that statement and a new name stands in for the call.',
    '',
    '```diff',
    '-    return tempfile.mktemp(suffix=".csv")',
    '+    tmp_fd, tmp_path = tempfile.mkstemp(suffix=".csv")',
    '+    os.close(tmp_fd)',
    '+    return tmp_path',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'The file now exists (empty, mode 0600) when the name is returned: code that expects to create it with O_EXCL, or a directory or FIFO of that name, must change (calls to mkdir, mkfifo, symlink and the like on that path in the same function are refused).',
  languages: ['python'],
  cwes: ['CWE-377'],
  owasp: ['A01:2021'],
  references: [
    { title: 'Python tempfile.mktemp (deprecated)', url: 'https://docs.python.org/3/library/tempfile.html#tempfile.mktemp' },
    { title: 'CWE-377: Insecure Temporary File', url: 'https://cwe.mitre.org/data/definitions/377.html' },
  ],
  ruleIds: {
    codeql: ['py/insecure-temporary-file'],
    semgrep: ['python.lang.correctness.tempfile.mktemp.tempfile-insecure'],
    bandit: ['B306'],
    sonar: ['python:S5445'],
  },
  target: 'call to tempfile.mktemp',
  candidates(root) {
    return callsTo(root, (q) => q === 'tempfile.mktemp');
  },
  fix,
};
