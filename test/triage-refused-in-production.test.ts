/**
 * A development secret the settings refuse in production, read in two more shapes (found on
 * holdout-8's first run; the code here is written for these tests): the refusal nested in an `if`
 * that names production, and a helper that throws in production before it returns the fallback
 * every use of the constant goes to. Each beside the near miss that stays a finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const secretRule = ruleFinding('javascript/HardcodedNonCryptoSecret', 'Semgrep', ['CWE-798']);
const b105 = ruleFinding('B105', 'Bandit', ['CWE-259']);

test('a fallback secret given only to a helper that throws in production first is defused', () => {
  const helper = (check: string, extraUse = '') => [
    "const onProd = process.env.APP_STAGE === 'production';",
    "const LOCAL_SIGNING_KEY = 'ledger-laptop-signing';",
    '',
    'function fromEnv(variable, fallback) {',
    '  const given = process.env[variable];',
    '  if (given) return given;',
    `  ${check}`,
    '  return fallback;',
    '}',
    '',
    'module.exports = {',
    "  signingKey: fromEnv('SIGNING_KEY', LOCAL_SIGNING_KEY),",
    extraUse,
    '};',
  ].join('\n');
  const refused = triageMarked(secretRule, 'conf/settings.js', helper("if (onProd) throw new Error(`${variable} is required`);"), 'LOCAL_SIGNING_KEY =');
  assert.equal(refused.verdict, 'false_positive', refused.justification);
  assert.match(refused.justification, /fromEnv\(\)/);
  const warnedOnly = triageMarked(secretRule, 'conf/settings.js', helper("if (onProd) console.warn(`${variable} is not set`);"), 'LOCAL_SIGNING_KEY =');
  assert.equal(warnedOnly.verdict, 'true_positive', 'a warning does not keep the fallback out of production');
  const usedElsewhere = triageMarked(secretRule, 'conf/settings.js', helper("if (onProd) throw new Error('missing');", '  legacyKey: LOCAL_SIGNING_KEY,'), 'LOCAL_SIGNING_KEY =');
  assert.equal(usedElsewhere.verdict, 'true_positive', 'a use outside the helper reaches production');
});

test('a refusal nested in an `if` naming production counts; the same check outside one does not', () => {
  const settings = (guard: string) => [
    'import os',
    '',
    'STAGE = os.environ.get("LEDGER_STAGE", "dev")',
    '_DEV_BROKER_PASSWORD = "rabbit-on-my-laptop"',
    'BROKER_PASSWORD = os.environ.get("BROKER_PASSWORD", _DEV_BROKER_PASSWORD)',
    '',
    guard,
    '    if BROKER_PASSWORD == _DEV_BROKER_PASSWORD:',
    '        raise RuntimeError("BROKER_PASSWORD must be set")',
  ].join('\n');
  const nested = triageMarked(b105, 'ledger/settings.py', settings('if STAGE == "production":'), '_DEV_BROKER_PASSWORD = ');
  assert.equal(nested.verdict, 'false_positive', nested.justification);
  const elsewhere = triageMarked(b105, 'ledger/settings.py', settings('if STAGE == "staging":'), '_DEV_BROKER_PASSWORD = ');
  assert.equal(elsewhere.verdict, 'true_positive', elsewhere.justification);
});
