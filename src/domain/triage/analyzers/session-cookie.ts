import type { Defuser } from './defusers';
import { ruleText } from './types';
import { statement } from '../code-view';
import { sessionCookieFlags, type CookieFlag } from '../session-cookies';

/**
 * A cookie-flag rule flagged at the session middleware an Express application registers for every
 * request (`app.use(session({ cookie: { secure: 'auto', sameSite: 'lax' } }))`) is answered by the
 * flags that registration sets (`session-cookies.ts`), each named. Only rules about the flags
 * (secure, HttpOnly, SameSite); a rule about the cookie's name, domain, path or lifetime is not.
 */
export const sessionCookieEvidence: Defuser = {
  id: 'session-cookie-flags',
  category: 'defused',
  family: /secure|httponly|samesite|cwe-614\b|cwe-1004\b|cwe-1275\b/,
  exclude: /domain|expires|[-_]path\b|default-?name|max-?age|secret/,
  base: 84,
  detail: "the session middleware's cookie carries the flags the rule asks for",
  test: ({ finding, view, code, repository }) => {
    if (!view) return undefined;
    const flags = sessionCookieFlags(statement(view), code, repository?.productionEnvironment);
    if (!flags) return undefined;
    const rule = ruleText(finding);
    const wanted: CookieFlag[] = [];
    if (/httponly|cwe-1004\b/.test(rule)) wanted.push('httpOnly');
    if (/samesite|cwe-1275\b/.test(rule)) wanted.push('sameSite');
    if (/secure|cwe-614\b/.test(rule) || wanted.length === 0) wanted.push('secure');
    const evidence = wanted.map((flag) => flags.get(flag));
    return evidence.every((e) => e !== undefined) ? evidence.join('; ') : undefined;
  },
};
