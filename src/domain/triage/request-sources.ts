import { enclosingFunction, fileLine, scopeBefore, type CodeView, type NumberedLine } from './code-view';

/**
 * What the client sent, as the common web frameworks expose it: one table, read by the
 * `request-data` confirmation (`analyzers/confirmations.ts`). Each entry is a reader of the request
 * a framework documents; anything the server itself put on the request (Express `req.user`, Koa
 * `ctx.state`, Falcon `req.context`, hapi `request.auth.credentials`, a verified token claim) is not
 * in it. Getters that convert while they read (Falcon `get_param_as_int`, `get_param_as_datetime`)
 * give numbers and dates, not text, and are left out too.
 *
 * - Express, Fastify, hapi, Next.js API routes, Flask, Django/DRF, Sanic, Bottle, Pyramid,
 *   Starlette, aiohttp, Tornado (`self.request.…`), Falcon: members of the request object
 *   (`req.body`, `request.payload`, `request.match_info`, `request.matchdict`,
 *   `request.path_params`, `request.forms`, `req.media`, …); hapi's `request.state` (its cookies)
 *   in JavaScript only (Starlette's `request.state` is what the application put there);
 * - Koa: `ctx.params`, `ctx.query`, `ctx.querystring`, `ctx.headers`, `ctx.request.body` (never
 *   `ctx.body`, the response, nor `ctx.state`);
 * - getters: Express `req.get('x')`/`req.header('x')`/`req.param('x')`, Koa `ctx.get('x')` and
 *   `ctx.cookies.get('x')`, Falcon `req.get_param('x')`, `get_param_as_list`, `get_param_as_json`,
 *   `get_header`, `get_cookie_values`, Tornado `self.get_argument('x')` (and its query/body
 *   variants, `get_cookie`; not `get_secure_cookie`, which is signed), Next.js app router
 *   `request.nextUrl.searchParams.get('x')`;
 * - bodies read by a call: `await request.json()`, `request.formData()`, `request.form()`,
 *   `request.post()`, `request.text()`, Falcon `req.get_media()`, Flask `request.get_json()`;
 * - AWS Lambda proxy events: `event["queryStringParameters"]`, `pathParameters`, `body`, `headers`.
 */
const requestMembers = String.raw`body|query|query_params|path_params|params|cookies|headers|payload|POST|GET|args|form|forms|values|json|json_body|data|files|FILES|COOKIES|META|match_info|matchdict|media|bounded_stream|arguments|query_arguments|body_arguments|rel_url\.query|nextUrl\.searchParams`;
const koaMembers = String.raw`params|query|querystring|headers|header|cookies|request\.(?:body|query|files|headers|querystring)`;
const chain = String.raw`(?:\.[\w$]+|\[[^\]]+\]|\.get\([^)]*\))*`;
const argument = String.raw`\(\s*[^)]*\)`;
const lambdaKeys = 'queryStringParameters|multiValueQueryStringParameters|pathParameters|body|headers';

export const requestData = new RegExp(
  [
    // Bodies read by a call, first: `request.json()` is the body, `request.json` alone a Flask member.
    String.raw`\b(?:req|request)\.(?:json|formData|form|post|text|get_media|get_json)\(\s*\)${chain}`,
    String.raw`\b(?:req|request)\.(?:getParameter|getHeader|getQueryString|get_param|get_param_as_list|get_param_as_json|get_header|get_cookie_values)${argument}`,
    // Express/Koa getters take a header or parameter name; `request.get('https://…')` of the old
    // `request` HTTP client fetches a URL and is no request data.
    String.raw`\b(?:req|request|ctx)\.(?:get|header|param|cookies\.get)\(\s*["'\`][\w-]+["'\`]\s*\)`,
    // Next.js / the Fetch API: the query string of the request's own URL.
    String.raw`\bnew\s+URL\(\s*(?:req|request)\.url\b[^)]*\)\.searchParams\.get${argument}`,
    String.raw`\bself\.(?:get_argument|get_arguments|get_query_argument|get_query_arguments|get_body_argument|get_body_arguments|get_cookie)${argument}`,
    String.raw`(?<!\bctx\.)\b(?:req|request)\.(?:${requestMembers})\b${chain}`,
    String.raw`\bctx\.(?:${koaMembers})\b${chain}`,
    // Nuxt/h3 readers of the event (auto-imported): the query, the body, route parameters, headers,
    // cookies. `readValidatedBody`/`getValidatedQuery` pass a schema and give validated values: not here.
    String.raw`\b(?:getQuery|getRouterParams|readBody|readFormData|readMultipartFormData|readRawBody|getRequestHeaders|getHeaders|parseCookies)\(\s*[\w$]+\s*\)${chain}`,
    String.raw`\b(?:getRouterParam|getRequestHeader|getHeader|getCookie)\(\s*[\w$]+\s*,\s*[^)]*\)`,
    String.raw`\bevent(?:\[\s*["'](?:${lambdaKeys})["']\s*\]|\.get\(\s*["'](?:${lambdaKeys})["'][^)]*\)|\.(?:${lambdaKeys})\b)${chain}`,
  ].join('|'),
);

