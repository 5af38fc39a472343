/** Rows, uploads and orders the storage dialect tests share (`test/storage-dialects.test.ts`). */
import { severities, verdicts, type Finding, type NormalisedFinding } from '../../src/domain/finding';
import { severityRank, type FindingSort } from '../../src/storage/findings-repository';
import type { Scan } from '../../src/storage/scans-repository';
import type { Deps } from '../../src/services/deps';
import type { SqlDatabase } from '../../src/ports';

export const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const paths = ['src/App.js', 'src/app.js', 'lib/a_b.py', 'lib/aXb.py', 'Zeta/z.py', 'docs/ünï.md', 'src/100%.js', undefined];

export function finding(i: number, repoUuid: string, extra: Partial<Finding> = {}): Finding {
  const path = paths[i % paths.length];
  return {
    id: `${repoUuid}-${String(i).padStart(4, '0')}`,
    workspaceId: '{ws}',
    repoUuid,
    fingerprint: `fp-${i}`,
    ruleId: `rule-${i % 7}`,
    tools: [{ name: i % 3 === 0 ? 'my_tool' : 'CodeQL' }],
    severity: severities[i % severities.length]!,
    cwes: ['CWE-79'],
    message: `Problem ${i}`,
    ...(path ? { location: { path, startLine: i + 1 } } : {}),
    commit: 'a'.repeat(40),
    status: 'open',
    verdict: verdicts[i % verdicts.length]!,
    confidence: (i * 37) % 101,
    justification: 'because',
    factors: [],
    firstSeenScanId: 'scan-1',
    lastSeenScanId: 'scan-1',
    createdAt: at(0),
    updatedAt: at(i % 50),
    ...extra,
  };
}

export function normalised(i: number): NormalisedFinding {
  return { fingerprint: `n-${i}`, ruleId: 'rule-x', tools: [{ name: 'Semgrep OSS' }], severity: 'high', cwes: ['CWE-79'], message: `m ${i}`, location: { path: `src/f${i % 9}.js`, startLine: i + 1 } };
}

/** What each sort must return, computed without SQL (binary string order, as utf8mb4_bin and SQLite agree). */
export function expectedOrder(items: Finding[], sort: FindingSort): string[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const key: Record<FindingSort, (f: Finding) => [string | number, boolean]> = {
    severity: (f) => [severityRank(f.severity), false],
    confidence: (f) => [f.confidence, true],
    path: (f) => [f.location?.path ?? '', false],
    newest: (f) => [f.updatedAt, true],
  };
  return [...items]
    .sort((a, b) => {
      const [x, descending] = key[sort](a);
      const [y] = key[sort](b);
      return (descending ? cmp(y, x) : cmp(x, y)) || cmp(a.id, b.id);
    })
    .map((f) => f.id);
}

/** Just what a merge uses; `issued.n` counts the ids it made up for findings it took for new. */
export function mergeDeps(db: SqlDatabase, prefix: string, issued = { n: 0 }): Deps {
  return { db, clock: { now: () => new Date(at(60)) }, ids: { newId: () => `${prefix}-${(issued.n += 1)}`, randomSecret: () => 'x' } } as unknown as Deps;
}

export const scanOf = (id: string, repoUuid: string): Scan => ({
  id, workspaceId: '{ws}', repoUuid, repoFullName: 'acme/app', mainBranch: 'main', commit: 'b'.repeat(40), status: 'processing',
  tools: [{ name: 'CodeQL' }], counts: { results: 0, findings: 0, merged: 0, skipped: 0 }, skipped: [], pullRequests: [], createdAt: at(1), updatedAt: at(1),
});

export const countRows = async (db: SqlDatabase, repoUuid: string) =>
  Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM findings WHERE repo_uuid = ?', [repoUuid]))[0]?.n);
