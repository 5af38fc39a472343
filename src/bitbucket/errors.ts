import { z } from 'zod';
import { AppError, type ErrorCode } from '../domain/errors';
import type { Redactor } from './redact';

/** Bitbucket's error body. `detail` is a string or, for missing scopes, `{required, granted}`. */
const errorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    detail: z.unknown().optional(),
  }),
});

const scopeDetailSchema = z.looseObject({
  required: z.array(z.string()),
  granted: z.array(z.string()).optional(),
});

export interface FailedRequest {
  method: string;
  /** The request path without host or query, for messages. */
  path: string;
  status: number;
  body: string;
  retryAfterSeconds?: number;
}

const UNAUTHORIZED_MESSAGE =
  'Bitbucket rejected the email address and API token (HTTP 401). ' +
  'API tokens authenticate with the Atlassian account email, not the username.';

interface ErrorBody {
  /** Bitbucket's own message: `error.message` from JSON, else the start of a plain-text body. */
  message: string | undefined;
  /** Present on a 403 for missing scopes. */
  scopes: z.infer<typeof scopeDetailSchema> | undefined;
}

function readErrorBody(body: string): ErrorBody {
  const trimmed = body.trim();
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // Not JSON: a 429 and some gateway errors are plain text; an HTML page says nothing useful.
    const text = trimmed === '' || trimmed.startsWith('<') ? undefined : trimmed.slice(0, 300);
    return { message: text, scopes: undefined };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return { message: undefined, scopes: undefined };
  const scopes = scopeDetailSchema.safeParse(parsed.data.error.detail);
  return { message: parsed.data.error.message, scopes: scopes.success ? scopes.data : undefined };
}

function codeFor(status: number, hasScopeDetail: boolean): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return hasScopeDetail ? 'missing_scope' : 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'server_error';
}

/** Maps one failed Bitbucket response to the app's error, once, with the token redacted. */
export function toAppError(failure: FailedRequest, redact: Redactor): AppError {
  const { message: said, scopes: scopeDetail } = readErrorBody(failure.body);
  const scopes = failure.status === 403 ? scopeDetail : undefined;
  const code = codeFor(failure.status, scopes !== undefined);
  const saidSuffix = said === undefined ? '' : ` Bitbucket said: ${said}`;
  const where = `${failure.method} ${failure.path}`;

  let message: string;
  if (code === 'unauthorized') {
    message = `${UNAUTHORIZED_MESSAGE}${saidSuffix}`;
  } else if (code === 'missing_scope' && scopes) {
    const granted = scopes.granted ? scopes.granted.join(', ') : 'unknown';
    message =
      `The Bitbucket API token lacks required scopes for ${where}: ${scopes.required.join(', ')} ` +
      `(granted: ${granted}).${saidSuffix}`;
  } else {
    message = `Bitbucket ${where} failed with HTTP ${failure.status}.${saidSuffix}`;
  }

  const details: Record<string, unknown> = { status: failure.status, method: failure.method, path: failure.path };
  if (said !== undefined) details.bitbucketMessage = redact(said);
  if (scopes) {
    details.required = scopes.required;
    details.granted = scopes.granted ?? [];
  }
  if (failure.retryAfterSeconds !== undefined) details.retryAfterSeconds = failure.retryAfterSeconds;
  return new AppError(code, redact(message), details);
}

/** A request that never got an answer (connection refused, reset, DNS). */
export function networkError(method: string, path: string, error: unknown, redact: Redactor): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('server_error', redact(`Could not reach Bitbucket for ${method} ${path}: ${reason}`), {
    method,
    path,
  });
}

/** A 2xx answer whose body is not what the client relies on. */
export function unexpectedResponse(method: string, path: string, problem: string, redact: Redactor): AppError {
  return new AppError('server_error', redact(`Unexpected response from Bitbucket for ${method} ${path}: ${problem}`), {
    method,
    path,
  });
}
