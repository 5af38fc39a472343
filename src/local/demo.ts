/**
 * `npm run demo`: the same flow as `npm start` on a fresh data dir, then a summary and exit:
 * 0 when the demo opened at least one pull request, 1 when any step failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHost } from './host';
import { printDemoSummary } from './demo-summary';

const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'remediate-demo-'));
let code = 0;
try {
  const host = await startLocalHost({ port: Number(process.env.PORT ?? 0), dataDir, seedDemo: true, quiet: true });
  const summary = await printDemoSummary(host);
  await host.close();
  if (summary.pullRequests < 1) {
    console.error('Demo failed: no pull request was opened.');
    code = 1;
  } else console.log(`\nDemo OK: ${summary.findings} findings, ${summary.pullRequests} pull request(s) opened.`);
} catch (error) {
  console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  if (!process.env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
