/**
 * A value made by a secret generator is a secret whatever it is called: logging it stays a true
 * positive, while a log line whose values are plain identifiers (a random request id never stored
 * as a credential) is still set aside as carrying no secret.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const logged = (file: string, marker: string, path = 'app/cli.py') =>
  triageMarked(ruleFinding('py/clear-text-logging-sensitive-data', 'CodeQL', ['CWE-312']), path, file, marker);

test('a key from os.urandom logged under a plain name stays a true positive', () => {
  const file = [
    'def rotate(office):',
    '    key = os.urandom(24).hex()',
    '    store(office, hashlib.sha256(key.encode()).hexdigest())',
    '    log.info("rotated key for office %s: %s", office, key)',
  ].join('\n');
  const result = logged(file, 'log.info');
  assert.equal(result.verdict, 'true_positive', result.justification);
});

test('a token carried one step from secrets.token_bytes, and a uuid4 hashed for storage, are secrets; a uuid4 request id is not', () => {
  const carried = [
    'def issue(user):',
    '    raw = secrets.token_bytes(32)',
    '    value = raw.hex()',
    '    logger.info("issued %s for %s", value, user.id)',
  ].join('\n');
  assert.equal(logged(carried, 'logger.info').verdict, 'true_positive');
  const hashed = [
    'def invite(email):',
    '    code = uuid.uuid4().hex',
    '    Invite.create(email=email, digest=hashlib.sha256(code.encode()).hexdigest())',
    '    logger.info("invite %s sent to %s", code, email)',
  ].join('\n');
  assert.equal(logged(hashed, 'logger.info').verdict, 'true_positive');
  const requestId = [
    'def handle(job):',
    '    request_id = uuid.uuid4().hex',
    '    logger.info("job %s started as %s", job.name, request_id)',
  ].join('\n');
  const plain = logged(requestId, 'logger.info');
  assert.equal(plain.verdict, 'false_positive', plain.justification);
});

test('crypto.randomBytes in JavaScript: the generated value logged is kept', () => {
  const file = [
    'async function reset(user) {',
    "  const code = crypto.randomBytes(16).toString('hex');",
    "  console.log('reset for %s: %s', user.email, code);",
    '}',
  ].join('\n');
  const result = triageMarked(ruleFinding('js/clear-text-logging', 'CodeQL', ['CWE-312']), 'src/reset.js', file, 'console.log');
  assert.equal(result.verdict, 'true_positive', result.justification);
});
