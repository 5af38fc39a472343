import type {
  AppFetch, Clock, HttpFetch, Ids, JobQueue, KeyValueStore, Logger, SecretStore, SqlDatabase, WebTriggerUrls,
} from '../ports';

/** Everything a service may touch, built once per invocation by `src/forge/compose.ts` or `src/local/compose.ts`. */
export interface Deps {
  kv: KeyValueStore;
  secrets: SecretStore;
  db: SqlDatabase;
  queue: JobQueue;
  fetch: HttpFetch;
  /** Bitbucket as the app (not the service account): who may do what (`services/caller-access.ts`). */
  appFetch: AppFetch;
  webTriggerUrls: WebTriggerUrls;
  clock: Clock;
  logger: Logger;
  ids: Ids;
  /** `https://api.bitbucket.org` on Forge; the emulator's `http://127.0.0.1:PORT/bitbucket` locally. */
  bitbucketBaseUrl: string;
  /** Web URL of Bitbucket for links in PR text (`https://bitbucket.org` on Forge). */
  bitbucketWebUrl: string;
  /**
   * The Remediate repository page of `workspace/repo_slug`, for links in Code Insights reports.
   * The local host sets it; on Forge it is unset and links go to the repository on Bitbucket.
   */
  repositoryPageUrl?: (fullName: string) => string;
  /**
   * How long an upload waits before its job starts, so the other uploads of its commit (one per
   * scanner, sent back to back by one CI job) arrive and are processed with it. Forge: 10 s.
   */
  uploadSettleSeconds?: number;
}
