/**
 * What a value is used for confirms a finding the code would otherwise let go: a check swallowed by
 * `try/except/pass` however the check is named (or when its body refuses), a suppressed random value
 * that is a credential, a loop writing every key the request sends onto an object, a webhook MAC
 * compared with `===` after being parsed out of a header. Each beside a near miss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const b110 = ruleFinding('B110', 'Bandit', ['CWE-703'], 'low');

const roleGate = [
  'from aiohttp import web',
  '',
  'def _check_role(staff, roles):',
  '    if staff["role"] not in roles:',
  '        raise web.HTTPForbidden(text="not allowed")',
  '',
  'def _gate(staff, roles):',
  '    if staff["role"] not in roles:',
  '        raise web.HTTPForbidden(text="no")',
  '',
  'def _load_theme(staff):',
  '    return THEMES[staff["theme"]]',
  '',
  'async def wrapped(request, staff, roles):',
  '    try:',
  '        _check_role(staff, roles)',
  '    except Exception:  # by name',
  '        pass',
  '    try:',
  '        _gate(staff, roles)',
  '    except Exception:  # by body',
  '        pass',
  '    try:',
  '        self._authorize(staff)',
  '    except Exception:  # method',
  '        pass',
  '    try:',
  '        theme = _load_theme(staff)',
  '    except Exception:  # fetch only',
  '        pass',
  '    claims = None',
  '    try:',
  '        claims = _verify(cookie)',
  '    except Exception:  # kept and tested',
  '        pass',
  '    if not claims:',
  '        abort(401)',
].join('\n');

test('a swallowed check fails open whether its name starts with an underscore or only its body refuses', () => {
  for (const marker of ['# by name', '# by body', '# method']) {
    const r = triageMarked(b110, 'app/security.py', roleGate, marker);
    assert.equal(r.verdict, 'true_positive', marker);
    assert.match(r.justification, /fails open/);
  }
  assert.match(triageMarked(b110, 'app/security.py', roleGate, '# by body').justification, /_gate raises at line 9/);
  // Near miss: a helper that only looks something up fails closed and is set aside.
  const fetch = triageMarked(b110, 'app/security.py', roleGate, '# fetch only');
  assert.equal(fetch.verdict, 'false_positive');
  // A check whose result is kept and refused right after the handler fails closed.
  const kept = triageMarked(b110, 'app/security.py', roleGate, '# kept and tested');
  assert.equal(kept.verdict, 'false_positive');
  assert.match(kept.justification, /if not claims/);
});

const randomRule = ruleFinding('sonarjs/pseudo-random', 'ESLint', ['CWE-338'], 'medium');
const suppressed = [
  '/** Invite codes, emailed as a link. */',
  'export function newInviteToken(): string {',
  "  let token = '';",
  '  // eslint-disable-next-line sonarjs/pseudo-random -- only has to be unique',
  '  while (token.length < 24) token += Math.random().toString(36).slice(2);',
  '  return token.slice(0, 24);',
  '}',
  '',
  'export function linkFor(base: string): string {',
  '  // eslint-disable-next-line sonarjs/pseudo-random -- only has to be unique',
  '  const ref = Math.random().toString(36).slice(2);',
  '  return `${base}/join?invite=${ref}`;',
  '}',
  '',
  'export function rowKey(): string {',
  '  // eslint-disable-next-line sonarjs/pseudo-random -- a list key, only has to be unique',
  '  const k = Math.random().toString(36).slice(2);',
  '  return k;',
  '}',
].join('\n');

test("a suppression's reason does not hold when the random value is a credential", () => {
  const token = triageMarked(randomRule, 'src/lib/tokens.ts', suppressed, 'token += Math.random');
  assert.equal(token.verdict, 'true_positive');
  assert.match(token.justification, /reason does not hold/);
  const link = triageMarked(randomRule, 'src/lib/tokens.ts', suppressed, 'const ref = Math.random');
  assert.equal(link.verdict, 'true_positive');
  assert.match(link.justification, /put in a link/);
  // Near miss: a list key under the same comment stays the team's decision.
  const key = triageMarked(randomRule, 'src/lib/tokens.ts', suppressed, 'const k = Math.random');
  assert.equal(key.verdict, 'wont_fix');
  assert.equal(key.category, 'suppressed_in_code');
});

