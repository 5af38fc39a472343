/**
 * `npm run eval:fixes [-- app…]`: runs the whole product (web trigger → scan job → pull requests
 * in the embedded Bitbucket emulator) over each real app in ../shared/corpus with a wide-open
 * policy, and compares the fix pull requests with the blind labels in test/fixtures/corpus-labels/.
 * Per app it prints the findings, the labelled fixable true positives, the fix PRs, how many
 * labelled fixable true positives got a verified fix PR (issue 17's target: 80% per app), why each
 * of the others did not, the refusals by reason, and a parse check of every changed file.
 * Exits 1 when a changed file stops parsing or a fixable-looking finding has no reason.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startHarness } from '../test/support/harness';
import { corpusDir, runApp, type AppReport } from './eval-fixes/run-app';

export const corpusApps = ['dvna', 'nodegoat', 'pygoat'] as const;

export function corpusMissing(): string | undefined {
  return existsSync(join(corpusDir, 'README.md')) ? undefined : `corpus not found at ${corpusDir} (../shared/corpus beside the checkout)`;
}

export async function evalFixes(apps: readonly string[] = corpusApps): Promise<AppReport[]> {
  process.env.REMEDIATE_QUIET = '1';
  const h = await startHarness();
  try {
    const reports: AppReport[] = [];
    for (const app of apps) reports.push(await runApp(h, app));
    return reports;
  } finally {
    await h.close();
  }
}

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)}%`);

export function formatReport(report: AppReport): string {
  const broken = report.changedFiles.filter((file) => !file.ok);
  const lines = [
    `## ${report.app}`,
    `findings: ${report.findings} (triaged true positive: ${report.truePositives})`,
    `labelled fixable true positives: ${report.fixableResults} results, ${report.fixableGroups} distinct weaknesses`,
    `fix pull requests: ${report.pullRequests}`,
    `labelled fixable true positives with a verified fix PR: ${report.fixedGroups} of ${report.fixableGroups} (${percent(report.fixedGroups, report.fixableGroups)}; target ≥ 80%); results: ${report.fixedResults} of ${report.fixableResults}`,
    ...report.missed.map((miss) => `  not fixed: ${miss.place}: ${miss.reason}`),
    `changed files: ${report.changedFiles.length}, still parsing: ${report.changedFiles.length - broken.length}, stopped parsing: ${broken.length}`,
    ...report.changedFiles.map((file) => `  ${file.ok ? 'ok  ' : 'FAIL'} ${file.path} (${file.checker})${file.ok ? '' : `: ${file.error}`}`),
    `refusals by reason (true positives a codemod is offered for, left unfixed):`,
    ...[...report.refusals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason, count]) => `  ${String(count).padStart(3)} × ${reason}`),
    `findings a codemod is offered for that triage did not call true positives: ${[...report.triagedAway.entries()].map(([verdict, count]) => `${count} ${verdict}`).join(', ') || 'none'}`,
    `fixable-looking findings left unfixed without a stored reason: ${report.withoutReason.length}`,
    ...report.withoutReason.slice(0, 20).map((place) => `  ${place}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const missing = corpusMissing();
  if (missing) {
    console.log(`eval:fixes skipped: ${missing}`);
    return;
  }
  const wanted = process.argv.slice(2);
  const reports = await evalFixes(wanted.length > 0 ? wanted : corpusApps);
  for (const report of reports) console.log(`${formatReport(report)}\n`);
  const bad = reports.some((r) => r.changedFiles.some((file) => !file.ok) || r.withoutReason.length > 0);
  process.exitCode = bad ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
