import { conditional, headPackage, jsBindings, statementAt, withoutComments, type ExportResolver } from './protection-bindings';
import { OWN_CSRF } from './own-csrf';
import type { FoundRegistration, Placement, ProtectionKind } from './global-protections';
import type { HelperRegistration } from './helper-registrations';

/**
 * Protections a Node application registers once for every route, by package (each package's
 * documented global registration):
 * - CSRF: csurf, tiny-csrf, csrf-sync (`csrfSynchronisedProtection`), csrf-csrf
 *   (`doubleCsrfProtection`), lusca (`lusca.csrf()`, `lusca({ csrf: true })`), koa-csrf and
 *   `@koa/csrf` (`app.use(new CSRF())`), `@fastify/csrf-protection` (registered, and its
 *   `csrfProtection` added as an `onRequest`/`preHandler` hook of the instance), hapi's crumb plugin;
 * - rate limiting: express-rate-limit, express-slow-down, koa-ratelimit, `@fastify/rate-limit` (not
 *   `global: false`), hapi-rate-limit;
 * - headers: helmet, koa-helmet, `@fastify/helmet` (not `global: false`);
 * - HTTPS: express-sslify, express-enforces-ssl, heroku-ssl-redirect.
 * `app.use('/prefix', …)` covers a prefix only and is not read as global; `router.use(…)` covers the
 * routes of that router in its own file (`scope: 'file'`).
 */
const packages: [RegExp, ProtectionKind][] = [
  [/^(csurf|tiny-csrf|csrf-sync|csrf-csrf|koa-csrf|@koa\/csrf|@fastify\/csrf-protection|fastify-csrf|@hapi\/crumb|crumb)$/, 'csrf'],
  [/^(express-rate-limit|express-slow-down|koa-ratelimit|koa2-ratelimit|@fastify\/rate-limit|fastify-rate-limit|hapi-rate-limit)$/, 'rate-limit'],
  [/^(helmet|koa-helmet|@fastify\/helmet|fastify-helmet)$/, 'headers'],
  [/^(express-sslify|express-enforces-ssl|heroku-ssl-redirect)$/, 'https'],
];

