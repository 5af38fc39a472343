import { statementAt } from './protection-bindings';

/**
 * An application's own CSRF middleware, judged by its body: an exported Express/Koa-style function
 * (`export function csrf(req, res, next) {`, `export const csrf = (req, res, next) => {`,
 * `module.exports = function (req, res, next) {`) that lets only the safe methods through
 * unchecked (a literal list of `GET`/`HEAD`/`OPTIONS`/`TRACE` tested against `req.method`),
 * compares a token kept in the session (`req.session.csrfToken`) with one the request sends (a header,
 * the body or the query), and answers 403 when they differ. It is recorded under the pseudo-package
 * `OWN_CSRF` so the registration table (`js-protections.ts`) reads `app.use(csrf)` like csurf's,
 * with the same ordering rules. A function that only issues a token, lets an unsafe method through
 * unchecked, or compares without refusing is not CSRF protection and is not recorded.
 */
export const OWN_CSRF = '<own csrf middleware>';

const header = /^\s*(?:export\s+(?:default\s+)?(?:async\s+)?function\s+([\w$]+)\s*\(|export\s+(?:const|let)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:function\b[^(]*)?\(|module\.exports\s*=\s*(?:async\s*)?(?:function\b[^(]*)?\(|exports\.([\w$]+)\s*=\s*(?:async\s*)?(?:function\b[^(]*)?\()/;

/** The lines of a function from its header to the line closing its body (brace depth back to zero). */
function bodyFrom(lines: readonly string[], start: number): string | undefined {
  let depth = 0;
  let opened = false;
  for (let i = start; i < lines.length && i < start + 80; i += 1) {
    for (const ch of lines[i] ?? '') {
      if (ch === '{') { depth += 1; opened = true; }
      if (ch === '}') depth -= 1;
    }
    if (opened && depth <= 0) return lines.slice(start, i + 1).join('\n');
  }
  return undefined;
}

const safeOnly = /\[\s*((?:["'](?:GET|HEAD|OPTIONS|TRACE)["']\s*,?\s*)+)\]/;
const unsafeMethod = /["'](POST|PUT|PATCH|DELETE)["']/;
const sessionToken = /\b(?:req|ctx|request)\.session(?:\.[\w$]+|\[["'][\w-]+["']\])/;
const requestToken = /\b(?:req|ctx\.request|request)\.(?:get\(|header\(|headers\b|body\b|query\b)/;
const comparison = /timingSafeEqual\(|!==|===|\b(?:tokens|csrf)\.verify\(/;
const refusal = /\.status\(\s*403\s*\)|\.sendStatus\(\s*403\s*\)|status\s*=\s*403|\b403\b[^;\n]*(?:throw|next\()|(?:throw|next\()[^;\n]*\b403\b/;

/** Whether a middleware's body (with the module's text for its constants) checks a session-bound token on every unsafe method. */
export function checksSessionToken(body: string, module: string): boolean {
  if (!/\b(?:req|ctx|request)\.method\b/.test(body)) return false;
  const safe = [...module.matchAll(new RegExp(safeOnly.source, 'g'))].some((m) => /GET/.test(m[1] ?? ''));
  if (!safe || unsafeMethod.test(body)) return false;
  // Names holding the session's token and the request's (`const expected = Buffer.from(req.session.csrfToken)`).
  const held = (source: RegExp): RegExp[] => [source, ...[...body.matchAll(/(?:const|let|var)\s+([\w$]+)\s*=\s*([^;\n]+)/g)]
    .filter((m) => source.test(m[2] ?? '')).map((m) => new RegExp(String.raw`\b${(m[1] ?? '').replace(/\$/g, '\\$')}\b`))];
  const session = held(sessionToken);
  const sent = held(requestToken);
  const lines = body.split('\n');
  // An `if` comparing the two whose block (or the same line) refuses with 403.
  return lines.some((line, i) => /\bif\s*\(/.test(line) && comparison.test(line) && session.some((r) => r.test(line)) && sent.some((r) => r.test(line))
    && refusal.test(lines.slice(i, i + 4).join('\n')));
}

/** Exported functions of a module that are CSRF middleware by their body, by exported name. */
export function ownCsrfExports(lines: readonly string[]): Map<string, { pkg: string; statement: string }> {
  const found = new Map<string, { pkg: string; statement: string }>();
  const module = lines.join('\n');
  lines.forEach((line, i) => {
    const m = header.exec(line);
    if (!m) return;
    const name = m[1] ?? m[2] ?? m[3] ?? 'default';
    const body = bodyFrom(lines, i);
    if (body && checksSessionToken(body, module)) found.set(/^\s*(export\s+default|module\.exports)/.test(line) ? 'default' : name, { pkg: OWN_CSRF, statement: statementAt(lines, i).split('\n')[0] ?? line });
  });
  return found;
}
