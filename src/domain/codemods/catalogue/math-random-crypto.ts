import type { Node } from 'web-tree-sitter';
import { sensitiveContext } from '../context';
import { callArgs, dotted, moduleBinding } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const MAX_RANGE = 2 ** 48;

/** The integer a numeric literal stands for (`10`, `1e9`, `0x10`), when it is a positive safe integer below randomInt's limit. */
function integerLiteral(node: Node | null): number | undefined {
  if (node?.type !== 'number') return undefined;
  const value = Number(node.text.replace(/_/g, ''));
  return Number.isInteger(value) && value > 0 && value <= MAX_RANGE ? value : undefined;
}

/** Unwraps `( … )`. */
function inner(node: Node | null): Node | null {
  let n = node;
  while (n?.type === 'parenthesized_expression') n = n.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  return n;
}

/** `x.length`, or a positive integer literal up to 2^48: exactly what crypto.randomInt(max) accepts. */
function randomIntBound(node: Node | null): string | undefined {
  const n = inner(node);
  if (n === null) return undefined;
  if (n.type === 'member_expression' && n.childForFieldName('property')?.text === 'length' && dotted(n) !== undefined) return n.text;
  const value = integerLiteral(n);
  return value === undefined ? undefined : String(value) === n.text ? n.text : String(value);
}

/** The nearest ancestor that is not a parenthesis, and the node directly under it. */
function up(node: Node): { parent: Node | null; child: Node } {
  let child = node;
  while (child.parent?.type === 'parenthesized_expression') child = child.parent;
  return { parent: child.parent, child };
}

function operands(binary: Node): [Node | null, Node | null, string | undefined] {
  return [binary.childForFieldName('left'), binary.childForFieldName('right'), binary.childForFieldName('operator')?.text];
}

type Rewrite = { replace: Node; text: (fn: (name: string) => string) => string; shape: string; fn: string };

/**
 * `Math.floor(Math.random() * n)`, `Math.floor(Math.random() * n + k)`, `(Math.random() * n) | 0` and
 * `~~(Math.random() * n)`: a uniform integer in [k, n + k) → `randomInt(n)` / `randomInt(k, n + k)`.
 */
function integerShape(random: Node): Rewrite | undefined {
  const { parent: product, child: randomChild } = up(random);
  if (product?.type !== 'binary_expression') return undefined;
  const [left, right, op] = operands(product);
  if (op !== '*') return undefined;
  const bound = randomIntBound(left?.id === randomChild.id ? right : left);
  if (bound === undefined) return undefined;
  let { parent, child } = up(product);
  let offset: number | undefined;
  if (parent?.type === 'binary_expression' && operands(parent)[2] === '+') {
    const [l, r] = operands(parent);
    offset = integerLiteral(inner(l?.id === child.id ? r : l));
    if (offset === undefined) return undefined;
    ({ parent, child } = up(parent));
  }
  const args = offset === undefined ? bound : /^\d+$/.test(bound) ? `${offset}, ${Number(bound) + offset}` : `${offset}, ${bound} + ${offset}`;
  if (offset !== undefined && /^\d+$/.test(bound) && Number(bound) + offset > MAX_RANGE) return undefined;
  const text = (fn: (name: string) => string): string => `${fn('randomInt')}(${args})`;
  const floor = parent?.type === 'arguments' ? parent.parent : null;
  if (floor?.type === 'call_expression' && dotted(floor.childForFieldName('function')) === 'Math.floor' && callArgs(floor).length === 1) {
    return { replace: floor, text, shape: 'Math.floor(Math.random() * n)', fn: 'randomInt' };
  }
  if (parent?.type === 'binary_expression' && operands(parent)[2] === '|' && inner(operands(parent)[1])?.text === '0' && operands(parent)[0]?.id === child.id) {
    return { replace: parent, text, shape: '(Math.random() * n) | 0', fn: 'randomInt' };
  }
  const tilde = parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '~' ? parent.parent : null;
  if (tilde?.type === 'unary_expression' && tilde.childForFieldName('operator')?.text === '~' && parent !== null) {
    return { replace: tilde, text, shape: '~~(Math.random() * n)', fn: 'randomInt' };
  }
  return undefined;
}

const SLICES = new Set(['slice', 'substring', 'substr']);

/**
 * `Math.random().toString(36).slice(2)` (also `substring`/`substr`, radix 16 or 36): a random string of
 * [0-9a-z] → hex from randomBytes, which stays inside that alphabet. With a stated length the length is kept;
 * without one it is 16 characters (64 random bits; the original had at most 52).
 */
