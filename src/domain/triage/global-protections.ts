import { projectRoot } from './text-readers';
import { helmetHeaders, jsRegistrations, moduleStem, type HelperResolver, type ModuleExports } from './js-protections';
import { registrationsOfHelper } from './helper-registrations';
import { djangoRegistrations, pythonRegistrations } from './python-protections';
import { productionSettings } from './production-settings';
import { ownCsrfExports } from './own-csrf';
import { packageExports, withoutComments } from './protection-bindings';

/**
 * Protections the application registers for every route, read from the files read (its bootstrap
 * and root module are read by convention: `repository-facts.ts` `declarationFiles`, and
 * `protectionFilesToRead` below). The table of registrations by framework is in `js-protections.ts`
 * (Express, Koa, Fastify, hapi, NestJS packages) and `python-protections.ts` (Flask extensions,
 * slowapi, Django settings production runs); here:
 * - NestJS `{ provide: APP_GUARD, useClass: ThrottlerGuard }` or `app.useGlobalGuards(new ThrottlerGuard(…))`;
 * - the `X-Powered-By` header removed with `app.disable('x-powered-by')`.
 * A guard applied to some controllers only (`@UseGuards(ThrottlerGuard)`) is not global and is not
 * read; nor is anything in test code or in a comment.
 * And one protection turned off: the JSON body parser told to let `__proto__` through (hapi
 * `protoAction: 'ignore'`, Fastify `onProtoPoisoning: 'ignore'`), which `framework-guarantees.ts` reads.
 */
export type ProtectionKind = 'rate-limit' | 'csrf' | 'headers' | 'https' | 'proto-allowed';

/** One registration as a reader finds it in a file. */
export interface FoundRegistration {
  kind: ProtectionKind;
  path: string;
  line: number;
  text: string;
  /** `file`: a router's own `router.use(…)`, covering the routes of that router in that file only. */
  scope: 'application' | 'file';
  /** Express, Koa and Fastify apply middleware to what is registered after it; NestJS, hapi and Python frameworks to every route. */
  ordered: boolean;
  /** The registration's statement and the options it was made with. */
  options: string;
  pkg?: string;
  /** Said after the quoted line (which settings module production runs). */
  note?: string;
  /** For `headers`: the headers it sets (`powered-by`, `frame`, `hsts`, `nosniff`, `csp`, `referrer`, …). */
  headers?: readonly string[];
  /** Last line of the registration's statement (a rule flagged inside it is about its own options). */
  endLine?: number;
  /** For an Express, Koa or Fastify registration: what its file registers after and before it. */
  placement?: Placement;
}

/** Where an ordered registration sits among what its file registers. */
export interface Placement {
  /** The object it is registered on (`app`, `fastify`). */
  receiver: string;
  /** The application's modules the file mounts after and before it (`moduleStem`). */
  mountedAfter: readonly string[];
  mountedBefore: readonly string[];
  /** Names handed to `.use(…)`/`.register(…)` after and before it (routers). */
  usedAfter: readonly string[];
  usedBefore: readonly string[];
  /** Whether the file registers any route or router after it: a middleware added after every route guards nothing. */
  routesAfter: boolean;
}

/** Where each protection is registered, with the root of the application it covers (`projectRoot`). */
export interface Registration {
  at: string;
  root: string;
  path: string;
  line: number;
  scope: 'application' | 'file';
  ordered: boolean;
  headers?: readonly string[];
  endLine: number;
  placement?: Placement;
}
export type GlobalProtections = ReadonlyMap<ProtectionKind, readonly Registration[]>;

