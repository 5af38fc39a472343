/**
 * Forge entry: exactly the handlers `manifest.yml` names (a test holds the two together).
 * Each is a thin entry point from `src/entry/` wired to the Forge adapters.
 */
import { forgeDeps } from './forge/compose';
import { makeJobConsumer } from './entry/consumer';
import { makeMergeCheckHandler } from './entry/merge-check';
import { makePullRequestEventHandler } from './entry/pull-request-events';
import { makeReconcileHandler } from './entry/reconcile';
import { makeResolverHandler } from './entry/resolvers';
import { makeSarifUploadHandler } from './entry/webtrigger-sarif-upload';

/** UI resolvers for the settings page, the repository page and the sidebar card. */
export const resolver = makeResolverHandler(forgeDeps);
/** The `sarif-upload` web trigger. */
export const sarifUpload = makeSarifUploadHandler(forgeDeps);
/** The consumer of the `remediate-jobs` queue. */
export const processJob = makeJobConsumer(forgeDeps);
/** The `pull-request-events` trigger: Bitbucket reports a pull request merged or declined. */
export const pullRequestEvents = makePullRequestEventHandler(forgeDeps);
/** The hourly `reconcile-pull-requests` scheduled trigger: the safety net under the events. */
export const reconcilePullRequests = makeReconcileHandler(forgeDeps);
/** The `remediate-merge-check` custom merge check: may this pull request merge? */
export const mergeCheck = makeMergeCheckHandler(forgeDeps);