/** A route registered on an app or router (`app.post('/x', …)`, `router.get(` with its path on the next line). */
export const routeCall = /\b[\w$]+\.(?:get|post|put|patch|delete|all|route|head|options)\(\s*(?:["'`/]|$)/;

const kindOf = (pkg: string, expression: string): ProtectionKind | undefined => {
  if (pkg === OWN_CSRF) return 'csrf';
  if (pkg === 'lusca') return /^\s*[\w$]+\.csrf\s*\(|csrf\s*:\s*(true|\{)/.test(expression) ? 'csrf' : undefined;
  return packages.find(([names]) => names.test(pkg))?.[1];
};

/** Options that switch the protection off for unsafe methods, some paths (`csrf().unless({ path })`) or every route. */
const weakened = /ignoreMethods\s*:\s*\[[^\]]*["'](POST|PUT|PATCH|DELETE)["']|global\s*:\s*false|\bskip\s*:|enabled\s*:\s*false|\.unless\(|ignorePaths|excludedPaths|\bexclude\s*:/;

/** A relative module specifier resolved against the importing file, without extension or `/index`. */
function resolveModule(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/').replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
}

/** `src/routes/auth.js` → `src/routes/auth` (and `src/routes/index.js` → `src/routes`), to compare with mounted modules. */
export const moduleStem = (path: string): string => path.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');

/**
 * The application's own modules mounted on each line (`app.use('/auth', require('./routes/auth'))`,
 * `app.use('/x', xRouter)` with `xRouter` imported, `app.use(router.routes())`, `fastify.register(routes)`).
 */
function mounts(path: string, lines: readonly string[], bound: ReturnType<typeof jsBindings>): { line: number; stem: string }[] {
  const found: { line: number; stem: string }[] = [];
  lines.forEach((line, i) => {
    if (!/\.(use|register|route)\(/.test(line)) return;
    for (const m of line.matchAll(/require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) found.push({ line: i + 1, stem: resolveModule(path, m[1] ?? '') });
    for (const word of line.match(/[\w$]+/g) ?? []) {
      const pkg = bound.get(word)?.pkg;
      if (pkg?.startsWith('.')) found.push({ line: i + 1, stem: resolveModule(path, pkg) });
    }
  });
  return found;
}

/** What the application's modules export, made from a package, by module stem (`moduleStem`) and exported name. */
export type ModuleExports = ReadonlyMap<string, ReadonlyMap<string, { pkg: string; statement: string }>>;

/** The registrations a function of another module makes on the app it receives (`helper-registrations.ts`), by module stem and name. */
export type HelperResolver = (stem: string, name: string) => readonly HelperRegistration[];

export function jsRegistrations(path: string, raw: string, modules: ModuleExports = new Map(), helpers?: HelperResolver): FoundRegistration[] {
  const lines = withoutComments(raw, false).split('\n');
  const bound = jsBindings(lines);
  const resolve: ExportResolver = (specifier, name) => modules.get(resolveModule(path, specifier))?.get(name);
  const mounted = mounts(path, lines, bound);
  const used = lines.flatMap((l, i) => (/\.(use|register)\(/.test(l) ? (l.slice(l.search(/\.(use|register)\(/)).match(/[\w$]+/g) ?? []).map((name) => ({ line: i + 1, name })) : []));
  const placement = (receiver: string, line: number): Placement => ({
    receiver,
    mountedAfter: mounted.filter((m) => m.line > line).map((m) => m.stem),
    mountedBefore: mounted.filter((m) => m.line < line).map((m) => m.stem),
    usedAfter: used.filter((u) => u.line > line).map((u) => u.name),
    usedBefore: used.filter((u) => u.line < line).map((u) => u.name),
    routesAfter: lines.slice(line).some((l) => routeCall.test(l) || /\.use\(\s*["'`/]/.test(l)) || mounted.some((m) => m.line > line),
  });
  const endOf = (i: number): number => i + statementAt(lines, i).split('\n').length;
  const routers = new Set([...raw.matchAll(/(?:const|let|var)\s+([\w$]+)\s*=\s*(?:express\.Router|Router|new\s+(?:Koa)?Router)\s*\(/g)].map((m) => m[1] ?? ''));
  const nest = /\bNestFactory\.create\b/.test(raw);
  const found: FoundRegistration[] = [];
  const fastifyCsrfHook = lines.findIndex((l) => /\.addHook\(\s*["'](onRequest|preHandler)["']\s*,\s*[\w$]+\.csrfProtection\s*\)/.test(l));
  lines.forEach((line, i) => {
    if (conditional(lines, i)) return;
    // `applySecurity(app);`: a function of the application's own module that registers on the app it receives.
    const call = helpers ? /^\s*(?:await\s+)?([\w$]+)\(\s*([\w$]+)\s*\)\s*;?\s*$/.exec(line) : null;
    const helperPkg = call ? bound.get(call[1] ?? '') : undefined;
    if (call && helpers && helperPkg?.pkg.startsWith('.') && !routers.has(call[2] ?? '')) {
      const stem = resolveModule(path, helperPkg.pkg);
      const imported = helperPkg.imported === 'default' ? call[1] ?? '' : helperPkg.imported;
      for (const { registration: r, defined } of helpers(stem, imported)) {
        found.push({ ...r, path, line: i + 1, text: `${line.trim()} → ${r.path}:${r.line}: ${r.text}`, endLine: i + 1, placement: placement(call[2] ?? '', i + 1),
          note: `through \`${imported}\` defined at ${r.path}:${defined}` });
      }
    }
    const use = /\b([\w$]+)\.use\(\s*(.*)$/.exec(line);
    if (use && !/^["'`/]/.test(use[2] ?? '')) {
      const statement = statementAt(lines, i);
      const argument = statement.slice(statement.indexOf('.use(') + 5);
      const from = headPackage(argument, bound, resolve);
      const kind = from ? kindOf(from.pkg, argument) : undefined;
      if (from && kind && !weakened.test(`${argument}\n${from.statement ?? ''}`)) {
        const scope = routers.has(use[1] ?? '') ? 'file' : 'application';
        found.push({ kind, path, line: i + 1, text: line.trim(), scope, ordered: !nest, options: `${argument}\n${from.statement ?? ''}`, pkg: from.pkg, endLine: endOf(i), placement: placement(use[1] ?? '', i + 1) });
      }
    }
    // Fastify and hapi plugins: `fastify.register(helmet, {…})`, `server.register({ plugin: require('@hapi/crumb') })`,
    // and hapi's list form `server.register([Inert, { plugin: Crumb, options }])`.
    const register = /\b([\w$]+)\.register\(\s*(.*)$/.exec(line);
    if (!register) return;
    const statement = statementAt(lines, i);
    const body = statement.slice(statement.indexOf('.register(') + 10);
    const heads = [body, ...[...body.matchAll(/plugin\s*:\s*/g)].map((m) => body.slice((m.index ?? 0) + m[0].length)),
      ...(/^\s*\[/.test(body) ? body.replace(/^\s*\[/, '').split(',') : [])];
    for (const head of heads) {
      const from = headPackage(head, bound, resolve);
      const kind = from ? kindOf(from.pkg, head) : undefined;
      if (!from || !kind || weakened.test(statement)) continue;
      const hapi = /crumb|hapi/.test(from.pkg);
      // @fastify/csrf-protection only adds `fastify.csrfProtection`; it guards nothing until hooked for every request.
      if (/fastify/.test(from.pkg) && kind === 'csrf' && fastifyCsrfHook < 0) continue;
      found.push({ kind, path, line: i + 1, text: line.trim(), scope: 'application', ordered: !hapi, options: statement, pkg: from.pkg, endLine: endOf(i), placement: placement(register[1] ?? '', i + 1) });
      break;
    }
  });
  return found;
}

/** Helmet's default headers: every version; since helmet 4 also CSP and Referrer-Policy. */
const helmetAlways = ['powered-by', 'frame', 'hsts', 'nosniff', 'dns-prefetch', 'download-options'];
const helmetSince4 = ['csp', 'referrer'];
/** The option that turns each header off in `helmet({ … })`. */
const helmetOption: Record<string, RegExp> = {
  'powered-by': /hidePoweredBy\s*:\s*false|xPoweredBy\s*:\s*false/, frame: /frameguard\s*:\s*false|xFrameOptions\s*:\s*false/,
  hsts: /hsts\s*:\s*false|strictTransportSecurity\s*:\s*false/, nosniff: /noSniff\s*:\s*false|xContentTypeOptions\s*:\s*false/,
  'dns-prefetch': /dnsPrefetchControl\s*:\s*false|xDnsPrefetchControl\s*:\s*false/, 'download-options': /ieNoOpen\s*:\s*false|xDownloadOptions\s*:\s*false/,
  csp: /contentSecurityPolicy\s*:\s*false/, referrer: /referrerPolicy\s*:\s*false/,
};

/** Helmet's middlewares one by one (`app.use(helmet.frameguard())`) and the header each sets. */
const helmetMember: Record<string, string> = {
  hidePoweredBy: 'powered-by', xPoweredBy: 'powered-by', frameguard: 'frame', xFrameOptions: 'frame', hsts: 'hsts', strictTransportSecurity: 'hsts',
  noSniff: 'nosniff', xContentTypeOptions: 'nosniff', dnsPrefetchControl: 'dns-prefetch', xDnsPrefetchControl: 'dns-prefetch', ieNoOpen: 'download-options',
  xDownloadOptions: 'download-options', contentSecurityPolicy: 'csp', referrerPolicy: 'referrer',
};

/**
 * The headers a helmet registration sets: one middleware's header, or the defaults less those its
 * options turn off, CSP and Referrer-Policy only when the application's package.json asks for
 * helmet 4 or later (helmet 3 did not set them by default).
 */
export function helmetHeaders(options: string, pkg: string, manifest: string | undefined): string[] {
  const member = /^\s*[\w$]+\.(\w+)\s*\(/.exec(options)?.[1];
  if (member) return helmetMember[member] ? [helmetMember[member] ?? ''] : [];
  const version = pkg === 'helmet' && manifest ? /"helmet"\s*:\s*"[\^~>=v]*(\d+)/.exec(manifest)?.[1] : undefined;
  const since4 = version !== undefined && Number(version) >= 4;
  return [...helmetAlways, ...(since4 ? helmetSince4 : [])].filter((header) => !(helmetOption[header]?.test(options) ?? false));
}
