import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callArgs, dotted, jsBindings, jsString, sameModule, type JsBinding } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** fs functions that read the file a path names. */
const READS = new Set(['readFile', 'readFileSync', 'createReadStream']);
const FS_MODULES = ['fs', 'fs/promises'];
const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function_declaration', 'function', 'method_definition', 'generator_function_declaration']);
/** The name the guard binds the checked path to. */
const GUARDED = 'filePath';

type Bindings = ReadonlyMap<string, JsBinding>;

/** `fs.readFile(…)`, `fs.promises.readFile(…)`, `readFileSync(…)` bound to node's fs. */
function isFsRead(call: Node, bindings: Bindings): boolean {
  const parts = (dotted(call.childForFieldName('function')) ?? '').split('.');
  const [head = '', ...rest] = parts;
  const bound = bindings.get(head);
  if (bound === undefined || !FS_MODULES.some((m) => sameModule(bound.module, m))) return false;
  if (rest.length === 0) return bound.name !== undefined && READS.has(bound.name);
  const fn = rest.join('.');
  if (bound.name !== undefined && bound.name !== 'default' && !(bound.name === 'promises' && READS.has(fn))) return false;
  return READS.has(fn) || (fn.startsWith('promises.') && READS.has(fn.slice('promises.'.length)));
}

/** Express `res.sendFile(p)` / `res.download(p)` (also `response.`): they send whatever file the path names. */
function isSend(call: Node): boolean {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'member_expression') return false;
  const object = callee.childForFieldName('object');
  return object?.type === 'identifier' && /^(res|response)$/.test(object.text) && ['sendFile', 'download'].includes(callee.childForFieldName('property')?.text ?? '');
}

/** The pieces of `a + b + c` in order. */
function concatenated(node: Node): Node[] {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left !== null && right !== null) return [...concatenated(left), ...concatenated(right)];
  }
  return [node];
}

/**
 * The base directory and the parts a path is built from: `path.join(BASE, x)`, `path.resolve(BASE, x)`, and
 * strings `BASE + '/' + x` or `'uploads/' + x` (the base is then the evident prefix, up to the first value).
 */
function builtPath(target: Node, path: string, root: Node): { base: string; parts: Node[]; baseNode?: Node } | string {
  const fn = target.type === 'call_expression' ? dotted(target.childForFieldName('function')) : undefined;
  if (fn === `${path}.join` || fn === `${path}.resolve`) {
    const args = callArgs(target);
    const [base] = args;
    if (base === undefined || args.length < 2) return 'joins no parts onto a base directory';
    // path.resolve(__dirname, 'exports', name): the base is every evident leading part, __dirname/exports.
    let fixed = 1;
    while (fixed < args.length - 1 && args[fixed] !== undefined && jsString(args[fixed]) !== undefined) fixed++;
    const text = fixed === 1 ? base.text : `${fn}(${args.slice(0, fixed).map((a) => a.text).join(', ')})`;
    return { base: text, parts: args.slice(fixed), baseNode: base };
  }
  if (target.type !== 'binary_expression') return `does not read ${path}.join(base, …) or base + name; review it by hand`;
  const pieces = concatenated(target);
  const firstValue = pieces.findIndex((p) => !evidentBase(p, root, path));
  if (firstValue <= 0) return `builds its path from ${target.text}, whose base directory is not evident from this file; review it by hand`;
  const prefix = pieces.slice(0, firstValue);
  // 'uploads/' + name: the prefix must end the directory, or 'uploads' + 'x' would name a sibling and be refused.
  const last = jsString(prefix[prefix.length - 1]);
  if (last === undefined || !last.endsWith('/')) return `builds its path from ${target.text}, whose base does not end in "/"; review it by hand`;
  return { base: prefix.map((p) => p.text).join(' + '), parts: pieces.slice(firstValue) };
}

/** The local name of node's path module (`path` in `const path = require('path')`). */
function pathModule(bindings: Bindings): string | undefined {
  for (const [local, b] of bindings) if (sameModule(b.module, 'path') && (b.name === undefined || b.name === 'default')) return local;
  return undefined;
}

/** A base directory whose value is evident: a string literal, `__dirname`, or a top-level const set from those with path.join/resolve. */
function evidentBase(node: Node, root: Node, path: string): boolean {
  if (jsString(node) !== undefined || node.text === '__dirname') return true;
  if (node.type === 'call_expression') {
    const fn = dotted(node.childForFieldName('function'));
    return (fn === `${path}.join` || fn === `${path}.resolve`) && callArgs(node).every((a) => evidentBase(a, root, path));
  }
  if (node.type !== 'identifier') return false;
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'lexical_declaration' || !statement.text.startsWith('const')) continue;
    for (const d of statement.namedChildren) {
      const value = d?.childForFieldName('value');
      if (d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === node.text && value != null) return evidentBase(value, root, path);
    }
  }
  return false;
}

function enclosing(node: Node, types: Set<string>): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (types.has(n.type)) return n;
  return undefined;
}

/** The statement holding the call, when it sits directly in a `{ … }` block (so a guard can go before it). */
function blockStatement(call: Node): Node | undefined {
  for (let n: Node | null = call; n !== null; n = n.parent) {
    if (n.parent?.type === 'statement_block') return n;
    if (FUNCTION_TYPES.has(n.type) && n.id !== call.id) return undefined;
  }
  return undefined;
}

/** Is the statement holding the call preceded by `if (!….resolve(name).startsWith(…))`, the guard this fix writes? */
function guardedBefore(call: Node, name: string): boolean {
  const statement = blockStatement(call);
  const previous = statement?.previousNamedSibling;
  return previous?.type === 'if_statement' && previous.text.includes(`.resolve(${name}).startsWith(`);
}

