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
  found.delete('');
  return found;
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
