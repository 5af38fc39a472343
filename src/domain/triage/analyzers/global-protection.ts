import { ruleText, type DecisiveAnalyzer } from './types';
import type { CodeView } from '../code-view';
import type { ProtectionKind, Registration } from '../global-protections';
import { moduleStem, routeCall } from '../js-protections';
import { withinProject } from '../text-readers';
import { routeProtection } from '../route-protections';

/**
 * A rule that asks for a protection the application already applies to every route (a global
 * throttler guard or rate limiter for a missing-rate-limit rule, global CSRF middleware for a
 * missing-CSRF rule, helmet's headers for a missing-header rule, an HTTPS redirect) is answered
 * where the protection is registered (`global-protections.ts`). Not when the flagged code opts out
 * of it in view (`@SkipThrottle()`, `@csrf.exempt`, `csrf_exempt`, `plugins: { crumb: false }`,
 * `config: { rateLimit: false }`), when the registration does not reach the flagged route (Express,
 * Koa and Fastify apply middleware only to what is registered after it: a route above the
 * registration in its file, or a router module the file mounts before it, or not at all in the
 * file, stays a finding; so does a rule flagged inside the registration, which is about its own
 * options), or when the repository shows no registration in the finding's application. A route
 * that carries the protection itself (`route-protections.ts`) is answered first.
 */