/** `return res.sendStatus(403);` inside an Express-style handler `(req, res, …)`, else a thrown error. */
function refusal(fn: Node, base: string): string {
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p !== null && p.type !== 'comment') ?? [];
  const res = params[1];
  if (params.length >= 2 && res?.type === 'identifier' && /^(res|response)$/.test(res.text)) return `return ${res.text}.sendStatus(403);`;
  return `throw new Error(\`refusing to read outside \${${base}}\`);`;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = jsBindings(root);
  const path = pathModule(bindings);
  const [target] = callArgs(node);
  const where = `the ${isSend(node) ? 'file sent' : 'file read'} on line ${line}`;
  if (target?.type === 'identifier' && guardedBefore(node, target.text)) return { unfixed: `${where} is already checked to stay inside its base directory; nothing to fix`, alreadySafe: true };
  if (target === undefined) return { unfixed: `${where} passes no path` };
  if (path === undefined) return { unfixed: `${where}: the file does not require path, which the guard needs; review it by hand` };
  const built = builtPath(target, path, root);
  if (typeof built === 'string') return { unfixed: `${where} ${built}` };
  const { parts, baseNode } = built;
  if (parts.every((p) => jsString(p) !== undefined)) return { unfixed: `${where} joins only literal parts; nothing from outside chooses the file`, alreadySafe: true };
  if (baseNode !== undefined && !evidentBase(baseNode, root, path)) return { unfixed: `${where} joins onto ${baseNode.text}, whose directory is not evident from this file; review it by hand` };
  const base = { text: built.base, type: baseNode?.type ?? 'expression' };
  const fn = enclosing(node, FUNCTION_TYPES);
  const statement = blockStatement(node);
  if (fn === undefined || statement === undefined) return { unfixed: `${where} is not a statement in a function body, so no guard can go before it` };
  const taken = fn.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']).some((n) => n?.text === GUARDED);
  if (taken) return { unfixed: `${where} is in a function that already uses the name ${GUARDED}; review it by hand` };
  const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = source.slice(lineStart, statement.startIndex);
  if (!/^[ \t]*$/.test(indent)) return { unfixed: `${where} shares its line with other code; review it by hand` };
  const eol = detectEol(source);
  const step = /\t/.test(indent) ? '\t' : '  ';
  const semi = statement.text.trimEnd().endsWith(';') ? ';' : '';
  const baseText = base.type === 'identifier' ? base.text : `(${base.text})`;
  const guard = [
    `const ${GUARDED} = ${target.text}${semi}`,
    `if (!${path}.resolve(${GUARDED}).startsWith(${base.text.startsWith(`${path}.resolve(`) ? base.text : `${path}.resolve(${base.text})`} + ${path}.sep)) {`,
    `${step}${refusal(fn, baseText)}`,
    '}',
  ];
  return {
    edits: [
      { start: statement.startIndex, end: statement.startIndex, text: guard.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join(eol) + eol + indent },
      { start: target.startIndex, end: target.endIndex, text: GUARDED },
    ],
    description: `Checked on line ${line} that the path stays inside ${base.text} before ${isSend(node) ? 'sending' : 'reading'} it, so "../" in the request can no longer reach other files.`,
  };
}

export const jsPathTraversalGuard: Codemod = {
  id: 'js-path-traversal-guard',
  title: 'Keep file reads inside their base directory',
  summary: 'Refuse file paths that escape their base directory before reading',
  description: [
    '`path.join(BASE, name)` normalises `..`, so a name like `../../etc/passwd` from a request leaves `BASE` and the',
    'read returns any file the process can open. When the base directory is evident (a literal, `__dirname`, or a',
    'top-level constant built from those), this change joins the path first, checks that it resolves inside the base,',
    'and refuses otherwise: `return res.sendStatus(403)` in an Express-style `(req, res)` handler, else a thrown error.',
    '',
    '```diff',
    "-  fs.readFile(path.join(PUBLIC_DIR, req.params.name), 'utf8', (err, text) => res.send(text));",
    '+  const filePath = path.join(PUBLIC_DIR, req.params.name);',
    '+  if (!path.resolve(filePath).startsWith(path.resolve(PUBLIC_DIR) + path.sep)) {',
    '+    return res.sendStatus(403);',
    '+  }',
    "+  fs.readFile(filePath, 'utf8', (err, text) => res.send(text));",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Reads through a symlink inside the base still follow it, and a caller that meant to read outside the base (or the base itself) is now refused.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-22'],
  owasp: ['A01:2021'],
  references: [
    { title: 'OWASP Path Traversal', url: 'https://owasp.org/www-community/attacks/Path_Traversal' },
    { title: 'Node.js path.resolve', url: 'https://nodejs.org/api/path.html#pathresolvepaths' },
    { title: 'CWE-22: Path Traversal', url: 'https://cwe.mitre.org/data/definitions/22.html' },
  ],
  ruleIds: {
    codeql: ['js/path-injection'],
    semgrep: ['javascript.lang.security.audit.path-traversal.path-join-resolve-traversal.path-join-resolve-traversal'],
    eslint: ['detect-non-literal-fs-filename', 'security/detect-non-literal-fs-filename'],
    sonar: ['jssecurity:S2083'],
    snyk: ['javascript/PT'],
    checkmarx: ['Path_Traversal'],
  },
  target: 'file read',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && (isFsRead(c, bindings) || isSend(c)));
  },
  fix,
};
