import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callArguments, plainString, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const GUARDED = 'safe_path';

/** `NAME = <expr>` at the top of the module, assigned exactly once there and never elsewhere: an evident base directory. */
function moduleConstant(root: Node, name: string): Node | undefined {
  const assignments = root.descendantsOfType('assignment').filter((a) => a?.childForFieldName('left')?.text === name);
  const [only] = assignments;
  if (assignments.length !== 1 || only == null || only.parent?.parent?.type !== 'module') return undefined;
  return only.childForFieldName('right') ?? undefined;
}

/** `open(os.path.join(...))` with the builtin open. */
function joinedOpen(call: Node, root: Node): Node | undefined {
  const bindings = pythonBindings(root);
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' || fn.text !== 'open' || bindings.names.has('open')) return undefined;
  const first = callArguments(call)?.positional[0];
  return first?.type === 'call' && resolveCallee(first, bindings)?.qualified === 'os.path.join' ? first : undefined;
}

/** The statement holding `node` that sits directly in a block or the module. */
function blockStatement(node: Node): Node | undefined {
  for (let n: Node | null = node; n !== null; n = n.parent) if (n.parent?.type === 'block' || n.parent?.type === 'module') return n;
  return undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const join = joinedOpen(node, root);
  const parts = join === undefined ? undefined : callArguments(join);
  if (join === undefined || parts === undefined) return { unfixed: `line ${line} holds no open(os.path.join(...))` };
  if (parts.splat || parts.keywords.size > 0) return { unfixed: `os.path.join on line ${line} takes *args; the parts cannot be known` };
  const [base, ...rest] = parts.positional;
  if (base === undefined || rest.length === 0) return { unfixed: `os.path.join on line ${line} joins a single part` };
  if (rest.every((p) => plainString(p) !== undefined)) return { unfixed: `open on line ${line} joins only constant parts; nothing to fix`, alreadySafe: true };
  const baseIsConstant = plainString(base) !== undefined || (base.type === 'identifier' && moduleConstant(root, base.text) !== undefined);
  if (!baseIsConstant) return { unfixed: `the base directory on line ${line} (${base.text}) is not a module constant; the guard needs an evident base` };
  const statement = blockStatement(node);
  if (statement === undefined) return { unfixed: `open on line ${line} is not inside a statement the guard can precede` };
  const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = source.slice(lineStart, statement.startIndex);
  if (!/^[ \t]*$/.test(indent)) return { unfixed: `the statement on line ${line} shares its line with other code` };
  const scope = statement.parent?.parent ?? root;
  if (scope.descendantsOfType('identifier').some((i) => i?.text === GUARDED)) return { unfixed: `the name ${GUARDED} is already used around line ${line}` };
  const unit = indent.includes('\t') ? '\t' : '    ';
  const eol = detectEol(source);
  const baseReal = `os.path.realpath(${base.text})`;
  const guard = [
    `${GUARDED} = os.path.realpath(${join.text})`,
    `if os.path.commonpath([${GUARDED}, ${baseReal}]) != ${baseReal}:`,
    `${unit}raise PermissionError("refusing a path outside ${base.text.replace(/["\\]/g, '')}")`,
  ];
  return {
    edits: [
      { start: lineStart, end: lineStart, text: guard.map((l) => `${indent}${l}${eol}`).join('') },
      { start: join.startIndex, end: join.endIndex, text: GUARDED },
    ],
    imports: [{ module: 'os' }],
    description: `Resolved the path opened on line ${line} and refused it when it leaves ${base.text} (../, absolute parts, symlinks).`,
  };
}

export const pythonPathTraversalGuard: Codemod = {
  id: 'python-path-traversal-guard',
  title: 'Keep opened paths inside their base directory',
  summary: 'Refuse file paths that escape their base directory',
  description: [
    '`open(os.path.join(BASE_DIR, name))` with `name` from a request reads any file the process can: `../../etc/passwd`',
    'climbs out of the base directory, and an absolute `name` replaces it altogether. Where the base directory is a',
    'module constant, this change resolves the joined path (symlinks included) and refuses it unless it is still',
    'inside the base directory.',
    '',
    '```diff',
    '+safe_path = os.path.realpath(os.path.join(UPLOAD_DIR, name))',
    '+if os.path.commonpath([safe_path, os.path.realpath(UPLOAD_DIR)]) != os.path.realpath(UPLOAD_DIR):',
    '+    raise PermissionError("refusing a path outside UPLOAD_DIR")',
    '-with open(os.path.join(UPLOAD_DIR, name)) as f:',
    '+with open(safe_path) as f:',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Paths that legitimately leave the base directory (a symlinked subfolder pointing elsewhere) are now refused with PermissionError.',
  languages: ['python'],
  cwes: ['CWE-22'],
  owasp: ['A01:2021'],
  references: [
    { title: 'OWASP: Path Traversal', url: 'https://owasp.org/www-community/attacks/Path_Traversal' },
    { title: 'Python os.path.commonpath', url: 'https://docs.python.org/3/library/os.path.html#os.path.commonpath' },
    { title: 'CWE-22: Path Traversal', url: 'https://cwe.mitre.org/data/definitions/22.html' },
  ],
  ruleIds: {
    codeql: ['py/path-injection'],
    semgrep: [
      'python.flask.security.injection.path-traversal-open.path-traversal-open',
      'python.lang.security.audit.path-traversal-open.path-traversal-open',
      'python.django.security.injection.path-traversal.path-traversal-join.path-traversal-join',
    ],
    sonar: ['pythonsecurity:S2083'],
    snyk: ['python/PT'],
  },
  target: 'open(os.path.join(...)) call',
  candidates: (root) => root.descendantsOfType('call').filter((c): c is Node => c !== null && joinedOpen(c, root) !== undefined),
  fix,
};
