import type { Node } from 'web-tree-sitter';
import { callArguments, keywordValue, plainString, pythonBindings, resolveCallee, type PythonBindings } from '../python/syntax';
import { passwordContext, passwordHashReason } from '../context';
import type { Codemod, FixContext, FixOutcome } from '../types';

const WEAK = new Set(['md5', 'sha1']);

interface WeakHash {
  algorithm: string;
  /** The node whose text names the algorithm: the function name, or the string content in hashlib.new('md5'). */
  nameNode: Node;
  form: 'constructor' | 'new';
  fromImport: boolean;
}

function weakHash(call: Node, bindings: PythonBindings): WeakHash | undefined {
  const callee = resolveCallee(call, bindings);
  if (callee === undefined) return undefined;
  const [module, fn, extra] = callee.qualified.split('.');
  if (module !== 'hashlib' || fn === undefined || extra !== undefined) return undefined;
  if (WEAK.has(fn)) return { algorithm: fn, nameNode: callee.nameNode, form: 'constructor', fromImport: callee.fromImport };
  if (fn !== 'new') return undefined;
  const args = callArguments(call);
  const nameKeyword = args?.keywords.get('name');
  const nameArg = args?.positional[0] ?? (nameKeyword === undefined ? null : keywordValue(nameKeyword));
  const literal = nameArg === null ? undefined : plainString(nameArg);
  const algorithm = literal?.value.toLowerCase();
  if (literal?.content == null || algorithm === undefined || !WEAK.has(algorithm)) return undefined;
  return { algorithm, nameNode: literal.content, form: 'new', fromImport: callee.fromImport };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const weak = weakHash(node, pythonBindings(root));
  if (weak === undefined) return { unfixed: `line ${line} holds no MD5 or SHA-1 hashlib call` };
  const shown = weak.form === 'new' ? `hashlib.new('${weak.algorithm}')` : `hashlib.${weak.algorithm}`;
  const args = callArguments(node);
  if (args?.splat === true) return { unfixed: `${shown} on line ${line} passes *args/**kwargs, so usedforsecurity cannot be known` };
  const usedForSecurity = args?.keywords.get('usedforsecurity');
  const flag = usedForSecurity === undefined ? null : keywordValue(usedForSecurity);
  if (flag?.type === 'false') {
    return { unfixed: `${shown} on line ${line} passes usedforsecurity=False (declared non-security use); left alone`, alreadySafe: true };
  }
  const password = passwordContext(node);
  if (password !== undefined) return { unfixed: passwordHashReason(shown, line, password) };
  const description = `Replaced ${shown} with SHA-256 on line ${line}.`;
  const edits = [{ start: weak.nameNode.startIndex, end: weak.nameNode.endIndex, text: 'sha256' }];
  return weak.fromImport ? { edits, description, imports: [{ module: 'hashlib', name: 'sha256' }] } : { edits, description };
}

export const weakHashSha256: Codemod = {
  id: 'weak-hash-sha256',
  title: 'Use SHA-256 instead of MD5 or SHA-1',
  summary: 'Replace MD5/SHA-1 hashing with SHA-256',
  description: [
    'MD5 and SHA-1 are broken: colliding inputs can be built cheaply, so they cannot vouch for integrity or',
    'identity. This change switches `hashlib.md5`, `hashlib.sha1` and `hashlib.new("md5"|"sha1")` to SHA-256.',
    '',
    '```diff',
    '-digest = hashlib.md5(data).hexdigest()',
    '+digest = hashlib.sha256(data).hexdigest()',
    '```',
    '',
    'Where the hash is not a security control (a cache key, a checksum matched against a third party), keep the',
    'algorithm and pass `usedforsecurity=False` instead. Passwords need a slow hash (`hashlib.scrypt`, bcrypt, argon2).',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Digests change length and value: stored hashes, caches and anything comparing against an external MD5/SHA-1 will no longer match.',
  languages: ['python'],
  cwes: ['CWE-327', 'CWE-328'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Python hashlib', url: 'https://docs.python.org/3/library/hashlib.html' },
    { title: 'CWE-328: Use of Weak Hash', url: 'https://cwe.mitre.org/data/definitions/328.html' },
  ],
  ruleIds: {
    codeql: ['py/weak-sensitive-data-hashing', 'py/weak-cryptographic-algorithm'],
    semgrep: [
      'python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-sha1',
      'python.lang.security.insecure-hash-algorithms-md5.insecure-hash-algorithm-md5',
    ],
    bandit: ['B303', 'B324'],
    sonar: ['python:S4790'],
  },
  target: 'MD5 or SHA-1 hashlib call',
  candidates(root) {
    const bindings = pythonBindings(root);
    return root.descendantsOfType('call').filter((c): c is Node => c !== null && weakHash(c, bindings) !== undefined);
  },
  fix,
};
