/**
 * The one error type for expected failures. Each code maps once to an HTTP status (web trigger)
 * and to `{ok:false, error:{code, message}}` (resolvers). Anything else is a bug and is rethrown
 * so the platform records it.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_sarif'
  | 'unauthorized'
  | 'forbidden'
  | 'not_admin'
  | 'not_found'
  | 'not_configured'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_encoding'
  | 'too_many_scans'
  | 'missing_scope'
  | 'rate_limited'
  | 'server_error'
  | 'unknown_resolver';

const httpStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_sarif: 400,
  unauthorized: 401,
  forbidden: 403,
  not_admin: 403,
  not_found: 404,
  not_configured: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_encoding: 415,
  too_many_scans: 429,
  missing_scope: 403,
  rate_limited: 429,
  server_error: 502,
  unknown_resolver: 404,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return httpStatus[this.code];
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
