import { timingSafeEqual } from 'node:crypto';
import { errorReply, type Reply } from './http-io';
import type { EmulatorState, UserRecord } from './model';

/**
 * Who is calling: a user by Basic `email:apiToken` (the username in place of the email fails, as
 * on bitbucket.org), the Forge app by `Bearer <appToken>` (standing in for `asApp()`), or nobody.
 */
export type Identity =
  | { kind: 'user'; user: UserRecord }
  | { kind: 'app' }
  | { kind: 'anonymous' }
  | { kind: 'rejected' };

export type Scope =
  | 'read:user:bitbucket'
  | 'read:workspace:bitbucket'
  | 'read:repository:bitbucket'
  | 'write:repository:bitbucket'
  | 'read:pullrequest:bitbucket'
  | 'write:pullrequest:bitbucket';

const sameSecret = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export function identify(state: EmulatorState, authorization: string | undefined, appToken: string): Identity {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' };
  const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return sameSecret(credentials, appToken) ? { kind: 'app' } : { kind: 'rejected' };
  if (scheme.toLowerCase() !== 'basic') return { kind: 'rejected' };
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'rejected' };
  const email = decoded.slice(0, colon).toLowerCase();
  const token = decoded.slice(colon + 1);
  const user = state.users.find((candidate) => candidate.email.toLowerCase() === email && sameSecret(candidate.token, token));
  return user ? { kind: 'user', user } : { kind: 'rejected' };
}

export const identityName = (identity: Identity): string | null =>
  identity.kind === 'user' ? identity.user.username : identity.kind === 'app' ? 'app' : null;

/** 401 as bitbucket.org answers a bad, expired or wrongly-paired API token. */
export const unauthorized = (): Reply => {
  const reply = errorReply(401, 'Token is invalid, expired, or not supported for this endpoint.');
  return { ...reply, headers: { ...reply.headers, 'www-authenticate': 'Basic realm="Bitbucket.org HTTP"' } };
};

export const missingScope = (required: Scope, user: UserRecord): Reply =>
  errorReply(403, 'Your credentials lack one or more required privilege scopes.', {
    detail: { required: [required], granted: user.scopes },
  });

export const scopesHeader = (user: UserRecord): Record<string, string> => ({ 'x-oauth-scopes': user.scopes.join(', ') });
