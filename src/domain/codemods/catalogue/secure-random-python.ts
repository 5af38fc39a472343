import type { Node } from 'web-tree-sitter';
import { callsTo, importsModule } from '../python/args';
import { sensitiveContext } from '../context';
import { callArguments, pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** random functions with an identical method on secrets.SystemRandom (same arguments, same results distribution). */
const SYSTEM_RANDOM = new Set(['random', 'uniform', 'randint', 'randrange', 'choices', 'sample', 'shuffle', 'getrandbits', 'triangular', 'gauss']);
const REFUSED = new Set(['seed', 'getstate', 'setstate']);

function replacement(fn: string, call: Node): string | undefined {
  const args = callArguments(call);
  if (args === undefined || args.splat) return undefined;
  if (fn === 'choice') return 'secrets.choice';
  if (fn === 'randrange' && args.positional.length === 1 && args.keywords.size === 0) return 'secrets.randbelow';
  if (fn === 'getrandbits' && args.positional.length === 1 && args.keywords.size === 0) return 'secrets.randbits';
  return SYSTEM_RANDOM.has(fn) ? 'secrets.SystemRandom().' + fn : undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const callee = resolveCallee(node, pythonBindings(root));
  const fnNode = node.childForFieldName('function');
  const fn = callee?.qualified.slice('random.'.length) ?? '';
  if (callee === undefined || fnNode === null) return { unfixed: `line ${line} holds no call to the random module` };
  if (REFUSED.has(fn)) return { unfixed: `random.${fn} on line ${line} manages the generator's state; secrets has no equivalent` };
  if (callsTo(root, (q) => q === 'random.seed').length > 0) {
    return { unfixed: `the file seeds random (random.seed), so reproducible sequences may be wanted; review it by hand` };
  }
  const why = sensitiveContext(node);
  if (why === undefined) return { unfixed: `random.${fn} on line ${line} is not in token, secret, password or id code; left alone` };
  const to = replacement(fn, node);
  if (to === undefined) return { unfixed: `random.${fn} on line ${line} has no exact secrets equivalent; review it by hand` };
  return {
    edits: [{ start: fnNode.startIndex, end: fnNode.endIndex, text: to }],
    description: `Replaced random.${fn} with ${to} on line ${line} (${why}), so the value cannot be predicted from earlier outputs.`,
    imports: [{ module: 'secrets' }],
  };
}

export const secureRandomPython: Codemod = {
  id: 'secure-random-python',
  title: 'Use secrets for tokens, passwords and ids',
  summary: 'Generate secret values with the secrets module instead of random',
  description: [
    'The `random` module is a Mersenne Twister: after about 600 outputs an attacker can predict every later value,',
    'so tokens, passwords, one-time codes and ids made with it can be guessed. `secrets` draws from the operating',
    'system\'s CSPRNG. This change rewrites `random` calls in code whose names mark a secret (`token`, `password`,',
    '`otp`, `…_id`): `choice` → `secrets.choice`, `randrange(n)` → `secrets.randbelow(n)`, others →',
    '`secrets.SystemRandom().<same method>`, which takes the same arguments.',
    '',
    '```diff',
    '-    return "".join(random.choice(ALPHABET) for _ in range(32))',
    '+    return "".join(secrets.choice(ALPHABET) for _ in range(32))',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Values keep their range and distribution; only tests that seed random to get fixed values will see different ones.',
  languages: ['python'],
  cwes: ['CWE-330', 'CWE-338'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Python secrets module', url: 'https://docs.python.org/3/library/secrets.html' },
    { title: 'CWE-338: Use of Cryptographically Weak PRNG', url: 'https://cwe.mitre.org/data/definitions/338.html' },
  ],
  ruleIds: { bandit: ['B311'], sonar: ['python:S2245'] },
  target: 'call to the random module',
  candidates(root) {
    // Only the stdlib module: a local object that happens to be called `random` is not it.
    return importsModule(root, 'random') ? callsTo(root, (q) => /^random\.\w+$/.test(q)) : [];
  },
  fix,
};
