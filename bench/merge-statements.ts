/**
 * SQL statements the merge of one scan sends, per 1,000 findings: a first scan (all new) and a
 * re-scan of the same findings (all known). Counted on the database adapter, over SQLite with
 * the app's migrations; the statements are the same ones Forge SQL receives.
 */
import Database from 'better-sqlite3';
import { createSqliteDatabase } from '../src/local/adapters/sqlite-database';
import { migrations } from '../src/storage/migrations';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { mergeFindings } from '../src/services/scan/merge-findings';
import type { Deps } from '../src/services/deps';
import type { SqlDatabase } from '../src/ports';
import type { Scan } from '../src/storage/scans-repository';
import { syntheticSarif } from './synthetic-sarif';
import { round } from './measure';

/** `db` with a count of every statement sent through it. */
function countingDatabase(db: SqlDatabase): { db: SqlDatabase; statements: () => number } {
  let count = 0;
  return {
    statements: () => count,
    db: {
      dialect: db.dialect,
      query: (sql, params) => ((count += 1), db.query(sql, params)),
      execute: (sql, params) => ((count += 1), db.execute(sql, params)),
      migrate: (list) => db.migrate(list),
    },
  };
}

export async function measureMergeStatements(note: (line: string) => void, findings = 5_000) {
  const sqlite = new Database(':memory:');
  const counted = countingDatabase(createSqliteDatabase(sqlite));
  await counted.db.migrate(migrations);
  let next = 0;
  const deps = {
    db: counted.db,
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    ids: { newId: () => `finding-${(next += 1)}`, randomSecret: () => 'unused' },
  } as unknown as Deps;
  const normalised = normaliseLog(parseSarif(syntheticSarif({ results: findings }))).findings;
  const scan = { id: 'scan-1', workspaceId: '{ws}', repoUuid: '{repo}', commit: 'a'.repeat(40) } as Scan;
  const policy = { ignoreRules: [], ignoreCwes: [] };
  const perThousand = (statements: number) => round((statements * 1000) / normalised.length, 1);

  await mergeFindings(deps, scan, normalised, policy);
  const first = perThousand(counted.statements());
  const before = counted.statements();
  await mergeFindings(deps, { ...scan, id: 'scan-2' }, normalised, policy);
  const again = perThousand(counted.statements() - before);
  sqlite.close();
  note(`merge: ${normalised.length} generated findings: ${first} SQL statements per 1,000 on a first scan, ${again} on a re-scan`);
  return { sql_statements_per_1000_findings_first_scan: first, sql_statements_per_1000_findings_rescan: again };
}