interface Ask { kind: ProtectionKind; rule: RegExp; optOut: RegExp; headers?: readonly string[]; what: string }
const asks: Ask[] = [
  { kind: 'rate-limit', rule: /rate-?limit|ratelimiting|no-?rate|brute-?force|throttl/i, optOut: /@SkipThrottle\b|skip_throttle|limiter\.exempt|rateLimit\s*:\s*false|["']hapi-rate-limit["']\s*:\s*\{[^}]*enabled\s*:\s*false/, what: 'rate limit' },
  // Not a rule about the CSRF cookie's flags or the token's handling, which the middleware's presence does not answer.
  { kind: 'csrf', rule: /^(?!.*(cookie|secure|httponly|samesite|cwe-614|cwe-1004|trusted-?origin|token-?(leak|in-?url|log))).*(csrf|csurf|cwe-352\b)/i, optOut: /csrf_exempt|csrf\.exempt|@SkipCsrf|crumb\s*:\s*false|ignoreMethods\s*:\s*\[[^\]]*POST|WTF_CSRF_ENABLED\s*=\s*False|WTF_CSRF_CHECK_DEFAULT\s*=\s*False/, what: 'CSRF protection' },
  { kind: 'headers', rule: /powered-?by|x-powered|hidepoweredby/i, optOut: /\.enable\(\s*["']x-powered-by["']|setHeader\(\s*["']x-powered-by/i, headers: ['powered-by'], what: 'removal of the X-Powered-By header' },
  { kind: 'headers', rule: /x-?frame|frame-?ancestors|frameguard|clickjack/i, optOut: /frameguard\s*:\s*false|X-Frame-Options/i, headers: ['frame'], what: 'X-Frame-Options header' },
  { kind: 'headers', rule: /\bhsts\b|strict-?transport/i, optOut: /hsts\s*:\s*false|Strict-Transport-Security/i, headers: ['hsts'], what: 'Strict-Transport-Security header' },
  { kind: 'headers', rule: /no-?sniff|mime-?sniff|content-?type-?options/i, optOut: /noSniff\s*:\s*false|X-Content-Type-Options/i, headers: ['nosniff'], what: 'X-Content-Type-Options header' },
  { kind: 'headers', rule: /^(?!.*(unsafe|inline|eval|wildcard|weak|insecure)).*(content-?security-?policy|\bcsp\b)/i, optOut: /contentSecurityPolicy\s*:\s*false|Content-Security-Policy/i, headers: ['csp'], what: 'Content-Security-Policy header' },
  { kind: 'headers', rule: /referrer-?policy/i, optOut: /referrerPolicy\s*:\s*false|Referrer-Policy/i, headers: ['referrer'], what: 'Referrer-Policy header' },
  { kind: 'headers', rule: /helmet/i, optOut: /helmet\(\s*\{[^}]*:\s*false/, headers: ['powered-by', 'frame', 'hsts', 'nosniff'], what: "helmet's security headers" },
  { kind: 'https', rule: /http-?to-?https|https?-?redirect|ssl-?redirect|force-?https|enforce-?https/i, optOut: /force_https\s*=\s*False/, what: 'redirect to HTTPS' },
];

/** The line that creates or starts the application: a rule flagged there is about the whole application, not one route. */
const appCreation = /\bexpress\(\s*\)|\bnew\s+Koa\(|\b[Ff]astify\(|NestFactory\.create|Hapi\.server\(|new\s+Hapi\.Server\(|\bFlask\(|\bFastAPI\(|\bcreateServer\(|\bapp\.listen\(/;

/** The object a route is registered on, from the flagged line or the two above it (`router` of `router.post('/x', …)`). */
function routeReceiver(view: CodeView | undefined, flagged: string): string | undefined {
  const lines = view ? view.lines.slice(Math.max(0, view.flagged - 2), view.flagged + 1).reverse() : [flagged];
  for (const line of lines) {
    const receiver = routeCall.test(line) ? /\b([\w$]+)\.(?:get|post|put|patch|delete|all|route|head|options)\(/.exec(line)?.[1] : undefined;
    if (receiver) return receiver;
  }
  return undefined;
}

/** Whether the registration reaches the flagged place. */
function reaches(registration: Registration, path: string, line: number, flagged: string, view: CodeView | undefined): boolean {
  if (!withinProject(path, registration.root)) return false;
  // A rule flagged inside the registration is about its own options (`helmet.hsts({ maxAge: 60 })`).
  if (path === registration.path && line >= registration.line && line <= registration.endLine) return false;
  const wholeApp = appCreation.test(flagged);
  if (registration.scope === 'file') return path === registration.path && line > registration.endLine && !wholeApp && routeReceiver(view, flagged) === registration.placement?.receiver;
  if (!registration.ordered) return true;
  const placement = registration.placement;
  if (!placement) return false;
  if (path !== registration.path) return placement.mountedAfter.includes(moduleStem(path)) && !placement.mountedBefore.includes(moduleStem(path));
  if (wholeApp) return placement.routesAfter;
  // In its own file: a route on the same object below the registration, or on a router that file mounts only after it.
  const receiver = routeReceiver(view, flagged);
  if (!receiver || line <= registration.endLine) return false;
  return receiver === placement.receiver || (placement.usedAfter.includes(receiver) && !placement.usedBefore.includes(receiver));
}

export const globalProtection: DecisiveAnalyzer = ({ finding, where, repository, code, flagged, view }) => {
  const text = `${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`;
  const path = finding.location?.path ?? '';
  const line = finding.location?.startLine ?? 0;
  for (const ask of asks) {
    if (!ask.rule.test(text) || ask.optOut.test(code)) continue;
    // The route carries the protection itself (`@ratelimit(…)`, `app.post('/login', limiter, …)`).
    const own = view && (ask.kind === 'rate-limit' || ask.kind === 'csrf') ? routeProtection(view, ask.kind) : undefined;
    if (own) {
      return {
        verdict: 'false_positive',
        category: 'defused',
        base: 84,
        factor: { id: `route-${ask.kind}`, weight: 0, detail: `The route itself carries the ${ask.what} (${own}).` },
        justification: `${where} already has the ${ask.what} the rule asks for: the route itself carries it (${own}), and nothing in the code read opts it out.`,
      };
    }
    const protections = repository?.protections;
    if (!protections) continue;
    const found = (protections.get(ask.kind) ?? []).find((r) =>
      reaches(r, path, line, flagged, view) && (ask.headers ?? []).every((header) => r.headers?.includes(header)));
    if (!found) continue;
    const registered = found.at;
    const uncovered = found.placement?.mountedBefore ?? [];
    const order = !found.ordered ? ''
      : found.path !== path ? `, before ${found.path} mounts this file's routes`
      : !appCreation.test(flagged) ? ', above this route'
      : `, on this application${uncovered.length > 0 ? ` (routes it mounts above that line are not covered and stay findings of their own: ${uncovered.join(', ')})` : ''}`;
    return {
      verdict: 'false_positive',
      category: 'defused',
      base: 84,
      factor: { id: `global-${ask.kind}`, weight: 0, detail: `The application applies the ${ask.what} to every route (${registered}${order}), and nothing in the code read opts this route out.` },
      justification: `${where} already has the ${ask.what} the rule asks for: it is registered at ${registered}${order}, and nothing in the code read opts this route out.`,
    };
  }
  return undefined;
};
