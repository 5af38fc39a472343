import { randomBytes, randomUUID } from 'node:crypto';
import type { Deps } from '../services/deps';
import { migrations } from '../storage/migrations';
import type { Logger } from '../ports';
import {
  BITBUCKET_API, forgeAppFetch, forgeFetchAdapter, forgeJobQueue, forgeKeyValueStore, forgeSecretStore, forgeSqlDatabase,
  forgeWebTriggerUrls,
} from './adapters';

/** Forge keeps `console` lines as the app's logs; fields go out as one JSON object. */
const consoleLogger: Logger = {
  info: (message, fields) => console.log(message, JSON.stringify(fields ?? {})),
  warn: (message, fields) => console.warn(message, JSON.stringify(fields ?? {})),
  error: (message, fields) => console.error(message, JSON.stringify(fields ?? {})),
};

/** Builds the service dependencies for one Forge invocation and makes sure the schema exists. */
export async function forgeDeps(): Promise<Deps> {
  const db = forgeSqlDatabase();
  await db.migrate(migrations);
  return {
    kv: forgeKeyValueStore(),
    secrets: forgeSecretStore(),
    db,
    queue: forgeJobQueue(),
    fetch: forgeFetchAdapter,
    appFetch: forgeAppFetch(),
    webTriggerUrls: forgeWebTriggerUrls(),
    clock: { now: () => new Date() },
    logger: consoleLogger,
    ids: { newId: () => randomUUID(), randomSecret: (bytes) => randomBytes(bytes).toString('base64url') },
    bitbucketBaseUrl: BITBUCKET_API,
    bitbucketWebUrl: 'https://bitbucket.org',
    uploadSettleSeconds: 10,
  };
}
