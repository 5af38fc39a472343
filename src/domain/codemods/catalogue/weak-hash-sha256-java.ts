import type { Node } from 'web-tree-sitter';
import { javaString, refersTo } from '../java/syntax';
import { passwordContext, passwordHashReason } from '../context';
import type { Codemod, FixContext, FixOutcome } from '../types';

const WEAK = new Set(['MD5', 'SHA-1', 'SHA1', 'SHA', 'MD2']);

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const arg = node.childForFieldName('arguments')?.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  const algorithm = javaString(arg);
  if (arg === null || algorithm === undefined) return { unfixed: `MessageDigest.getInstance on line ${line} takes its algorithm from an expression; review it by hand` };
  if (!WEAK.has(algorithm.toUpperCase())) return { unfixed: `MessageDigest.getInstance on line ${line} already uses ${algorithm}; nothing to fix`, alreadySafe: true };
  const password = passwordContext(node);
  if (password !== undefined) return { unfixed: passwordHashReason(`MessageDigest.getInstance("${algorithm}")`, line, password) };
  return {
    edits: [{ start: arg.startIndex, end: arg.endIndex, text: '"SHA-256"' }],
    description: `Replaced ${algorithm} with SHA-256 in MessageDigest.getInstance on line ${line}.`,
  };
}

export const weakHashSha256Java: Codemod = {
  id: 'weak-hash-sha256-java',
  title: 'Use SHA-256 instead of MD5 or SHA-1 (Java)',
  summary: 'Replace MessageDigest MD5/SHA-1 with SHA-256',
  description: [
    'MD5 and SHA-1 are broken: colliding inputs can be built cheaply, so they cannot vouch for integrity or identity.',
    'This change asks `MessageDigest.getInstance` for `"SHA-256"`, which every Java platform must provide.',
    '',
    '```diff',
    '-MessageDigest md = MessageDigest.getInstance("MD5");',
    '+MessageDigest md = MessageDigest.getInstance("SHA-256");',
    '```',
    '',
    'Passwords need a slow hash (PBKDF2, bcrypt, argon2), not SHA-256.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Digests change length (32 bytes) and value: stored hashes and fixed-size buffers or columns must follow.',
  languages: ['java'],
  cwes: ['CWE-327', 'CWE-328'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Java Security Standard Algorithm Names: MessageDigest', url: 'https://docs.oracle.com/en/java/javase/17/docs/specs/security/standard-names.html#messagedigest-algorithms' },
    { title: 'CWE-328: Use of Weak Hash', url: 'https://cwe.mitre.org/data/definitions/328.html' },
  ],
  ruleIds: {
    codeql: ['java/weak-cryptographic-algorithm', 'java/potentially-weak-cryptographic-algorithm'],
    semgrep: ['java.lang.security.audit.crypto.use-of-md5.use-of-md5', 'java.lang.security.audit.crypto.use-of-sha1.use-of-sha1'],
    sonar: ['java:S4790'],
  },
  target: 'MessageDigest.getInstance call',
  candidates(root) {
    return root.descendantsOfType('method_invocation').filter((n): n is Node => {
      if (n === null || n.childForFieldName('name')?.text !== 'getInstance') return false;
      return refersTo(n.childForFieldName('object'), root, 'java.security.MessageDigest');
    });
  },
  fix,
};
