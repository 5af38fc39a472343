/** A resolver said no (`{ok:false, error}`) or could not be reached. */
export class ResolverError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ResolverError';
    this.code = code;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Unwraps the `{ok, data}` / `{ok:false, error}` envelope every resolver returns. The data is
 * trusted to match the contract: the backend validates before it answers.
 */
export function unwrapEnvelope<T>(envelope: unknown): T {
  if (isRecord(envelope) && envelope.ok === true && 'data' in envelope) return envelope.data as T;
  if (isRecord(envelope) && envelope.ok === false && isRecord(envelope.error)) {
    const { code, message } = envelope.error;
    throw new ResolverError(
      typeof code === 'string' ? code : 'unknown',
      typeof message === 'string' ? message : 'The app could not complete the request.',
    );
  }
  throw new ResolverError('bad_response', 'The app answered in a way this page does not understand.');
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong. Try again.';
