import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebTriggerRequest } from '../entry/webtrigger-sarif-upload';
import type { WebTriggerResponse } from '../entry/http-errors';
import { MAX_BODY_BYTES } from '../services/upload/decode-body';

/** Thrown while reading a request body that passes the web trigger's 5 MB limit. */
export class BodyTooLarge extends Error {}

/**
 * Reads a body up to `limit` bytes, refusing early instead of buffering an unbounded upload. The rest
 * of a refused body is read and dropped (not kept), so the client still receives the 413: destroying
 * the request would reset the connection under a client that is still sending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      req.resume();
      reject(new BodyTooLarge());
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Turns a Node request into Forge's web trigger request: lower-cased headers with array values,
 * query parameters as arrays, and the body as a string — binary (gzip) bodies as a latin1 string
 * so every byte survives, as the handler expects.
 */
export async function toWebTriggerRequest(req: IncomingMessage, url: URL): Promise<WebTriggerRequest> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  }
  const queryParameters: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (queryParameters[name] ??= []).push(value);
  const bytes = await readBody(req, MAX_BODY_BYTES + 1);
  const binary = (headers['content-encoding']?.[0] ?? '').toLowerCase() === 'gzip';
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    headers,
    queryParameters,
    body: bytes.toString(binary ? 'latin1' : 'utf8'),
  };
}

export function sendWebTriggerResponse(res: ServerResponse, response: WebTriggerResponse): void {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(response.headers ?? {})) headers[name] = values.join(', ');
  res.writeHead(response.statusCode, headers);
  res.end(response.body ?? '');
}
