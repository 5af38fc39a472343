/**
 * The storage layer on both SQL dialects: SQLite through the local adapter, and MariaDB through
 * the Forge SQL adapter and the real `@forge/sql` client (so the statements, parameters and
 * request sizes are the ones Forge SQL receives). The same tests run on each; where the dialects
 * could differ (upserts, collation, LIKE, paging order) the results are compared with one
 * expectation computed here.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../src/domain/finding';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { FindingsRepository, findingSorts } from '../src/storage/findings-repository';
import { STALE_LOCK_MS, ScansRepository } from '../src/storage/scans-repository';
import { PullRequestsRepository } from '../src/storage/pull-requests-repository';
import { PullRequestChecksRepository } from '../src/storage/pull-request-checks-repository';
import { migrations } from '../src/storage/migrations';
import { mergeFindings } from '../src/services/scan/merge-findings';
import type { SqlDatabase, SqlValue } from '../src/ports';
import { FORGE_SQL_LIMITS } from './support/mariadb';
import { mariaDbBackend, sqliteBackend, type StorageBackend } from './support/storage-backends';
import { at, countRows, expectedOrder, finding, mergeDeps, normalised, scanOf } from './support/storage-fixtures';

const backends: (StorageBackend | { skip: string })[] = [await sqliteBackend(), await mariaDbBackend()];
after(async () => {
  for (const backend of backends) if ('close' in backend) await backend.close();
});

for (const backend of backends) {
  if ('skip' in backend) {
    test('storage on MariaDB', { skip: backend.skip }, () => {});
    continue;
  }
  const { db, name } = backend;
  const policy = { ignoreRules: [], ignoreCwes: [] };

  describe(`storage on ${name}`, () => {
    test('every migration applies to an empty database once, and the unique keys hold', async () => {
      const fresh = await backend.emptyDatabase();
      await fresh.migrate(migrations);
      await fresh.migrate(migrations);
      const table = name === 'sqlite' ? 'schema_migrations' : '__migrations';
      const applied = await fresh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
      assert.equal(Number(applied[0]?.n), migrations.length);
      const repository = new FindingsRepository(fresh);
      await repository.insert(finding(1, '{m}'));
      await assert.rejects(repository.insert(finding(1, '{m}', { id: 'other-id' })), /duplicate|unique/i);
      await assert.rejects(repository.insert(finding(2, '{m}', { id: finding(1, '{m}').id })), /duplicate|unique/i);
      await repository.insert(finding(1, '{other-repo}'));
      assert.equal(await countRows(fresh, '{m}'), 1);
    });

    test('a finding reads back by id and fingerprint; a person\'s decision survives updates until undone', async () => {
      const repository = new FindingsRepository(db);
      const stored = finding(5, '{crud}', { snippet: 'naïve — “quoted” \'text\' \\ back', fix: { codemodId: 'c', title: 't', description: 'd', diff: '-a\n+b' } });
      await repository.insert(stored);
      assert.deepEqual(await repository.get('{crud}', stored.id), stored);
      assert.equal(await repository.get('{other}', stored.id), undefined);
      const decision = { verdict: 'false_positive' as const, reason: 'test fixture', by: 'acc-1', at: at(9) };
      await repository.update({ ...stored, status: 'dismissed' }, decision);
      await repository.update({ ...stored, status: 'dismissed', confidence: 3 });
      const known = await repository.getByFingerprint('{crud}', stored.fingerprint);
      assert.deepEqual(known?.humanDecision, decision);
      assert.equal(known?.finding.confidence, 3);
      await repository.updateForgettingDecision({ ...stored, status: 'open' });
      assert.equal((await repository.getByFingerprint('{crud}', stored.fingerprint))?.humanDecision, undefined);
    });

    test('values longer than their filter columns are stored whole (Forge SQL\'s strict mode refuses overlong text)', async () => {
      const repository = new FindingsRepository(db);
      const long = finding(1, '{long}', {
        ruleId: `rule.${'x'.repeat(400)}`,
        tools: Array.from({ length: 60 }, (_, i) => ({ name: `Scanner number ${i} with a long name` })),
        location: { path: `${'deep/'.repeat(204)}ab😀${'deep/'.repeat(100)}.py`, startLine: 3 }, // 😀 straddles the 1,024th character
      });
      await repository.upsertMany([{ finding: long }]);
      await repository.update({ ...long, confidence: 9 });
      assert.deepEqual(await repository.get('{long}', long.id), { ...long, confidence: 9 });
      // Filters see the first 1,024 characters of a path and of the tool list.
      const page = await repository.list('{long}', { path: 'deep/deep', tool: 'Scanner number 3 with a long name' }, { limit: 10 });
      assert.deepEqual('items' in page ? page.items.map((item) => item.id) : page, [long.id]);
    });

    test('batch writes and reads stay within Forge SQL\'s request size and keep each row\'s identity', async () => {
      const repository = new FindingsRepository(db);
      const big = 'x'.repeat(60_000) + '"quotes" and \\ escapes '.repeat(1_000);
      const items = Array.from({ length: 600 }, (_, i) => finding(i, '{batch}', i < 30 ? { ruleHelp: big } : {}));
      const sentBefore = backend.requests.length;
      await repository.upsertMany(items.map((item) => ({ finding: item })));
      for (const request of backend.requests.slice(sentBefore)) assert.ok(request.bytes <= FORGE_SQL_LIMITS.requestBytes, `${request.bytes} bytes`);
      if (name === 'mariadb') assert.ok(backend.requests.length - sentBefore >= 4, 'the 3.5 MB of help text needs several statements');
      const known = await repository.findByFingerprints('{batch}', [...items.map((item) => item.fingerprint), 'fp-unknown']);
      assert.equal(known.size, 600);
      assert.deepEqual(known.get('fp-7')?.finding, items[7]);
      assert.equal(known.get('fp-3')?.finding.ruleHelp, big);

      // A second write of the same fingerprints updates them and keeps id, first sighting and creation time.
      const again = items.map((item) => ({ finding: { ...item, id: `new-${item.id}`, firstSeenScanId: 'scan-9', createdAt: at(99), lastSeenScanId: 'scan-9', verdict: 'wont_fix' as const } }));
      await repository.upsertMany(again);
      assert.equal(await countRows(db, '{batch}'), 600);
      const row = await repository.get('{batch}', items[42]!.id);
      assert.deepEqual([row?.firstSeenScanId, row?.createdAt, row?.lastSeenScanId, row?.verdict], ['scan-1', at(0), 'scan-9', 'wont_fix']);
      const ids = await repository.idsByFingerprints('{batch}', ['fp-42', 'fp-599']);
      assert.deepEqual([...ids.entries()].sort(), [['fp-42', items[42]!.id], ['fp-599', items[599]!.id]]);
    });

    test('the repository page pages every sort in the same order, with literal, case-blind filters', async () => {
      const repository = new FindingsRepository(db);
      const items = Array.from({ length: 130 }, (_, i) => finding(i, '{paging}'));
      await repository.upsertMany(items.map((item) => ({ finding: item })));
      for (const sort of findingSorts) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await repository.list('{paging}', {}, { limit: 40, sort, ...(cursor ? { cursor } : {}) });
          assert.ok(!('badCursor' in page));
          seen.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual(seen, expectedOrder(items, sort), `${sort} order`);
      }
      const ids = async (filter: Parameters<FindingsRepository['list']>[1]) =>
        (await repository.list('{paging}', filter, { limit: 200 }) as { items: Finding[] }).items.map((item) => item.location?.path ?? '-');
      assert.deepEqual(new Set(await ids({ path: 'a_b' })), new Set(['lib/a_b.py']));
      assert.deepEqual(new Set(await ids({ path: '100%' })), new Set(['src/100%.js']));
      assert.deepEqual(new Set(await ids({ path: 'APP.JS' })), new Set(['src/App.js', 'src/app.js']));
      assert.deepEqual(new Set(await ids({ path: 'ünï' })), new Set(['docs/ünï.md']));
      const byTool = await repository.counts('{paging}', { tool: 'my_tool' });
      assert.equal(byTool.total, items.filter((item) => item.tools[0]?.name === 'my_tool').length);
      assert.equal((await repository.counts('{paging}', { tool: 'myXtool' })).total, 0);
      const counts = await repository.counts('{paging}', { severity: 'high' });
      assert.equal(counts.total, items.filter((item) => item.severity === 'high').length);
      assert.deepEqual(Object.keys(counts.bySeverity), ['high']);

      // Numbered pages: the offset's rows are the same as the cursor's, in every sort.
      for (const sort of findingSorts) {
        const third = await repository.list('{paging}', {}, { limit: 40, sort, offset: 80 });
        assert.ok(!('badCursor' in third));
        assert.deepEqual(third.items.map((item) => item.id), expectedOrder(items, sort).slice(80, 120), `${sort} page 3`);
      }
      // Free text over rule, path, rule name and message; one rule exactly; groups with counts.
      const sample = items[7]!;
      const q = async (text: string) => (await repository.list('{paging}', { q: text }, { limit: 200 }) as { items: Finding[] }).items.map((item) => item.id).sort();
      assert.deepEqual(await q(sample.message.toUpperCase()), items.filter((item) => item.message.toLowerCase().includes(sample.message.toLowerCase())).map((item) => item.id).sort());
      assert.deepEqual(await q('a_b.py'), items.filter((item) => item.location?.path === 'lib/a_b.py').map((item) => item.id).sort());
      assert.deepEqual(await q('100%'), items.filter((item) => item.location?.path === 'src/100%.js').map((item) => item.id).sort());
      assert.deepEqual(await q(sample.ruleId), items.filter((item) => item.ruleId.toLowerCase().includes(sample.ruleId.toLowerCase())).map((item) => item.id).sort());
      assert.deepEqual(await q('no such text anywhere'), []);
      const byRule = await repository.groups('{paging}', {}, 'rule');
      assert.equal(byRule.reduce((sum, group) => sum + group.count, 0), items.length);
      assert.equal(byRule.find((group) => group.key === sample.ruleId)?.count, items.filter((item) => item.ruleId === sample.ruleId).length);
      assert.equal((await repository.list('{paging}', { rule: sample.ruleId }, { limit: 200 }) as { items: Finding[] }).items.length, byRule.find((group) => group.key === sample.ruleId)?.count);
      const byFile = await repository.groups('{paging}', { severity: 'high' }, 'file');
      assert.equal(byFile.reduce((sum, group) => sum + group.count, 0), counts.total);
    });

    test('a scan merges in batches: few statements, dismissals stick, a repeated fingerprint is one finding', async () => {
      const repository = new FindingsRepository(db);
      const upload = Array.from({ length: 600 }, (_, i) => normalised(i));
      upload.push(normalised(3));
      const first = await mergeFindings(mergeDeps(db, 'a'), scanOf('scan-a', '{merge}'), upload, policy);
      // The merge answers each stored finding once: the repeated fingerprint is one finding, not two.
      assert.equal(first.length, 600);
      assert.equal(new Set(first.map((f) => f.id)).size, 600, 'the repeated fingerprint is the same finding');
      assert.equal(await countRows(db, '{merge}'), 600);

      const target = first[400]!;
      await repository.update({ ...target, status: 'dismissed', verdict: 'false_positive' }, { verdict: 'false_positive', reason: 'generated code', by: 'acc', at: at(61) });

      const statements = { n: 0 };
      const counting: SqlDatabase = {
        dialect: db.dialect,
        query: (sql, params) => ((statements.n += 1), db.query(sql, params)),
        execute: (sql, params) => ((statements.n += 1), db.execute(sql, params)),
        migrate: (list) => db.migrate(list),
      };
      const second = await mergeFindings(mergeDeps(counting, 'b'), scanOf('scan-b', '{merge}'), upload, policy);
      assert.ok(statements.n <= 6, `a re-scan of 600 findings took ${statements.n} statements`);
      assert.deepEqual(second.map((f) => f.id), first.map((f) => f.id), 'known findings keep their ids');
      const dismissed = await repository.get('{merge}', target.id);
      assert.deepEqual([dismissed?.status, dismissed?.verdict, dismissed?.confidence, dismissed?.lastSeenScanId], ['dismissed', 'false_positive', 100, 'scan-b']);
      assert.match(dismissed?.justification ?? '', /Dismissed by a person: generated code/);
      assert.deepEqual((await repository.getByFingerprint('{merge}', target.fingerprint))?.humanDecision?.reason, 'generated code');
      assert.equal((await repository.get('{merge}', first[0]!.id))?.firstSeenScanId, 'scan-a');
    });

    test('a dismissal made while a scan merges is not overwritten by the scan', async () => {
      const repository = new FindingsRepository(db);
      const upload = Array.from({ length: 5 }, (_, i) => normalised(20_000 + i));
      const [first] = await mergeFindings(mergeDeps(db, 'd1'), scanOf('scan-d1', '{dismiss-race}'), upload, policy);
      const decision = { verdict: 'false_positive' as const, reason: 'dismissed mid-merge', by: 'acc', at: at(70) };
      let dismissed = false;
      const dismissAfterRead: SqlDatabase = {
        ...db,
        dialect: db.dialect,
        async query<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
          const rows = await db.query<Row>(sql, params);
          if (!dismissed) {
            dismissed = true;
            await repository.update({ ...first!, status: 'dismissed', verdict: 'false_positive' }, decision);
          }
          return rows;
        },
        execute: (sql, params) => db.execute(sql, params),
      };
      await mergeFindings(mergeDeps(dismissAfterRead, 'd2'), scanOf('scan-d2', '{dismiss-race}'), upload, policy);
      const stored = await repository.getByFingerprint('{dismiss-race}', first!.fingerprint);
      assert.deepEqual([stored?.finding.status, stored?.finding.verdict, stored?.humanDecision?.reason, stored?.finding.lastSeenScanId], ['dismissed', 'false_positive', 'dismissed mid-merge', 'scan-d2']);
      const other = await repository.getByFingerprint('{dismiss-race}', upload[1]!.fingerprint);
      assert.deepEqual([other?.finding.status, other?.finding.lastSeenScanId], ['open', 'scan-d2']);
    });

    test('two scans merging the same new findings at once leave one row each, with the ids both report', async () => {
      // Both merges read before either writes (a barrier after each side's first read), so both take
      // every finding of the first slice for new and write it: the unique key has to settle it.
      let arrived = 0;
      let release: () => void = () => {};
      const barrier = new Promise<void>((resolve) => (release = resolve));
      const meetAtFirstRead = (inner: SqlDatabase): SqlDatabase => {
        let first = true;
        return {
          ...inner,
          dialect: inner.dialect,
          async query<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
            const rows = await inner.query<Row>(sql, params);
            if (first) {
              first = false;
              if ((arrived += 1) === 2) release();
              await barrier;
            }
            return rows;
          },
          execute: (sql, params) => inner.execute(sql, params),
        };
      };
      const upload = Array.from({ length: 520 }, (_, i) => normalised(10_000 + i));
      const [left, right] = [{ n: 0 }, { n: 0 }];
      const [a, b] = await Promise.all([
        mergeFindings(mergeDeps(meetAtFirstRead(db), 'left', left), scanOf('scan-l', '{race}'), upload, policy),
        mergeFindings(mergeDeps(meetAtFirstRead(await backend.connectAgain()), 'right', right), scanOf('scan-r', '{race}'), upload, policy),
      ]);
      assert.ok(left.n >= 250 && right.n >= 250, `both took the first slice for new (${left.n}, ${right.n})`);
      assert.equal(await countRows(db, '{race}'), upload.length);
      const stored = await new FindingsRepository(db).idsByFingerprints('{race}', upload.map((item) => item.fingerprint));
      for (const reported of [...a, ...b]) assert.equal(reported.id, stored.get(reported.fingerprint), `${reported.fingerprint} reports the stored id`);
      assert.deepEqual(a.map((f) => f.id), b.map((f) => f.id));
    });

    test('scans keep real SARIF findings and their bookkeeping', async () => {
      const scans = new ScansRepository(db);
      const sarif = readFileSync(join(import.meta.dirname, 'fixtures/sarif/codeql-js-2.9.2_juice-shop_rajbos.sarif'), 'utf8');
      const { findings } = normaliseLog(parseSarif(sarif));
      const scan = scanOf('scan-real', '{scans}');
      await scans.insert({ ...scan, status: 'receiving', skipped: [{ index: 3, reason: 'no rule' }] });
      await scans.saveNormalisedFindings(scan.id, findings);
      assert.deepEqual(await scans.loadNormalisedFindings(scan.id), JSON.parse(JSON.stringify(findings)));
      assert.equal(await scans.countActive('{scans}'), 1);
      assert.deepEqual(await scans.listForRepository('{scans}'), [], 'a scan still receiving is not listed');
      await scans.update(scan.id, { status: 'done', counts: { results: 5, findings: 4, merged: 0, skipped: 1 }, error: undefined }, at(5));
      const [listed] = await scans.listForRepository('{scans}');
      assert.deepEqual([listed?.status, listed?.counts.findings, listed?.skipped[0]?.reason, listed?.updatedAt], ['done', 4, 'no rule', at(5)]);
      assert.equal(await scans.lastScannedRepository('{ws}'), '{scans}');
      await scans.delete(scan.id);
      assert.equal(await scans.get(scan.id), undefined);
      await assert.rejects(scans.insert({ ...scan, id: 'scan-long-branch', branch: 'b'.repeat(256) }), /branch name is 256 characters long/);
      await scans.insert({ ...scan, id: 'scan-255', branch: `${'b'.repeat(254)}😀` });
      assert.equal((await scans.get('scan-255'))?.branch, `${'b'.repeat(254)}😀`);
      assert.deepEqual(await scans.loadNormalisedFindings(scan.id), []);
    });

    test('a large upload is stored and read back in pieces that fit Forge SQL\'s request and response limits', async () => {
      const scans = new ScansRepository(db);
      const help = '## Help\n"quoted" text that real CodeQL rules carry. '.repeat(80).slice(0, 4000);
      const upload = Array.from({ length: 3_000 }, (_, i) => ({ ...normalised(i), ruleHelp: help, snippet: `call(${i})` }));
      const scan = scanOf('scan-large', '{large}');
      await scans.insert(scan);
      const sentBefore = backend.requests.length;
      await scans.saveNormalisedFindings(scan.id, upload);
      assert.deepEqual(await scans.loadNormalisedFindings(scan.id), upload);
      const sent = backend.requests.slice(sentBefore);
      for (const request of sent) assert.ok(request.bytes <= FORGE_SQL_LIMITS.requestBytes, `${request.bytes} bytes`);
      if (name === 'mariadb') assert.ok(sent.filter((request) => request.query.startsWith('SELECT')).length > 1, 'read in several queries');
    });

    test('all of a large repository\'s findings are read in pages that fit Forge SQL\'s response', async () => {
      const repository = new FindingsRepository(db);
      const help = 'Rule help with "quotes", code and links. '.repeat(500);
      const items = Array.from({ length: 300 }, (_, i) => finding(i, '{all}', { ruleHelp: help, snippet: 's'.repeat(1000) }));
      await repository.upsertMany(items.map((item) => ({ finding: item })));
      const all = await repository.listAll('{all}');
      assert.deepEqual(all.map((item) => item.id), expectedOrder(items, 'severity'));
      assert.equal(all[0]?.ruleHelp, help);
    });

    test('pull requests are saved once per id and found by repository and branch', async () => {
      const prs = new PullRequestsRepository(db);
      const pr = { repoUuid: '{prs}', id: 7, workspaceId: '{ws}', branch: 'remediate/x', title: 'Fix', url: 'https://bitbucket.org/acme/app/pull-requests/7', state: 'OPEN' as const, codemodId: 'c', findingIds: ['a', 'b'], createdAt: at(1), updatedAt: at(1) };
      await prs.save(pr);
      await prs.save({ ...pr, state: 'MERGED', findingIds: ['a'], updatedAt: at(2) });
      await prs.save({ ...pr, id: 8, branch: 'remediate/y' });
      const listed = await prs.listForRepository('{prs}');
      assert.deepEqual(listed.map((item) => [item.id, item.state]), [[8, 'OPEN'], [7, 'MERGED']]);
      assert.deepEqual((await prs.findByBranch('{prs}', 'remediate/x')).map((item) => item.findingIds), [['a']]);
    });

    test('the scan lock admits one job per repository, also when two take it at once; a stale one is taken over', async () => {
      const now = new Date(at(100));
      const [first, second] = [new ScansRepository(db), new ScansRepository(await backend.connectAgain())];
      const results = await Promise.all([first.acquireLock('{lock}', 'scan-1', now), second.acquireLock('{lock}', 'scan-2', now)]);
      assert.deepEqual(results.filter(Boolean).length, 1, `exactly one job holds the lock: ${results}`);
      const holder = results[0] ? 'scan-1' : 'scan-2';
      const waiting = holder === 'scan-1' ? 'scan-2' : 'scan-1';
      assert.equal(await first.acquireLock('{lock}', holder, now), true, 'the holder may take it again');
      assert.equal(await first.acquireLock('{lock}', waiting, new Date(now.getTime() + STALE_LOCK_MS - 1000)), false);
      assert.equal(await first.acquireLock('{lock}', waiting, new Date(now.getTime() + STALE_LOCK_MS + 1000)), true, 'a stale lock is taken over');
      await first.releaseLock('{lock}', waiting);
      assert.equal(await second.acquireLock('{lock}', 'scan-3', now), true);
    });

    test('the reconcile checks never-checked open pull requests first, then the longest ago', async () => {
      const prs = new PullRequestsRepository(db);
      const checks = new PullRequestChecksRepository(db);
      const base = { workspaceId: '{ws}', title: 'Fix', url: 'u', codemodId: 'c', findingIds: [], createdAt: at(1), updatedAt: at(1) };
      for (const [repoUuid, id, state] of [['{rc-b}', 1, 'OPEN'], ['{rc-a}', 2, 'OPEN'], ['{rc-a}', 3, 'MERGED'], ['{rc-a}', 4, 'OPEN']] as const) {
        await prs.save({ ...base, repoUuid, id, state, branch: `remediate/${id}` });
      }
      await checks.markChecked('{rc-a}', 2, at(30));
      await checks.markChecked('{rc-b}', 1, at(20));
      const due = (await checks.oldestCheckedOpen(100)).filter((pr) => pr.repoUuid.startsWith('{rc-'));
      assert.deepEqual(due.map((pr) => [pr.repoUuid, pr.id, pr.checkedAt ?? null]), [['{rc-a}', 4, null], ['{rc-b}', 1, at(20)], ['{rc-a}', 2, at(30)]]);
    });
  });
}
