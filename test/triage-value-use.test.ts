/**
 * Weak hashes and non-cryptographic random numbers judged by what the value is used for — where
 * it goes in the function, or where the helper returning it is called — and by names read word by
 * word (`weakEtag`), never by the file's name. A use that touches a password, token or session
 * keeps the finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding, TriageResult } from '../src/domain/finding';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';

type Rule = Pick<NormalisedFinding, 'ruleId' | 'cwes' | 'tools'>;
function at(file: string, marker: string, rule: Rule, path: string): TriageResult {
  const lines = file.split('\n');
  const index = lines.findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, `marker ${marker} not in the file`);
  const window = codeWindow(file, index + 1);
  assert.ok(window);
  return triageFinding({ fingerprint: 'fp', severity: 'medium', message: rule.ruleId, location: { path, startLine: index + 1 }, ...rule }, { fixAvailable: false, ...window });
}
const sum = (r: TriageResult): number => r.factors.reduce((total, f) => total + f.weight, 0);
const hashRule: Rule = { ruleId: 'sonarjs/hashing', cwes: ['CWE-328'], tools: [{ name: 'ESLint' }] };
const randomRule: Rule = { ruleId: 'sonarjs/pseudo-random', cwes: ['CWE-338'], tools: [{ name: 'ESLint' }] };
const b324: Rule = { ruleId: 'B324', cwes: ['CWE-327'], tools: [{ name: 'Bandit' }] };

const responses = [
  "const crypto = require('crypto');",
  '',
  'function digestOf(payload) {',
  "  return crypto.createHash('sha1').update(payload).digest('hex');",
  '}',
  '',
  'function sendCached(req, res, payload) {',
  '  const tag = digestOf(payload);',
  "  if (req.get('If-None-Match') === tag) return res.status(304).end();",
  "  res.set('ETag', tag).send(payload);",
  '}',
  '',
  'function remember(user) {',
  "  const stamp = crypto.createHash('md5').update(user.email + Date.now()).digest('hex');",
  '  user.resetToken = stamp;',
  '  return user.save();',
  '}',
  '',
  'function shortName(text) {',
  "  return crypto.createHash('md5').update(text).digest('hex').slice(0, 8);",
  '}',
].join('\n');

test('a weak hash returned by a helper whose only caller sets it as an ETag is not security', () => {
  const result = at(responses, "createHash('sha1')", hashRule, 'server/http.js');
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.equal(result.category, 'not_security');
  assert.equal(result.factors[1]?.id, 'defused-non-security-use');
  assert.match(result.justification, /digestOf\(payload\)/, 'the use is quoted');
  assert.equal(sum(result), result.confidence);
});

test('a weak hash stored as a reset token, or returned by a helper with no visible use, is kept', () => {
  assert.equal(at(responses, 'user.email + Date.now()', hashRule, 'server/http.js').verdict, 'true_positive');
  assert.equal(at(responses, ".slice(0, 8)", hashRule, 'server/http.js').verdict, 'true_positive');
});

test('a hash helper named for its purpose word by word (camelCase or snake_case) is not security', () => {
  const js = ['function strongEtag(entity) {', "  return '\"' + crypto.createHash('md5').update(entity).digest('hex') + '\"';", '}'].join('\n');
  assert.equal(at(js, "createHash('md5')", hashRule, 'lib/headers.js').verdict, 'false_positive');
  const py = ['def page_cache_key(url):', '    return hashlib.md5(url.encode()).hexdigest()'].join('\n');
  assert.equal(at(py, 'hashlib.md5', b324, 'web/pages.py').verdict, 'false_positive');
  const secret = ['function sessionEtag(sid) {', "  return crypto.createHash('md5').update(sid).digest('hex');", '}'].join('\n');
  assert.equal(at(secret, "createHash('md5')", hashRule, 'lib/headers.js').verdict, 'true_positive', 'a session word keeps it');
});

const polling = [
  'function pause(attempt) {',
  '  const ceiling = Math.min(8000, 100 * 2 ** attempt);',
  '  return ceiling * Math.random();',
  '}',
  '',
  'async function poll(check) {',
  '  for (let attempt = 0; attempt < 6; attempt += 1) {',
  '    if (await check()) return true;',
  '    await new Promise((done) => setTimeout(done, pause(attempt)));',
  '  }',
  '  return false;',
  '}',
  '',
  'function pick(count) {',
  '  return Math.floor(Math.random() * count * 1e6);',
  '}',
  '',
  'function invite(user) {',
  '  user.inviteCode = pick(36);',
  '}',
].join('\n');

test('a random fraction returned by a helper that only feeds setTimeout is a wait, not security', () => {
  const result = at(polling, 'ceiling * Math.random()', randomRule, 'client/poll.js');
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /setTimeout\(done, pause\(attempt\)\)/);
});

test('a random number returned to a caller that makes an invite code is kept', () => {
  assert.equal(at(polling, 'Math.floor(Math.random() * count * 1e6)', randomRule, 'client/poll.js').verdict, 'true_positive');
});

test('Python: a random value assigned and then slept on is jitter; one sent as a verification code is kept', () => {
  const py = [
    'import random',
    'import time',
    '',
    'def call_with_retries(fn):',
    '    for attempt in range(5):',
    '        try:',
    '            return fn()',
    '        except ConnectionError:',
    '            spread = random.uniform(0, 2 ** attempt)',
    '            time.sleep(spread)',
    '',
    'def send_code(user):',
    '    number = random.randrange(100000, 999999)',
    '    mailer.send(user.email, "Your verification code is %d" % number)',
  ].join('\n');
  const b311: Rule = { ruleId: 'B311', cwes: ['CWE-330'], tools: [{ name: 'Bandit' }] };
  const jitter = at(py, 'random.uniform(0, 2 ** attempt)', b311, 'client/retry.py');
  assert.equal(jitter.verdict, 'false_positive', jitter.justification);
  assert.match(jitter.justification, /time\.sleep\(spread\)/);
  assert.equal(at(py, 'random.randrange(100000, 999999)', b311, 'client/retry.py').verdict, 'true_positive');
});

test('a coin flip that only decides whether to log is sampling; a hash of a password that is only logged is kept', () => {
  const js = [
    'function handle(req, res) {',
    '  if (Math.random() < 0.02) {',
    "    logger.debug('sampled request', req.path);",
    '  }',
    '  const fp = md5(req.body.password);',
    '  console.log(fp);',
    '}',
  ].join('\n');
  const sampled = at(js, 'Math.random() < 0.02', randomRule, 'server/handle.js');
  assert.equal(sampled.verdict, 'false_positive', sampled.justification);
  assert.equal(at(js, 'md5(req.body.password)', hashRule, 'server/handle.js').verdict, 'true_positive');
});

test('a list shuffled for display and a content digest used as a file name are not security; a shuffled deck is kept', () => {
  const b311: Rule = { ruleId: 'B311', cwes: ['CWE-330'], tools: [{ name: 'Bandit' }] };
  const py = [
    'def quiz(questions):',
    '    random.shuffle(questions)',
    '    return questions',
    '',
    'def deal(deck):',
    '    random.shuffle(deck)',
    '    return deck[:5]',
    '',
    'def store(data):',
    '    digest = hashlib.md5(data).hexdigest()',
    '    with open(os.path.join(BLOBS, digest), "wb") as fh:',
    '        fh.write(data)',
  ].join('\n');
  assert.equal(at(py, 'random.shuffle(questions)', b311, 'app/quiz.py').verdict, 'false_positive');
  assert.equal(at(py, 'random.shuffle(deck)', b311, 'app/quiz.py').verdict, 'true_positive');
  assert.equal(at(py, 'hashlib.md5(data)', b324, 'app/quiz.py').verdict, 'false_positive');
});

test('a weak hash set straight into an ETag header is used for caching; the same call into a signature header is not', () => {
  const file = [
    "const crypto = require('crypto');",
    '',
    'function sendPage(res, html, key) {',
    "  res.setHeader('ETag', crypto.createHash('md5').update(html).digest('hex'));",
    "  res.setHeader('X-Page-Signature', crypto.createHash('md5').update(key + html).digest('hex'));",
    "  res.setHeader('ETag', crypto.createHash('md5').update(password).digest('hex'));",
    '  res.end(html);',
    '}',
  ].join('\n');
  const etag = at(file, "'ETag', crypto.createHash('md5').update(html)", hashRule, 'src/pages.js');
  assert.equal(etag.verdict, 'false_positive', etag.justification);
  assert.ok(etag.factors.some((f) => f.id === 'defused-non-security-use'), etag.justification);
  assert.equal(at(file, 'X-Page-Signature', hashRule, 'src/pages.js').verdict, 'true_positive', 'a signature header is a security use');
  assert.equal(at(file, 'update(password)', hashRule, 'src/pages.js').verdict, 'true_positive', 'hashing a password keeps the finding whatever the header');
});
