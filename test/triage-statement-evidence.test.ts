/**
 * Rules added after holdout-3's first run (tuning, logged in src/domain/triage/TUNING-LOG.md), each
 * with the case it must not dismiss: a random pick from a list of literals named at the top of the
 * file, a weak hash whose purpose is named by the statement itself (the key it is stored under, the
 * name it is given, the comment above it), the bare `require('child_process')` that
 * `security/detect-child-process` reports beside every call, an `ORDER BY` column looked up in a
 * top-level dict of literals, knex's `seeds/` folder run only by a developer script, a seed
 * script whose docstring says it fills a local or demo database, a snippets folder its
 * reader (read because it sits beside the folder) loads as text, and `innerHTML` from an
 * `Intl.NumberFormat` formatter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding, TriageResult } from '../src/domain/finding';
import { codeWindow } from '../src/domain/triage/code-window';
import { collectRepositoryFacts, manifestsToRead } from '../src/domain/triage/repository-facts';
import { triageFinding } from '../src/domain/triage/triage';
import { triageMarked } from './support/triage-at';

type Bare = Omit<NormalisedFinding, 'location'>;
const tool = (name: string, ruleId: string, ruleName: string, cwe: string, weaknesses: string[] = []): Bare =>
  ({ fingerprint: `fp-${ruleId}`, ruleId, ruleName, tools: [{ name }], severity: 'medium', cwes: [cwe], message: ruleName, precision: 'medium', weaknesses });

const triageAt = (finding: Bare, path: string, file: string, marker: string): TriageResult => triageMarked(finding, path, file, marker);

const b311 = tool('Bandit', 'B311', 'blacklist', 'CWE-330', ['weak-random']);

const quiz = [
  'import random',
  '',
  'SYMBOLS = ("+", "-")',
  'ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"',
  '',
  'def puzzle():',
  '    symbol = random.choice(SYMBOLS)',
  '    return symbol',
  '',
  'def reference():',
  '    letter = random.choice(ALPHABET)',
  '    return letter',
  '',
  'def inner():',
  '    local = ["+", "-"]',
  '    pick = random.choice(local)',
  '    return pick',
].join('\n');

test('a random pick from a top-level list of a few literals is not security (false positive)', () => {
  const result = triageAt(b311, 'quiz/puzzle.py', quiz, 'symbol = random.choice(SYMBOLS)');
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.category, 'not_security');
  assert.match(result.justification, /SYMBOLS = \("\+", "-"\)/, 'the list is named as the evidence');
});

test('a random pick from a named string of many characters, or a list defined inside a function, is kept', () => {
  assert.notEqual(triageAt(b311, 'quiz/puzzle.py', quiz, 'letter = random.choice(ALPHABET)').verdict, 'false_positive');
  assert.notEqual(triageAt(b311, 'quiz/puzzle.py', quiz, 'pick = random.choice(local)').verdict, 'false_positive');
});

const b324 = tool('Bandit', 'B324', 'hashlib', 'CWE-327', ['weak-hash']);
const sonarHash = tool('ESLint', 'sonarjs/hashing', 'Make sure this weak hash algorithm is not used in a sensitive context here.', 'CWE-328', ['weak-hash']);

const pages = [
  'import hashlib',
  '',
  'def render(html):',
  '    response = HttpResponse(html)',
  '    response["ETag"] = hashlib.md5(html.encode()).hexdigest()',
  '    response["X-Token"] = hashlib.md5(html.encode()).hexdigest()',
  '    digest = hashlib.md5(b"etag").hexdigest()',
  '    return response',
].join('\n');

test('an MD5 stored under an ETag header is not security, from the statement alone (false positive)', () => {
  const result = triageAt(b324, 'pages/views.py', pages, 'response["ETag"]');
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.category, 'not_security');
  assert.match(result.justification, /ETag/);
});

test('an MD5 stored under a token header, or with the purpose word only inside the hashed data, is kept', () => {
  assert.notEqual(triageAt(b324, 'pages/views.py', pages, 'response["X-Token"]').verdict, 'false_positive');
  assert.notEqual(triageAt(b324, 'pages/views.py', pages, 'digest = hashlib.md5(b"etag")').verdict, 'false_positive');
});

const helpers = [
  "const crypto = require('crypto');",
  '',
  '// Cache key for rendered fragments.',
  "exports.fragmentKey = (body) => crypto.createHash('md5').update(body).digest('hex');",
  '',
  "exports.cacheSecret = (body) => crypto.createHash('md5').update(body).digest('hex');",
].join('\n');

test('a one-line arrow function whose name and comment say cache key is not security (false positive)', () => {
  const result = triageAt(sonarHash, 'src/lib/keys.js', helpers, 'exports.fragmentKey');
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.category, 'not_security');
});

test('a hash whose name also says secret is kept', () => {
  assert.notEqual(triageAt(sonarHash, 'src/lib/keys.js', helpers, 'exports.cacheSecret').verdict, 'false_positive');
});

const childProcess = tool('ESLint', 'security/detect-child-process', 'Detects instances of "child_process" & non-literal exec() calls', 'CWE-78', ['command-injection']);
const runner = [
  "const { exec } = require('child_process');",
  '',
  'exports.tag = (name) => new Promise((resolve) => {',
  "  exec('git tag ' + name, (err, out) => resolve(out));",
  '});',
].join('\n');

test('the bare require of child_process under detect-child-process is set aside; the exec of input beside it is kept', () => {
  const imported = triageAt(childProcess, 'src/lib/tags.js', runner, "require('child_process')");
  assert.equal(imported.verdict, 'false_positive');
  assert.equal(imported.category, 'not_security');
  assert.equal(triageAt(childProcess, 'src/lib/tags.js', runner, "exec('git tag '").verdict, 'true_positive');
});

test('an import a rule names as the problem itself is still not dismissed as import-only', () => {
  const xml = tool('Semgrep', 'python.lang.security.use-defused-xml.use-defused-xml', 'use-defused-xml', 'CWE-611', ['xxe']);
  const result = triageAt(xml, 'feeds/parse.py', 'import xml\n\ndef parse(x):\n    return xml.etree.ElementTree.fromstring(x)\n', 'import xml');
  assert.notEqual(result.verdict, 'false_positive');
});

const b608 = tool('Bandit', 'B608', 'hardcoded_sql_expressions', 'CWE-89', ['sql-injection']);
const listing = [
  'from django.db import connection',
  '',
  'COLUMNS = {"name": "title", "age": "created_at"}',
  'MIXED = {"name": "title", "raw": RAW_COLUMN}',
  '',
  'def books(request):',
  '    column = COLUMNS.get(request.GET.get("by"), "title")',
  '    sql = "SELECT id FROM books ORDER BY " + column',
  '    return run(sql)',
  '',
  'def raw(request):',
  '    column = MIXED.get(request.GET.get("by"), "title")',
  '    sql = "SELECT id FROM books ORDER BY " + column',
  '    return run(sql)',
  '',
  'def open_default(request):',
  '    column = COLUMNS.get(request.GET.get("by"), request.GET.get("fallback"))',
  '    sql = "SELECT id FROM books ORDER BY " + column',
  '    return run(sql)',
].join('\n');

function atNth(finding: Bare, file: string, marker: string, nth: number): TriageResult {
  const lines = file.split('\n');
  const indexes = lines.flatMap((line, i) => (line.includes(marker) ? [i] : []));
  const index = indexes[nth];
  assert.ok(index !== undefined, `occurrence ${nth} of ${marker}`);
  const window = codeWindow(file, index + 1);
  assert.ok(window);
  return triageFinding({ ...finding, location: { path: 'books/views.py', startLine: index + 1 } }, { fixAvailable: false, ...window });
}

test('an ORDER BY column looked up in a top-level dict of literals, with a literal default, is defused (false positive)', () => {
  const result = atNth(b608, listing, 'sql = "SELECT id FROM books ORDER BY "', 0);
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.category, 'defused');
  assert.match(result.justification, /COLUMNS = \{/, 'the dict is named as the evidence');
});

test('a lookup in a dict holding a non-literal value, or with a default from the request, is kept', () => {
  assert.notEqual(atNth(b608, listing, 'sql = "SELECT id FROM books ORDER BY "', 1).verdict, 'false_positive');
  assert.notEqual(atNth(b608, listing, 'sql = "SELECT id FROM books ORDER BY "', 2).verdict, 'false_positive');
});

const pseudoRandom = tool('ESLint', 'sonarjs/pseudo-random', 'Make sure that using this pseudorandom number generator is safe here.', 'CWE-338', ['weak-random']);
const seedFile = "exports.seed = async (knex) => {\n  await knex('items').insert({ price: 100 + Math.floor(Math.random() * 90000) });\n};\n";

function knexFacts(scripts: Record<string, string>): ReturnType<typeof collectRepositoryFacts> {
  const files = ['shop/package.json', 'shop/seeds/01_items.js', 'shop/src/server.js'];
  return collectRepositoryFacts(files, new Map([['shop/package.json', JSON.stringify({ scripts })]]));
}

test('a knex seed file is not production when only a developer script runs `knex seed:run` (won\'t fix, with the script as evidence)', () => {
  const repository = knexFacts({ start: 'node src/server.js', seed: 'knex seed:run' });
  const lines = seedFile.split('\n');
  const window = codeWindow(seedFile, 2);
  assert.ok(window && lines.length > 1);
  const result = triageFinding({ ...pseudoRandom, location: { path: 'shop/seeds/01_items.js', startLine: 2 } }, { fixAvailable: false, ...window, repository });
  assert.equal(result.verdict, 'wont_fix');
  assert.equal(result.category, 'non_production');
  assert.match(result.justification, /knex seed:run/);
});

test('the seeds folder is not set aside when no script runs knex seeds, or when the production script does', () => {
  assert.equal(knexFacts({ start: 'node src/server.js' }).notShipped.has('shop/seeds/'), false);
  assert.equal(knexFacts({ start: 'knex seed:run && node src/server.js', seed: 'knex seed:run' }).notShipped.has('shop/seeds/'), false);
});

const b106 = tool('Bandit', 'B106', 'hardcoded_password_funcarg', 'CWE-259', ['hardcoded-credentials']);
const seedScriptText = (docstring: string): string => [
  docstring,
  'import django',
  '',
  'django.setup()',
  '',
  'User.objects.create_user(username="demo", password="demo-pass-1")',
].join('\n');

function atPassword(path: string, file: string): TriageResult {
  return triageAt(b106, path, file, 'password="demo-pass-1"');
}

test('a seed script whose docstring says it fills a local database is not production (won\'t fix, quoting the docstring)', () => {
  const result = atPassword('tools/seed_accounts.py', seedScriptText('"""Fill a local development database with demo accounts."""'));
  assert.equal(result.verdict, 'wont_fix');
  assert.equal(result.category, 'non_production');
  assert.match(result.justification, /Fill a local development database/);
});

test('the seed name alone, or the docstring alone, does not set a script aside', () => {
  assert.notEqual(atPassword('tools/seed_accounts.py', seedScriptText('"""Create the accounts the service needs at start-up."""')).verdict, 'wont_fix');
  assert.notEqual(atPassword('tools/accounts.py', seedScriptText('"""Fill a local development database with demo accounts."""')).verdict, 'wont_fix');
});

test('the code beside a snippets folder is read, and a reader that loads the folder beside its own file as text sets the folder aside', () => {
  const files = ['docs_app/views.py', 'docs_app/__init__.py', 'docs_app/snippets/client.py', 'docs_app/models.py', 'other/app.py', 'package.json'];
  // (`docs_app/__init__.py` and `other/app.py` are read as possible application entry points, for protections registered there: global-protections.ts.)
  assert.deepEqual(manifestsToRead(files).sort(), ['docs_app/__init__.py', 'docs_app/models.py', 'docs_app/views.py', 'other/app.py', 'package.json']);
  const reader = [
    'from pathlib import Path',
    'SHOWN = Path(__file__).resolve().parent / "snippets"',
    'def show(name):',
    '    return (SHOWN / name).read_text()',
  ].join('\n');
  const facts = collectRepositoryFacts(files, new Map([['docs_app/views.py', reader]]));
  const fact = facts.notShipped.get('docs_app/snippets/');
  assert.equal(fact?.category, 'non_production');
  assert.match(fact?.evidence ?? '', /docs_app\/views\.py:2 reads the files of snippets\/ beside it as text/);
});

test('a snippets folder named without reading files, or imported as code, is not set aside', () => {
  const files = ['docs_app/views.py', 'docs_app/snippets/client.py'];
  const named = 'from pathlib import Path\nSHOWN = Path(__file__).resolve().parent / "snippets"\n';
  assert.equal(collectRepositoryFacts(files, new Map([['docs_app/views.py', named]])).notShipped.size, 0);
  const imported = "const fs = require('fs');\nconst run = require(path.join(__dirname, 'snippets'));\nfs.readFileSync('x');\n";
  assert.equal(collectRepositoryFacts(['docs_app/views.js', 'docs_app/snippets/client.js'], new Map([['docs_app/views.js', imported]])).notShipped.size, 0);
});

const unsanitized = tool('ESLint', 'no-unsanitized/property', 'Unsafe assignment to innerHTML', 'CWE-79', ['xss']);
const cart = [
  "const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });",
  'const fmt = makeFormatter();',
  'function show(el, cents, label) {',
  '  el.innerHTML = price.format(cents / 100);',
  '  el.innerHTML = fmt.format(label);',
  '}',
].join('\n');

test('innerHTML set from an Intl.NumberFormat formatter\'s output is defused (false positive, naming the formatter)', () => {
  const result = triageAt(unsanitized, 'public/cart.js', cart, 'price.format(');
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.category, 'defused');
  assert.match(result.justification, /Intl\.NumberFormat/);
});

test('innerHTML set from some other object\'s format() is kept', () => {
  assert.notEqual(triageAt(unsanitized, 'public/cart.js', cart, 'fmt.format(label)').verdict, 'false_positive');
});
