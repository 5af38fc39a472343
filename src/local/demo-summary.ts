import type { LocalHost } from './host';
import { DEMO_REPOSITORY, DEMO_WORKSPACE } from './demo-seed';
import { sourcePath } from './ui/pages';

/** Prints what the demo produced: pages (settings, repository, the source view with the card), the scan, verdicts and the pull requests opened. */
export async function printDemoSummary(host: LocalHost): Promise<{ pullRequests: number; findings: number }> {
  const demo = host.demo;
  if (!demo) return { pullRequests: 0, findings: 0 };
  const repo = host.emulator.state.repositories.find((r) => r.workspace === DEMO_WORKSPACE && r.slug === DEMO_REPOSITORY);
  const counts = repo ? await host.app.deps.db.query<{ verdict: string; n: number }>(
    'SELECT verdict, COUNT(*) AS n FROM findings WHERE repo_uuid = ? GROUP BY verdict ORDER BY verdict',
    [repo.uuid],
  ) : [];
  const prs = repo?.pullRequests ?? [];
  console.log(demo.seeded ? '\nDemo seeded:' : '\nDemo data already present (delete the data dir to seed again):');
  if (demo.scan) {
    console.log(`  Scan ${demo.scan.scanId}: ${demo.scan.status}, counts ${JSON.stringify(demo.scan.counts)}`);
  }
  console.log(`  Verdicts: ${counts.map((row) => `${row.verdict} ${row.n}`).join(', ') || 'none'}`);
  console.log(`  Pull requests in the emulator (${prs.length}):`);
  for (const pr of prs) console.log(`    #${pr.id} [${pr.state}] ${pr.title}\n       ${host.url}/bitbucket/${DEMO_WORKSPACE}/${DEMO_REPOSITORY}/pull-requests/${pr.id}`);
  const commit = demo.scan ? (await host.app.deps.db.query<{ commit_sha: string }>('SELECT commit_sha FROM scans WHERE id = ?', [demo.scan.scanId]))[0]?.commit_sha : undefined;
  const insights = commit ? repo?.reports[commit]?.['remediate-security'] : undefined;
  if (commit && insights) {
    console.log(`  Code Insights:       ${String(insights.report.result)}, ${insights.annotations.length} annotations on the scanned commit`);
    console.log(`       ${host.url}/bitbucket/${DEMO_WORKSPACE}/${DEMO_REPOSITORY}/commits/${commit}`);
  }
  console.log(`  Settings page:       ${demo.pages.settings}`);
  console.log(`  Repository page:     ${demo.pages.repository}`);
  console.log(`  Sidebar card:        ${host.url}${sourcePath(DEMO_WORKSPACE, DEMO_REPOSITORY)} (the source view with the app's card)`);
  return { pullRequests: prs.length, findings: counts.reduce((sum, row) => sum + Number(row.n), 0) };
}
