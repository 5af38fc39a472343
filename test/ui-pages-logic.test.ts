import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCredentials, validateApiToken, requiredScopes } from '../static/settings/src/validation';
import { pipelinesSnippet } from '../static/settings/src/pipelines-snippet';
import { classifyDiffLine } from '../static/repository/src/diff-view';
import { formatWhen, location, shortSha } from '../static/shared/src/format';
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
