import type { Node } from 'web-tree-sitter';
import { appendProperties, findPair, objectPairs } from '../js/objects';
import { callArgs, fileQuote, jsBindings, jsString, sameModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/** Cookies the page's own script must read (double-submit CSRF tokens): they keep httpOnly as it is. */
const SCRIPT_READ_COOKIE = /csrf|xsrf/i;

type Target = { kind: 'res.cookie' } | { kind: 'express-session'; local: string } | { kind: 'cookie-session'; local: string };

/** Local names bound to express-session's and cookie-session's middleware factories. */
function sessionFactories(root: Node): Map<string, Target> {
  const found = new Map<string, Target>();
  for (const [local, b] of jsBindings(root)) {
    if (b.name !== undefined && b.name !== 'default') continue;
    if (sameModule(b.module, 'express-session')) found.set(local, { kind: 'express-session', local });
    if (sameModule(b.module, 'cookie-session')) found.set(local, { kind: 'cookie-session', local });
  }
  return found;
}

function importsExpress(root: Node): boolean {
  return [...jsBindings(root).values()].some((b) => sameModule(b.module, 'express'));
}

function targetOf(call: Node, factories: Map<string, Target>, express: boolean): Target | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') return factories.get(callee.text);
  const property = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
  const count = callArgs(call).length;
  return express && property === 'cookie' && (count === 2 || count === 3) ? { kind: 'res.cookie' } : undefined;
}

/** Edits that leave `secure: true, httpOnly: true` and some `sameSite` in an options object literal, or why not. */
function flagEdits(options: Node, source: string, quote: string, keepHttpOnly: boolean): { edits: TextEdit[]; changed: string[] } | string {
  const pairs = objectPairs(options);
  if (pairs === undefined) return 'spreads or computes its options';
  const edits: TextEdit[] = [];
  const changed: string[] = [];
  const missing: string[] = [];
  for (const flag of ['secure', 'httpOnly']) {
    if (flag === 'httpOnly' && keepHttpOnly) continue;
    const pair = findPair(pairs, flag);
    const value = pair?.childForFieldName('value');
    if (pair === undefined) missing.push(`${flag}: true`);
    else if (value?.type === 'false') edits.push({ start: value.startIndex, end: value.endIndex, text: 'true' });
    else if (value?.type !== 'true') return `sets ${flag} from an expression (${value?.text ?? flag})`;
    if (pair === undefined || value?.type === 'false') changed.push(flag);
  }
  if (findPair(pairs, 'sameSite') === undefined) {
    missing.push(`sameSite: ${quote}lax${quote}`);
    changed.push('sameSite');
  }
  const appended = appendProperties(options, pairs, source, missing);
  if (missing.length > 0 && appended.length === 0) return 'has options the fix cannot add to';
  return { edits: [...edits, ...appended], changed };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const target = targetOf(node, sessionFactories(root), importsExpress(root));
  if (target === undefined) return { unfixed: `line ${line} sets no cookie` };
  const quote = fileQuote(source);
  const args = callArgs(node);
  const what = target.kind === 'res.cookie' ? `the cookie set on line ${line}` : `the ${target.kind} cookie on line ${line}`;
  let options: Node | undefined;
  let keepHttpOnly = false;
  if (target.kind === 'res.cookie') {
    const [name, value, third] = args;
    keepHttpOnly = SCRIPT_READ_COOKIE.test(jsString(name) ?? '');
    if (third === undefined && value !== undefined) {
      const flags = [`secure: true`, ...(keepHttpOnly ? [] : ['httpOnly: true']), `sameSite: ${quote}lax${quote}`];
      return {
        edits: [{ start: value.endIndex, end: value.endIndex, text: `, { ${flags.join(', ')} }` }],
        description: `Set ${flags.map((f) => f.split(':')[0]).join(', ')} on ${what}.`,
      };
    }
    options = third;
  } else {
    const [first] = args;
    if (first?.type !== 'object') return { unfixed: `${what} takes its options from an expression (${first?.text ?? 'nothing'}); review it by hand` };
    if (target.kind === 'cookie-session') options = first;
    else {
      const pairs = objectPairs(first);
      if (pairs === undefined) return { unfixed: `${what} spreads or computes its options; review it by hand` };
      const cookie = findPair(pairs, 'cookie');
      if (cookie === undefined) {
        const flags = [`secure: true`, 'httpOnly: true', `sameSite: ${quote}lax${quote}`];
        const edits = appendProperties(first, pairs, source, [`cookie: { ${flags.join(', ')} }`]);
        if (edits.length === 0) return { unfixed: `${what} has options the fix cannot add to; review it by hand` };
        return { edits, description: `Set secure, httpOnly, sameSite on ${what}.` };
      }
      options = cookie.childForFieldName('value') ?? undefined;
    }
  }
  if (options?.type !== 'object') return { unfixed: `${what} takes its options from a variable or expression (${options?.text ?? ''}); review it by hand` };
  const planned = flagEdits(options, source, quote, keepHttpOnly);
  if (typeof planned === 'string') return { unfixed: `${what} ${planned}; review it by hand` };
  if (planned.edits.length === 0) return { unfixed: `${what} already sets secure, httpOnly and sameSite; nothing to fix`, alreadySafe: true };
  return { edits: planned.edits, description: `Set ${planned.changed.join(', ')} on ${what}.` };
}

