import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCredentials, validateApiToken, requiredScopes } from '../static/settings/src/validation';
import { pipelinesSnippet } from '../static/settings/src/pipelines-snippet';
import { classifyDiffLine } from '../static/repository/src/diff-view';
import { categoryLabel as pageCategoryLabel, formatWhen, location, shortSha } from '../static/shared/src/format';
import { categoryLabel } from '../src/domain/triage/shown-factors';
import { unwrapEnvelope, ResolverError } from '../static/shared/src/resolver-envelope';

const token = 'ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz0123456789';

test('the settings form catches a swapped username and email', () => {
  const errors = validateCredentials({ username: 'bot@acme.test', email: 'remediate-bot', apiToken: token, hasStoredToken: false });
  assert.match(errors.username ?? '', /looks like an email address/);
  assert.match(errors.email ?? '', /looks like a username/);
  assert.equal(errors.apiToken, undefined);
});

test('the settings form accepts a service account with an API token', () => {
  assert.deepEqual(validateCredentials({ username: 'remediate-bot', email: 'bot@acme.test', apiToken: token, hasStoredToken: false }), {});
  // Keeping (undefined) or removing ('') a stored token needs no new one.
  assert.deepEqual(validateCredentials({ username: 'remediate-bot', email: 'bot@acme.test', hasStoredToken: true }), {});
  assert.deepEqual(validateCredentials({ username: 'remediate-bot', email: 'bot@acme.test', apiToken: '', hasStoredToken: true }), {});
});

test('the token check explains app passwords and other pastes', () => {
  assert.match(validateApiToken('ATBB1234567890abcdef', false) ?? '', /app password.*no longer work since 2026/);
  assert.match(validateApiToken('ghp_abcdefghijklmnopqrstuvwxyz', false) ?? '', /start with ATAT/);
  assert.match(validateApiToken('ATAT 123', false) ?? '', /spaces/);
  assert.match(validateApiToken(undefined, false) ?? '', /Enter an API token/);
  assert.equal(validateApiToken(undefined, true), undefined);
  assert.equal(validateApiToken(token, true), undefined);
});

test('the six Bitbucket scopes are listed', () => {
  assert.deepEqual(requiredScopes, [
    'read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket',
    'read:pullrequest:bitbucket', 'write:repository:bitbucket', 'write:pullrequest:bitbucket',
  ]);
});

test('the Pipelines step posts the SARIF file with the bearer token and the repository, commit and branch', () => {
  const snippet = pipelinesSnippet('https://example.webtrigger.atlassian.app/public/abc');
  assert.match(snippet, /-H "Authorization: Bearer \$REMEDIATE_UPLOAD_TOKEN"/);
  assert.match(snippet, /-H "Content-Type: application\/sarif\+json"/);
  assert.match(snippet, /--data-binary @results\.sarif/);
  assert.match(
    snippet,
    /"https:\/\/example\.webtrigger\.atlassian\.app\/public\/abc\?repository=\$BITBUCKET_REPO_FULL_NAME&commit=\$BITBUCKET_COMMIT&branch=\$BITBUCKET_BRANCH"/,
  );
  assert.match(pipelinesSnippet('http://localhost:8080/forge/webtrigger/sarif-upload?x=1'), /sarif-upload\?x=1&repository=/);
});

test('diff lines are classified for colouring', () => {
  assert.deepEqual(
    ['--- a/x', '+++ b/x', '@@ -1 +1 @@', '-old', '+new', ' same', ''].map(classifyDiffLine),
    ['meta', 'meta', 'hunk', 'del', 'add', 'context', 'context'],
  );
});

test('formatting helpers', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  assert.equal(formatWhen('2026-11-28T11:59:30Z', now), 'just now');
  assert.equal(formatWhen('2026-11-28T11:55:00Z', now), '5 minutes ago');
  assert.equal(formatWhen('2026-11-28T11:00:00Z', now), '1 hour ago');
  assert.equal(formatWhen('2026-11-25T12:00:00Z', now), '3 days ago');
  assert.equal(formatWhen('2026-10-01T12:00:00Z', now), 'Oct 1, 2026');
  assert.equal(shortSha('abcdef1234567890'), 'abcdef1');
  assert.equal(location('src/a.js', 3), 'src/a.js:3');
  assert.equal(location(undefined, undefined), '—');
});

test('resolver envelopes unwrap to data or a coded error', () => {
  assert.deepEqual(unwrapEnvelope({ ok: true, data: { a: 1 } }), { a: 1 });
  assert.throws(
    () => unwrapEnvelope({ ok: false, error: { code: 'not_admin', message: 'Only admins.' } }),
    (error: unknown) => error instanceof ResolverError && error.code === 'not_admin' && error.message === 'Only admins.',
  );
  assert.throws(() => unwrapEnvelope('nonsense'), (error: unknown) => error instanceof ResolverError && error.code === 'bad_response');
});

