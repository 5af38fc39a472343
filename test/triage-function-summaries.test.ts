/**
 * Functions of the application judged by their body, and checks in the shapes real code writes
 * them (written after holdout-9's first run; see src/domain/triage/TUNING-LOG.md).
 * Each is beside the near miss that must stay a finding. The code is written for these tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts } from '../src/domain/triage/repository-facts';
import { importsToRead } from '../src/domain/triage/module-imports';
import { ruleFinding, triageMarked } from './support/triage-at';

const path = (tool = 'CodeQL', rule = 'js/path-injection') => ruleFinding(rule, tool, ['CWE-22']);
const setAside = (verdict: string): boolean => verdict === 'false_positive' || verdict === 'wont_fix';

/** Facts of a small repository whose files are all read. */
const facts = (files: Record<string, string>) => collectRepositoryFacts(Object.keys(files), new Map(Object.entries(files)));

test('a helper that escapes &, <, >, and both quotes defuses markup it builds; one that escapes only < does not', () => {
  const file = [
    'function esc(s) {',
    "  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')",
    "    .replace(/\"/g, '&quot;').replace(/'/g, '&#39;');",
    '}',
    'function lt(s) {',
    "  return String(s).replace(/</g, '&lt;');",
    '}',
    "app.get('/a', (req, res) => {",
    "  res.send('<p>' + esc(req.query.name) + '</p>');",
    '});',
    "app.get('/b', (req, res) => {",
    "  res.send('<i>' + lt(req.query.name) + '</i>');",
    '});',
  ].join('\n');
  const escaped = triageMarked(ruleFinding('js/reflected-xss', 'CodeQL', ['CWE-79']), 'src/app.js', file, "'<p>' + esc(");
  assert.equal(escaped.verdict, 'false_positive', escaped.justification);
  assert.match(escaped.justification, /esc.*src\/app\.js:1/);
  const partial = triageMarked(ruleFinding('js/reflected-xss', 'CodeQL', ['CWE-79']), 'src/app.js', file, "'<i>' + lt(");
  assert.equal(partial.verdict, 'true_positive', partial.justification);
});

test('a helper imported from another module that throws unless the reference matches an anchored pattern defuses the path; a pattern without $, one allowing dots, and a check that only warns do not', () => {
  const lib = [
    "'use strict';",
    'const REF = /^[A-Z]{2}\\d{5}$/;',
    'const LOOSE = /^[A-Z]{2}\\d{5}/;',
    'const DOTTED = /^[\\w.]+$/;',
    'function assertRef(ref) {',
    "  if (typeof ref !== 'string' || !REF.test(ref)) throw new Error('bad reference');",
    '}',
    'function assertLoose(ref) {',
    "  if (!LOOSE.test(ref)) throw new Error('bad reference');",
    '}',
    'function assertDotted(ref) {',
    "  if (!DOTTED.test(ref)) throw new Error('bad reference');",
    '}',
    'function warnRef(ref) {',
    "  if (!REF.test(ref)) console.warn('odd reference', ref);",
    '}',
    'module.exports = { assertRef, assertLoose, assertDotted, warnRef };',
  ].join('\n');
  const route = (helper: string) => [
    "const fs = require('fs');",
    "const path = require('path');",
    `const { ${helper} } = require('../lib/refs');`,
    "const config = require('../config');",
    'async function upload(request) {',
    '  const ref = request.params.ref;',
    `  ${helper}(ref);`,
    '  const name = `${Date.now()}.pdf`;',
    '  await fs.promises.writeFile(path.join(config.uploadsDir, ref, name), request.payload.file);',
    '}',
  ].join('\n');
  const config = "module.exports = {\n  uploadsDir: process.env.UPLOADS_DIR || '/var/lib/app/uploads',\n};\n";
  const judge = (helper: string) => {
    const files = { 'src/lib/refs.js': lib, 'src/routes/docs.js': route(helper), 'src/config.js': config };
    return triageMarked(path('ESLint', 'security/detect-non-literal-fs-filename'), 'src/routes/docs.js', route(helper), 'writeFile(', facts(files));
  };
  const strict = judge('assertRef');
  assert.equal(strict.verdict, 'false_positive', strict.justification);
  assert.match(strict.justification, /assertRef.*src\/lib\/refs\.js:5/);
  assert.match(strict.justification, /src\/config\.js:2/);
  for (const near of ['assertLoose', 'assertDotted', 'warnRef']) assert.ok(!setAside(judge(near).verdict), `${near}: ${judge(near).justification}`);
});

test('the scan reads the repository modules a file imports, so their helpers can be judged', () => {
  const files = ['src/routes/docs.js', 'src/lib/refs.js', 'src/config.js', 'src/other.js'];
  const read = new Map([['src/routes/docs.js', "const { assertRef } = require('../lib/refs');\nconst config = require('../config');\nconst lodash = require('lodash');\n"]]);
  assert.deepEqual(importsToRead(files, read).sort(), ['src/config.js', 'src/lib/refs.js']);
});

test('Python: re.fullmatch with a module pattern and PATTERN.match with ^…$ defuse; PATTERN.match without $ does not', () => {
  const file = [
    'import os',
    'import re',
    'SLUG = r"^[a-z0-9-]+$"',
    'OPEN = re.compile(r"^[a-z0-9-]+")',
    'BASE = "/srv/pages"',
    '',
    'def page(request, slug):',
    '    if not slug or not re.fullmatch(SLUG, slug):',
    '        raise ValueError("bad slug")',
    '    return open(os.path.join(BASE, slug + ".html")).read()',
    '',
    'def other(request, slug):',
    '    if not OPEN.match(slug):',
    '        raise ValueError("bad slug")',
    '    return open(os.path.join(BASE, slug + ".txt")).read()',
  ].join('\n');
  const full = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'site/pages.py', file, 'slug + ".html"');
  assert.equal(full.verdict, 'false_positive', full.justification);
  const open = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'site/pages.py', file, 'slug + ".txt"');
  assert.ok(!setAside(open.verdict), open.justification);
});

