/**
 * Inline checks for the service-account form. They catch the usual mix-ups (email typed into the
 * username field, an app password pasted as the token) before the backend has to say no.
 */

export type CredentialField = 'username' | 'email' | 'apiToken';
export type CredentialErrors = Partial<Record<CredentialField, string>>;

export interface CredentialInput {
  username: string;
  email: string;
  /** undefined: keep the stored token; '': remove it; otherwise the new token. */
  apiToken?: string;
  /** Whether a token is already stored (then leaving the field empty is fine). */
  hasStoredToken: boolean;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const usernamePattern = /^[A-Za-z0-9_.-]+$/;

export function validateUsername(raw: string): string | undefined {
  const username = raw.trim();
  if (username === '') return "Enter the service account's Bitbucket username.";
  if (username.includes('@')) {
    return 'This looks like an email address. Enter the Bitbucket username here (Personal Bitbucket settings shows it) and the email address in the next field.';
  }
  if (!usernamePattern.test(username)) {
    return 'A Bitbucket username has no spaces or symbols: use letters, digits, ".", "-" and "_".';
  }
  return undefined;
}

export function validateEmail(raw: string): string | undefined {
  const email = raw.trim();
  if (email === '') return "Enter the email address of the service account's Atlassian account.";
  if (!email.includes('@')) {
    return "This looks like a username. The REST API signs in with the Atlassian account's email address, like ci-bot@example.com.";
  }
  if (!emailPattern.test(email)) return 'Enter a complete email address, like ci-bot@example.com.';
  return undefined;
}

export function validateApiToken(raw: string | undefined, hasStoredToken: boolean): string | undefined {
  if (raw === undefined) {
    return hasStoredToken ? undefined : 'Enter an API token: the app cannot reach Bitbucket without one.';
  }
  const token = raw.trim();
  if (token === '') {
    return hasStoredToken ? undefined : 'Enter an API token: the app cannot reach Bitbucket without one.';
  }
  if (/\s/.test(token)) return 'The token contains spaces. Paste it again exactly as Atlassian showed it.';
  if (token.startsWith('ATBB')) {
    return 'This is a Bitbucket app password (they start with ATBB). App passwords no longer work since 2026: create an API token with the scopes below instead.';
  }
  if (!token.startsWith('ATAT')) {
    return 'This does not look like an Atlassian API token (they start with ATAT). App passwords no longer work since 2026: create an API token with the scopes below.';
  }
  return undefined;
}

export function validateCredentials(input: CredentialInput): CredentialErrors {
  const errors: CredentialErrors = {};
  const username = validateUsername(input.username);
  const email = validateEmail(input.email);
  // An explicit removal ('') is allowed: the admin is taking the app offline on purpose.
  const apiToken = input.apiToken === '' ? undefined : validateApiToken(input.apiToken, input.hasStoredToken);
  if (username !== undefined) errors.username = username;
  if (email !== undefined) errors.email = email;
  if (apiToken !== undefined) errors.apiToken = apiToken;
  return errors;
}

export const hasErrors = (errors: CredentialErrors): boolean => Object.keys(errors).length > 0;

/** The scopes the service account's API token needs, in the order Atlassian's token page lists them. */
export const requiredScopes: readonly string[] = [
  'read:user:bitbucket',
  'read:workspace:bitbucket',
  'read:repository:bitbucket',
  'read:pullrequest:bitbucket',
  'write:repository:bitbucket',
  'write:pullrequest:bitbucket',
];

export const apiTokenPageUrl = 'https://id.atlassian.com/manage-profile/security/api-tokens';
