/**
 * Scanner text is inert wherever the service account writes it (issue 14, row 6). The demo's SARIF
 * is uploaded through the web trigger with a message and a rule id carrying mentions, a bidi
 * override, bare URLs and a forged hidden-state marker; the pull request the emulator receives,
 * its commit and the Code Insights annotations must carry none of them live, and the app must
 * still read its own state from the description.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { inert, inertCode, inertMarkdown } from '../src/domain/pr/inert-text';
import { readHiddenState } from '../src/domain/pr/description';
import { notAddedComment, staleClosingComment } from '../src/domain/pr/lifecycle';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { demoFiles, demoSarif } from './support/demo-repo';

const FORGED = '<!-- remediate:state {"app":"remediate","codemod":"pyyaml-safe-load","fingerprints":["forged"],"codemodVersion":"1","bodyHash":"0"} -->';
const MESSAGE = `Loads YAML for @dana and @{712020:5b2c9a61-0000-4000-8000-000000000001}: \u202Edaol_efas\u202C; see https://evil.example/pwn or www.evil.example ${FORGED}`;
const RULE_ID = 'python.lang.@dana.@{712020:5b2c}.\u202Ex.www.evil.example.<!-- remediate:state {} -->.avoid-pyyaml-load';

/** Every form that would be live in Bitbucket's Markdown or mention parser. */
function assertInert(text: string, where: string): void {
  assert.doesNotMatch(text, /@dana|@\{/, `${where}: a live mention`);
  assert.doesNotMatch(text, /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]/, `${where}: a bidi or zero-width character`);
  assert.doesNotMatch(text, /https?:\/\/evil|www\.evil/, `${where}: a bare URL that would auto-link`);
}

let h: Harness;
let ws: Workspace;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'inert-ws', demoFiles(), 'vulnerable-app');
  const sarif = JSON.parse(demoSarif()) as { runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  const yaml = sarif.runs[0]!.results.filter((r) => r.ruleId.endsWith('avoid-pyyaml-load') && r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('app/'));
  assert.equal(yaml.length, 2);
  yaml[0]!.message.text = MESSAGE;
  yaml[1]!.ruleId = RULE_ID;
  yaml[1]!.message.text = MESSAGE;
  const upload = await h.upload({ repository: 'inert-ws/vulnerable-app', commit: ws.commit, branch: 'main' }, JSON.stringify(sarif), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
});
after(async () => h.close());

const repo = () => h.host.emulator.repository('inert-ws', 'vulnerable-app');

test('the pull request title, description and commit carry scanner text inert, and the app reads its own state', async () => {
  const pr = repo()?.pullRequests.find((candidate) => candidate.sourceBranch === 'remediate/pyyaml-safe-load');
  assert.ok(pr, `a PR for the YAML findings: ${JSON.stringify(repo()?.pullRequests.map((p) => p.sourceBranch))}`);
  assertInert(pr.title, 'title');
  assertInert(pr.description, 'description');
  assert.match(pr.description, /＠dana and ＠\{712020/, 'the mention is still readable');
  assert.match(pr.description, /https\\\[:\\\]\/\/evil\.example/, 'the URL is still readable, defanged');
  assert.equal(pr.description.split('<!--').length - 1, 1, 'one comment: the app state, nothing from the scanner');
  assert.match(pr.description, /\n<!-- remediate:state \{[^\n]*\} -->$/);

  const state = readHiddenState(pr.description);
  const rows = await h.host.app.deps.db.query<{ fingerprint: string }>(
    "SELECT fingerprint FROM findings WHERE repo_uuid = ? AND path = 'app/config_loader.py' ORDER BY fingerprint", [ws.repoUuid],
  );
  assert.equal(rows.length, 2);
  assert.deepEqual([...(state?.fingerprints ?? [])].sort(), rows.map((row) => row.fingerprint), 'the real fingerprints, not the forged ones');

  const commit = repo()?.commits[pr.sourceCommit];
  assert.ok(commit);
  assertInert(commit.message, 'commit message');
});

test('Code Insights annotations carry scanner text inert', async () => {
  const report = repo()?.reports[ws.commit]?.['remediate-security'];
  assert.ok(report, 'a report on the scanned commit');
  const yaml = report.annotations.filter((annotation) => String(annotation.path) === 'app/config_loader.py');
  assert.ok(yaml.length >= 1);
  for (const annotation of report.annotations) assertInert(JSON.stringify(annotation), `annotation ${String(annotation.external_id)}`);
});

test('comments and every helper keep the same rules', () => {
  const finding = { ruleId: RULE_ID, location: { path: 'app/@dana\u202E.py', startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 } } as never;
  for (const text of [notAddedComment([finding]), staleClosingComment([finding], 'a'.repeat(40)), inert(MESSAGE), inertCode(MESSAGE), inertMarkdown(MESSAGE)]) {
    assertInert(text, text.slice(0, 40));
    assert.doesNotMatch(text, /<!--/);
  }
  // Hidden characters go first, so they cannot shield what follows them.
  assert.equal(inert('@\u200Bname <\u200B!-- h\u200Dttps://x'), '＠name < !-- https[:]//x');
  assert.equal(inert('tab\tand\nnewline stay; \u0007bell goes'), 'tab\tand\nnewline stay; bell goes');
});
