import type { HttpFetch } from '../../ports';

/** Node's global fetch as the `HttpFetch` port (the local stand-in for `@forge/api` fetch). */
export const nodeFetch: HttpFetch = (url, init) =>
  fetch(url, {
    method: init?.method ?? 'GET',
    headers: init?.headers ?? {},
    ...(init?.body !== undefined ? { body: typeof init.body === 'string' ? init.body : Buffer.from(init.body) } : {}),
  });
