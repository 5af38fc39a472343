import type { ProductionEnvironment } from './deployment-facts';
import { jsBindings } from './protection-bindings';

/**
 * The flags of the session cookie a Node application registers once for every request, read from
 * the registration statement and the package its callee is imported from: express-session reads
 * them from its `cookie: { … }` option (a `secure` anywhere else, such as a store's, is not the
 * cookie's), cookie-session and koa-session from their top-level options. All three make the
 * cookie `httpOnly` unless told not to; `secure` holds when it is `true`, `'auto'` (express-session
 * marks it secure on every HTTPS request), or a comparison of `NODE_ENV` with `'production'`
 * (directly, or through a constant of the file assigned once) that a production deployment file
 * makes true (`NODE_ENV=production`); `sameSite` when it is `lax`, `strict` or `true`. A flag set
 * from anything else is not known and not counted; a callee from no known package decides nothing.
 */
export type CookieFlag = 'secure' | 'httpOnly' | 'sameSite';

const packages: Record<string, 'cookie' | 'top'> = { 'express-session': 'cookie', 'cookie-session': 'top', 'koa-session': 'top' };

/** The text of the object literal starting at `start` (an opening brace), nested literals included. */
function objectAt(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

/** `{ a: 1, b: { c: 2 } }` → `{ a: 1, b:  }`: only the object's own keys. */
const ownKeys = (object: string): string => {
  let depth = 0;
  return [...object].filter((c) => {
    if (c === '{') depth++;
    const keep = depth <= 1;
    if (c === '}') depth--;
    return keep;
  }).join('');
};

/** The flags the registration in `statement` sets, each with the code that says so; undefined when it is no known session registration. */
export function sessionCookieFlags(statement: string, file: string, environment: ProductionEnvironment | undefined): Map<CookieFlag, string> | undefined {
  const call = /\b([\w$]+)\(\s*\{/.exec(statement);
  const pkg = call ? jsBindings(file.split('\n')).get(call[1] ?? '')?.pkg : undefined;
  const shape = pkg ? packages[pkg] : undefined;
  if (!call || !shape) return undefined;
  const options = objectAt(statement, (call.index ?? 0) + call[0].length - 1);
  const cookie = shape === 'cookie' ? /\bcookie\s*:\s*\{/.exec(options) : null;
  if (shape === 'cookie' && !cookie) return undefined;
  const text = ownKeys(cookie ? objectAt(options, (cookie.index ?? 0) + cookie[0].length - 1) : options);
  const flags = new Map<CookieFlag, string>();
  const httpOnly = /httpOnly\s*:\s*([^,}\n]+)/.exec(text);
  if (!httpOnly) flags.set('httpOnly', `httpOnly left at ${pkg}'s default, true`);
  else if (/^true\b/.test(httpOnly[1]?.trim() ?? '')) flags.set('httpOnly', httpOnly[0].trim());
  const sameSite = /sameSite\s*:\s*(?:["'](?:lax|strict)["']|true)/i.exec(text);
  if (sameSite) flags.set('sameSite', sameSite[0]);
  const secure = /\bsecure\s*:\s*([^,}\n]+)/.exec(text);
  const value = secure?.[1]?.trim() ?? '';
  if (secure && (/^true\b/.test(value) || /^["']auto["']/.test(value))) flags.set('secure', secure[0].trim());
  else if (secure && productionComparison(value, file) && /NODE_ENV["']?(?:\s*[=:]\s*|\s+)["']?production\b/.test(environment?.get('NODE_ENV') ?? '')) {
    flags.set('secure', `${secure[0].trim()}, and production sets NODE_ENV=production (${environment?.get('NODE_ENV') ?? ''})`);
  }
  return flags;
}

const comparesProduction = /^process\.env\.NODE_ENV\s*===?\s*["']production["']$|^["']production["']\s*===?\s*process\.env\.NODE_ENV$|^app\.get\(\s*["']env["']\s*\)\s*===?\s*["']production["']$/;

/** `process.env.NODE_ENV === 'production'`, or a constant of the file assigned only that. */
function productionComparison(value: string, file: string): boolean {
  if (comparesProduction.test(value)) return true;
  if (!/^[\w$]+$/.test(value)) return false;
  const assignments = [...file.matchAll(new RegExp(String.raw`(?:const|let|var)\s+${value}\s*=\s*([^;\n]+)`, 'g'))];
  return assignments.length === 1 && comparesProduction.test(assignments[0]?.[1]?.trim() ?? '') && !new RegExp(String.raw`\b${value}\s*=[^=]`).test(file.replace(assignments[0]?.[0] ?? '', ''));
}
