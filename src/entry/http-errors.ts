import { AppError, isAppError } from '../domain/errors';
import type { Logger } from '../ports';

/** Forge's web trigger response shape (`@forge/api` WebTriggerResponse). */
export interface WebTriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

export const json = (statusCode: number, value: unknown): WebTriggerResponse => ({
  statusCode,
  headers: { 'Content-Type': ['application/json'] },
  body: JSON.stringify(value),
});

/** Expected errors become `{error:{code, message}}` with their status; anything else is rethrown. */
export function errorResponse(error: unknown, logger: Logger): WebTriggerResponse {
  if (!isAppError(error)) throw error;
  logger.warn('Request refused', { code: error.code, status: error.httpStatus });
  const response = json(error.httpStatus, { error: { code: error.code, message: error.message } });
  // A 429 says when to come back (`curl --retry` and CI retry helpers read it).
  const retryAfter = error.details?.retryAfterSeconds;
  if (error.httpStatus === 429 && typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    response.headers['Retry-After'] = [String(Math.max(1, Math.ceil(retryAfter)))];
  }
  return response;
}

export const badRequest = (message: string): AppError => new AppError('bad_request', message);

/** Forge resolver results: `{ok:true, data}` or `{ok:false, error:{code, message}}`. */
export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Forge sends the workspace of an installation as `ari:cloud:bitbucket::workspace/<uuid>`. */
export function workspaceFromInstallContext(installContext: string | undefined): string | undefined {
  const match = /^ari:cloud:bitbucket::workspace\/\{?([0-9a-f-]{36})\}?$/i.exec(installContext ?? '');
  return match?.[1] ? `{${match[1].toLowerCase()}}` : undefined;
}
