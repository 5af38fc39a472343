import type { Node } from 'web-tree-sitter';
import { javaArguments, javaString, refersTo } from '../java/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const WEAK = new Set(['SSL', 'SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

/** Methods that choose the protocol versions of a socket, engine or parameters from a String[] of names. */
const PROTOCOL_SETTERS = new Set(['setEnabledProtocols', 'setProtocols']);

/**
 * `socket.setEnabledProtocols(new String[] {"TLSv1", "TLSv1.2"})` (also `SSLEngine`, `SSLParameters.setProtocols`):
 * the weak names are dropped, and a list of only weak ones becomes `{"TLSv1.2"}`.
 */
function fixProtocolList(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const method = node.childForFieldName('name')?.text ?? 'setEnabledProtocols';
  const argument = javaArguments(node)[0];
  const initializer = argument?.type === 'array_creation_expression' ? argument.childForFieldName('value') : argument?.type === 'array_initializer' ? argument : null;
  const items = initializer?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  const names = items.map((i) => javaString(i));
  if (initializer == null || names.some((n) => n === undefined)) return { unfixed: `${method} on line ${line} takes its protocols from an expression (${argument?.text ?? 'none'}); review it by hand` };
  const kept = names.filter((n): n is string => n !== undefined && !WEAK.has(n));
  if (kept.length === names.length) return { unfixed: `${method} on line ${line} enables no weak protocol; nothing to fix`, alreadySafe: true };
  const list = (kept.length > 0 ? kept : ['TLSv1.2']).map((n) => `"${n}"`).join(', ');
  return {
    edits: [{ start: initializer.startIndex, end: initializer.endIndex, text: `{${list}}` }],
    description: `Enabled only ${list} in ${method} on line ${line}, dropping ${names.filter((n) => n !== undefined && WEAK.has(n)).join(', ')}.`,
  };
}

function fix(ctx: FixContext): FixOutcome {
  if (PROTOCOL_SETTERS.has(ctx.node.childForFieldName('name')?.text ?? '')) return fixProtocolList(ctx);
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const argument = javaArguments(node)[0];
  const protocol = javaString(argument);
  if (argument === undefined || protocol === undefined) return { unfixed: `SSLContext.getInstance on line ${line} takes its protocol from an expression (${argument?.text ?? 'none'})` };
  if (!WEAK.has(protocol)) return { unfixed: `SSLContext.getInstance("${protocol}") on line ${line} is not a weak protocol; nothing to fix`, alreadySafe: true };
  return {
    edits: [{ start: argument.startIndex, end: argument.endIndex, text: '"TLSv1.2"' }],
    description: `Asked for a TLSv1.2 SSLContext instead of "${protocol}" on line ${line}.`,
  };
}

export const javaWeakTls: Codemod = {
  id: 'java-weak-tls',
  title: 'Use TLS 1.2 (Java SSLContext)',
  summary: 'Replace SSL, TLS 1.0 and TLS 1.1 SSLContexts with TLS 1.2',
  description: [
    'SSLv3, TLS 1.0 and TLS 1.1 have known attacks (POODLE, BEAST) and are deprecated by RFC 8996. An',
    '`SSLContext.getInstance("TLSv1")` context negotiates at most TLS 1.0. This change asks for a TLS 1.2 context,',
    "which the JDK's `jdk.tls.disabledAlgorithms` keeps from falling back to the broken versions.",
    '',
    '```diff',
    '-SSLContext ctx = SSLContext.getInstance("TLSv1");',
    '+SSLContext ctx = SSLContext.getInstance("TLSv1.2");',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Peers that only speak TLS 1.1 or older can no longer connect; everything current speaks TLS 1.2.',
  languages: ['java'],
  cwes: ['CWE-326', 'CWE-327'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Java SSLContext algorithms', url: 'https://docs.oracle.com/en/java/javase/17/docs/specs/security/standard-names.html#sslcontext-algorithms' },
    { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
  ],
  ruleIds: {
    semgrep: ['java.lang.security.audit.weak-ssl-context.weak-ssl-context'],
    sonar: ['java:S4423'],
    checkmarx: ['Weak_SSL_TLS_Protocol'],
    generic: ['upgrade-sslcontext-tls', 'upgrade-sslsocket-tls', 'upgrade-sslengine-tls', 'upgrade-sslparameters-tls'],
  },
  target: 'SSLContext.getInstance or setEnabledProtocols call',
  candidates(root) {
    return root.descendantsOfType('method_invocation').filter((call): call is Node => {
      if (call === null) return false;
      const name = call.childForFieldName('name')?.text ?? '';
      if (name === 'getInstance') return refersTo(call.childForFieldName('object'), root, 'javax.net.ssl.SSLContext');
      // An array of protocol names is evidence enough: no other JDK API takes "TLSv1" strings through these setters.
      return PROTOCOL_SETTERS.has(name) && /"(SSL|TLS)v?[\d.]*"/.test(call.childForFieldName('arguments')?.text ?? '');
    });
  },
  fix,
};
