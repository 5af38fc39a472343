import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { lineAfter, localDeclarationOf, refersTo } from '../java/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const COOKIES = ['javax.servlet.http.Cookie', 'jakarta.servlet.http.Cookie'];

/** `<name>.setSecure(<arg>)` calls in the block: the argument node of each. */
function setSecureArgs(block: Node, name: string): Node[] {
  return block
    .descendantsOfType('method_invocation')
    .filter((c): c is Node => c !== null && c.childForFieldName('object')?.text === name && c.childForFieldName('name')?.text === 'setSecure')
    .map((c) => c.childForFieldName('arguments')?.namedChild(0) ?? null)
    .filter((a): a is Node => a !== null);
}

const isCookieCreation = (n: Node | null, root: Node): n is Node => n?.type === 'object_creation_expression' && COOKIES.some((q) => refersTo(n.childForFieldName('type'), root, q));

/**
 * CodeQL reports java/insecure-cookie on `response.addCookie(cookie)`, not where the cookie is made: the
 * `Cookie cookie = new Cookie(…)` in the same method that the call adds.
 */
function creationAdded(add: Node, root: Node): Node | undefined {
  const arg = add.childForFieldName('arguments')?.namedChildren.find((c) => c !== null && c.type !== 'comment');
  if (arg?.type !== 'identifier') return undefined;
  let method: Node | null = add.parent;
  while (method !== null && method.type !== 'method_declaration' && method.type !== 'constructor_declaration') method = method.parent;
  const creations = (method ?? root).descendantsOfType('variable_declarator').filter((d) => d?.childForFieldName('name')?.text === arg.text && d.startIndex < add.startIndex);
  const [only, ...more] = creations;
  const value = only?.childForFieldName('value') ?? null;
  return more.length === 0 && isCookieCreation(value, root) ? value : undefined;
}

function fix(ctx: FixContext): FixOutcome {
  if (ctx.node.type === 'method_invocation') {
    const creation = creationAdded(ctx.node, ctx.root);
    if (creation === undefined) return { unfixed: `the cookie added on line ${ctx.node.startPosition.row + 1} is not one Cookie made in this method; call setSecure(true) by hand` };
    return fixCreation({ ...ctx, node: creation });
  }
  return fixCreation(ctx);
}

function fixCreation(ctx: FixContext): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const local = localDeclarationOf(node);
  if (!local) return { unfixed: `the Cookie on line ${line} is not assigned to a local variable; call setSecure(true) by hand` };
  const { statement, block, name } = local;
  const calls = setSecureArgs(block, name.text);
  if (calls.some((a) => a.type === 'true')) return { unfixed: `${name.text} on line ${line} already calls setSecure(true); nothing to fix`, alreadySafe: true };
  if (calls.length > 0) return { unfixed: `${name.text} on line ${line} calls setSecure(${calls[0]?.text ?? ''}); review it by hand` };
  const edit = lineAfter(statement, source, `${name.text}.setSecure(true);`, detectEol(source));
  if (edit === undefined) return { unfixed: `the Cookie on line ${line} shares its line with other code; call setSecure(true) by hand` };
  return { edits: [edit], description: `Marked the cookie created on line ${line} Secure, so it is only sent over HTTPS.` };
}

export const javaCookieSecure: Codemod = {
  id: 'java-cookie-secure',
  title: 'Mark servlet cookies Secure',
  summary: 'Call setSecure(true) on new servlet cookies',
  description: [
    'A cookie without the `Secure` attribute is also sent over plain HTTP, where anyone on the network can read it.',
    'This change calls `setSecure(true)` right after a `javax`/`jakarta.servlet.http.Cookie` is created.',
    '',
    '```diff',
    ' Cookie cookie = new Cookie("session", id);',
    '+cookie.setSecure(true);',
    ' response.addCookie(cookie);',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'The cookie is no longer sent over plain HTTP, which breaks a deployment (or local run) without TLS.',
  languages: ['java'],
  cwes: ['CWE-614'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Jakarta Servlet Cookie.setSecure', url: 'https://jakarta.ee/specifications/servlet/6.0/apidocs/jakarta.servlet/jakarta/servlet/http/cookie#setSecure(boolean)' },
    { title: 'CWE-614: Sensitive Cookie Without Secure Attribute', url: 'https://cwe.mitre.org/data/definitions/614.html' },
  ],
  ruleIds: {
    codeql: ['java/insecure-cookie'],
    semgrep: ['java.lang.security.audit.cookie-missing-secure-flag.cookie-missing-secure-flag'],
    sonar: ['java:S2092'],
  },
  target: 'new Cookie(...) or addCookie call',
  candidates(root) {
    const creations = root.descendantsOfType('object_creation_expression').filter((n): n is Node => isCookieCreation(n, root));
    const adds = root
      .descendantsOfType('method_invocation')
      .filter((c): c is Node => c !== null && c.childForFieldName('name')?.text === 'addCookie' && creationAdded(c, root) !== undefined);
    return [...creations, ...adds].sort((a, b) => a.startIndex - b.startIndex);
  },
  fix,
};
