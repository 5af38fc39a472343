import type { Node } from 'web-tree-sitter';
import { refersTo } from '../java/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const type = node.childForFieldName('type');
  const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
  if (type === null) return { unfixed: `line ${line} creates no java.util.Random` };
  if (refersTo(type, root, 'java.security.SecureRandom')) return { unfixed: `line ${line} already creates a SecureRandom; nothing to fix`, alreadySafe: true };
  if (node.namedChildren.some((c) => c?.type === 'class_body')) return { unfixed: `new Random() on line ${line} declares an anonymous subclass; review it by hand` };
  if (args.length > 0) {
    return { unfixed: `new Random(${args.map((a) => a?.text).join(', ')}) on line ${line} is seeded, so a repeatable sequence may be intended; review it by hand` };
  }
  const qualified = type.text.includes('.');
  return {
    edits: [{ start: type.startIndex, end: type.endIndex, text: qualified ? 'java.security.SecureRandom' : 'SecureRandom' }],
    description: `Replaced new Random() with new SecureRandom() on line ${line}, so its values cannot be predicted.`,
    imports: qualified ? [] : [{ module: 'java.security', name: 'SecureRandom' }],
  };
}

export const secureRandomJava: Codemod = {
  id: 'secure-random-java',
  title: 'Use SecureRandom instead of java.util.Random',
  summary: 'Replace new Random() with new SecureRandom()',
  description: [
    '`java.util.Random` is a linear congruential generator: two outputs reveal its state and every later value, so',
    'tokens, keys or ids drawn from it can be predicted. `java.security.SecureRandom` extends `Random`, so it drops',
    'in where a `Random` is expected and draws from the platform CSPRNG.',
    '',
    '```diff',
    '-Random random = new Random();',
    '+Random random = new SecureRandom();',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Same API and value ranges; SecureRandom is slower, which matters only in tight simulation loops.',
  languages: ['java'],
  cwes: ['CWE-330', 'CWE-338'],
  owasp: ['A02:2021'],
  references: [
    { title: 'java.security.SecureRandom', url: 'https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/security/SecureRandom.html' },
    { title: 'CWE-338: Use of Cryptographically Weak PRNG', url: 'https://cwe.mitre.org/data/definitions/338.html' },
  ],
  ruleIds: {
    codeql: ['java/insecure-randomness'],
    semgrep: ['java.lang.security.audit.crypto.weak-random.weak-random'],
    sonar: ['java:S2245'],
  },
  target: 'new Random()',
  candidates(root) {
    return root.descendantsOfType('object_creation_expression').filter((n): n is Node => {
      const type = n?.childForFieldName('type') ?? null;
      return n !== null && (refersTo(type, root, 'java.util.Random') || refersTo(type, root, 'java.security.SecureRandom'));
    });
  },
  fix,
};
