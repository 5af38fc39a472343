/**
 * Code-local evidence that a finding is noise, each beside the near miss that must stay a finding:
 * a count written into innerHTML, a Fisher–Yates shuffle for display order and its numeric loop
 * indexes, a file read from the module's own folder, and a RegExp built from a local helper's
 * parameter that every caller fills with a literal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, ruleId: string, tool = 'ESLint', cwes: string[] = [], path = 'src/app.ts') =>
  triageMarked(ruleFinding(ruleId, tool, cwes), path, file, marker);

const setAside = (result: ReturnType<typeof triageAt>) => ['false_positive', 'wont_fix'].includes(result.verdict);

test('innerHTML of a count and fixed text is defused; of a field of the data it is not', () => {
  const file = [
    'function render(items) {',
    '  const open = items.filter((item) => !item.done);',
    '  badge.innerHTML = `${open.length}&nbsp;open`;',
    '  title.innerHTML = `${open[0].title}&nbsp;first`;',
    '}',
  ].join('\n');
  const count = triageAt(file, 'open.length', 'no-unsanitized/property', 'ESLint', [], 'public/app.js');
  assert.equal(count.verdict, 'false_positive', count.justification);
  assert.equal(count.category, 'defused');
  const field = triageAt(file, 'open[0].title', 'no-unsanitized/property', 'ESLint', [], 'public/app.js');
  assert.equal(field.verdict, 'true_positive', field.justification);
});

const shuffles = [
  "router.get('/api/featured', async (ctx) => {",
  '  const { rows } = await pool.query("SELECT slug FROM shows WHERE featured");',
  '  for (let i = rows.length - 1; i > 0; i--) {',
  '    const j = Math.floor(Math.random() * (i + 1));',
  '    [rows[i], rows[j]] = [rows[j], rows[i]];',
  '  }',
  '  ctx.body = rows;',
  '});',
  "router.post('/api/raffle', async (ctx) => {",
  '  const { rows: tickets } = await pool.query("SELECT id FROM entries");',
  '  for (let i = tickets.length - 1; i > 0; i--) {',
  '    const k = Math.floor(Math.random() * (i + 1));',
  '    [tickets[i], tickets[k]] = [tickets[k], tickets[i]];',
  '  }',
  '  ctx.body = { winner: tickets[0] };',
  '});',
].join('\n');

test('a Fisher–Yates shuffle for display is not a security use of randomness; a raffle draw is', () => {
  const display = triageAt(shuffles, 'const j = Math.floor', 'sonarjs/pseudo-random', 'ESLint', ['CWE-338']);
  assert.equal(display.verdict, 'false_positive', display.justification);
  assert.equal(display.category, 'not_security');
  const raffle = triageAt(shuffles, 'const k = Math.floor', 'sonarjs/pseudo-random', 'ESLint', ['CWE-338']);
  assert.equal(raffle.verdict, 'true_positive', raffle.justification);
});

test('bracket keys that are a loop counter from an array length and a floored random number are numbers', () => {
  const swap = triageAt(shuffles, '[rows[i], rows[j]]', 'security/detect-object-injection');
  assert.equal(swap.verdict, 'false_positive', swap.justification);
  const file = ["router.get('/x', (req, res) => {", '  const key = req.query.key;', '  res.send(settings[key]);', '});'].join('\n');
  const requestKey = triageAt(file, 'settings[key]', 'security/detect-object-injection');
  assert.ok(!setAside(requestKey), requestKey.justification);
});

test("a file read from the module's own folder and a literal name is defused; a name from elsewhere is not", () => {
  const file = [
    "import fs from 'node:fs';",
    "import path from 'node:path';",
    "import { fileURLToPath } from 'node:url';",
    '',
    "const templates = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');",
    "const channel = fs.readFileSync(path.join(templates, 'channel.xml'), 'utf8');",
    'const uploads = process.env.UPLOAD_DIR;',
    "const latest = fs.readFileSync(path.join(uploads, 'latest.xml'), 'utf8');",
  ].join('\n');
  const own = triageAt(file, 'channel.xml', 'security/detect-non-literal-fs-filename');
  assert.equal(own.verdict, 'false_positive', own.justification);
  assert.match(own.justification, /own folder/);
  const env = triageAt(file, 'latest.xml', 'security/detect-non-literal-fs-filename');
  assert.ok(!setAside(env), env.justification);
});

test('a RegExp built from a local helper parameter every caller fills with a literal is defused; one caller passing a variable keeps it', () => {
  const file = [
    'export function parse(xml: string, wanted: string) {',
    '  const pick = (tag: string, from: string) => from.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];',
    "  const title = pick('title', xml);",
    "  const description = pick('description', xml);",
    '  const grab = (tag: string, from: string) => from.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];',
    "  const name = grab('name', xml);",
    '  const other = grab(wanted, xml);',
    '  return { title, description, name, other };',
    '}',
  ].join('\n');
  const rule = 'javascript.lang.security.audit.detect-non-literal-regexp.detect-non-literal-regexp';
  const literal = triageAt(file, 'const pick', rule, 'Semgrep OSS', ['CWE-1333']);
  assert.equal(literal.verdict, 'false_positive', literal.justification);
  assert.match(literal.justification, /every call passes a literal/);
  const variable = triageAt(file, 'const grab', rule, 'Semgrep OSS', ['CWE-1333']);
  assert.ok(!setAside(variable), variable.justification);
});

test('request data in the flagged statement settles a noisy rule; a key from elsewhere leaves it for a person', () => {
  const file = [
    "router.post('/objects/:id', (req, res) => {",
    '  store[req.params.id] = req.body;',
    '  const shelf = lookupShelf();',
    '  res.json(store[shelf]);',
    '});',
  ].join('\n');
  const client = triageAt(file, 'store[req.params.id]', 'security/detect-object-injection');
  assert.equal(client.verdict, 'true_positive', client.justification);
  assert.match(client.justification, /req\.params\.id/);
  const internal = triageAt(file, 'store[shelf]', 'security/detect-object-injection');
  assert.equal(internal.verdict, 'suspicious', internal.justification);
});

test('pathlib paths from the module folder set at the top of the module are constants; a name joined into them is not', () => {
  const file = [
    'from pathlib import Path',
    'here = Path(__file__).resolve().parent',
    'uploads = Path(os.environ["UPLOAD_DIR"])',
    '',
    'def page():',
    '    template = here / "templates" / "page.html"',
    '    return template.read_text()',
    '',
    'def upload(name):',
    '    return (here / "uploads" / name).read_text()',
    '',
    'def latest():',
    '    target = uploads / "latest.txt"',
    '    return target.read_text()',
  ].join('\n');
  const own = triageAt(file, 'return template.read_text()', 'py/path-injection', 'CodeQL', ['CWE-22'], 'app/pages.py');
  assert.equal(own.verdict, 'false_positive', own.justification);
  const named = triageAt(file, '/ name).read_text()', 'py/path-injection', 'CodeQL', ['CWE-22'], 'app/pages.py');
  assert.ok(!setAside(named), named.justification);
  const env = triageAt(file, 'return target.read_text()', 'py/path-injection', 'CodeQL', ['CWE-22'], 'app/pages.py');
  assert.ok(!setAside(env), env.justification);
});

test("a module-level literal does not stand for a function's parameter or loop variable of the same name", () => {
  const file = [
    'name = "default"',
    '',
    'def find(name):',
    '    return db.execute("SELECT * FROM t WHERE n = \'" + name + "\'")',
    '',
    'def each(names):',
    '    for name in names:',
    '        db.execute("DELETE FROM t WHERE n = \'" + name + "\'")',
    '',
    'def fixed():',
    '    return db.execute("SELECT * FROM t WHERE n = \'" + name + "\'")',
  ].join('\n');
  const lines = file.split('\n');
  const at = (i: number) => {
    const w = codeWindow(file, i + 1);
    assert.ok(w);
    return triageFinding({ fingerprint: `m${i}`, ruleId: 'B608', tools: [{ name: 'Bandit' }], severity: 'high', cwes: ['CWE-89'], message: '', location: { path: 'app/m.py', startLine: i + 1 } }, { fixAvailable: false, ...w });
  };
  const executes = lines.map((l, i) => (l.includes('db.execute') ? i : -1)).filter((i) => i >= 0);
  assert.equal(at(executes[0] ?? 0).verdict, 'true_positive', 'a parameter');
  assert.equal(at(executes[1] ?? 0).verdict, 'true_positive', 'a loop variable');
  assert.equal(at(executes[2] ?? 0).verdict, 'false_positive', 'the module constant itself');
});
