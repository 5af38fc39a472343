/**
 * `npm start`: the local host on PORT (default 8080) with the Bitbucket emulator and SQLite under
 * DATA_DIR (default .data/). A new data dir gets the demo unless REMEDIATE_NO_DEMO=1.
 * RECONCILE_INTERVAL_SECONDS (default 60, 0 = off) paces the pull-request reconcile.
 */
import { resolve } from 'node:path';
import { startLocalHost } from './host';
import { printDemoSummary } from './demo-summary';
import { StartupError } from './startup-error';

const port = Number(process.env.PORT ?? 8080);
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const seedDemo = process.env.REMEDIATE_NO_DEMO !== '1';

const reconcileIntervalSeconds = Number(process.env.RECONCILE_INTERVAL_SECONDS ?? 60);
if (!Number.isFinite(reconcileIntervalSeconds) || reconcileIntervalSeconds < 0) {
  console.error('RECONCILE_INTERVAL_SECONDS must be a number of seconds (0 turns the reconcile timer off).');
  process.exit(2);
}

const uploadSettleSeconds = Number(process.env.UPLOAD_SETTLE_SECONDS ?? 0);
if (!Number.isFinite(uploadSettleSeconds) || uploadSettleSeconds < 0 || uploadSettleSeconds > 900) {
  console.error('UPLOAD_SETTLE_SECONDS must be a number of seconds from 0 to 900.');
  process.exit(2);
}

const host = await startLocalHost({
  port, host: process.env.HOST ?? '127.0.0.1', dataDir, seedDemo, quiet: process.env.REMEDIATE_QUIET === '1', reconcileIntervalSeconds, uploadSettleSeconds,
}).catch((error: unknown) => {
  // One line, never a stack trace or a file's contents (a corrupt file under DATA_DIR says which and what to do).
  const message = error instanceof StartupError ? error.message : `${(error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300)}`;
  console.error(`Remediate local host could not start: ${message}`);
  process.exit(1);
});
console.log(`\nRemediate local host: ${host.url}  (data in ${dataDir})`);
if (host.demo) await printDemoSummary(host);
console.log(`  Index:               ${host.url}/`);
console.log(`  Bitbucket emulator:  ${host.url}/bitbucket/2.0`);
console.log(`  SARIF web trigger:   ${host.url}/forge/webtrigger/sarif-upload`);
console.log('Press Ctrl+C to stop.');

const stop = async () => {
  await host.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
