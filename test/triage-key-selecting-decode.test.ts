/**
 * An unverified JWT decode whose payload only picks the key for a verified decode of the same token
 * is set aside; near misses stay findings: the unverified claims also used, the verified decode of
 * another token, or one naming no algorithms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const unverifiedRule = ruleFinding('python.jwt.security.unverified-jwt-decode.unverified-jwt-decode', 'Semgrep', ['CWE-287']);

const handler = (between: string, verified: string) => [
  'TENANT_KEYS = {"north": os.environ.get("NORTH_KEY", ""), "south": os.environ.get("SOUTH_KEY", "")}',
  '',
  'def tenant_claims(token: str) -> dict:',
  '    header_claims = jwt.decode(token, options={"verify_signature": False})',
  '    secret = TENANT_KEYS.get(header_claims.get("tenant", ""))',
  between,
  '    if not secret:',
  '        raise ValueError("unknown tenant")',
  `    return ${verified}`,
].join('\n');

test('an unverified decode that only selects the key of a verified decode of the same token is set aside', () => {
  const result = triageMarked(unverifiedRule, 'app/tenants.py', handler('', 'jwt.decode(token, secret, algorithms=["HS256"])'), 'header_claims = jwt.decode');
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /line 5: `secret = TENANT_KEYS\.get/);
});

test('unverified claims used elsewhere, another token verified, or no algorithms named keep the finding', () => {
  const cases = [
    handler('    log_in(header_claims["sub"])', 'jwt.decode(token, secret, algorithms=["HS256"])'),
    handler('', 'jwt.decode(other_token, secret, algorithms=["HS256"])'),
    handler('', 'jwt.decode(token, secret)'),
    handler('', 'header_claims'),
  ];
  for (const file of cases) {
    const result = triageMarked(unverifiedRule, 'app/tenants.py', file, 'header_claims = jwt.decode');
    assert.notEqual(result.verdict, 'false_positive', result.justification);
  }
});
