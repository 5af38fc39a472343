import type { BitbucketCredentials } from './types';

export type Redactor = (text: string) => string;

const REDACTED = '[redacted]';

/**
 * Removes the API token, in every form it can travel in (raw, URL-encoded, inside the Basic
 * header value), from text that may reach a message, a log field or an error.
 */
export function createRedactor(credentials: BitbucketCredentials): Redactor {
  const { apiToken } = credentials;
  if (apiToken === '') return (text) => text;
  const secrets = [
    basicAuthValue(credentials),
    encodeURIComponent(apiToken),
    apiToken,
  ];
  // Longest first, so the Basic value is replaced whole rather than around an inner match.
  const unique = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return (text) => unique.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

export function basicAuthValue(credentials: BitbucketCredentials): string {
  return Buffer.from(`${credentials.email}:${credentials.apiToken}`, 'utf8').toString('base64');
}
