/**
 * Forge entry: exactly the handlers `manifest.yml` names (a test holds the two together).
 * Each is a thin entry point from `src/entry/` wired to the Forge adapters.
 */
import { forgeDeps } from './forge/compose';
import { makeJobConsumer } from './entry/consumer';
import { makeResolverHandler } from './entry/resolvers';
import { makeSarifUploadHandler } from './entry/webtrigger-sarif-upload';

/** UI resolvers for the settings page, the repository page and the sidebar card. */
export const resolver = makeResolverHandler(forgeDeps);
/** The `sarif-upload` web trigger. */
export const sarifUpload = makeSarifUploadHandler(forgeDeps);
/** The consumer of the `remediate-jobs` queue. */
export const processJob = makeJobConsumer(forgeDeps);
