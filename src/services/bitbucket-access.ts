import { createBitbucketClient } from '../bitbucket/client';
import type { BitbucketClient } from '../bitbucket/types';
import type { Deps } from './deps';
import { loadServiceAccount, type ServiceAccount } from './settings-service';

export function clientFor(deps: Deps, account: Pick<ServiceAccount, 'email' | 'apiToken'>): BitbucketClient {
  return createBitbucketClient({
    baseUrl: deps.bitbucketBaseUrl,
    fetch: deps.fetch,
    credentials: { email: account.email, apiToken: account.apiToken },
    logger: deps.logger,
  });
}

/** A client authenticated as the workspace's service account. */
export async function serviceAccountClient(deps: Deps, workspaceId: string): Promise<{ client: BitbucketClient; account: ServiceAccount }> {
  const account = await loadServiceAccount(deps, workspaceId);
  return { client: clientFor(deps, account), account };
}
