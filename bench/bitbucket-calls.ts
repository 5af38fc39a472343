/**
 * Counts the Bitbucket calls one scan of the demo repository costs, from the emulator's request
 * log: calls made for a pull request (its branch, files, commit and PR) against the floor F + 2,
 * the calls that belong to the scan as a whole, and (apart) triage's reads of files no PR changes.
 * A second upload of the same SARIF shows what a repeated scan costs.
 */
import { startHarness, setUpWorkspace } from '../test/support/harness';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { round } from './measure';
import { filesUnder } from '../src/local/files-under';

const root = resolve(import.meta.dirname, '..');

const demoFiles = (): Record<string, string> => filesUnder(join(root, 'demo/vulnerable-app'));

export async function measureBitbucketCalls(note: (line: string) => void) {
  const h = await startHarness();
  try {
    const ws = await setUpWorkspace(h, 'bench', demoFiles(), 'vulnerable-app');
    await h.admin('/requests', undefined, 'DELETE');
    const sarif = readFileSync(join(root, 'demo/vulnerable-app.sarif'), 'utf8');
    const upload = await h.upload({ repository: 'bench/vulnerable-app', commit: ws.commit }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
    if (upload.status !== 202) throw new Error(`upload failed: ${JSON.stringify(upload.json)}`);
    await h.host.app.queue.idle();
    const log = await h.admin<{ method: string; path: string }[]>('/requests');
    const prs = h.host.emulator.state.repositories.find((r) => r.slug === 'vulnerable-app')?.pullRequests ?? [];
    const stored = await h.host.app.deps.db.query<{ finding_ids: string }>('SELECT finding_ids FROM pull_requests');
    const prPaths = await Promise.all(stored.map(async (row) => {
      const ids = JSON.parse(row.finding_ids) as string[];
      const paths = await h.host.app.deps.db.query<{ path: string }>(`SELECT DISTINCT path FROM findings WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
      return paths.map((p) => p.path);
    }));
    const changed = new Set(prPaths.flat());
    const files = prPaths.map((paths) => paths.length);
    // A file read at the scanned commit is a PR's read when a PR changes that file; other reads are
    // triage looking at the code around findings (counted apart: they scale with findings, not scans).
    const readPath = (path: string) => /\/src\/[0-9a-f]{40}\/(.+)$/.exec(path.split('?')[0] ?? '')?.[1];
    const kind = (entry: { method: string; path: string }): 'pr' | 'triage' | 'scan' => {
      const path = decodeURIComponent(entry.path);
      // The tree listing (`/src/{commit}/?max_depth=…`) is the scan's: absolute paths and triage's manifests.
      if (entry.method === 'GET' && /\/src\/[0-9a-f]{40}\/\?/.test(path)) return 'scan';
      const read = entry.method === 'GET' ? readPath(path) : undefined;
      if (read !== undefined) return changed.has(read) ? 'pr' : 'triage';
      return /remediate\//.test(path) || /\/src(\/|$|\?)/.test(path) || /\/pullrequests(\/|\?|$)/.test(path) ? 'pr' : 'scan';
    };
    const perPr = log.filter((entry) => kind(entry) === 'pr').length;
    const triage = log.filter((entry) => kind(entry) === 'triage').length;
    const overhead = log.length - perPr - triage;
    const floor = files.reduce((sum, f) => sum + f + 2, 0);
    // BENCH_LOG=1 prints every call, to see where they go.
    if (process.env.BENCH_LOG) note(log.map((e) => `  ${kind(e)}: ${e.method} ${decodeURIComponent(e.path)}`).join('\n'));
    note(`bitbucket: ${log.length} calls for one scan with ${prs.length} PRs (${files.join(', ')} file(s) each): ${perPr} for PRs vs floor ${floor}, ${overhead} per-scan overhead, ${triage} triage reads of files no PR changes`);

    // The same SARIF again: every PR is already open and stored, so only the scan's own calls remain.
    await h.admin('/requests', undefined, 'DELETE');
    const again = await h.upload({ repository: 'bench/vulnerable-app', commit: ws.commit }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
    if (again.status !== 202) throw new Error(`second upload failed: ${JSON.stringify(again.json)}`);
    await h.host.app.queue.idle();
    const repeat = await h.admin<{ method: string; path: string }[]>('/requests');
    const writes = repeat.filter((e) => e.method !== 'GET' && !e.path.includes('/reports/')).length;
    note(`bitbucket: the same SARIF uploaded again costs ${repeat.length} calls: ${writes} to branches, commits or PRs, ${repeat.filter((e) => e.method === 'GET' && readPath(decodeURIComponent(e.path)) !== undefined).length} file reads for triage, the rest the upload check and Code Insights`);
    return { calls_per_pr_vs_floor: round(perPr / floor), calls_per_scan_overhead: overhead };
  } finally {
    await h.close();
  }
}
