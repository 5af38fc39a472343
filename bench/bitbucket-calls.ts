/**
 * Counts the Bitbucket calls one scan of the demo repository costs, from the emulator's request
 * log: calls made for a pull request (its branch, files, commit and PR) against the floor F + 2,
 * and the calls that belong to the scan as a whole.
 */
import { startHarness, setUpWorkspace } from '../test/support/harness';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { round } from './measure';

const root = resolve(import.meta.dirname, '..');

function demoFiles(): Record<string, string> {
  const dir = join(root, 'demo/vulnerable-app');
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

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
    const branchOf = (path: string) => decodeURIComponent(path);
    const perPr = log.filter((entry) => {
      const path = branchOf(entry.path);
      return /remediate\//.test(path) || /\/src(\/|$|\?)/.test(path) || /\/pullrequests(\?|$)/.test(path);
    });
    const overhead = log.length - perPr.length;
    const stored = await h.host.app.deps.db.query<{ finding_ids: string }>('SELECT finding_ids FROM pull_requests');
    const files = await Promise.all(stored.map(async (row) => {
      const ids = JSON.parse(row.finding_ids) as string[];
      const paths = await h.host.app.deps.db.query<{ path: string }>(`SELECT DISTINCT path FROM findings WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
      return paths.length;
    }));
    const floor = files.reduce((sum, f) => sum + f + 2, 0);
    if (process.env.BENCH_LOG) console.log(log.map((e) => `${e.method} ${decodeURIComponent(e.path)}`).join("\n"));
    note(`bitbucket: ${log.length} calls for one scan with ${prs.length} PRs (${files.join(', ')} file(s) each): ${perPr.length} for PRs vs floor ${floor}, ${overhead} per-scan overhead`);
    return { calls_per_pr_vs_floor: round(perPr.length / floor), calls_per_scan_overhead: overhead };
  } finally {
    await h.close();
  }
}
