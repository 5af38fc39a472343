import { conditional, statementAt, withoutComments } from './protection-bindings';
import type { FoundRegistration } from './global-protections';
import type { ProductionSettings } from './production-settings';

/**
 * Protections a Python application registers once for every view:
 * - Flask-WTF `CSRFProtect(app)` or `csrf = CSRFProtect()` … `csrf.init_app(app)` (the app-factory
 *   shape); Flask-SeaSurf `SeaSurf(app)` / `init_app`;
 * - Flask-Limiter with `default_limits` given the app (`Limiter(key, app=app, default_limits=[…])`, or
 *   `limiter.init_app(app)`); slowapi `Limiter(default_limits=[…])` with `SlowAPIMiddleware` added;
 * - starlette-csrf's `CSRFMiddleware` added to a FastAPI/Starlette app;
 * - Flask-Talisman `Talisman(app)` / `init_app`: HTTPS redirect, HSTS, CSP, X-Frame-Options,
 *   X-Content-Type-Options, Referrer-Policy (each unless its option turns it off);
 * - Django, in the settings module production runs (`production-settings.ts`) or the base it extends:
 *   `django.middleware.csrf.CsrfViewMiddleware` in `MIDDLEWARE`, `DEFAULT_THROTTLE_CLASSES` in
 *   `REST_FRAMEWORK`, `SECURE_SSL_REDIRECT = True`.
 * An extension created but never given the app (no `(app)`, no `init_app`) protects nothing.
 */
export function pythonRegistrations(path: string, raw: string): FoundRegistration[] {
  const lines = withoutComments(raw, true).split('\n');
  const found: FoundRegistration[] = [];
  const add = (kind: FoundRegistration['kind'], index: number, options: string, headers?: string[]): void => {
    found.push({ kind, path, line: index + 1, endLine: index + statementAt(lines, index).split('\n').length, text: (lines[index] ?? '').trim(), scope: 'application', ordered: false, options, ...(headers ? { headers } : {}) });
  };
  // Extensions assigned to a name and initialised later: `csrf = CSRFProtect()` … `csrf.init_app(app)`.
  const initialised = (name: string): number => lines.findIndex((l) => new RegExp(String.raw`\b${name}\.init_app\(\s*\w+`).test(l));
  lines.forEach((line, i) => {
    const made = /^\s*(?:(\w+)\s*=\s*)?(CSRFProtect|SeaSurf|Limiter|Talisman)\((.*)$/.exec(line);
    if (!made) return;
    const [, name, extension] = made;
    const statement = statementAt(lines, i);
    const args = statement.slice(statement.indexOf('(') + 1);
    const givenApp = /^\s*(?:app|application|server)\b|\bapp\s*=\s*\w/.test(args);
    const init = name && !givenApp ? initialised(name) : -1;
    if (!givenApp && init < 0) return;
    const at = givenApp ? i : init;
    if (conditional(lines, at)) return;
    // `csrf.exempt(api_bp)` exempts a whole blueprint whose views the code window cannot show: not read as global.
    const exemptsSome = name !== undefined && lines.some((l) => new RegExp(String.raw`^\s*${name}\.exempt\(\s*\w`).test(l));
    if ((extension === 'CSRFProtect' || extension === 'SeaSurf') && !exemptsSome) add('csrf', at, statement);
    if (extension === 'Limiter' && !exemptsSome && /default_limits\s*=\s*\[\s*["'\w]/.test(statement)) add('rate-limit', at, statement);
    if (extension === 'Talisman') {
      if (!/force_https\s*=\s*False/.test(statement)) add('https', at, statement);
      const headers = [['hsts', /strict_transport_security\s*=\s*False/], ['csp', /content_security_policy\s*=\s*(None|False)/], ['frame', /frame_options\s*=\s*None/], ['nosniff', /x_content_type_options\s*=\s*False/], ['referrer', /referrer_policy\s*=\s*None/]] as const;
      add('headers', at, statement, headers.filter(([, off]) => !off.test(statement)).map(([header]) => header));
    }
  });
  // starlette-csrf: `app.add_middleware(CSRFMiddleware, secret=…)` checks every unsafe request.
  const csrfMiddleware = lines.findIndex((l) => /\.add_middleware\(\s*CSRFMiddleware\b/.test(l));
  if (csrfMiddleware >= 0 && /^\s*from\s+starlette_csrf\b/m.test(lines.join('\n'))) add('csrf', csrfMiddleware, statementAt(lines, csrfMiddleware));
  // slowapi: the limiter's defaults apply to every route only through its middleware.
  const middleware = lines.findIndex((l) => /\.add_middleware\(\s*SlowAPI(ASGI)?Middleware/.test(l));
  if (middleware >= 0 && /Limiter\([^)]*default_limits\s*=\s*\[\s*["']/.test(lines.join(' '))) add('rate-limit', middleware, lines[middleware] ?? '');
  return found;
}

/** The lines of a top-level assignment `NAME = …` (its brackets balanced), or undefined. */
function assigned(text: string, name: string): { line: number; text: string } | undefined {
  const lines = withoutComments(text, true).split('\n');
  let last: { line: number; text: string } | undefined;
  lines.forEach((line, i) => {
    if (new RegExp(String.raw`^${name}\s*=(?!=)`).test(line)) last = { line: i + 1, text: statementAt(lines, i) };
  });
  return last;
}

/** Registrations in the Django settings production runs: the production module first, then the bases it extends. */
export function djangoRegistrations(settings: readonly ProductionSettings[], contents: ReadonlyMap<string, string>): FoundRegistration[] {
  const found: FoundRegistration[] = [];
  for (const production of settings) {
    const modules = [production.path, ...production.extends];
    const first = (name: string): { path: string; line: number; text: string } | undefined => {
      for (const module of modules) {
        const hit = assigned(contents.get(module) ?? '', name);
        if (hit) return { path: module, ...hit };
      }
      return undefined;
    };
    const push = (kind: FoundRegistration['kind'], hit: { path: string; line: number; text: string }, what: string): void => {
      found.push({ kind, path: hit.path, line: hit.line, endLine: hit.line + hit.text.split('\n').length - 1, text: hit.text.split('\n')[0] ?? '', note: `${what}, in the settings production runs: ${production.path}, chosen by ${production.chosenBy}`, scope: 'application', ordered: false, options: hit.text });
    };
    const middleware = first('MIDDLEWARE') ?? first('MIDDLEWARE_CLASSES');
    // A module that takes the middleware out again (`MIDDLEWARE.remove(…)`, a filtering comprehension) is not read.
    const altered = modules.some((module) => /^\s*(?:del\s+)?MIDDLEWARE(?:_CLASSES)?\s*(?:\.(?:remove|pop)\b|=\s*\[[^\]]*\bfor\b|-=)/m.test(contents.get(module) ?? ''));
    if (middleware && !altered && /["']django\.middleware\.csrf\.CsrfViewMiddleware["']/.test(middleware.text)) push('csrf', middleware, 'MIDDLEWARE lists django.middleware.csrf.CsrfViewMiddleware');
    const rest = first('REST_FRAMEWORK');
    if (rest && /["']DEFAULT_THROTTLE_CLASSES["']\s*:\s*[[(]\s*["']/.test(rest.text)) push('rate-limit', rest, "REST_FRAMEWORK sets DEFAULT_THROTTLE_CLASSES");
    const redirect = first('SECURE_SSL_REDIRECT');
    if (redirect && /=\s*True\b/.test(redirect.text)) push('https', redirect, 'SECURE_SSL_REDIRECT = True');
  }
  return found;
}
