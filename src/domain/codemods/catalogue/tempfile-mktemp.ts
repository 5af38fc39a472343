import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callsTo } from '../python/args';
import { callArguments, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** mktemp(suffix='', prefix='tmp', dir=None): positional arguments become keywords of NamedTemporaryFile. */
const POSITIONAL = ['suffix', 'prefix', 'dir'];

/** A name for the `with … as <name>` target that the file does not use yet. */
function freshName(source: string): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? 'tmp_file' : `tmp_file${i}`;
    if (!new RegExp(`\\b${name}\\b`).test(source)) return name;
  }
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const callee = resolveCallee(node, pythonBindings(root));
  const args = callArguments(node);
  if (callee === undefined || args === undefined) return { unfixed: `line ${line} holds no call to tempfile.mktemp` };
  if (args.splat) return { unfixed: `tempfile.mktemp on line ${line} passes *args/**kwargs; review it by hand` };
  if (args.positional.length > POSITIONAL.length) return { unfixed: `tempfile.mktemp on line ${line} has too many arguments` };
  const assignment = node.parent;
  const statement = assignment?.parent;
  const target = assignment?.childForFieldName('left');
  if (assignment?.type !== 'assignment' || statement?.type !== 'expression_statement' || target == null || target.type !== 'identifier' || assignment.childForFieldName('right')?.id !== node.id) {
    return { unfixed: `tempfile.mktemp on line ${line} is not assigned to a plain name, so there is no statement to wrap in with; review it by hand` };
  }
  const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = source.slice(lineStart, statement.startIndex);
  if (!/^[ \t]*$/.test(indent)) return { unfixed: `tempfile.mktemp on line ${line} shares its line with other statements; review it by hand` };
  const keywords = [
    'delete=False',
    ...args.positional.map((arg, i) => `${POSITIONAL[i] ?? 'suffix'}=${arg.text}`),
    ...[...args.keywords.values()].map((k) => k.text),
  ];
  const factory = callee.fromImport ? 'NamedTemporaryFile' : `${callee.nameNode.parent?.childForFieldName('object')?.text ?? 'tempfile'}.NamedTemporaryFile`;
  const name = freshName(source);
  const step = indent.includes('\t') ? '\t' : '    ';
  const eol = detectEol(source);
  const text = `with ${factory}(${keywords.join(', ')}) as ${name}:${eol}${indent}${step}${target.text} = ${name}.name`;
  const outcome: FixOutcome = {
    edits: [{ start: statement.startIndex, end: statement.endIndex, text }],
    description: `Replaced tempfile.mktemp on line ${line} with NamedTemporaryFile(delete=False), which creates the file atomically.`,
  };
  return callee.fromImport ? { ...outcome, imports: [{ module: 'tempfile', name: 'NamedTemporaryFile' }] } : outcome;
}

export const tempfileMktemp: Codemod = {
  id: 'tempfile-mktemp',
  title: 'Create temporary files atomically',
  summary: 'Replace tempfile.mktemp with NamedTemporaryFile(delete=False)',
  description: [
    '`tempfile.mktemp` only returns a name; between that call and the caller creating the file, another process can',
    'create it (or a symlink to a file of its choosing) first. `NamedTemporaryFile(delete=False)` creates the file',
    'itself with `O_EXCL` and mode 0600, and the caller keeps using its name.',
    '',
    '```diff',
    '-path = tempfile.mktemp(suffix=".csv")',
    '+with tempfile.NamedTemporaryFile(delete=False, suffix=".csv") as tmp_file:',
    '+    path = tmp_file.name',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'The file now exists (empty) when the name is returned: code that expects to create it with O_EXCL, or a directory or FIFO of that name, must change.',
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
