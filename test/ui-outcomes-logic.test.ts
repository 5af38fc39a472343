import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingTitle, fixLine, historyLine, pullRequestReport } from '../static/repository/src/outcome-text';
import { pageNumbers } from '../static/repository/src/pager';
import { busyDelays, idleDelay, nextDelay } from '../static/repository/src/live-timing';
import { readViewState, writeViewState } from '../static/repository/src/view-state';
import { catalogueLanguages, filterCodemods } from '../static/settings/src/codemod-list';
import { readableError } from '../src/services/repository-views';

test('a finding is titled by its rule name, then its message; the raw rule id is never the title when there is more', () => {
  const ruleId = 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load';
  assert.deepEqual(findingTitle({ ruleId, ruleName: 'Avoid yaml.load', message: 'Unsafe load' }), { title: 'Avoid yaml.load', subtitle: 'Unsafe load' });
  assert.deepEqual(findingTitle({ ruleId, ruleName: ruleId, message: 'Unsafe load' }), { title: 'Unsafe load' });
  assert.deepEqual(findingTitle({ ruleId, message: '' }), { title: ruleId });
});

test('the fix line: an outcome from the scan wins, then a declined fix, then what is still possible', () => {
  const base = { status: 'open' as const };
  assert.deepEqual(fixLine({ ...base, fixOutcome: { kind: 'fixed', codemodId: 'pyyaml-safe-load', title: 'Use yaml.safe_load', description: 'yaml.safe_load builds only plain data.' } }), { text: 'Fixed by Use yaml.safe_load', tone: 'good' });
  const notFixed = fixLine({ ...base, fixAvailable: true, fixOutcome: { kind: 'not-fixed', reason: 'no file read on line 193', tried: [{ codemodId: 'a', title: 'a', reason: 'no file read on line 193', matched: true }] } });
  assert.deepEqual([notFixed.text, notFixed.tone], ['Not fixed: no file read on line 193', 'bad'], 'never "Fix available" when the fix was tried and failed');
  assert.match(fixLine({ ...base, fixOutcome: { kind: 'not-fixed', reason: 'x', tried: [{ codemodId: 'a', title: 'a', reason: 'x', matched: true }, { codemodId: 'b', title: 'b', reason: 'y', matched: false }] } }).detail ?? '', /a: x\nb: y/);
  assert.equal(fixLine({ ...base, fixAvailable: true, fixDeclined: { pullRequestId: 4, at: 't' } }).text, 'Fix declined in review (#4)');
  assert.equal(fixLine({ ...base, fixAvailable: true }).text, 'Fix available');
  assert.equal(fixLine({ ...base, fixAvailable: false }).text, 'No automatic fix');
});

test('"open fix pull requests" never reports success for nothing: none opened is an error with the reasons, some is a warning', () => {
  const none = pullRequestReport({ pullRequests: [], notes: ['app.py:193: no file read on line 193'] }, 1);
  assert.deepEqual([none.kind, none.title, none.description], ['error', 'No pull request was opened', 'app.py:193: no file read on line 193']);
  assert.equal(pullRequestReport({ pullRequests: [] }, 3).kind, 'error');
  const some = pullRequestReport({ pullRequests: [{ id: 7, url: 'u' }], notes: ['b.py: turned off'] }, 2);
  assert.equal(some.kind, 'warning');
  assert.match(some.title, /some findings were left out/);
  assert.equal(pullRequestReport({ pullRequests: [{ id: 7, url: 'u' }, { id: 8, url: 'v' }] }, 2).title, '2 fix pull requests opened');
});

test('history lines say who, what and why', () => {
  const who = (id: string) => (id === 'me' ? 'you' : `account ${id}`);
  assert.equal(historyLine({ action: 'dismissed', by: 'me', at: 't', verdict: 'wont_fix', reason: 'accepted risk' }, who), 'Dismissed as won\'t fix by you: “accepted risk”');
  assert.equal(historyLine({ action: 'dismissal-undone', by: 'x', at: 't' }, who), 'Dismissal undone by account x');
  assert.match(historyLine({ action: 'fix-declined', by: 'pull-request-review', at: 't', pullRequestId: 3 }), /#3 declined in review/);
});

test('the view state round-trips through the route and ignores what it does not know', () => {
  const view = { filter: { verdict: 'true_positive' as const, q: 'yaml', rule: 'r.1' }, sort: 'path' as const, page: 3, pageSize: 100 as const, groupBy: 'file' as const };
  assert.deepEqual(readViewState(writeViewState(view)), view);
  assert.equal(writeViewState({ filter: {}, sort: 'severity', page: 1, pageSize: 50 }).toString(), '', 'defaults leave a plain route');
  assert.deepEqual(readViewState(new URLSearchParams('verdict=nope&page=-2&size=7&sort=evil&group=x')), { filter: {}, sort: 'severity', page: 1, pageSize: 50 });
});

test('page numbers: first, last and two either side, with gaps', () => {
  assert.deepEqual(pageNumbers(1, 1), [1]);
  assert.deepEqual(pageNumbers(1, 50), [1, 2, 3, 'gap', 50]);
  assert.deepEqual(pageNumbers(25, 50), [1, 'gap', 23, 24, 25, 26, 27, 'gap', 50]);
  assert.deepEqual(pageNumbers(4, 6), [1, 2, 3, 4, 5, 6]);
});

test('live polling backs off while a scan runs and slows down when none does', () => {
  const delays: number[] = [];
  let busy: number | undefined;
  for (let i = 0; i < 8; i += 1) delays.push((busy = nextDelay(busy, true)));
  assert.equal(delays[0], busyDelays.first);
  assert.ok(delays.every((d, i) => i === 0 || d >= (delays[i - 1] ?? 0)), `never faster: ${delays.join(', ')}`);
  assert.equal(delays.at(-1), busyDelays.max);
  assert.equal(nextDelay(busyDelays.max, false), idleDelay);
  assert.equal(nextDelay(undefined, true), busyDelays.first, 'a new scan starts fast again');
});

test('kinds of fix filter by text and language', () => {
  const items = [
    { id: 'pyyaml-safe-load', title: 'Use yaml.safe_load', summary: 'Load YAML safely', languages: ['python'], cwes: ['CWE-502'] },
    { id: 'xxe-dbf', title: 'Disallow DOCTYPE', summary: 'XXE', languages: ['java'], cwes: ['CWE-611'] },
  ];
  assert.deepEqual(filterCodemods(items, 'YAML', '').map((c) => c.id), ['pyyaml-safe-load']);
  assert.deepEqual(filterCodemods(items, 'cwe-611', '').map((c) => c.id), ['xxe-dbf']);
  assert.deepEqual(filterCodemods(items, '', 'java').map((c) => c.id), ['xxe-dbf']);
  assert.deepEqual(filterCodemods(items, 'yaml', 'java'), []);
  assert.deepEqual(catalogueLanguages(items), ['java', 'python']);
});

test('scan errors name the repository, not the encoded API path', () => {
  const raw = 'Bitbucket GET /2.0/repositories/%7B1b2c%7D/%7B3d4e%7D/src/abc123/app%2Fmain.py failed with HTTP 404.';
  const text = readableError(raw, 'acme/shop');
  assert.equal(text, 'Bitbucket request for acme/shop (src/abc123/app/main.py) failed with HTTP 404.');
  assert.doesNotMatch(text, /%7B/);
  assert.equal(readableError('Upload failed: bad SARIF', 'acme/shop'), 'Upload failed: bad SARIF');
});
