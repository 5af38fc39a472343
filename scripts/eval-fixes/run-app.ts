/**
 * One corpus app through the whole product, as a new user would run it: its `src/` becomes a
 * repository in the embedded Bitbucket emulator, its SARIF files are uploaded through the web
 * trigger as a CI job would (one upload per file, each its own category), the queued scan job
 * triages and opens fix pull requests, and the result is read back from the store and the
 * emulator. Corpus files are read in place, never copied into the project.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createDefaultRegistry } from '../../src/domain/codemods/registry';
import { fixFor } from '../../src/domain/codemods/fix-for';
import { fixFile } from '../../src/domain/codemods/engine';
import { ruleIdsOf, type Finding } from '../../src/domain/finding';
import { FindingsRepository } from '../../src/storage/findings-repository';
import { setUpWorkspace, type Harness } from '../../test/support/harness';
import { prSnapshot } from '../../test/support/pr-snapshot';
import { findingOf, readLabels } from './labels';
import { parseCheck, type ParseResult } from './parse-check';

export const corpusDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

/** Wide open: every finding the triage keeps may get a pull request, and the caps never stop one. */
export const wideOpenPolicy = {
  autoPullRequests: true,
  minSeverity: 'info',
  minConfidence: 0,
  grouping: 'per-file',
  maxOpenPullRequests: 100,
  maxNewPullRequestsPerScan: 50,
} as const;

export interface AppReport {
  app: string;
  findings: number;
  truePositives: number;
  /** Labelled fixable true positives: results, and the distinct weaknesses (label groups) they make. */
  fixableResults: number;
  fixableGroups: number;
  fixedGroups: number;
  /** Labelled fixable results whose finding got a verified fix PR. */
  fixedResults: number;
  /** Label groups with no verified fix PR, each with why. */
  missed: { group: string; place: string; reason: string }[];
  pullRequests: number;
  changedFiles: ParseResult[];
  /** True positives a codemod is offered for (by rule or CWE) that got no fix, by reason (numbers blanked). */
  refusals: Map<string, number>;
  /** Findings a codemod is offered for that triage did not call true positives, by verdict: the fix step leaves them. */
  triagedAway: Map<string, number>;
  /** Fixable-looking findings left unfixed without a stored reason (should be none). */
  withoutReason: string[];
}

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** The stored reason a finding was not fixed (issue 17's `fixOutcome`), when the product keeps one. */
function storedReason(finding: Finding): string | undefined {
  const outcome = (finding as Finding & { fixOutcome?: { kind: string; reason?: string; tried?: { codemodId: string; reason: string }[] } }).fixOutcome;
  if (!outcome || outcome.kind === 'fixed') return undefined;
  if (outcome.tried && outcome.tried.length > 0) return outcome.tried.map((t) => `${t.codemodId}: ${t.reason}`).join('; ');
  return outcome.reason;
}

/** Why a finding got no fix PR: the stored outcome, else what the gates and a dry run of the engine say. */
async function whyNotFixed(finding: Finding, files: Record<string, string>): Promise<{ reason: string; stored: boolean }> {
  if (finding.verdict !== 'true_positive') return { reason: `triaged ${finding.verdict} (${finding.confidence}): ${finding.justification.slice(0, 160)}`, stored: true };
  const stored = storedReason(finding);
  if (stored) return { reason: stored, stored: true };
  const fix = fixFor(finding, undefined, createDefaultRegistry());
  if (fix.kind !== 'codemod') return { reason: fix.kind === 'none' ? fix.reason : 'turned off', stored: false };
  const path = finding.location?.path ?? '';
  const content = files[path];
  if (content === undefined) return { reason: `${path} is not in the repository`, stored: false };
  const result = await fixFile({ path, content, findings: [{ id: finding.id, ruleId: fix.ruleId, cwes: finding.cwes, location: finding.location! }] });
  return { reason: result.unfixed[0]?.reason ?? `the engine fixes it (${result.changes[0]?.codemodId}) but no pull request carries it (status ${finding.status})`, stored: false };
}

const fixedByPr = (finding: Finding | undefined): boolean => finding !== undefined && finding.pullRequest !== undefined && (finding.status === 'fix_proposed' || finding.status === 'fixed');

export async function runApp(h: Harness, app: string): Promise<AppReport> {
  const root = join(corpusDir, app);
  const files = readTree(join(root, 'src'));
  const slug = `eval-${app}`;
  const ws = await setUpWorkspace(h, slug, files);
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: wideOpenPolicy }, ws.adminContext);
  if (!saved.ok) throw new Error(`saveSettings failed: ${JSON.stringify(saved.error)}`);
  const sarifFiles = readdirSync(join(root, 'sarif')).filter((name) => name.endsWith('.sarif')).sort();
  for (const name of sarifFiles) {
    const reply = await h.upload(
      { repository: `${slug}/app`, commit: ws.commit, branch: 'main', category: name.replace(/\.sarif$/, '') },
      readFileSync(join(root, 'sarif', name), 'utf8'),
      { Authorization: `Bearer ${ws.uploadToken}` },
    );
    if (reply.status !== 202) throw new Error(`upload of ${name} answered ${reply.status}: ${JSON.stringify(reply.json)}`);
  }
  await h.host.app.queue.idle();

  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  const labels = readLabels(app);
  const fixable = labels.filter((l) => l.label === 'true_positive' && l.fixable);
  const groups = new Map<string, typeof fixable>();
  for (const label of fixable) groups.set(label.group, [...(groups.get(label.group) ?? []), label]);
  const missed: AppReport['missed'] = [];
  let fixedGroups = 0;
  const fixedResults = fixable.filter((label) => fixedByPr(findingOf(label, findings))).length;
  for (const [group, members] of groups) {
    const landed = members.map((label) => findingOf(label, findings));
    if (landed.some(fixedByPr)) {
      fixedGroups += 1;
      continue;
    }
    const first = members[0]!;
    const finding = landed.find((f) => f !== undefined);
    const reason = finding ? (await whyNotFixed(finding, files)).reason : 'no finding was stored for it';
    missed.push({ group, place: `${first.path}:${first.startLine} (${[...new Set(members.map((m) => m.ruleId))].join(', ')})`, reason });
  }

  const registry = createDefaultRegistry();
  const refusals = new Map<string, number>();
  const triagedAway = new Map<string, number>();
  const withoutReason: string[] = [];
  for (const finding of findings) {
    if (fixedByPr(finding) || fixFor(finding, undefined, registry).kind !== 'codemod') continue;
    if (finding.verdict !== 'true_positive') {
      triagedAway.set(finding.verdict, (triagedAway.get(finding.verdict) ?? 0) + 1);
      continue;
    }
    const why = await whyNotFixed(finding, files);
    if (!why.stored) withoutReason.push(`${finding.location?.path}:${finding.location?.startLine} ${ruleIdsOf(finding).join(',')}`);
    const key = why.reason.replace(/\d+/g, 'N').slice(0, 140);
    refusals.set(key, (refusals.get(key) ?? 0) + 1);
  }

  const snapshot = prSnapshot(h, slug);
  const changedFiles = snapshot.pullRequests.flatMap((pr) => Object.entries(pr.files).map(([path, content]) => parseCheck(path, content)));
  return {
    app,
    findings: findings.length,
    truePositives: findings.filter((f) => f.verdict === 'true_positive').length,
    fixableResults: fixable.length,
    fixableGroups: groups.size,
    fixedGroups,
    fixedResults,
    missed,
    pullRequests: snapshot.pullRequests.length,
    changedFiles,
    refusals,
    triagedAway,
    withoutReason,
  };
}