/**
 * A whole request container (`request.query`, `event["body"]`, `await request.json()`,
 * `req.get_media()`), as opposed to one of its members: put into a variable, its members are
 * request values.
 */
const containerOnly = /^(?:(?:req|request|ctx\.request|ctx)\.(?:\w+|nextUrl\.searchParams|rel_url\.query|\w+\(\s*\))|event(?:\[[^\]]+\]|\.get\([^)]*\)|\.\w+)|(?:getQuery|getRouterParams|readBody|readFormData|getRequestHeaders|getHeaders|parseCookies)\(\s*[\w$]+\s*\))$/;

/**
 * The enclosing function's lines before the flagged line, and — when that function is a callback
 * written inside another (`new Promise((resolve) => { exec(…) })`, `rows.forEach((r) => { … })`, a
 * nested Python `def`) — the outer function's lines before it too: a closure reads the outer
 * function's variables (`const day = request.query.day` above the promise). At most two levels.
 */
export function closureScope(view: CodeView): NumberedLine[] {
  const inner = scopeBefore(view);
  const header = enclosingFunction(view);
  if (header === undefined || inner.length === 0) return inner;
  const outerHeader = enclosingFunction({ ...view, flagged: header, flaggedEnd: header });
  if (outerHeader === undefined) return inner;
  const outer = view.lines.slice(outerHeader, header).map((text, i) => ({ line: fileLine(view, outerHeader + i), text }));
  return [...outer, ...inner];
}

