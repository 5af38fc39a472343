import type { ProductionEnvironment } from './deployment-facts';

/**
 * The flags of the session cookie an Express application registers once for every request with
 * express-session (`session({ cookie: { … } })`) or cookie-session (`cookieSession({ … })`), read
 * from the registration statement: both packages make the cookie `httpOnly` unless told not to;
 * `secure` holds when it is `true`, `'auto'` (express-session marks it secure on every HTTPS
 * request), or a comparison of `NODE_ENV` with `'production'` (directly, or through a constant of
 * the file) that a production deployment file makes true (`NODE_ENV=production`); `sameSite` when
 * it is `lax`, `strict` or `true`. A flag set from anything else is not known and not counted.
 */
export type CookieFlag = 'secure' | 'httpOnly' | 'sameSite';

const registration = /\b(?:session|expressSession|cookieSession)\(\s*\{/;

/** The flags the registration in `statement` sets, each with the code that says so; undefined when it is no session registration. */
export function sessionCookieFlags(statement: string, file: string, environment: ProductionEnvironment | undefined): Map<CookieFlag, string> | undefined {
  if (!registration.test(statement)) return undefined;
  const flags = new Map<CookieFlag, string>();
  const httpOnly = /httpOnly\s*:\s*([^,}\n]+)/.exec(statement);
  if (!httpOnly) flags.set('httpOnly', 'httpOnly left at its default, true');
  else if (/^true\b/.test(httpOnly[1]?.trim() ?? '')) flags.set('httpOnly', httpOnly[0].trim());
  const sameSite = /sameSite\s*:\s*(?:["'](?:lax|strict)["']|true)/i.exec(statement);
  if (sameSite) flags.set('sameSite', sameSite[0]);
  const secure = /\bsecure\s*:\s*([^,}\n]+)/.exec(statement);
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
