import { projectRoot } from './text-readers';

/**
 * Protections the application registers for every route, read from the files read (its bootstrap
 * and root module are read by convention: `repository-facts.ts` `declarationFiles`):
 * - rate limiting: NestJS `{ provide: APP_GUARD, useClass: ThrottlerGuard }` or
 *   `app.useGlobalGuards(new ThrottlerGuard(…))`, Express `app.use(rateLimit(…))` (or
 *   `app.use(limiter)` with `limiter = rateLimit(…)`), Flask-Limiter with `default_limits`;
 * - CSRF: Express `app.use(csurf(…))`/`app.use(csrf(…))`/`app.use(doubleCsrfProtection)`, Flask-WTF `CSRFProtect(app)`;
 * - the `X-Powered-By` header removed: `app.disable('x-powered-by')`, `app.use(helmet())`.
 * A guard applied to some controllers only (`@UseGuards(ThrottlerGuard)`) is not global and is not read.
 * And one protection turned off: the JSON body parser told to let `__proto__` through (hapi
 * `protoAction: 'ignore'`, Fastify `onProtoPoisoning: 'ignore'`), which `framework-guarantees.ts` reads.
 */
export type ProtectionKind = 'rate-limit' | 'csrf' | 'powered-by' | 'proto-allowed';
/** Where each protection is registered, with the root of the application it covers (`projectRoot`). */
export interface Registration { at: string; root: string }
export type GlobalProtections = ReadonlyMap<ProtectionKind, readonly Registration[]>;

const patterns: [ProtectionKind, RegExp][] = [
  ['rate-limit', /provide\s*:\s*APP_GUARD\s*,\s*useClass\s*:\s*\w*Throttler\w*Guard|useGlobalGuards\([^)]*Throttler\w*Guard|\bapp\.use\(\s*(?:rateLimit|slowDown|RateLimit)\s*\(|\bLimiter\([^)]*default_limits\s*=/],
  ['csrf', /\bapp\.use\(\s*(?:csurf|csrf|lusca\.csrf)\s*\(|\bapp\.use\(\s*doubleCsrfProtection\s*\)|\bCSRFProtect\(\s*app\s*\)/],
  ['proto-allowed', /\b(?:protoAction|onProtoPoisoning|onConstructorPoisoning)\s*:\s*["']ignore["']/],
  ['powered-by', /\bapp\.disable\(\s*["']x-powered-by["']\s*\)|\bapp\.use\(\s*helmet\(\s*\)\s*\)|\bapp\.use\(\s*helmet\.hidePoweredBy\(/],
];

export function globalProtections(contents: ReadonlyMap<string, string>, files: readonly string[] = []): GlobalProtections {
  const found = new Map<ProtectionKind, Registration[]>();
  const add = (kind: ProtectionKind, path: string, at: string): void => {
    const root = projectRoot(path, files);
    const list = found.get(kind) ?? [];
    if (!list.some((r) => r.root === root)) found.set(kind, [...list, { at, root }]);
  };
  for (const [path, text] of contents) {
    if (/(^|\/)(tests?|__tests__|spec)\/|\.(spec|test)\.[jt]s$|(^|\/)test_[\w]+\.py$/.test(path)) continue;
    const lines = text.split('\n');
    // `const limiter = rateLimit({...})` then `app.use(limiter)`.
    const limiter = new Set([...text.matchAll(/(?:const|let|var)\s+([\w$]+)\s*=\s*(?:rateLimit|slowDown)\s*\(/g)].map((m) => m[1] ?? ''));
    lines.forEach((line, i) => {
      for (const [kind, pattern] of patterns) {
        if (pattern.test(line)) add(kind, path, `${path}:${i + 1}: \`${line.trim().slice(0, 100)}\``);
      }
      const used = /\bapp\.use\(\s*([\w$]+)\s*\)/.exec(line)?.[1];
      if (used && limiter.has(used)) add('rate-limit', path, `${path}:${i + 1}: \`${line.trim().slice(0, 100)}\``);
    });
  }
  return found;
}