test('a name that must carry the HMAC the server computes defuses the path; the same comparison joined with "and" does not leave when it fails', () => {
  const file = (join: 'or' | 'and') => [
    'import hashlib',
    'import hmac',
    'import os',
    'import time',
    'from .. import settings',
    '',
    'def sign(name, expires):',
    '    return hmac.new(settings.LINK_SECRET.encode(), f"{name}:{expires}".encode(), hashlib.sha256).hexdigest()',
    '',
    'class Download:',
    '    def on_get(self, req, resp, name):',
    '        expires = req.get_param_as_int("e", required=True)',
    '        given = req.get_param("s", required=True)',
    `        if expires < time.time() ${join} not hmac.compare_digest(given, sign(name, expires)):`,
    '            raise PermissionError()',
    '        resp.stream = open(os.path.join(settings.EXPORT_DIR, name), "rb")',
  ].join('\n');
  const settings = 'import os\nEXPORT_DIR = os.environ.get("EXPORT_DIR", "/var/lib/app/exports")\nLINK_SECRET = os.environ["LINK_SECRET"]\n';
  const judge = (join: 'or' | 'and') => triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'app/pkg/resources/exports.py', file(join), 'resp.stream = open(',
    facts({ 'app/pkg/resources/exports.py': file(join), 'app/pkg/settings.py': settings }));
  const signed = judge('or');
  assert.equal(signed.verdict, 'false_positive', signed.justification);
  assert.match(signed.justification, /signature the server computes/);
  assert.ok(!setAside(judge('and').verdict), judge('and').justification);
});

test('a literal passed as the development fallback of a required() helper that throws in production is set aside; a helper that only warns, and a live key format, are not', () => {
  const file = (production: string, fallback: string) => [
    "const production = process.env.NODE_ENV === 'production';",
    'function required(name, devDefault) {',
    '  const value = process.env[name];',
    '  if (value) return value;',
    `  if (production) ${production};`,
    '  return devDefault;',
    '}',
    'module.exports = {',
    `  sessionSecret: required('SESSION_SECRET', '${fallback}'),`,
    '};',
  ].join('\n');
  const judge = (production: string, fallback: string) =>
    triageMarked(ruleFinding('javascript/HardcodedNonCryptoSecret', 'SnykCode', ['CWE-547']), 'src/config.js', file(production, fallback), 'sessionSecret:');
  const refused = judge('throw new Error(`${name} must be set`)', 'local-only-session-secret');
  assert.equal(refused.verdict, 'false_positive', refused.justification);
  assert.equal(refused.category, 'defused');
  assert.doesNotMatch(refused.justification, /local-only-session-secret/);
  assert.equal(judge("console.warn('using the development default')", 'local-only-session-secret').verdict, 'true_positive');
  assert.equal(judge('throw new Error(`${name} must be set`)', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc').verdict, 'true_positive');
});

test('a Python module that raises at import when production lacks the secret, then fills it for a laptop, is set aside; a literal set after the check whatever the variable holds is not', () => {
  const file = (fill: string[]) => [
    'import os',
    'ENV = os.environ.get("APP_ENV", "development")',
    'SIGNING_KEY = os.environ.get("SIGNING_KEY", "")',
    'if ENV == "production" and not SIGNING_KEY:',
    '    raise RuntimeError("SIGNING_KEY must be set in production")',
    ...fill,
    'OTHER = 1',
  ].join('\n');
  const judge = (fill: string[]) => triageMarked(ruleFinding('B105', 'Bandit', ['CWE-259']), 'app/settings.py', file(fill), 'SIGNING_KEY = "');
  const filled = judge(['if not SIGNING_KEY:', '    SIGNING_KEY = "dev-signing-key"']);
  assert.equal(filled.verdict, 'false_positive', filled.justification);
  assert.match(filled.justification, /line 4/);
  assert.equal(judge(['SIGNING_KEY = "dev-signing-key"']).verdict, 'true_positive');
});

test('a helper converting to a number defuses SQL; one that trims does not', () => {
  const file = [
    'function toId(x) {',
    '  const n = parseInt(x, 10);',
    "  if (Number.isNaN(n)) throw new Error('bad id');",
    '  return n;',
    '}',
    'function clean(x) {',
    '  return String(x).trim();',
    '}',
    'async function one(req) {',
    '  return db.query(`SELECT * FROM parcel WHERE id = ${toId(req.params.id)}`);',
    '}',
    'async function two(req) {',
    '  return db.query(`SELECT * FROM parcel WHERE code = ${clean(req.params.code)}`);',
    '}',
  ].join('\n');
  const numeric = triageMarked(ruleFinding('javascript/Sqli', 'SnykCode', ['CWE-89']), 'src/db.js', file, 'WHERE id =');
  assert.equal(numeric.verdict, 'false_positive', numeric.justification);
  const trimmed = triageMarked(ruleFinding('javascript/Sqli', 'SnykCode', ['CWE-89']), 'src/db.js', file, 'WHERE code =');
  assert.equal(trimmed.verdict, 'true_positive', trimmed.justification);
});
