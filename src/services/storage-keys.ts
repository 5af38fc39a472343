/**
 * Storage keys. Forge KVS allows `^(?!\s+$)[a-zA-Z0-9:._\s-#]+$` up to 500 characters, so
 * Bitbucket's `{uuid}` braces are stripped before a workspace id becomes part of a key.
 */
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;

export function assertStorageKey(key: string): void {
  if (key.length === 0 || key.length > 500 || !KEY_PATTERN.test(key)) {
    throw new Error(`Invalid storage key "${key}": Forge KVS keys are 1–500 characters of [a-zA-Z0-9:._ -#]`);
  }
}

export const unwrapUuid = (uuid: string): string => uuid.replace(/^\{|\}$/g, '');
export const wrapUuid = (uuid: string): string => (uuid.startsWith('{') ? uuid : `{${uuid}}`);

export const storageKeys = {
  settings: (workspaceId: string) => `settings:${unwrapUuid(workspaceId)}`,
  apiToken: (workspaceId: string) => `api-token:${unwrapUuid(workspaceId)}`,
  uploadTokenHash: (workspaceId: string) => `upload-token-hash:${unwrapUuid(workspaceId)}`,
  /** A secret: the installation's key for signing the hidden state of its pull requests. */
  stateSigningKey: (workspaceId: string) => `pr-state-key:${unwrapUuid(workspaceId)}`,
  /** What one account may do on one repository, as Bitbucket last said (≤ 5 minutes old). */
  repositoryAccess: (workspaceId: string, repositoryUuid: string, accountId: string) =>
    `access:${unwrapUuid(workspaceId)}:${unwrapUuid(repositoryUuid)}:${accountId}`,
};