/** `value` without what does not change it: `await`, a TypeScript `as` cast, a JSON parse, an empty default. */
function bare(value: string): string {
  const emptyDefault = /\s*(?:\bor\b|\|\||\?\?)\s*(?:\{\}|\[\]|["'`]\{\}["'`]|None|null)\s*$/;
  return value.trim()
    .replace(/\s+as\s+[\w$.<>[\]{}:;,?|'"\s]+$/, '')
    .replace(/^\(\s*(.*?)\s*\)$/, '$1')
    .replace(/^await\s+/, '')
    .replace(emptyDefault, '')
    .replace(/^(?:json\.loads|JSON\.parse)\((.*)\)$/, '$1')
    .replace(/^await\s+/, '')
    .replace(emptyDefault, '');
}

/**
 * Request data under other names in the function: a whole request container put into a variable
 * (`params = event.get("queryStringParameters") or {}`, `const q = request.query`, `body =
 * json.loads(event["body"])`, `const body = await request.json()`, `body = req.get_media()`), whose
 * members are then request values (`params.get("meter")`); and names destructured from one (`const
 * { harbour, from } = request.query`, `const { email } = ctx.request.body as Login`), which are
 * request values themselves. Anything converted or looked up on the way is another value and is not
 * followed.
 */
export function requestDataIn(scope: readonly { line: number; text: string }[], module: readonly string[] = []): RegExp {
  const containers: string[] = [];
  const values: string[] = [];
  const reads = svelteKitReads(scope, module);
  for (const { text } of scope) {
    // `const { searchParams } = new URL(request.url)`, `const url = new URL(req.url)`: the query string's container.
    const url = /^\s*(?:const|let|var)\s+(?:\{\s*(searchParams)\s*\}|([A-Za-z_$][\w$]*))\s*=\s*new\s+URL\(\s*(?:req|request)\.url\b[^)]*\)\s*;?\s*$/.exec(text);
    if (url?.[1]) containers.push('searchParams');
    if (url?.[2]) containers.push(`${url[2]}\\.searchParams`);
    if (url) continue;
    const destructured = /^\s*(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(.+?);?\s*$/.exec(text);
    if (destructured) {
      const value = bare(destructured[2] ?? '');
      const source = (requestData.exec(value) ?? /^request\.state$/.exec(value))?.[0];
      if (!source || source !== value) continue;
      for (const part of (destructured[1] ?? '').split(',')) {
        const name = /^\s*(?:\.\.\.)?(?:[\w$]+\s*:\s*)?([A-Za-z_$][\w$]*)\s*(?:=.*)?$/.exec(part)?.[1];
        if (name) values.push(name);
      }
      continue;
    }
    const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::\s*[\w$.<>[\]]+\s*)?=(?!=)\s*(.+?);?\s*$/.exec(text);
    if (!m) continue;
    const value = bare(m[2] ?? '');
    const source = requestData.exec(value)?.[0];
    // Only the container itself (`request.query`, `event["body"]`), not one of its members (a value, read above).
    if (source && source === value && containerOnly.test(source)) containers.push(m[1] ?? '');
  }
  const python = /^\s*(?:async\s+)?def\s/.test(scope[0]?.text ?? '');
  if (containers.length === 0 && values.length === 0 && reads.length === 0 && python) return requestData;
  const alternatives = [
    ...(python ? [] : [String.raw`\brequest\.state\b${chain}`]),
    ...containers.map((name) => String.raw`(?<![\w$.])${name.replace(/\$/g, '\\$')}(?:\.get\([^)]*\)|\[[^\]]+\]|\.(?!get\b)[\w$]+)`),
    ...values.map((name) => String.raw`(?<![\w$.])${name.replace(/\$/g, '\\$')}(?![\w$])`),
    ...reads,
  ];
  return new RegExp(`${requestData.source}|${alternatives.join('|')}`);
}

/**
 * SvelteKit: what a `RequestHandler` (`export const GET = async ({ url, params }) =>`, `export async
 * function POST(event)`), a server `load` or a form action (`default: async ({ request, url }) =>`
 * inside `export const actions`) is given from the request — the query (`url.searchParams.get('x')`),
 * the route's parameters (`params.slug`), cookies (`cookies.get('x')`) — as patterns of request
 * values. Only the enclosing function's own first argument, destructured or named, counts.
 */
function svelteKitReads(scope: readonly { text: string }[], module: readonly string[]): string[] {
  const header = scope[0]?.text ?? '';
  const handler = /^\s*export\s+(?:const\s+(?:GET|POST|PUT|PATCH|DELETE|load)\b[^=]*=\s*async\s*|(?:async\s+)?function\s+(?:GET|POST|PUT|PATCH|DELETE|load)\s*)\(\s*(?:\{([^}]*)\}|([A-Za-z_$][\w$]*))/.exec(header)
    ?? (module.some((l) => /^\s*export\s+const\s+actions\b/.test(l)) ? /^\s*\w+\s*:\s*async\s*\(\s*(?:\{([^}]*)\}|([A-Za-z_$][\w$]*))/.exec(header) : null);
  if (!handler || !module.some((l) => /from\s+["'](?:@sveltejs\/kit|\.\/\$types)["']/.test(l))) return [];
  const reads = (root: string): string[] => [
    String.raw`(?<![\w$.])${root}url\.searchParams\.get(?:All)?\([^)]*\)`,
    String.raw`(?<![\w$.])${root}params(?:\.[\w$]+|\[[^\]]+\])`,
    String.raw`(?<![\w$.])${root}cookies\.get\([^)]*\)`,
  ];
  if (handler[2]) return reads(`${handler[2].replace(/\$/g, '\\$')}\\.`);
  const names = (handler[1] ?? '').split(',').map((p) => p.trim().split(/\s*:/)[0] ?? '');
  return reads('').filter((_, i) => names.includes(['url', 'params', 'cookies'][i] ?? ''));
}