test('CI snippets for Pipelines, Jenkins, GitHub Actions and CircleCI post to the real URL with the token from a secret', async () => {
  const { ciSnippets } = await import('../static/settings/src/ci-snippets');
  const url = 'https://abc.hello.atlassian-dev.net/x1/wt-123';
  const snippets = ciSnippets(url, 'acme/shop');
  assert.deepEqual(snippets.map((s) => s.label), ['Bitbucket Pipelines', 'Jenkins', 'GitHub Actions', 'CircleCI']);
  for (const snippet of snippets) {
    assert.ok(snippet.text.includes(`"${url}?repository=`), snippet.label);
    assert.match(snippet.text, /Authorization: Bearer \$REMEDIATE_UPLOAD_TOKEN/, snippet.label);
    assert.match(snippet.where, /REMEDIATE_UPLOAD_TOKEN|remediate-upload-token/, snippet.label);
    assert.match(snippet.text, /--data-binary @results\.sarif/, snippet.label);
  }
  const [pipelines, jenkins, github, circle] = snippets.map((s) => s.text);
  assert.match(pipelines ?? '', /repository=\$BITBUCKET_REPO_FULL_NAME&commit=\$BITBUCKET_COMMIT/);
  assert.match(jenkins ?? '', /withCredentials\(\[string\(credentialsId: 'remediate-upload-token'[\s\S]*sh '''[\s\S]*repository=acme\/shop&commit=\$GIT_COMMIT/);
  assert.match(github ?? '', /REMEDIATE_UPLOAD_TOKEN: \$\{\{ secrets\.REMEDIATE_UPLOAD_TOKEN \}\}[\s\S]*commit=\$\{\{ github\.sha \}\}/);
  assert.match(circle ?? '', /command: \|[\s\S]*commit=\$CIRCLE_SHA1&branch=\$CIRCLE_BRANCH/);
  assert.match(ciSnippets(url)[1]?.text ?? '', /repository=WORKSPACE\/REPOSITORY/, 'a placeholder until the admin names the repository');
});

test('policy form values: whole numbers in range and one path glob per line', async () => {
  const { parsePathExcludes, wholeNumberError } = await import('../static/settings/src/policy-values');
  assert.equal(wholeNumberError('10', 1, 100), undefined);
  assert.match(wholeNumberError('0', 1, 100) ?? '', /from 1 to 100/);
  assert.match(wholeNumberError('2.5', 1, 100) ?? '', /whole number/);
  assert.match(wholeNumberError('', 0, 100) ?? '', /whole number/);
  assert.deepEqual(parsePathExcludes(' vendor/**\n\n**/*.min.js\nvendor/**\n'), { patterns: ['vendor/**', '**/*.min.js'] });
  assert.match(parsePathExcludes('/etc/**').error ?? '', /relative to the repository root/);
  assert.match(parsePathExcludes('x'.repeat(201)).error ?? '', /longer than 200/);
  assert.match(parsePathExcludes(Array.from({ length: 101 }, (_, i) => `p${i}/**`).join('\n')).error ?? '', /At most 100/);
});

test('policy form values: ignored rules and CWEs', async () => {
  const { parseIgnoreCwes, parseIgnoreRules } = await import('../static/settings/src/policy-values');
  assert.deepEqual(parseIgnoreRules(' python.lang.x \n\npython.lang.x\njs.y'), { values: ['python.lang.x', 'js.y'] });
  assert.match(parseIgnoreRules('r'.repeat(301)).error ?? '', /longer than 300/);
  assert.deepEqual(parseIgnoreCwes('CWE-79\n327, cwe89\nCWE-79'), { values: ['CWE-79', 'CWE-327', 'CWE-89'] });
  assert.match(parseIgnoreCwes('XSS').error ?? '', /not a CWE/);
});

test('the scan history says how many results each reason skipped, with a few examples', async () => {
  const { skippedLine } = await import('../static/repository/src/scan-text');
  assert.equal(skippedLine({ index: 3, reason: 'no location' }), 'Result 4: no location');
  assert.equal(skippedLine({ index: 3, reason: 'no location', count: 1 }), 'Result 4: no location');
  assert.equal(skippedLine({ index: 0, reason: 'over the limit', count: 500 }), '500 results (from result 1 on): over the limit');
  assert.equal(skippedLine({ index: 2, reason: 'bad uri', count: 9, examples: [2, 5, 7] }), '9 results (3, 6, 8…): bad uri');
  assert.equal(skippedLine({ index: 2, reason: 'bad uri', count: 2, examples: [2, 5] }), '2 results (3, 6): bad uri');
});

test('codemod switches: sorted by language then title; turning one off and on again keeps a clean list', async () => {
  const { sortCodemods, toggleCodemod, languageLabel } = await import('../static/settings/src/codemod-list');
  const item = (id: string, title: string, language: string) => ({ id, title, summary: '', languages: [language], cwes: [] });
  const sorted = sortCodemods([item('b', 'Zeta', 'python'), item('a', 'Alpha', 'python'), item('c', 'Beta', 'java')]);
  assert.deepEqual(sorted.map((c) => c.id), ['c', 'a', 'b']);
  assert.equal(languageLabel('javascript'), 'JavaScript');
  assert.deepEqual(toggleCodemod([], 'x', false), ['x']);
  assert.deepEqual(toggleCodemod(['y', 'x'], 'x', false), ['x', 'y']);
  assert.deepEqual(toggleCodemod(['x', 'y'], 'x', true), ['y']);
  assert.deepEqual(toggleCodemod([], 'x', true), []);
});

test('the pages name each set-aside category in the same words as Code Insights and pull requests (the Custom UI keeps its own copy)', () => {
  assert.deepEqual(pageCategoryLabel, categoryLabel);
});
