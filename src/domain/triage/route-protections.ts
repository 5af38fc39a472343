import { enclosingFunction, fileLine, indentOf, type CodeView } from './code-view';
import { jsBindings } from './protection-bindings';

/**
 * Protections put on the flagged route itself rather than on the whole application: a decorator
 * of the view or handler — django-ratelimit `@ratelimit(…)` (not `block=False`, which only marks
 * the request), Flask-Limiter and slowapi `@limiter.limit(…)`, DRF `@throttle_classes([…])`, NestJS
 * `@Throttle(…)` or `@UseGuards(ThrottlerGuard)` on the method or its controller class, Django
 * `@csrf_protect` — or an Express/Koa route given a middleware of a rate-limit or CSRF package
 * (`app.post('/login', loginLimiter, …)` with `loginLimiter = rateLimit(…)` from
 * express-rate-limit in view), or a Fastify route with `onRequest: fastify.csrfProtection`. Returns
 * the deciding line, or undefined.
 */
export type RouteProtection = 'rate-limit' | 'csrf';

const decorators: Record<RouteProtection, RegExp> = {
  'rate-limit': /^@(?:ratelimit\((?![^)]*block\s*=\s*False)|\w*limiter\.limit\(|throttle_classes\(\s*\[\s*\w|Throttle\(|UseGuards\([^)]*Throttler\w*Guard)/,
  csrf: /^@csrf_protect\b/,
};
const packages: Record<RouteProtection, RegExp> = {
  'rate-limit': /^(express-rate-limit|express-slow-down|koa-ratelimit|express-brute)$/,
  csrf: /^(csurf|tiny-csrf|csrf-sync|csrf-csrf|koa-csrf|@koa\/csrf)$/,
};
const route = /\b[\w$]+\.(get|post|put|patch|delete|all|route)\(\s*["'`]/;

/** The decorator lines directly above line `index` (blank lines and comments skipped). */
function decoratorsAbove(view: CodeView, index: number): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const text = (view.lines[i] ?? '').trim();
    if (text === '' || text.startsWith('#') || text.startsWith('//')) continue;
    if (!text.startsWith('@')) break;
    found.push({ line: fileLine(view, i), text });
  }
  return found;
}

export function routeProtection(view: CodeView, kind: RouteProtection): string | undefined {
  const header = enclosingFunction(view);
  const own = /^\s*(?:async\s+)?def\s|^\s*(?:public\s+|private\s+)?(?:async\s+)?\w+\s*\([^)]*\)\s*(?::[^{]*)?\{/.test(view.lines[view.flagged] ?? '') ? view.flagged : header;
  const candidates = own === undefined ? [] : decoratorsAbove(view, own);
  // A NestJS controller's class decorators cover its methods.
  if (own !== undefined) {
    for (let i = own - 1; i >= 0; i--) {
      const line = view.lines[i] ?? '';
      if (/^\s*(?:export\s+)?(?:default\s+)?class\s/.test(line) && indentOf(line) < indentOf(view.lines[own] ?? '')) {
        candidates.push(...decoratorsAbove(view, i));
        break;
      }
    }
  }
  // django-ratelimit blocks by default only since 4.0, whose module is `django_ratelimit`; before, only with `block=True`.
  const blocks = (text: string): boolean => !/^@ratelimit\(/.test(text) || /block\s*=\s*True/.test(text) || view.lines.some((l) => /^\s*from\s+django_ratelimit\b/.test(l));
  const decorator = candidates.find((c) => decorators[kind].test(c.text) && blocks(c.text));
  if (decorator) return `line ${decorator.line}: \`${decorator.text.slice(0, 100)}\``;
  // Fastify: the route's own hook (`{ onRequest: fastify.csrfProtection }`) on the flagged line or the two above it.
  const hooked = view.lines.slice(Math.max(0, view.flagged - 2), view.flagged + 1).find((l) => /(?:onRequest|preHandler|preValidation)\s*:\s*\[?\s*[\w$]+\.csrfProtection\b/.test(l));
  if (kind === 'csrf' && hooked) return `\`${hooked.trim().slice(0, 100)}\``;
  // Express/Koa: a route call on the flagged line or up to two lines above it, with a middleware argument of the kind.
  for (let i = view.flagged; i >= Math.max(0, view.flagged - 2); i--) {
    const line = view.lines[i] ?? '';
    if (!route.test(line)) continue;
    const bound = jsBindings(view.lines.slice(0, i + 1));
    const args = view.lines.slice(i, view.flagged + 1).join(' ');
    const middleware = (args.slice(args.indexOf('(') + 1).match(/(?<=,\s*)[\w$]+(?=\s*,)/g) ?? []).find((name) => {
      const binding = bound.get(name);
      return binding !== undefined && packages[kind].test(binding.pkg) && !/ignoreMethods|\bskip\s*:/.test(binding.statement);
    });
    if (middleware) return `line ${fileLine(view, i)}: \`${line.trim().slice(0, 100)}\` (\`${middleware}\` from ${bound.get(middleware)?.pkg ?? ''})`;
    break;
  }
  return undefined;
}