const nestPatterns: [ProtectionKind, RegExp, string[]?][] = [
  ['rate-limit', /provide\s*:\s*APP_GUARD\s*,\s*useClass\s*:\s*\w*Throttler\w*Guard|useGlobalGuards\([^)]*Throttler\w*Guard/],
  ['headers', /\b\w+\.disable\(\s*["']x-powered-by["']\s*\)/, ['powered-by']],
  ['proto-allowed', /\b(?:protoAction|onProtoPoisoning|onConstructorPoisoning)\s*:\s*["']ignore["']/],
];

const testPath = /(^|\/)(tests?|__tests__|spec)\/|\.(spec|test)\.[jt]s$|(^|\/)test_[\w]+\.py$|(^|\/)conftest\.py$/;

export function globalProtections(contents: ReadonlyMap<string, string>, files: readonly string[] = []): GlobalProtections {
  const found: FoundRegistration[] = [];
  const jsFile = /\.[cm]?[jt]sx?$/;
  // A limiter or CSRF middleware made in one of the application's modules and imported where it is registered.
  const modules: ModuleExports = new Map([...contents].filter(([path]) => jsFile.test(path) && !testPath.test(path))
    .map(([path, text]) => {
      const lines = withoutComments(text, false).split('\n');
      // An application's own CSRF middleware counts when its body checks a session-bound token (`own-csrf.ts`).
      return [moduleStem(path), new Map([...packageExports(lines), ...ownCsrfExports(lines)])];
    }));
  // A function of a module that registers protections on the app it receives counts where it is called (`helper-registrations.ts`).
  const direct = new Map([...contents].filter(([path]) => jsFile.test(path) && !testPath.test(path)).map(([path, text]) => [moduleStem(path), { text, found: jsRegistrations(path, text, modules) }]));
  const helpers: HelperResolver = (stem, name) => {
    const module = direct.get(stem);
    return module ? registrationsOfHelper(module.text, module.found, name) : [];
  };
  for (const [path, text] of contents) {
    if (testPath.test(path)) continue;
    if (jsFile.test(path)) {
      found.push(...jsRegistrations(path, text, modules, helpers));
      withoutComments(text, false).split('\n').forEach((line, i) => {
        for (const [kind, pattern, headers] of nestPatterns) {
          if (pattern.test(line)) found.push({ kind, path, line: i + 1, text: line.trim(), scope: 'application', ordered: false, options: line, ...(headers ? { headers } : {}) });
        }
      });
    } else if (/\.py$/.test(path)) {
      found.push(...pythonRegistrations(path, text));
    }
  }
  found.push(...djangoRegistrations(productionSettings(files, contents), contents));
  const registered = new Map<ProtectionKind, Registration[]>();
  for (const r of found) {
    const root = projectRoot(r.path, files);
    const manifest = contents.get(root ? `${root}/package.json` : 'package.json');
    const headers = r.headers ?? (r.kind === 'headers' && r.pkg ? helmetHeaders(r.options, r.pkg, manifest) : undefined);
    const list = registered.get(r.kind) ?? [];
    list.push({ at: `${r.path}:${r.line}: \`${r.text.slice(0, 100)}\`${r.note ? ` (${r.note})` : ''}`, root, path: r.path, line: r.line, scope: r.scope, ordered: r.ordered, endLine: r.endLine ?? r.line, ...(headers ? { headers } : {}), ...(r.placement ? { placement: r.placement } : {}) });
    registered.set(r.kind, list);
  }
  return registered;
}

/**
 * Bootstrap files where protections are registered, read with the manifests: Node entry points
 * (`index`, `app`, `server`, `main`), modules under `middleware/` or `security/` or named for a limiter,
 * CSRF, helmet or security (where such middleware is made to be imported), and Python ones (`app.py`,
 * `main.py`, `extensions.py`, a package's `__init__.py` holding an app factory, Django `settings.py`
 * and `settings/base.py`), at most three folders deep.
 */
const bootstrapName = /(?:^|\/)(?:(?:index|app|server|main)\.[cm]?[jt]s|(?:app|main|extensions|factory|application|settings)\.py|settings\/(?:base|common)\.py)$/;
const middlewareName = /(?:^|\/)(?:middlewares?|security)\/[\w.-]+\.[cm]?[jt]s$|(?:^|\/)[\w.-]*(?:limit|csrf|security|helmet)[\w.-]*\.[cm]?[jt]s$/i;
export function protectionFilesToRead(files: readonly string[]): string[] {
  const candidates = files.filter((f) => f.split('/').length <= 4 && !testPath.test(f) && !/(^|\/)(node_modules|vendor|dist|build|public|static|migrations)\//.test(f));
  // Modules where a limiter or CSRF middleware is usually made to be imported by the bootstrap (the name only chooses what to read).
  const middleware = candidates.filter((f) => middlewareName.test(f)).slice(0, 8);
  // A package's `__init__.py` (where an app factory lives) last: most are empty.
  return [...candidates.filter((f) => bootstrapName.test(f)), ...middleware, ...candidates.filter((f) => /(^|\/)__init__\.py$/.test(f) && f.split('/').length <= 3)].slice(0, 24);
}