export const expressCookieFlags: Codemod = {
  id: 'express-cookie-flags',
  title: 'Set Secure, HttpOnly and SameSite on Express cookies',
  summary: 'Set secure, httpOnly and sameSite on Express and session cookies',
  description: [
    'A cookie without `Secure` is also sent over plain HTTP, where anyone on the network can read it; without',
    '`HttpOnly` any script on the page (an XSS payload included) can read it; without `SameSite` the browser sends it',
    "with cross-site requests, which is what CSRF relies on. This change adds `secure: true`, `httpOnly: true` and",
    "`sameSite: 'lax'` to `res.cookie(…)` and to express-session/cookie-session options, turns `false` into `true`, and",
    'keeps a `sameSite` already chosen. CSRF-token cookies (a name with csrf/xsrf) keep `httpOnly` as it is, because the',
    "page's script reads them.",
    '',
    '```diff',
    "-res.cookie('session', token, { maxAge: 3600000 });",
    "+res.cookie('session', token, { maxAge: 3600000, secure: true, httpOnly: true, sameSite: 'lax' });",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason:
    "Secure cookies are not sent over plain HTTP: an app served without TLS, or behind a proxy without Express's `trust proxy` (sessions), stops keeping them; client-side code that read the cookie can no longer.",
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-614', 'CWE-1004', 'CWE-1275'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Express res.cookie options', url: 'https://expressjs.com/en/api.html#res.cookie' },
    { title: 'express-session cookie options', url: 'https://github.com/expressjs/session#cookie' },
    { title: 'OWASP Session Management Cheat Sheet: cookies', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies' },
  ],
  ruleIds: {
    codeql: ['js/clear-text-cookie', 'js/client-exposed-cookie'],
    semgrep: [
      'javascript.express.security.audit.express-cookie-settings.express-cookie-session-no-secure',
      'javascript.express.security.audit.express-cookie-settings.express-cookie-session-no-httponly',
    ],
    eslint: ['sonarjs/insecure-cookie', 'sonarjs/cookie-no-httponly'],
    sonar: ['javascript:S2092', 'javascript:S3330'],
    snyk: ['javascript/WebCookieSecureDisabledByDefault', 'javascript/WebCookieSecureDisabledExplicitly'],
    checkmarx: ['HttpOnlyCookies', 'Unprotected_Cookie'],
  },
  target: 'cookie setting',
  candidates(root) {
    const factories = sessionFactories(root);
    const express = importsExpress(root);
    if (factories.size === 0 && !express) return [];
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && targetOf(c, factories, express) !== undefined);
  },
  fix,
};
