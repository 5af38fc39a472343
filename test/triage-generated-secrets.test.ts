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

test('a code from a helper named for making one, and a link built around a generated token, are secrets when logged; a link around a plain id and a helper named for something else are not (after holdout-18\'s run)', () => {
  const resetCode = [
    'def forgot(email):',
    '    code = new_reset_code()',
    '    save_reset(email, code)',
    '    log.info("password reset code %s issued for %s", code, email)',
  ].join('\n');
  assert.equal(logged(resetCode, 'log.info').verdict, 'true_positive');
  const link = [
    "router.post('/forgot', async (req, res) => {",
    "  const token = crypto.randomBytes(24).toString('hex');",
    '  await saveToken(req.body.email, token);',
    '  const link = `https://shop.example.com/reset?token=${token}`;',
    '  console.log(`reset requested for ${req.body.email}: ${link}`);',
    '});',
  ].join('\n');
  assert.equal(logged(link, 'console.log', 'src/routes/account.js').verdict, 'true_positive');
  // Near misses: the same shapes around values that carry no secret stay set aside.
  const plainLink = link.replace("crypto.randomBytes(24).toString('hex')", 'order.id').replace(/token/g, 'order');
  assert.equal(logged(plainLink, 'console.log', 'src/routes/account.js').verdict, 'false_positive');
  const counted = resetCode.replace('new_reset_code()', 'next_batch_number()').replace(/code/g, 'batch');
  assert.equal(logged(counted, 'log.info').verdict, 'false_positive');
});
