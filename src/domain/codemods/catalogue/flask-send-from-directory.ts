import type { Node } from 'web-tree-sitter';
import { callsTo } from '../python/args';
import { callArguments, plainString, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, ImportRequest } from '../types';

/** The directory and the file name a path is built from: `os.path.join(DIR, name)` or `"dir/" + name`. */
function split(path: Node, root: Node): { directory: string; name: Node } | string {
  if (path.type === 'call' && resolveCallee(path, pythonBindings(root))?.qualified === 'os.path.join') {
    const args = callArguments(path);
    const [directory, name, ...rest] = args?.positional ?? [];
    if (args === undefined || args.splat || directory === undefined || name === undefined || rest.length > 0) return 'joins other than one directory and one name';
    return { directory: directory.text, name };
  }
  if (path.type === 'binary_operator' && path.childForFieldName('operator')?.type === '+') {
    const left = path.childForFieldName('left');
    const name = path.childForFieldName('right');
    const prefix = left === null ? undefined : plainString(left)?.value;
    if (prefix === undefined || name === null || !prefix.endsWith('/') || prefix.slice(0, -1).includes('\\')) return 'is not a literal directory ending in "/" plus a name';
    const quote = left?.text.charAt(left.text.length - 1) ?? '"';
    return { directory: `${quote}${prefix.slice(0, -1) || '.'}${quote}`, name };
  }
  return `sends ${path.text}, which is not os.path.join(directory, name) or "dir/" + name`;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const callee = resolveCallee(node, pythonBindings(root));
  const args = callArguments(node);
  const path = args?.positional[0];
  const where = `send_file on line ${line}`;
  if (callee === undefined || args === undefined || path === undefined || args.splat) return { unfixed: `${where} passes no path the codemod can read` };
  if (args.positional.length > 1) return { unfixed: `${where} passes options positionally; review it by hand` };
  if (path.type === 'string' || path.type === 'identifier') {
    return plainString(path) !== undefined ? { unfixed: `${where} sends a constant path; nothing to fix`, alreadySafe: true } : { unfixed: `${where} sends ${path.text}, built elsewhere; review it by hand` };
  }
  const parts = split(path, root);
  if (typeof parts === 'string') return { unfixed: `${where} ${parts}; review it by hand` };
  if (plainString(parts.name) !== undefined) return { unfixed: `${where} joins a constant name; nothing from outside chooses the file`, alreadySafe: true };
  const fn = node.childForFieldName('function');
  if (fn === null) return { unfixed: `${where} has no callee` };
  const name = callee.fromImport ? 'send_from_directory' : `${fn.type === 'attribute' ? fn.childForFieldName('object')?.text ?? 'flask' : 'flask'}.send_from_directory`;
  const imports: ImportRequest[] = callee.fromImport ? [{ module: 'flask', name: 'send_from_directory' }] : [];
  return {
    edits: [
      { start: fn.startIndex, end: fn.endIndex, text: name },
      { start: path.startIndex, end: path.endIndex, text: `${parts.directory}, ${parts.name.text}` },
    ],
    imports,
    description: `Sent the file on line ${line} with send_from_directory, which answers 404 for a name that leaves ${parts.directory} ("../") instead of sending any file the server can read.`,
  };
}

export const flaskSendFromDirectory: Codemod = {
  id: 'flask-send-from-directory',
  title: 'Send files from their directory with send_from_directory',
  summary: 'Replace send_file of a joined path with send_from_directory',
  description: [
    '`send_file(os.path.join(DIR, name))` sends whatever file the joined path names, so a name like `../../etc/passwd`',
    "from a request leaves `DIR`. `send_from_directory(DIR, name)` joins them with Werkzeug's `safe_join` and answers",
    '404 when the name would leave the directory; the other options (`as_attachment`, `mimetype`, …) are passed on.',
    '',
    '```diff',
    '-return send_file(os.path.join(UPLOADS, filename), as_attachment=True)',
    '+return send_from_directory(UPLOADS, filename, as_attachment=True)',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'A name that reached files outside the directory (on purpose or not), or an absolute name, now gets 404.',
  languages: ['python'],
  cwes: ['CWE-22'],
  owasp: ['A01:2021'],
  references: [
    { title: 'Flask send_from_directory', url: 'https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory' },
    { title: 'CWE-22: Path Traversal', url: 'https://cwe.mitre.org/data/definitions/22.html' },
  ],
  ruleIds: {
    codeql: ['py/path-injection'],
    semgrep: ['python.flask.security.injection.path-traversal-open.path-traversal-open', 'python.flask.security.audit.send-file-user-input.send-file-user-input'],
    sonar: ['pythonsecurity:S2083'],
    generic: ['replace-flask-send-file'],
  },
  target: 'call to flask send_file',
  candidates: (root) => callsTo(root, (q) => q === 'flask.send_file'),
  fix,
};
