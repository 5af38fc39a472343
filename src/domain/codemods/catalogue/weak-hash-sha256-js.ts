import type { Node } from 'web-tree-sitter';
import { passwordContext, passwordHashReason } from '../context';
import { callArgs, dotted, jsBindings, jsString, sameModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const WEAK = new Set(['md5', 'sha1']);

/** Is the call `createHash(…)` from node's crypto module (namespace, default or named import, or require)? */
function isCreateHash(call: Node, bindings: ReturnType<typeof jsBindings>): boolean {
  const fn = dotted(call.childForFieldName('function'));
  if (fn === undefined) return false;
  const [head = '', member, extra] = fn.split('.');
  const bound = bindings.get(head);
  if (bound === undefined || !sameModule(bound.module, 'crypto')) return false;
  if (member === undefined) return bound.name === 'createHash';
  return extra === undefined && member === 'createHash' && (bound.name === undefined || bound.name === 'default');
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const [arg] = callArgs(node);
  const algorithm = jsString(arg)?.toLowerCase();
  if (arg === undefined || algorithm === undefined) return { unfixed: `createHash on line ${line} takes its algorithm from an expression; review it by hand` };
  if (!WEAK.has(algorithm)) return { unfixed: `createHash on line ${line} already uses ${algorithm}; nothing to fix`, alreadySafe: true };
  const password = passwordContext(node);
  if (password !== undefined) return { unfixed: passwordHashReason(`createHash('${algorithm}')`, line, password) };
  const quote = arg.text.charAt(0);
  return {
    edits: [{ start: arg.startIndex, end: arg.endIndex, text: `${quote}sha256${quote}` }],
    description: `Replaced ${algorithm.toUpperCase()} with SHA-256 in createHash on line ${line}.`,
  };
}

export const weakHashSha256Js: Codemod = {
  id: 'weak-hash-sha256-js',
  title: 'Use SHA-256 instead of MD5 or SHA-1 (Node.js)',
  summary: "Replace createHash('md5'|'sha1') with createHash('sha256')",
  description: [
    'MD5 and SHA-1 are broken: colliding inputs can be built cheaply, so they cannot vouch for integrity or identity.',
    "This change switches Node's `crypto.createHash('md5')` and `createHash('sha1')` to SHA-256.",
    '',
    '```diff',
    "-const etag = crypto.createHash('md5').update(body).digest('hex');",
    "+const etag = crypto.createHash('sha256').update(body).digest('hex');",
    '```',
    '',
    'Passwords are left alone: they need a slow hash (`crypto.scrypt`, bcrypt, argon2), not SHA-256.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Digests change length and value: stored hashes and anything comparing against an external MD5/SHA-1 will no longer match.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-327', 'CWE-328'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Node.js crypto.createHash', url: 'https://nodejs.org/api/crypto.html#cryptocreatehashalgorithm-options' },
    { title: 'CWE-328: Use of Weak Hash', url: 'https://cwe.mitre.org/data/definitions/328.html' },
  ],
  ruleIds: {
    codeql: ['js/weak-cryptographic-algorithm'],
    semgrep: ['javascript.lang.security.audit.md5-used-as-password.md5-used-as-password'],
    eslint: ['sonarjs/hashing'],
    sonar: ['javascript:S4790'],
    snyk: ['javascript/InsecureHash'],
  },
  target: 'createHash call',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && isCreateHash(c, bindings));
  },
  fix,
};
