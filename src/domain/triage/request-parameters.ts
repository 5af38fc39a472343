import { enclosingFunction, fileLine, type CodeView } from './code-view';

/**
 * Parameters a framework fills from the request by decorator or default, read from the enclosing
 * function's signature: NestJS `@Body() dto`, `@Query('sort') sort`, `@Param('id') id`,
 * `@Headers('x-signature') signature`, `@Req() req`, `@Cookies()`; FastAPI `x: str = Header(...)`,
 * `Query(...)`, `Body(...)`, `Form(...)`, `Cookie(...)`. A member of such a parameter (`dto.password`)
 * is request data too. Nothing else about a parameter says where it came from, so a plain parameter
 * is never counted.
 */
const nestDecorator = /@(Body|Query|Param|Headers|Req|Request|Cookies|UploadedFile|RawBody)\(\s*(?:(["'`][^"'`]*["'`])[^)]*)?\)\s*(?:(?:public|private|readonly)\s+)*([A-Za-z_$][\w$]*)/g;
const fastApiDefault = /\b([a-z_]\w*)\s*:\s*[^=,()]+=\s*(Header|Query|Body|Form|Cookie|File)\(/g;

export function requestParameters(view: CodeView): Map<string, string> {
  const found = new Map<string, string>();
  const header = enclosingFunction(view);
  if (header === undefined) return found;
  // The signature may span several lines: read until the body opens.
  const signature: string[] = [];
  for (let i = header; i < view.flagged && signature.length < 12; i += 1) {
    const text = view.lines[i] ?? '';
    signature.push(text);
    if (/\)\s*(?::[^{]*)?\{\s*$|\)\s*(?:->[^:]*)?:\s*$/.test(text)) break;
  }
  const text = signature.join(' ');
  const line = fileLine(view, header);
  for (const m of text.matchAll(nestDecorator)) {
    found.set(m[3] ?? '', `line ${line}: \`@${m[1]}(${m[2] ?? ''}) ${m[3]}\``);
  }
  for (const m of text.matchAll(fastApiDefault)) found.set(m[1] ?? '', `line ${line}: \`${m[1]} = ${m[2]}(…)\``);
  for (const [name, declared] of uriFields(view, header, text)) found.set(name, `line ${line}: ${declared}`);
  for (const [name, declared] of nextParameters(text)) found.set(name, `line ${line}: ${declared}`);
  found.delete('');
  return found;
}

/**
 * Python class-based handlers whose extra parameters are fields of the route's URI: a Falcon
 * responder (`def on_get(self, req, resp, name)`, `on_get_summary` for a route added with a
 * suffix) gets the URI template's fields after `req, resp`; a Tornado `RequestHandler`'s `get(self,
 * slug)` gets the URL pattern's groups. Defaults (`name=None`) and `**kwargs` are fields too.
 */
function uriFields(view: CodeView, header: number, signature: string): Map<string, string> {
  const found = new Map<string, string>();
  const falcon = /^\s*(?:async\s+)?def\s+(on_(?:get|post|put|patch|delete|head|options)(?:_\w+)?)\s*\(\s*self\s*,\s*\w+\s*,\s*\w+\s*,([^)]*)\)/.exec(signature);
  const tornado = /^\s*(?:async\s+)?def\s+(get|post|put|patch|delete|head)\s*\(\s*self\s*,([^)]*)\)/.exec(signature);
  const parameters = falcon?.[2] ?? (tornado && inRequestHandler(view, header) ? tornado[2] : undefined);
  for (const parameter of parameters?.split(',') ?? []) {
    const name = /^\s*\*{0,2}([a-z_]\w*)\s*(?::\s*([\w.]+))?/.exec(parameter);
    // A field the responder declares as a number is not text.
    if (!name?.[1] || /^(?:int|float|bool|UUID|uuid\.UUID)$/.test(name[2] ?? '')) continue;
    found.set(name[1], falcon ? `\`${falcon[1]}(self, req, resp, …, ${name[1]})\`, a field of the route's URI template (Falcon responder)` : `\`${tornado?.[1]}(self, …, ${name[1]})\`, a group of the route's URL pattern (Tornado handler)`);
  }
  return found;
}

/**
 * Next.js app router: a route handler's second argument carries the dynamic segments (`export async
 * function GET(request, { params })`, or `context` → `context.params`); a page's props carry the
 * segments and the query string (`export default function Page({ params, searchParams })`).
 */
function nextParameters(signature: string): Map<string, string> {
  const found = new Map<string, string>();
  const handler = /\bexport\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE|HEAD)\s*\(\s*\w+\s*(?::\s*[\w.]+)?\s*,\s*(?:\{\s*params\s*\}|([A-Za-z_$][\w$]*))/.exec(signature);
  if (handler) found.set(handler[2] ?? 'params', `\`${handler[1]}(request, ${handler[2] ?? '{ params }'})\`, the route's dynamic segments (Next.js route handler)`);
  const page = /\bexport\s+default\s+(?:async\s+)?function\s*\w*\s*\(\s*\{([^}]*)\}/.exec(signature);
  for (const name of page?.[1]?.split(',').map((p) => p.trim().split(/\s*:/)[0] ?? '') ?? []) {
    if (name === 'params' || name === 'searchParams') found.set(name, `\`{ ${name} }\`, the page's ${name === 'params' ? 'dynamic segments' : 'query string'} (Next.js page props)`);
  }
  return found;
}

/** The method at `header` belongs to a class deriving from Tornado's `RequestHandler`. */
function inRequestHandler(view: CodeView, header: number): boolean {
  const indent = (view.lines[header] ?? '').search(/\S/);
  for (let i = header - 1; i >= 0; i -= 1) {
    const text = view.lines[i] ?? '';
    if (text.trim() === '' || text.search(/\S/) >= indent) continue;
    return /^\s*class\s+\w+\s*\([^)]*RequestHandler\b/.test(text);
  }
  return false;
}

/** Where `expression` (`signature`, `dto.password`) came from, when its root is a request-bound parameter. */
export function boundFromRequest(expression: string, parameters: ReadonlyMap<string, string>): string | undefined {
  const root = /^([A-Za-z_$][\w$]*)/.exec(expression)?.[1];
  const declared = root ? parameters.get(root) : undefined;
  // The whole request object (`@Req() req`) also carries what the server put there (`req.user`):
  // only its client-sent members count.
  if (declared && /@(?:Req|Request)\(/.test(declared) && !new RegExp(String.raw`^${root}\.(?:body|query|params|headers|cookies)\b`).test(expression)) return undefined;
  return declared;
}