const objectInjection = ruleFinding('security/detect-object-injection', 'ESLint', ['CWE-915'], 'medium');
const edits = [
  "router.post('/o/:ref/edit', async (req, res) => {",
  '  const order = await Order.findOne({ where: { ref: req.params.ref } });',
  "  if (!order || order.status !== 'pending') return res.status(409).end();",
  '  for (const [key, value] of Object.entries(req.body)) {',
  "    if (key === '_csrf') continue;",
  '    (order as Record<string, unknown>)[key] = value; // every field',
  '  }',
  '  await order.save();',
  '});',
  '',
  "router.post('/o/:ref/notes', async (req, res) => {",
  '  const order = await Order.findOne({ where: { ref: req.params.ref } });',
  '  for (const [key, value] of Object.entries(req.body)) {',
  '    if (!EDITABLE.includes(key)) continue;',
  '    (order as Record<string, unknown>)[key] = value; // allowed fields',
  '  }',
  '  await order.save();',
  '});',
].join('\n');
const pyEdits = [
  'def edit(request):',
  '    job = request.dbsession.get(Job, int(request.matchdict["id"]))',
  '    for key in request.POST:',
  '        setattr(job, key, request.POST[key])  # mass',
  '    if job.approved:',
  '        notify(job)',
  '    return {"job": job}',
].join('\n');

test('an object-injection finding whose key is every key of the request body is mass assignment', () => {
  const all = triageMarked(objectInjection, 'src/routes/orders.ts', edits, '// every field');
  assert.equal(all.verdict, 'true_positive');
  assert.match(all.justification, /mass assignment/i);
  assert.ok(all.factors.some((f) => f.id === 'request-chosen-key'));
  const py = triageMarked(objectInjection, 'app/views.py', pyEdits, '# mass');
  assert.equal(py.verdict, 'true_positive');
  // Near misses: an allow-list of fields between the loop and the write, or an object none of whose
  // fields the code decides on (every field may be the user's to edit), is not confirmed here.
  const free = triageMarked(objectInjection, 'src/routes/notes.ts', [
    "router.patch('/notes/:id', async (req, res) => {",
    '  const note = await Note.findByPk(req.params.id);',
    '  for (const [key, value] of Object.entries(req.body)) {',
    '    note[key] = value; // free form',
    '  }',
    '  await note.save();',
    '});',
  ].join('\n'), '// free form');
  assert.ok(!free.factors.some((f) => f.id === 'request-chosen-key'));
  const allowed = triageMarked(objectInjection, 'src/routes/orders.ts', edits, '// allowed fields');
  assert.notEqual(allowed.verdict, 'true_positive');
  assert.ok(!allowed.factors.some((f) => f.id === 'request-chosen-key'));
});

const timing = ruleFinding('security/detect-possible-timing-attacks', 'ESLint', ['CWE-208'], 'medium');
const webhook = [
  "import { createHmac } from 'node:crypto';",
  '',
  'function verify(raw: Buffer, header: string | undefined): boolean {',
  '  if (!header) return false;',
  "  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));",
  '  const signature = parts.v1;',
  "  const hash = createHmac('sha256', config.webhookSecret).update(`${parts.t}.${raw}`).digest('hex');",
  '  return signature === hash;',
  '}',
  '',
  'function sign(body: string): string {',
  "  return createHmac('sha256', SECRET).update(body).digest('hex');",
  '}',
  '',
  "router.post('/hook', (req, res) => {",
  "  const given = req.headers['x-signature'];",
  '  const expected = sign(req.body);',
  '  if (given !== expected) return res.status(400).end();',
  "  res.send('ok');",
  '});',
  '',
  "router.post('/hook', express.raw({ type: '*/*' }), (req, res) => {",
  "  if (!verify(req.body, req.get('stripe-signature'))) return res.status(400).end();",
  '});',
  '',
  'function sameRevision(a: string, b: string): boolean {',
  '  const left = parse(a);',
  '  return left.hash === b;',
  '}',
].join('\n');

test('a webhook MAC compared with === is a timing attack, through a parsed header or a local HMAC helper', () => {
  const parsed = triageMarked(timing, 'src/routes/webhooks.ts', webhook, 'return signature === hash');
  assert.equal(parsed.verdict, 'true_positive');
  assert.match(parsed.justification, /verify.*called with the request's value/s);
  const helper = triageMarked(timing, 'src/routes/webhooks.ts', webhook, 'given !== expected');
  assert.equal(helper.verdict, 'true_positive');
  assert.match(helper.justification, /computes an HMAC/);
  // Near miss: nothing traced to a request value or a MAC: the noisy rule's doubt stands.
  const revision = triageMarked(timing, 'src/routes/webhooks.ts', webhook, 'left.hash === b');
  assert.equal(revision.verdict, 'suspicious');
});
