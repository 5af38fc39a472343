/**
 * A secret kept on a stored record (an API key, token, PIN or one-time code read from the database)
 * compared with `!==`/`==` to what the request sent is the timing leak, as a configured secret is.
 * Near misses: a stored hash, a field whose name says no secret, and a record that is itself the
 * request's body confirm nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const timing = ruleFinding('security/detect-possible-timing-attacks', 'ESLint', ['CWE-208']);
const ids = (result: ReturnType<typeof triageMarked>) => result.factors.map((f) => f.id);

const middleware = (record: string, field: string) => [
  "import { Router } from 'express';",
  "import { prisma } from '../lib/prisma';",
  'export const partnerRouter = Router();',
  'partnerRouter.use(async (req, res, next) => {',
  "  const key = req.header('x-partner-key') ?? '';",
  `  const partner = ${record};`,
  `  if (!partner || partner.${field} !== key) return res.status(401).end();`,
  '  next();',
  '});',
].join('\n');

const stored = "await prisma.partner.findFirst({ where: { name: req.header('x-partner') ?? '' } })";

test("a stored record's API key, token or PIN compared with !== to a request header is the timing leak", () => {
  for (const field of ['apiKey', 'accessToken', 'webhookSecret', 'pin', 'otpCode']) {
    const result = triageMarked(timing, 'src/routes/partner.ts', middleware(stored, field), `partner.${field} !==`);
    assert.equal(result.verdict, 'true_positive', `${field}: ${result.justification}`);
    assert.ok(ids(result).includes('secret-vs-request'), `${field}: ${result.justification}`);
    assert.match(result.justification, /read from the store at line 6/);
  }
});

test('a stored hash, a field naming no secret, or a record taken from the request body confirm nothing', () => {
  for (const field of ['apiKeyHash', 'displayName', 'hashedToken']) {
    const result = triageMarked(timing, 'src/routes/partner.ts', middleware(stored, field), `partner.${field} !==`);
    assert.ok(!ids(result).includes('secret-vs-request'), `${field}: ${result.justification}`);
  }
  const sent = triageMarked(timing, 'src/routes/partner.ts', middleware('req.body', 'apiKey'), 'partner.apiKey !==');
  assert.ok(!ids(sent).includes('secret-vs-request'), sent.justification);
});

test('Python: a stored record read through the ORM, its token compared with != to a header', () => {
  const file = [
    'def require_device(request: Request, db: Session = Depends(get_db)):',
    '    sent = request.headers.get("x-device-token", "")',
    '    device = db.query(Device).filter_by(serial=request.headers.get("x-device")).first()',
    '    if device is None or device.token != sent:',
    '        raise HTTPException(status_code=401)',
    '    return device',
  ].join('\n');
  const result = triageMarked(ruleFinding('python.lang.security.audit.timing-attack', 'Semgrep', ['CWE-208']), 'app/deps.py', file, 'device.token != sent');
  assert.ok(ids(result).includes('secret-vs-request'), result.justification);
});
