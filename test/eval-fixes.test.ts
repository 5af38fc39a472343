/**
 * `npm run eval:fixes` on one corpus app (DVNA, the smallest): the whole product runs over real
 * code and real scanner output; no file a fix pull request changed stops parsing, and every
 * finding a codemod is offered for that was left unfixed has a stored reason. Skips, saying why,
 * when ../shared/corpus is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusMissing, evalFixes, formatReport } from '../scripts/eval-fixes';

test('eval:fixes on dvna: no changed file stops parsing, every unfixed fixable-looking finding has a reason', { skip: corpusMissing() ?? false }, async () => {
  const [report] = await evalFixes(['dvna']);
  assert.ok(report);
  const printed = formatReport(report);
  assert.ok(report.findings > 0, printed);
  assert.ok(report.fixableGroups > 0, 'the labels name fixable true positives');
  assert.deepEqual(report.changedFiles.filter((file) => !file.ok), [], printed);
  assert.deepEqual(report.withoutReason, [], printed);
  for (const miss of report.missed) assert.ok(miss.reason.trim().length > 0, `${miss.place} has a reason`);
  assert.equal(report.fixedGroups + report.missed.length, report.fixableGroups);
});

test('eval:fixes on every corpus app: at least 80% of the labelled fixable true positives get a verified fix PR, and nothing stops parsing', { skip: corpusMissing() ?? false }, async () => {
  for (const report of await evalFixes()) {
    const printed = formatReport(report);
    assert.ok(report.fixedGroups / report.fixableGroups >= 0.8, printed);
    assert.deepEqual(report.changedFiles.filter((file) => !file.ok), [], printed);
    assert.deepEqual(report.withoutReason, [], printed);
  }
});
