import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callsTo } from '../python/args';
import { callArguments, keywordValue, pythonBindings, qualifiedName, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

const WEAK = new Set(['PROTOCOL_SSLv2', 'PROTOCOL_SSLv3', 'PROTOCOL_SSLv23', 'PROTOCOL_TLSv1', 'PROTOCOL_TLSv1_1']);

/** The enclosing function body, or the module: where a context variable's uses are looked for. */
function scopeOf(node: Node): Node {
  let n: Node | null = node.parent;
  while (n !== null && n.type !== 'function_definition' && n.type !== 'module') n = n.parent;
  return n ?? node;
}

/** How a context variable is used in its scope: evidence of client or server use, verification settings. */
function usesOf(scope: Node, name: string) {
  const onName = (n: Node | null): boolean => n?.type === 'attribute' && n.childForFieldName('object')?.text === name;
  const method = (call: Node): string | undefined => {
    const fn = call.childForFieldName('function');
    return onName(fn) ? fn?.childForFieldName('attribute')?.text : undefined;
  };
  const calls = scope.descendantsOfType('call').filter((c): c is Node => c !== null);
  const wraps = calls.filter((c) => method(c) === 'wrap_socket');
  const assigned = new Map<string, string>();
  for (const a of scope.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left') ?? null;
    if (onName(left)) assigned.set(left?.childForFieldName('attribute')?.text ?? '', a?.childForFieldName('right')?.text ?? '');
  }
  const passedAsContext = calls.some((c) => {
    const keyword = callArguments(c)?.keywords.get('context');
    return keyword !== undefined && keywordValue(keyword)?.text === name;
  });
  return {
    server: calls.some((c) => method(c) === 'load_cert_chain') || wraps.some((w) => callArguments(w)?.keywords.get('server_side') !== undefined),
    client: passedAsContext || (wraps.length > 0 && wraps.every((w) => callArguments(w)?.keywords.has('server_hostname') === true)),
    assigned,
  };
}

function fixContext(ctx: FixContext, protocol: Node, shown: string): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const assignment = node.parent;
  const statement = assignment?.parent;
  const variable = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.equals(node) === true ? assignment.childForFieldName('left') : null;
  const keyword = node.parent?.parent;
  const inlineContext = node.parent?.type === 'keyword_argument' && node.parent.childForFieldName('name')?.text === 'context' && keyword?.type === 'argument_list';
  const replace: TextEdit = { start: protocol.startIndex, end: protocol.endIndex, text: 'ssl.PROTOCOL_TLS_CLIENT' };
  const description = `Replaced ${shown} with ssl.PROTOCOL_TLS_CLIENT on line ${line}: TLS 1.2 or newer, with certificate and host name checks.`;
  if (inlineContext) return { edits: [replace], description, imports: [{ module: 'ssl' }] };
  if (variable?.type !== 'identifier' || statement?.type !== 'expression_statement') {
    return { unfixed: `the SSLContext on line ${line} is not assigned to a variable or passed as context=, so its client or server use cannot be seen` };
  }
  const uses = usesOf(scopeOf(node), variable.text);
  if (uses.server) return { unfixed: `${variable.text} on line ${line} is used by a server (load_cert_chain or server_side); PROTOCOL_TLS_CLIENT would not fit` };
  if (!uses.client) return { unfixed: `${variable.text} on line ${line} is never used with server_hostname= or passed as context=, so it cannot be told to be a client's` };
  if (uses.assigned.has('verify_mode') && uses.assigned.get('check_hostname') !== 'False') {
    return { unfixed: `${variable.text} on line ${line} sets verify_mode without check_hostname = False; with PROTOCOL_TLS_CLIENT that raises, review by hand` };
  }
  const edits = [replace];
  if (!uses.assigned.has('minimum_version')) {
    const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
    const indent = source.slice(lineStart, statement.startIndex);
    const rest = /^[ \t]*(#[^\n]*)?(?=\r?\n|$)/.exec(source.slice(statement.endIndex));
    if (!/^[ \t]*$/.test(indent) || rest === null) return { unfixed: `the SSLContext on line ${line} shares its line with other code` };
    const at = statement.endIndex + rest[0].length;
    edits.push({ start: at, end: at, text: `${detectEol(source)}${indent}${variable.text}.minimum_version = ssl.TLSVersion.TLSv1_2` });
  }
  return { edits, description: `${description.slice(0, -1)}; ${variable.text}.minimum_version is pinned to TLS 1.2.`, imports: [{ module: 'ssl' }] };
}

const OLD_VERSIONS = new Set(['SSLv3', 'TLSv1', 'TLSv1_1', 'MINIMUM_SUPPORTED']);
const GENERIC = new Set(['PROTOCOL_TLS']);

/** `ctx.minimum_version = ssl.TLSVersion.TLSv1` (or `TLSv1_1`, `SSLv3`, `MINIMUM_SUPPORTED`) → `ssl.TLSVersion.TLSv1_2`. */
function fixMinimumVersion(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const value = node.childForFieldName('right');
  const name = value === null ? undefined : qualifiedName(value, pythonBindings(root));
  const version = name?.startsWith('ssl.TLSVersion.') === true ? name.slice('ssl.TLSVersion.'.length) : undefined;
  if (value === null || version === undefined) return { unfixed: `minimum_version on line ${line} is set from an expression (${value?.text ?? '?'}); review it by hand` };
  if (!OLD_VERSIONS.has(version)) return { unfixed: `minimum_version on line ${line} is already ssl.TLSVersion.${version}; nothing to fix`, alreadySafe: true };
  const prefix = value.type === 'attribute' ? `${value.childForFieldName('object')?.text ?? 'ssl.TLSVersion'}.` : 'ssl.TLSVersion.';
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: `${prefix}TLSv1_2` }],
    description: `Raised minimum_version on line ${line} from ${version} to TLS 1.2.`,
    imports: value.type === 'attribute' ? [] : [{ module: 'ssl' }],
  };
}

