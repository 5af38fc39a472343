import type { Node } from 'web-tree-sitter';
import { words } from '../context';
import { callArguments, pythonBindings, resolveCallee, type PythonBindings } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Digest sizes in bytes: the random token keeps the length (and hex alphabet) of the hash it replaces. */
const DIGEST_BYTES: Record<string, number> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
/** Names that mark a value as a token someone must not guess. */
const TOKEN_WORDS = new Set(['token', 'nonce', 'otp', 'reset', 'invite', 'invitation', 'activation', 'confirmation', 'verification', 'csrf', 'xsrf', 'session', 'sid', 'ticket', 'coupon', 'voucher', 'magic']);
/** Calls whose result is a time or a random number: a hash of them is a guessable token, never a value to recompute. */
const CLOCK_OR_RANDOM = new Set([
  'datetime.datetime.now', 'datetime.datetime.utcnow', 'datetime.datetime.today', 'datetime.date.today', 'time.time', 'time.time_ns', 'time.monotonic',
  'random.random', 'random.randint', 'random.randrange', 'random.getrandbits', 'uuid.uuid1', 'uuid.uuid4', 'os.getpid',
]);
/** Calls that only turn values into text or bytes: dropping them drops no side effect. */
const PURE_METHODS = new Set(['encode', 'format', 'isoformat', 'timestamp', 'strftime', 'lower', 'upper', 'strip', 'join']);
const PURE_FUNCTIONS = new Set(['str', 'repr', 'int', 'float', 'bytes']);

/** `hashlib.md5(…)` (any algorithm of DIGEST_BYTES) read by `.hexdigest()`/`.digest()` right away: the algorithm, the read, and the whole expression. */
function hashRead(call: Node, bindings: PythonBindings): { algorithm: string; read: 'hexdigest' | 'digest'; whole: Node } | undefined {
  const qualified = resolveCallee(call, bindings)?.qualified ?? '';
  const [module, algorithm, extra] = qualified.split('.');
  if (module !== 'hashlib' || algorithm === undefined || extra !== undefined || !Object.hasOwn(DIGEST_BYTES, algorithm)) return undefined;
  const attribute = call.parent;
  const read = attribute?.type === 'attribute' && attribute.childForFieldName('object')?.equals(call) === true ? attribute.childForFieldName('attribute')?.text : undefined;
  const whole = attribute?.parent;
  if ((read !== 'hexdigest' && read !== 'digest') || whole?.type !== 'call' || (callArguments(whole)?.positional.length ?? 1) > 0) return undefined;
  return { algorithm, read, whole };
}

/** The token-like name the digest is assigned to (`token`, `self.reset_code`), or undefined. */
function tokenName(whole: Node): string | undefined {
  const assignment = whole.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.equals(whole) === true ? assignment.childForFieldName('left') : null;
  const name = target?.type === 'identifier' ? target.text : target?.type === 'attribute' ? target.childForFieldName('attribute')?.text : undefined;
  return name !== undefined && words(name).some((w) => TOKEN_WORDS.has(w)) ? name : undefined;
}

/** Why the hashed input is not a clock or random value whose hash may simply become a random token; undefined when it is. */
function notClockInput(input: Node, bindings: PythonBindings): string | undefined {
  let clock = false;
  for (const call of input.descendantsOfType('call')) {
    if (call === null) continue;
    const qualified = resolveCallee(call, bindings)?.qualified ?? '';
    if (CLOCK_OR_RANDOM.has(qualified)) {
      clock = true;
      continue;
    }
    const fn = call.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if ((method !== undefined && PURE_METHODS.has(method)) || (fn?.type === 'identifier' && PURE_FUNCTIONS.has(fn.text))) continue;
    return `it calls ${fn?.text ?? 'a function'}, which may do more than make text`;
  }
  return clock ? undefined : 'it hashes no clock or random value, so the same input may be hashed again to check the token';
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = pythonBindings(root);
  const hash = hashRead(node, bindings);
  if (hash === undefined) return { unfixed: `the hashlib call on line ${line} is not read by .hexdigest() or .digest() at once` };
  const name = tokenName(hash.whole);
  if (name === undefined) {
    return { unfixed: `the ${hash.algorithm} digest on line ${line} is not assigned to a token (a name such as token, nonce, reset_code); left to weak-hash fixes` };
  }
  const args = callArguments(node);
  const [input, ...more] = args?.positional ?? [];
  if (input === undefined || more.length > 0 || (args?.keywords.size ?? 0) > 0 || args?.splat === true) return { unfixed: `hashlib.${hash.algorithm} on line ${line} does not hash exactly one value` };
  const why = notClockInput(input, bindings);
  if (why !== undefined) return { unfixed: `${name} on line ${line} is a hash whose input may matter: ${why}; review it by hand` };
  const bytes = DIGEST_BYTES[hash.algorithm] ?? 16;
  const replacement = hash.read === 'hexdigest' ? `secrets.token_hex(${bytes})` : `secrets.token_bytes(${bytes})`;
  if (/^\s*secrets\s*=/m.test(source)) return { unfixed: `the file assigns its own secrets name; the fix cannot import the module` };
  return {
    edits: [{ start: hash.whole.startIndex, end: hash.whole.endIndex, text: replacement }],
    imports: [{ module: 'secrets' }],
    description: `Made ${name} on line ${line} with ${replacement} instead of hashing ${input.text.length > 60 ? 'the time and other guessable values' : input.text} with ${hash.algorithm}: the same length and alphabet, and nobody can work it out from when it was made.`,
  };
}

export const tokenFromClockSecrets: Codemod = {
  id: 'token-from-clock-secrets',
  title: 'Make tokens with secrets instead of hashing the time',
  summary: 'Replace a token hashed from the time with secrets.token_hex',
  description: [
    'A token made by hashing the current time, a counter or `random.random()` together with known values (an email,',
    'a user id) can be rebuilt by anyone who can guess when it was made: the hash adds no secret. Swapping MD5 for',
    'SHA-256 does not help. This change makes the token with `secrets.token_hex(n)` (or `token_bytes`), keeping the',
    'length of the digest it replaces, when the hashed value is assigned to a token-named variable and its input',
    'includes a clock or random call (so nothing can be recomputing the same hash to check it).',
    '',
    '```diff',
    '-reset_token = hashlib.md5(f"{email}:{datetime.now()}".encode()).hexdigest()',
    '+reset_token = secrets.token_hex(16)',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Tokens already issued keep working where they are stored; a reviewer checks nothing else derives the token from the same inputs.',
  languages: ['python'],
  cwes: ['CWE-330', 'CWE-328'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Python docs: secrets — generating tokens', url: 'https://docs.python.org/3/library/secrets.html#generating-tokens' },
    { title: 'OWASP Forgot Password Cheat Sheet: URL tokens', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Forgot_Password_Cheat_Sheet.html#url-tokens' },
    { title: 'CWE-330: Use of Insufficiently Random Values', url: 'https://cwe.mitre.org/data/definitions/330.html' },
  ],
  ruleIds: {
    bandit: ['B324', 'B303'],
    semgrep: ['python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5', 'python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-sha1'],
  },
  target: 'token made by hashing (hashlib …digest())',
  candidates(root) {
    const bindings = pythonBindings(root);
    // Only digests kept as tokens: any other MD5/SHA-1 is weak-hash-sha256's, and its reasons are the telling ones.
    return root.descendantsOfType('call').filter((c): c is Node => {
      const hash = c === null ? undefined : hashRead(c, bindings);
      return hash !== undefined && tokenName(hash.whole) !== undefined;
    });
  },
  fix,
};
