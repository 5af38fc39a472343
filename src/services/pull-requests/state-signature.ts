import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PrHiddenState, PrStateFields } from '../../domain/pr/description';
import type { Deps } from '../deps';
import { storageKeys } from '../storage-keys';

/**
 * The hidden state at the end of a remediation PR's description says which findings the PR
 * carries. Anyone who can edit a description or open a PR can also write such a state, so
 * Remediate signs its own: an HMAC-SHA256 with a per-installation key kept in the secret store
 * (Forge: `kvs.setSecret`), over the repository, the PR's branch and the state's fields. A state
 * copied to another branch or repository, edited, or written by hand does not verify.
 */
export interface StateSigner {
  sign(repoUuid: string, branch: string, fields: PrStateFields): string;
  verify(repoUuid: string, branch: string, state: PrHiddenState): boolean;
}

const KEY_BYTES = 32;

/** The installation's key, created on first use (read back after writing, so two first uses agree on the stored one). */
async function signingKey(deps: Deps, workspaceId: string): Promise<string> {
  const key = storageKeys.stateSigningKey(workspaceId);
  const existing = await deps.secrets.getSecret(key);
  if (existing) return existing;
  await deps.secrets.setSecret(key, deps.ids.randomSecret(KEY_BYTES));
  const stored = await deps.secrets.getSecret(key);
  if (!stored) throw new Error('The pull request signing key could not be stored.');
  return stored;
}

const message = (repoUuid: string, branch: string, fields: PrStateFields): string =>
  JSON.stringify(['remediate-pr-state/1', repoUuid, branch, fields.codemod, fields.codemodVersion, fields.fingerprints, fields.bodyHash]);

export async function stateSigner(deps: Deps, workspaceId: string): Promise<StateSigner> {
  const key = await signingKey(deps, workspaceId);
  const sign = (repoUuid: string, branch: string, fields: PrStateFields) =>
    createHmac('sha256', key).update(message(repoUuid, branch, fields)).digest('hex');
  return {
    sign,
    verify(repoUuid, branch, state) {
      if (!/^[0-9a-f]{64}$/.test(state.sig)) return false;
      const expected = Buffer.from(sign(repoUuid, branch, state), 'hex');
      return timingSafeEqual(expected, Buffer.from(state.sig, 'hex'));
    },
  };
}
