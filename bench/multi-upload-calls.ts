/**
 * `calls_multi_upload_vs_single`: the Bitbucket calls of seven uploads of one commit (one per
 * scanner, one after another as a CI job's upload loop sends them) ÷ the calls of one upload
 * holding all seven runs.
 * Uploads of one commit are processed together, so the ratio stays near 1 (target ≤ 1.2).
 */
import { setUpWorkspace, startHarness, type Harness } from '../test/support/harness';
import { multiScannerFiles, multiScannerUploads, sarifOf } from '../test/support/multi-scanner';
import { round } from './measure';

async function callsFor(h: Harness, slug: string, bodies: { category?: string; sarif: string }[]): Promise<number> {
  const ws = await setUpWorkspace(h, slug, multiScannerFiles);
  await h.admin('/requests', undefined, 'DELETE');
  // One after another, as a CI script's upload loop sends them (test/multi-scanner-uploads.test.ts
  // also sends them all at once, for the result; the calls are the bench's).
  const replies = [];
  for (const { category, sarif } of bodies) {
    replies.push(await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main', ...(category ? { category } : {}) }, sarif, { Authorization: `Bearer ${ws.uploadToken}` }));
  }
  const refused = replies.find((reply) => reply.status !== 202);
  if (refused) throw new Error(`upload refused: ${JSON.stringify(refused.json)}`);
  await h.host.app.queue.idle();
  return (await h.admin<unknown[]>('/requests')).length;
}

export async function measureMultiUploadCalls(note: (line: string) => void) {
  // As on Forge, an upload waits a moment for the other uploads of its commit (1 s here, 10 s on Forge).
  const h = await startHarness({ uploadSettleSeconds: 1 });
  try {
    const uploads = multiScannerUploads();
    const seven = await callsFor(h, 'bench-seven', uploads.map(({ category, run }) => ({ ...(category ? { category } : {}), sarif: sarifOf([run]) })));
    const runs = uploads.map(({ category, run }) => (category ? { ...run, automationDetails: { id: `${category}/run-1` } } : run));
    const one = await callsFor(h, 'bench-combined', [{ sarif: sarifOf(runs) }]);
    note(`bitbucket: seven uploads of one commit cost ${seven} calls; one upload of the same seven runs ${one} (uploads settle for 1 s)`);
    return { calls_multi_upload_vs_single: round(seven / one) };
  } finally {
    await h.close();
  }
}