/**
 * `ssl.SSLContext()` or `ssl.SSLContext(ssl.PROTOCOL_TLS)`: the negotiated protocol, whose lowest version is the
 * Python's and OpenSSL's default (TLS 1.0 before Python 3.10). Pinning `minimum_version` to TLS 1.2 on the line after
 * keeps everything else (server or client, verification) as it was.
 */
function fixGeneric(ctx: FixContext, shown: string): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const assignment = node.parent;
  const statement = assignment?.parent;
  const variable = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.equals(node) === true ? assignment.childForFieldName('left') : null;
  if (variable?.type !== 'identifier' || statement?.type !== 'expression_statement') {
    return { unfixed: `${shown} on line ${line} is not assigned to a variable, so no minimum_version can be set on it; review it by hand` };
  }
  const set = usesOf(scopeOf(node), variable.text).assigned.get('minimum_version');
  if (set !== undefined) return { unfixed: `${variable.text} on line ${line} sets its minimum_version (${set}); nothing to fix here`, alreadySafe: true };
  const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = source.slice(lineStart, statement.startIndex);
  const rest = /^[ \t]*(#[^\n]*)?(?=\r?\n|$)/.exec(source.slice(statement.endIndex));
  if (!/^[ \t]*$/.test(indent) || rest === null) return { unfixed: `the SSLContext on line ${line} shares its line with other code` };
  const at = statement.endIndex + rest[0].length;
  return {
    edits: [{ start: at, end: at, text: `${detectEol(source)}${indent}${variable.text}.minimum_version = ssl.TLSVersion.TLSv1_2` }],
    description: `Pinned ${variable.text}.minimum_version to TLS 1.2 after ${shown} on line ${line}, which could otherwise negotiate TLS 1.0 or 1.1.`,
    imports: [{ module: 'ssl' }],
  };
}

