import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** What a route answers; the emulator writes it, logs it and may swap it for an injected fault. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One parsed request as the routes see it. */
export interface EmulatorRequest {
  method: string;
  /** Path after the mount prefix, without query: `/2.0/user`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Public URL of the emulator's root, for `next` and `links` (no trailing slash). */
  publicBase: string;
}

export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(value),
});

export const empty = (status: number, headers: Record<string, string> = {}): Reply => ({ status, headers });

/** Bitbucket's error document `{"type":"error","error":{message, ...}}`. */
export const errorReply = (status: number, message: string, extra: Record<string, unknown> = {}): Reply =>
  json(status, { type: 'error', error: { message, ...extra } });

export const badRequest = (message: string, fields?: Record<string, string[]>) =>
  errorReply(400, message, fields ? { fields } : {});

export const NO_REPOSITORY_ACCESS =
  'You may not have access to this repository or it no longer exists in this workspace. ' +
  'If you think this repository exists and you have access, make sure you are authenticated.';

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A JSON request body, or undefined when it is missing or not JSON. */
function jsonBody(req: EmulatorRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The JSON body validated by `schema`, or a 400 naming the first bad field as Bitbucket does. */
export function parseJsonBody<S extends z.ZodType>(req: EmulatorRequest, schema: S): { data: z.infer<S> } | { reply: Reply } {
  const parsed = schema.safeParse(jsonBody(req));
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  const message = `${field}: ${issue?.message ?? 'invalid'}`;
  return { reply: badRequest(message, { [field]: [issue?.message ?? 'invalid'] }) };
}

/**
 * Bitbucket's page envelope `{pagelen, page, size, values, next?, previous?}`: `pagelen` defaults
 * to 10 and is clamped to 1..100; `next` is absolute and keeps every other query parameter.
 */
export function page<T>(req: EmulatorRequest, items: readonly T[], render: (item: T) => unknown, defaultPagelen = 10): Reply {
  const asked = Number.parseInt(req.query.get('pagelen') ?? '', 10);
  const pagelen = Math.min(100, Math.max(1, Number.isNaN(asked) ? defaultPagelen : asked));
  const pageAsked = Number.parseInt(req.query.get('page') ?? '', 10);
  const pageNumber = Number.isNaN(pageAsked) || pageAsked < 1 ? 1 : pageAsked;
  const start = (pageNumber - 1) * pagelen;
  const linkTo = (target: number) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(target));
    return `${req.publicBase}${req.path}?${query.toString()}`;
  };
  const body: Record<string, unknown> = {
    pagelen,
    page: pageNumber,
    size: items.length,
    values: items.slice(start, start + pagelen).map(render),
  };
  if (start + pagelen < items.length) body.next = linkTo(pageNumber + 1);
  if (pageNumber > 1) body.previous = linkTo(pageNumber - 1);
  return json(200, body);
}
