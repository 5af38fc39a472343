import type { Node } from 'web-tree-sitter';
import { callsTo, keywordFlag } from '../python/args';
import { callArguments, keywordValue, plainString } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/**
 * The values of every `"verify_…": …` key in an `options={…}` dict literal (`verify_signature`, `verify_exp`,
 * `verify_aud`, …); null when options come from an expression, empty when there are none.
 */
function verifyOptions(call: Node): { key: string; value: Node }[] | null {
  const options = callArguments(call)?.keywords.get('options');
  const dict = options === undefined ? null : keywordValue(options);
  if (options === undefined) return [];
  if (dict?.type !== 'dictionary') return null;
  const found: { key: string; value: Node }[] = [];
  for (const pair of dict.namedChildren) {
    if (pair?.type === 'dictionary_splat') return null;
    if (pair?.type !== 'pair') continue;
    const keyNode = pair.childForFieldName('key');
    const key = keyNode === null ? undefined : plainString(keyNode)?.value;
    const value = pair.childForFieldName('value');
    if (key?.startsWith('verify_') === true && value !== null) found.push({ key, value });
  }
  return found;
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  if (args === undefined || args.splat) return { unfixed: `jwt.decode on line ${line} passes *args/**kwargs; review it by hand` };
  const legacy = keywordFlag(node, 'verify');
  const options = verifyOptions(node);
  if (options === null) return { unfixed: `jwt.decode on line ${line} builds options from an expression; review it by hand` };
  const fromExpression = options.find((o) => o.value.type !== 'false' && o.value.type !== 'true');
  if (legacy.kind === 'other' || fromExpression !== undefined) {
    return { unfixed: `jwt.decode on line ${line} sets ${fromExpression?.key ?? 'verify'} from an expression; review it by hand` };
  }
  // Every check that is off: a signature check alone still accepts expired tokens when verify_exp stays False.
  const off = options.filter((o) => o.value.type === 'false');
  const unsafe: Node[] = off.map((o) => o.value);
  if (legacy.kind === 'false') unsafe.push(legacy.value);
  if (unsafe.length === 0) return { unfixed: `jwt.decode on line ${line} already verifies the signature and claims; nothing to fix`, alreadySafe: true };
  const key = args.positional[1] ?? args.keywords.get('key');
  if (key === undefined) return { unfixed: `jwt.decode on line ${line} passes no key, so the signature cannot be verified; add the key by hand` };
  if (off.length > 0 && !args.keywords.has('algorithms')) {
    return { unfixed: `jwt.decode on line ${line} passes no algorithms=, which PyJWT 2 requires to verify; add them by hand` };
  }
  const edits: TextEdit[] = unsafe.map((v) => ({ start: v.startIndex, end: v.endIndex, text: 'True' }));
  const names = [...off.map((o) => o.key), ...(legacy.kind === 'false' ? ['verify'] : [])].join(', ');
  return { edits, description: `Turned JWT verification back on for jwt.decode on line ${line} (${names}).` };
}

export const jwtDecodeVerifyPython: Codemod = {
  id: 'jwt-decode-verify-python',
  title: 'Verify JWT signatures in PyJWT',
  summary: 'Verify the JWT signature in jwt.decode',
  description: [
    '`jwt.decode(token, key, options={"verify_signature": False})` (or `verify=False` in PyJWT 1) accepts any token,',
    'including one the caller signed or altered themselves, so its claims cannot be trusted. This change turns',
    'signature verification back on, and every other `verify_*` check the options turned off (`verify_exp`,',
    '`verify_aud`, …), so expired tokens or tokens for another audience are refused again.',
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
