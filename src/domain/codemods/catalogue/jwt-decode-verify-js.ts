import type { Node } from 'web-tree-sitter';
import { words } from '../context';
import { callArgs, dotted, jsBindings, requiredModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

type Bindings = ReturnType<typeof jsBindings>;

/** `jwt.decode(...)` / `decode(...)` where the name comes from jsonwebtoken; which method it calls. */
function jsonwebtokenCall(call: Node, bindings: Bindings): { method: string; namespace?: string } | undefined {
  const fn = dotted(call.childForFieldName('function'));
  const [head = '', member, extra] = (fn ?? '').split('.');
  const bound = bindings.get(head);
  if (bound?.module !== 'jsonwebtoken' || extra !== undefined) return undefined;
  if (member === undefined) return bound.name === undefined ? undefined : { method: bound.name };
  return bound.name === undefined || bound.name === 'default' ? { method: member, namespace: head } : undefined;
}

/** Top-level `const JWT_SECRET = …` declared before the offset: the one secret the call can be verified with. */
function secretsInScope(root: Node, before: number): string[] {
  const names: string[] = [];
  for (const statement of root.namedChildren) {
    const decl = statement?.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
    if (decl == null || decl.startIndex >= before || (decl.type !== 'lexical_declaration' && decl.type !== 'variable_declaration')) continue;
    for (const d of decl.namedChildren) {
      const name = d?.type === 'variable_declarator' ? d.childForFieldName('name') : null;
      if (name?.type !== 'identifier' || requiredModule(d?.childForFieldName('value') ?? null) !== undefined) continue;
      const w = words(name.text);
      if (w.includes('secret') || (w.includes('key') && (w.includes('jwt') || w.includes('signing') || w.includes('public')))) names.push(name.text);
    }
  }
  return names;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = jsBindings(root);
  const call = jsonwebtokenCall(node, bindings);
  if (call === undefined) return { unfixed: `line ${line} holds no jsonwebtoken call` };
  if (call.method === 'verify') return { unfixed: `jwt.verify on line ${line} verifies the token; nothing to fix`, alreadySafe: true };
  const verifies = root.descendantsOfType('call_expression').some((c) => c !== null && jsonwebtokenCall(c, bindings)?.method === 'verify');
  if (verifies) return { unfixed: `the file also calls jwt.verify, so jwt.decode on line ${line} may only read the header to pick a key; review it by hand` };
  const args = callArgs(node);
  if (args.length === 0 || args.length > 2 || args.some((a) => a.type === 'spread_element')) return { unfixed: `jwt.decode on line ${line} has arguments the codemod cannot read` };
  const secrets = secretsInScope(root, node.startIndex);
  if (secrets.length !== 1) {
    return { unfixed: `jwt.decode on line ${line}: ${secrets.length === 0 ? 'no' : 'more than one'} secret or key variable is evident; call jwt.verify with the right key by hand` };
  }
  const [token, options] = args;
  const fn = node.childForFieldName('function');
  const argList = node.childForFieldName('arguments');
  if (fn === null || argList === null || token === undefined) return { unfixed: `line ${line} holds no jsonwebtoken call` };
  const verifyName = call.namespace === undefined ? 'verify' : `${call.namespace}.verify`;
  const newArgs = [token.text, secrets[0], ...(options === undefined ? [] : [options.text])].join(', ');
  return {
    edits: [{ start: fn.startIndex, end: argList.endIndex, text: `${verifyName}(${newArgs})` }],
    description: `Replaced jwt.decode with jwt.verify(…, ${secrets[0]}) on line ${line}, so forged or altered tokens are rejected.`,
    imports: call.namespace === undefined ? [{ module: 'jsonwebtoken', name: 'verify' }] : [],
  };
}

export const jwtDecodeVerifyJs: Codemod = {
  id: 'jwt-decode-verify-js',
  title: 'Verify JWTs with jwt.verify (jsonwebtoken)',
  summary: 'Replace jwt.decode with jwt.verify where the secret is evident',
  description: [
    "`jwt.decode` from jsonwebtoken only base64-decodes the token: it does not check the signature, so anyone can",
    'write a token with any claims. When the file declares exactly one secret or key variable, this change calls',
    '`jwt.verify(token, secret)` instead, which returns the same payload for a valid token and throws otherwise.',
    '',
    '```diff',
    '-const claims = jwt.decode(token);',
    '+const claims = jwt.verify(token, JWT_SECRET);',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Invalid, expired or differently signed tokens now throw where decode returned their claims; callers must handle the error.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-347'],
  owasp: ['A02:2021', 'A07:2021'],
  references: [
    { title: 'jsonwebtoken: jwt.verify', url: 'https://github.com/auth0/node-jsonwebtoken#jwtverifytoken-secretorpublickey-options-callback' },
    { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
  ],
  ruleIds: {
    codeql: ['js/jwt-missing-verification'],
    semgrep: ['javascript.jsonwebtoken.security.audit.jwt-decode-without-verify.jwt-decode-without-verify'],
    eslint: ['sonarjs/insecure-jwt-token'],
    sonar: ['javascript:S5659'],
  },
  target: 'jsonwebtoken call',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => {
      const method = c === null ? undefined : jsonwebtokenCall(c, bindings)?.method;
      return method === 'decode' || method === 'verify';
    });
  },
  fix,
};
