import type { Node } from 'web-tree-sitter';
import { callsTo, keywordFlag } from '../python/args';
import { callArguments, keywordValue, plainString } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/** The `False`/`True` value of `"verify_signature": …` in an `options={…}` dict literal, if any. */
function verifySignature(call: Node): Node | null | undefined {
  const options = callArguments(call)?.keywords.get('options');
  const dict = options === undefined ? null : keywordValue(options);
  if (dict === null) return undefined;
  if (dict.type !== 'dictionary') return null;
  for (const pair of dict.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    if (key !== null && plainString(key)?.value === 'verify_signature') return pair.childForFieldName('value');
  }
  return undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  if (args === undefined || args.splat) return { unfixed: `jwt.decode on line ${line} passes *args/**kwargs; review it by hand` };
  const legacy = keywordFlag(node, 'verify');
  const option = verifySignature(node);
  if (option === null) return { unfixed: `jwt.decode on line ${line} builds options from an expression; review it by hand` };
  const unsafe: Node[] = [];
  if (legacy.kind === 'false') unsafe.push(legacy.value);
  if (option?.type === 'false') unsafe.push(option);
  if (legacy.kind === 'other' || (option !== undefined && option.type !== 'false' && option.type !== 'true')) {
    return { unfixed: `jwt.decode on line ${line} sets verification from an expression; review it by hand` };
  }
  if (unsafe.length === 0) return { unfixed: `jwt.decode on line ${line} already verifies the signature; nothing to fix`, alreadySafe: true };
  const key = args.positional[1] ?? args.keywords.get('key');
  if (key === undefined) return { unfixed: `jwt.decode on line ${line} passes no key, so the signature cannot be verified; add the key by hand` };
  if (option !== undefined && !args.keywords.has('algorithms')) {
    return { unfixed: `jwt.decode on line ${line} passes no algorithms=, which PyJWT 2 requires to verify; add them by hand` };
  }
  const edits: TextEdit[] = unsafe.map((v) => ({ start: v.startIndex, end: v.endIndex, text: 'True' }));
  return { edits, description: `Turned JWT signature verification back on for jwt.decode on line ${line}.` };
}

export const jwtDecodeVerifyPython: Codemod = {
  id: 'jwt-decode-verify-python',
  title: 'Verify JWT signatures in PyJWT',
  summary: 'Verify the JWT signature in jwt.decode',
  description: [
    '`jwt.decode(token, key, options={"verify_signature": False})` (or `verify=False` in PyJWT 1) accepts any token,',
    'including one the caller signed or altered themselves, so its claims cannot be trusted. This change turns',
    'signature verification back on.',
    '',
    '```diff',
    '-claims = jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": False})',
    '+claims = jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": True})',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Tokens with a bad signature, or signed with another key, now raise InvalidSignatureError where they were accepted.',
  languages: ['python'],
  cwes: ['CWE-347'],
  owasp: ['A02:2021', 'A07:2021'],
  references: [
    { title: 'PyJWT: Usage', url: 'https://pyjwt.readthedocs.io/en/stable/usage.html' },
    { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
  ],
  ruleIds: {
    semgrep: ['python.jwt.security.unverified-jwt-decode.unverified-jwt-decode'],
    sonar: ['python:S5659'],
  },
  target: 'call to jwt.decode',
  candidates(root) {
    return callsTo(root, (q) => q === 'jwt.decode');
  },
  fix,
};
