import type { Node } from 'web-tree-sitter';
import { javaArguments, refersTo } from '../java/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** jjwt methods that accept unsigned tokens, and their signed-only counterparts. */
const JJWT_UNSIGNED: Record<string, string> = { parseClaimsJwt: 'parseClaimsJws', parseUnsecuredClaims: 'parseSignedClaims' };
const VERIFIER_TYPES = ['com.auth0.jwt.JWTVerifier', 'com.auth0.jwt.interfaces.JWTVerifier'];

function classOf(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n !== null; n = n.parent) if (n.type === 'class_body') return n;
  return undefined;
}

/** Names of fields of the class, and locals declared before `at` in enclosing blocks, whose type the predicate accepts. */
function variablesOfType(at: Node, accept: (type: Node) => boolean): string[] {
  const names: string[] = [];
  const take = (decl: Node): void => {
    const type = decl.childForFieldName('type');
    if (type === null || !accept(type)) return;
    for (const d of decl.childrenForFieldName('declarator')) if (d?.childForFieldName('name') != null) names.push(d.childForFieldName('name')!.text);
  };
  const body = classOf(at);
  for (const member of body?.namedChildren ?? []) if (member?.type === 'field_declaration') take(member);
  for (let scope: Node | null = at.parent; scope !== null && scope.type !== 'class_body'; scope = scope.parent) {
    if (scope.type !== 'block') continue;
    for (const stmt of scope.namedChildren) if (stmt?.type === 'local_variable_declaration' && stmt.startIndex < at.startIndex) take(stmt);
  }
  return [...new Set(names)];
}

function fixAuth0(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const [token, ...extra] = javaArguments(node);
  if (token === undefined || extra.length > 0) return { unfixed: `JWT.decode on line ${line} does not take one token` };
  const body = classOf(node);
  const verifies = body?.descendantsOfType('method_invocation').some((c) => c?.childForFieldName('name')?.text === 'verify') === true;
  if (verifies) return { unfixed: `the class around line ${line} also calls verify; JWT.decode there may only read a header of a verified token` };
  const verifiers = variablesOfType(node, (t) => VERIFIER_TYPES.some((q) => refersTo(t, root, q)));
  const [verifier] = verifiers;
  if (verifiers.length === 1 && verifier !== undefined) {
    return {
      edits: [{ start: node.startIndex, end: node.endIndex, text: `${verifier}.verify(${token.text})` }],
      description: `Verified the token's signature and claims with ${verifier}.verify instead of JWT.decode on line ${line}.`,
    };
  }
  if (verifiers.length > 1) return { unfixed: `the class around line ${line} has several JWTVerifiers (${verifiers.join(', ')}); refusing to guess` };
  const algorithms = variablesOfType(node, (t) => refersTo(t, root, 'com.auth0.jwt.algorithms.Algorithm'));
  const [algorithm] = algorithms;
  if (algorithms.length === 1 && algorithm !== undefined) {
    return {
      edits: [{ start: node.startIndex, end: node.endIndex, text: `JWT.require(${algorithm}).build().verify(${token.text})` }],
      description: `Verified the token with JWT.require(${algorithm}) instead of JWT.decode on line ${line}.`,
    };
  }
  return { unfixed: `no JWTVerifier or Algorithm in the class around line ${line} (${algorithms.length} Algorithm variables); the key to verify with is not evident` };
}

/** The `Jwts.parser()` / `Jwts.parserBuilder()` call a chain starts from, and every method name on the way. */
function jjwtChain(call: Node, root: Node): { methods: string[] } | undefined {
  const methods: string[] = [];
  for (let n: Node | null = call.childForFieldName('object'); n !== null; n = n.childForFieldName('object')) {
    if (n.type !== 'method_invocation') return undefined;
    const name = n.childForFieldName('name')?.text ?? '';
    if ((name === 'parser' || name === 'parserBuilder') && refersTo(n.childForFieldName('object'), root, 'io.jsonwebtoken.Jwts')) return { methods };
    methods.push(name);
  }
  return undefined;
}

function fixJjwt(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const name = node.childForFieldName('name');
  const signed = Object.hasOwn(JJWT_UNSIGNED, name?.text ?? '') ? JJWT_UNSIGNED[name?.text ?? ''] : undefined;
  const chain = jjwtChain(node, root);
  if (name === null || signed === undefined || chain === undefined) return { unfixed: `line ${line} holds no unsigned jjwt parse` };
  if (!chain.methods.some((m) => m === 'setSigningKey' || m === 'verifyWith' || m === 'setSigningKeyResolver' || m === 'keyLocator')) {
    return { unfixed: `the jjwt parser on line ${line} has no signing key; set one by hand before requiring signed tokens` };
  }
  // Jws<Claims> is not a Jwt<Header, Claims>: only a result used through getBody()/getPayload() keeps compiling.
  const parent = node.parent;
  const readsBody = parent?.type === 'method_invocation' && ['getBody', 'getPayload'].includes(parent.childForFieldName('name')?.text ?? '');
  if (!readsBody) return { unfixed: `the result of ${name.text} on line ${line} is kept as a Jwt; change its type to Jws by hand` };
  return {
    edits: [{ start: name.startIndex, end: name.endIndex, text: signed }],
    description: `Required a signed token (${signed} instead of ${name.text}) on line ${line}, so the existing signing key is checked.`,
  };
}

function fix(ctx: FixContext): FixOutcome {
  const name = ctx.node.childForFieldName('name')?.text;
  return name === 'decode' ? fixAuth0(ctx) : fixJjwt(ctx);
}

export const jwtVerifyJava: Codemod = {
  id: 'jwt-verify-java',
  title: 'Verify JWT signatures (Java)',
  summary: 'Verify JWTs instead of decoding them without a signature check',
  description: [
    "`JWT.decode(token)` (auth0 java-jwt) and jjwt's `parseClaimsJwt` / `parseUnsecuredClaims` read a token's claims",
    'without checking its signature, so anyone can forge a token with any claims. Where the class already holds the',
    'means to verify (a `JWTVerifier`, an `Algorithm`, a jjwt parser with a signing key) this change uses it:',
    '',
    '```diff',
    '-DecodedJWT jwt = JWT.decode(token);',
    '+DecodedJWT jwt = verifier.verify(token);',
    '```',
    '',
    'and `parseClaimsJwt(token)` becomes `parseClaimsJws(token)`, which accepts only signed tokens.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Tokens that are unsigned, expired or signed with another key now throw; check the caller handles JWTVerificationException / JwtException.',
  languages: ['java'],
  cwes: ['CWE-347'],
  owasp: ['A02:2021', 'A07:2021'],
  references: [
    { title: 'auth0 java-jwt: verify a token', url: 'https://github.com/auth0/java-jwt#verify-a-jwt' },
    { title: 'jjwt: reading a JWS', url: 'https://github.com/jwtk/jjwt#reading-a-jws' },
    { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
  ],
  ruleIds: {
    codeql: ['java/missing-jwt-signature-check'],
    semgrep: ['java.java-jwt.security.audit.jwt-decode-without-verify.java-jwt-decode-without-verify'],
    sonar: ['java:S5659'],
  },
  target: 'unverified JWT decode',
  candidates(root) {
    return root.descendantsOfType('method_invocation').filter((call): call is Node => {
      if (call === null) return false;
      const name = call.childForFieldName('name')?.text ?? '';
      if (name === 'decode') return refersTo(call.childForFieldName('object'), root, 'com.auth0.jwt.JWT');
      return Object.hasOwn(JJWT_UNSIGNED, name) && jjwtChain(call, root) !== undefined;
    });
  },
  fix,
};