function stringShape(random: Node): Rewrite | undefined {
  const { parent: member } = up(random);
  if (member?.type !== 'member_expression' || member.childForFieldName('property')?.text !== 'toString') return undefined;
  const toString = member.parent;
  const radix = toString?.type === 'call_expression' ? callArgs(toString) : [];
  if (toString === null || radix.length !== 1 || !['16', '36'].includes(radix[0]?.text ?? '')) return undefined;
  const sliceMember = toString.parent;
  const method = sliceMember?.type === 'member_expression' ? sliceMember.childForFieldName('property')?.text : undefined;
  const slice = sliceMember?.parent;
  if (method === undefined || !SLICES.has(method) || slice?.type !== 'call_expression') return undefined;
  const [from, to, extra] = callArgs(slice).map((a) => integerLiteral(a) ?? (a.text === '0' ? 0 : Number.NaN));
  if (from !== 2 || extra !== undefined) return undefined;
  let length: number | undefined;
  if (to !== undefined) {
    length = method === 'substr' ? to : to - 2;
    // Math.random().toString(36) has about 11 digits after "0.": a longer slice was never that long.
    if (!Number.isInteger(length) || length <= 0 || length > 10) return undefined;
  }
  const text = (fn: (name: string) => string): string =>
    length === undefined ? `${fn('randomBytes')}(8).toString('hex')` : length % 2 === 0 ? `${fn('randomBytes')}(${length / 2}).toString('hex')` : `${fn('randomBytes')}(${(length + 1) / 2}).toString('hex').slice(0, ${length})`;
  return { replace: slice, text, shape: `Math.random().toString(${radix[0]?.text}).${method}(…)`, fn: 'randomBytes' };
}

/** The hand-written v4 UUID: `'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => … Math.random() …)` → `randomUUID()`. */
function uuidShape(random: Node): Rewrite | undefined {
  for (let n = random.parent; n !== null; n = n.parent) {
    if (n.type !== 'call_expression') continue;
    const callee = n.childForFieldName('function');
    const template = callee?.type === 'member_expression' ? callee.childForFieldName('object') : null;
    if (callee?.childForFieldName('property')?.text !== 'replace' || template === null) continue;
    if (!/^['"`]xxxxxxxx-xxxx-4xxx-[xy]xxx-xxxxxxxxxxxx['"`]$/.test(template.text)) continue;
    const [pattern, replacer] = callArgs(n);
    if (pattern?.type !== 'regex' || !/^\/\[(xy|yx)\]\/g$/.test(pattern.text) || replacer === undefined) return undefined;
    return { replace: n, text: (fn) => `${fn('randomUUID')}()`, shape: 'a hand-built v4 UUID', fn: 'randomUUID' };
  }
  return undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const why = sensitiveContext(node);
  if (why === undefined) return { unfixed: `Math.random on line ${line} is not in token, secret, password or id code; left alone` };
  const shape = uuidShape(node) ?? integerShape(node) ?? stringShape(node);
  if (shape === undefined) {
    return {
      unfixed: `Math.random on line ${line} (${why}) is not one of the shapes with an exact crypto equivalent (Math.floor(Math.random() * n), Math.random().toString(36).slice(2), a hand-built UUID); use crypto.randomInt, randomBytes or randomUUID by hand`,
    };
  }
  const namespace = moduleBinding(root, 'crypto');
  const call = shape.text((name) => (namespace === undefined ? name : `${namespace}.${name}`));
  return {
    edits: [{ start: shape.replace.startIndex, end: shape.replace.endIndex, text: call }],
    description: `Replaced ${shape.shape} with crypto ${call} on line ${line} (${why}).`,
    imports: namespace === undefined ? [{ module: 'crypto', name: shape.fn }] : [],
  };
}

export const mathRandomCrypto: Codemod = {
  id: 'math-random-crypto',
  title: 'Use crypto.randomInt for tokens and ids',
  summary: 'Replace Math.random in token and id code with crypto.randomInt',
  description: [
    '`Math.random()` is not a cryptographic generator: its outputs can be predicted from a few earlier ones, so',
    'tokens, passwords and ids built from it can be guessed. In code whose names mark a secret, this change',
    'replaces `Math.floor(Math.random() * n)` (also `+ k`, `| 0`, `~~`) with `crypto.randomInt`, which returns the same',
    'range uniformly; `Math.random().toString(36).slice(2)` with hex from `crypto.randomBytes` (the same alphabet or a',
    'subset of it, the same length when the code states one); a hand-built v4 UUID with `crypto.randomUUID()`.',
    '',
    '```diff',
    '-  token += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];',
    '+  token += ALPHABET[randomInt(ALPHABET.length)];',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Same range, uniformly distributed; a toString(36) string without a stated length is now 16 hex characters. node:crypto is Node-only, so browser bundles need crypto.getRandomValues instead.',
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
