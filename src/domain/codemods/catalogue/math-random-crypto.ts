import type { Node } from 'web-tree-sitter';
import { sensitiveContext } from '../context';
import { callArgs, dotted, moduleBinding } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** `x.length` or a positive integer literal up to 2^48: exactly what crypto.randomInt(max) accepts. */
function randomIntBound(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'member_expression' && node.childForFieldName('property')?.text === 'length' && dotted(node) !== undefined) return node.text;
  if (node.type === 'number' && /^[1-9]\d*$/.test(node.text) && Number(node.text) <= 2 ** 48) return node.text;
  return undefined;
}

/** For `Math.random()` inside `Math.floor(Math.random() * N)`: the floor call and N. */
function floorTimes(random: Node): { floor: Node; bound: string } | undefined {
  const product = random.parent;
  if (product?.type !== 'binary_expression' || product.childForFieldName('operator')?.text !== '*') return undefined;
  const other = product.childForFieldName('left')?.id === random.id ? product.childForFieldName('right') : product.childForFieldName('left');
  const args = product.parent;
  const floor = args?.parent;
  if (args?.type !== 'arguments' || floor?.type !== 'call_expression' || dotted(floor.childForFieldName('function')) !== 'Math.floor') return undefined;
  if (callArgs(floor).length !== 1) return undefined;
  const bound = randomIntBound(other);
  return bound === undefined ? undefined : { floor, bound };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const why = sensitiveContext(node);
  if (why === undefined) return { unfixed: `Math.random on line ${line} is not in token, secret, password or id code; left alone` };
  const shape = floorTimes(node);
  if (shape === undefined) {
    return { unfixed: `Math.random on line ${line} (${why}) is not Math.floor(Math.random() * n), which has no exact crypto equivalent; use crypto.randomBytes or randomUUID by hand` };
  }
  const namespace = moduleBinding(root, 'crypto');
  const call = `${namespace === undefined ? '' : `${namespace}.`}randomInt(${shape.bound})`;
  return {
    edits: [{ start: shape.floor.startIndex, end: shape.floor.endIndex, text: call }],
    description: `Replaced Math.floor(Math.random() * ${shape.bound}) with crypto ${call} on line ${line} (${why}).`,
    imports: namespace === undefined ? [{ module: 'crypto', name: 'randomInt' }] : [],
  };
}

export const mathRandomCrypto: Codemod = {
  id: 'math-random-crypto',
  title: 'Use crypto.randomInt for tokens and ids',
  summary: 'Replace Math.random in token and id code with crypto.randomInt',
  description: [
    '`Math.random()` is not a cryptographic generator: its outputs can be predicted from a few earlier ones, so',
    'tokens, passwords and ids built from it can be guessed. In code whose names mark a secret, this change',
    'replaces `Math.floor(Math.random() * n)` with `crypto.randomInt(n)`, which returns the same range uniformly.',
    '',
    '```diff',
    '-  token += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];',
    '+  token += ALPHABET[randomInt(ALPHABET.length)];',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Same range, uniformly distributed; node:crypto is Node-only, so browser bundles need crypto.getRandomValues instead.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-330', 'CWE-338'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Node.js crypto.randomInt', url: 'https://nodejs.org/api/crypto.html#cryptorandomintmin-max-callback' },
    { title: 'CWE-338: Use of Cryptographically Weak PRNG', url: 'https://cwe.mitre.org/data/definitions/338.html' },
  ],
  ruleIds: {
    codeql: ['js/insecure-randomness'],
    eslint: ['sonarjs/pseudo-random', '@microsoft/sdl/no-insecure-random'],
    sonar: ['javascript:S2245'],
    snyk: ['javascript/InsecureRandomness'],
  },
  target: 'call to Math.random',
  candidates(root) {
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && dotted(c.childForFieldName('function')) === 'Math.random');
  },
  fix,
};