function fix(ctx: FixContext): FixOutcome {
  if (ctx.node.type === 'assignment') return fixMinimumVersion(ctx);
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = pythonBindings(root);
  const callee = resolveCallee(node, bindings)?.qualified;
  const args = callArguments(node);
  if (args === undefined) return { unfixed: `line ${line} holds no SSLContext or wrap_socket call` };
  const isContext = callee === 'ssl.SSLContext';
  const keyword = args.keywords.get(isContext ? 'protocol' : 'ssl_version');
  const protocol = (keyword === undefined ? null : keywordValue(keyword)) ?? (isContext ? args.positional[0] : args.positional[5]) ?? null;
  const what = isContext ? 'ssl.SSLContext' : 'ssl.wrap_socket';
  if (protocol === null) {
    if (args.splat) return { unfixed: `${what} on line ${line} passes *args/**kwargs` };
    return isContext ? fixGeneric(ctx, 'ssl.SSLContext()') : { unfixed: `${what} on line ${line} uses the default protocol (negotiated); nothing to fix`, alreadySafe: true };
  }
  const name = qualifiedName(protocol, bindings);
  const constant = name?.startsWith('ssl.PROTOCOL_') === true ? name.slice(4) : undefined;
  if (constant === undefined) return { unfixed: `${what} on line ${line} takes its protocol from an expression (${protocol.text})` };
  if (isContext && GENERIC.has(constant)) return fixGeneric(ctx, `ssl.SSLContext(ssl.${constant})`);
  if (!WEAK.has(constant)) return { unfixed: `${what} on line ${line} uses ssl.${constant}; nothing to fix`, alreadySafe: true };
  if (isContext) return fixContext(ctx, protocol, `ssl.${constant}`);
  // ssl.wrap_socket sets verify_mode itself, which PROTOCOL_TLS_CLIENT refuses: pin TLS 1.2 there instead.
  return {
    edits: [{ start: protocol.startIndex, end: protocol.endIndex, text: 'ssl.PROTOCOL_TLSv1_2' }],
    description: `Replaced ssl.${constant} with ssl.PROTOCOL_TLSv1_2 in ssl.wrap_socket on line ${line}.`,
    imports: [{ module: 'ssl' }],
  };
}

export const pythonWeakTls: Codemod = {
  id: 'python-weak-tls',
  title: 'Use TLS 1.2 or newer (Python ssl)',
  summary: 'Replace SSLv3, TLS 1.0 and TLS 1.1 protocols with TLS 1.2 or newer',
  description: [
    'SSLv2, SSLv3, TLS 1.0 and TLS 1.1 have known attacks (POODLE, BEAST) and are disabled by current servers and',
    'browsers; `PROTOCOL_SSLv23` lets a connection fall back to them. For a client context this change uses',
    '`ssl.PROTOCOL_TLS_CLIENT` (TLS 1.2 or newer, certificate and host name checks on) and pins',
    '`minimum_version` to TLS 1.2; `ssl.wrap_socket(ssl_version=…)` gets `ssl.PROTOCOL_TLSv1_2`.',
    '',
    '```diff',
    '-ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)',
    '+ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)',
    '+ctx.minimum_version = ssl.TLSVersion.TLSv1_2',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Peers that only speak TLS 1.1 or older can no longer connect, and a client context now checks the certificate and host name, which a self-signed test server fails.',
  languages: ['python'],
  cwes: ['CWE-326', 'CWE-327'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Python ssl: protocol versions', url: 'https://docs.python.org/3/library/ssl.html#ssl.PROTOCOL_TLS_CLIENT' },
    { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
  ],
  ruleIds: {
    codeql: ['py/insecure-protocol', 'py/insecure-default-protocol'],
    bandit: ['B502', 'B503', 'B504'],
    sonar: ['python:S4423'],
    generic: ['upgrade-sslcontext-tls', 'upgrade-sslcontext-minimum-version'],
  },
  target: 'SSLContext, wrap_socket call or minimum_version setting',
  candidates: (root) => {
    const calls = callsTo(root, (q) => q === 'ssl.SSLContext' || q === 'ssl.wrap_socket');
    const minimums = root
      .descendantsOfType('assignment')
      .filter((a): a is Node => a !== null && a.childForFieldName('left')?.type === 'attribute' && a.childForFieldName('left')?.childForFieldName('attribute')?.text === 'minimum_version');
    return [...calls, ...minimums].sort((a, b) => a.startIndex - b.startIndex);
  },
  fix,
};
