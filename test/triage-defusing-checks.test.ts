/**
 * Checks that defuse an injection only when they guard the sink on the same value: path
 * containment (realpath/abspath + startswith, commonpath, is_relative_to, relative_to in try,
 * Node resolve + startsWith, path.relative), type conversions (int, UUID, bool, unary plus,
 * enums, typed route parameters) and allow-lists (a literal or constant collection, member
 * expressions such as `req.params.name`). Each case has the near miss that must stay a finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding, TriageResult } from '../src/domain/finding';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';

type Rule = Pick<NormalisedFinding, 'ruleId' | 'cwes' | 'tools'>;
function at(file: string, marker: string, rule: Rule, path = 'app/handler.py', occurrence = 1): TriageResult {
  const lines = file.split('\n');
  const index = lines.findIndex((line, i) => line.includes(marker) && lines.slice(0, i + 1).filter((l) => l.includes(marker)).length === occurrence);
  assert.ok(index >= 0, `marker ${marker} (${occurrence}) not in the file`);
  const window = codeWindow(file, index + 1);
  assert.ok(window);
  const finding: NormalisedFinding = { fingerprint: 'fp', severity: 'high', message: rule.ruleId, location: { path, startLine: index + 1 }, ...rule };
  return triageFinding(finding, { fixAvailable: false, ...window });
}
const sum = (r: TriageResult): number => r.factors.reduce((total, f) => total + f.weight, 0);
const pyPath: Rule = { ruleId: 'py/path-injection', cwes: ['CWE-22'], tools: [{ name: 'CodeQL' }] };
const jsPath: Rule = { ruleId: 'js/path-injection', cwes: ['CWE-22'], tools: [{ name: 'CodeQL' }] };
const fsRule: Rule = { ruleId: 'security/detect-non-literal-fs-filename', cwes: [], tools: [{ name: 'ESLint' }] };

const attachments = [
  'import os',
  'from pathlib import Path',
  'from flask import abort, request, send_file',
  '',
  'STORE = "/srv/attachments"',
  '',
  'def by_prefix(name):',
  '    wanted = os.path.abspath(os.path.join(STORE, name))',
  '    if not wanted.startswith(STORE + os.sep):',
  '        abort(403)',
  '    return send_file(wanted)',
  '',
  'def by_commonpath(tenant, name):',
  '    base = os.path.realpath(os.path.join(STORE, tenant))',
  '    full = os.path.realpath(os.path.join(base, name))',
  '    if os.path.commonpath((base, full)) != base:',
  '        raise PermissionError(name)',
  '    with open(full, "rb") as fh:',
  '        return fh.read()',
  '',
  'def by_pathlib(name):',
  '    root = Path(STORE).resolve()',
  '    item = (root / name).resolve()',
  '    if not item.is_relative_to(root):',
  '        abort(404)',
  '    return item.open("rb")',
  '',
  'def by_relative_to(name):',
  '    root = Path(STORE).resolve()',
  '    item = (root / name).resolve()',
  '    try:',
  '        item.relative_to(root)',
  '    except ValueError:',
  '        abort(404)',
  '    return open(item, "rb")',
  '',
  'def checked_but_not_left(name):',
  '    wanted = os.path.abspath(os.path.join(STORE, name))',
  '    if not wanted.startswith(STORE):',
  '        print("outside the store", wanted)',
  '    return send_file(wanted)',
  '',
  'def checked_only_sometimes(name, strict):',
  '    wanted = os.path.abspath(os.path.join(STORE, name))',
  '    if strict:',
  '        if not wanted.startswith(STORE):',
  '            abort(403)',
  '    return send_file(wanted)',
  '',
  'def checked_then_replaced(name):',
  '    wanted = os.path.abspath(os.path.join(STORE, name))',
  '    if not wanted.startswith(STORE):',
  '        abort(403)',
  '    wanted = request.args["override"]',
  '    return send_file(wanted)',
].join('\n');

test('Python containment checks that leave before the sink defuse path traversal (false positive, defused)', () => {
  for (const [marker, evidence] of [
    ['return send_file(wanted)', /wanted\.startswith\(STORE \+ os\.sep\)/],
    ['with open(full, "rb")', /commonpath\(\(base, full\)\) != base/],
    ['return item.open("rb")', /is_relative_to\(root\)/],
    ['return open(item, "rb")', /relative_to\(root\)/],
  ] as const) {
    const result = at(attachments, marker, pyPath);
    assert.equal(result.verdict, 'false_positive', `${marker}: ${result.justification}`);
    assert.equal(result.category, 'defused');
    assert.match(result.justification, evidence);
    assert.equal(sum(result), result.confidence, 'the factors add up');
  }
});

test('a containment check that does not leave, runs only on one branch, or is followed by a new value decides nothing', () => {
  assert.equal(at(attachments, 'return send_file(wanted)', pyPath, 'app/handler.py', 2).verdict, 'true_positive', 'the check only logs');
  assert.equal(at(attachments, 'return send_file(wanted)', pyPath, 'app/handler.py', 3).verdict, 'true_positive', 'the check only runs when strict');
  assert.equal(at(attachments, 'return send_file(wanted)', pyPath, 'app/handler.py', 4).verdict, 'true_positive', 'the value is replaced after the check');
});

const assets = [
  "const path = require('path');",
  "const fs = require('fs');",
  "const ROOT = path.resolve(__dirname, 'assets');",
  '',
  "router.get('/asset/:file', (req, res) => {",
  '  const file = path.resolve(ROOT, req.params.file);',
  '  if (!file.startsWith(ROOT + path.sep)) {',
  '    return res.sendStatus(403);',
  '  }',
  '  fs.createReadStream(file).pipe(res);',
  '});',
  '',
  "router.get('/doc/:file', (req, res) => {",
  '  const target = path.join(ROOT, req.params.file);',
  '  const rel = path.relative(ROOT, target);',
  "  if (rel.startsWith('..') || path.isAbsolute(rel)) return res.sendStatus(404);",
  "  res.send(fs.readFileSync(target, 'utf8'));",
  '});',
  '',
  "router.get('/raw/:file', (req, res) => {",
  '  const target = path.join(ROOT, req.params.file);',
  "  res.send(fs.readFileSync(target, 'utf8'));",
  '});',
].join('\n');

test('Node containment: path.resolve + startsWith(root + path.sep), and path.relative not starting with ".."', () => {
  const resolved = at(assets, 'fs.createReadStream(file)', jsPath, 'web/assets.js');
  assert.equal(resolved.verdict, 'false_positive', resolved.justification);
  assert.match(resolved.justification, /file\.startsWith\(ROOT \+ path\.sep\)/);
  const relative = at(assets, "res.send(fs.readFileSync(target, 'utf8'));", jsPath, 'web/assets.js');
  assert.equal(relative.verdict, 'false_positive', relative.justification);
  assert.match(relative.justification, /rel\.startsWith\('\.\.'\)/);
  assert.equal(at(assets, "res.send(fs.readFileSync(target, 'utf8'));", jsPath, 'web/assets.js', 2).verdict, 'true_positive', 'no check at all');
});

const command: Rule = { ruleId: 'B603', cwes: ['CWE-78'], tools: [{ name: 'Bandit' }] };
const sql: Rule = { ruleId: 'py/sql-injection', cwes: ['CWE-89'], tools: [{ name: 'CodeQL' }] };
const conversions = [
  'import enum',
  'import subprocess',
  'import uuid',
  '',
  'class Region(enum.Enum):',
  '    EU = "eu"',
  '    US = "us"',
  '',
  'def thumbnail(request):',
  '    width = int(request.GET["w"])',
  '    subprocess.run(',
  '        "convert in.png -resize " + str(width) + " out.png",',
  '        shell=True, check=True,',
  '    )',
  '',
  'def invoice(cur, request):',
  '    ref = uuid.UUID(request.GET["ref"])',
  '    cur.execute("SELECT * FROM invoices WHERE ref = \'" + str(ref) + "\'")',
  '',
  'def by_region(cur, request):',
  '    region = Region(request.GET["region"])',
  '    cur.execute("SELECT * FROM shops WHERE region = \'%s\'" % region.value)',
  '',
  'def by_name(cur, request):',
  '    name = request.GET["name"].strip()',
  '    cur.execute("SELECT * FROM shops WHERE name = \'" + name + "\'")',
].join('\n');

test('values converted before the sink: int() in a shell string on a continuation line, uuid.UUID in SQL, an Enum lookup', () => {
  const shell = at(conversions, '"convert in.png -resize "', { ruleId: 'B602', cwes: ['CWE-78'], tools: [{ name: 'Bandit' }] });
  assert.equal(shell.verdict, 'false_positive', shell.justification);
  assert.match(shell.justification, /int\(request\.GET\["w"\]\)/);
  const ref = at(conversions, 'WHERE ref =', sql);
  assert.equal(ref.verdict, 'false_positive', ref.justification);
  assert.match(ref.justification, /UUID/);
  const region = at(conversions, 'WHERE region =', sql);
  assert.equal(region.verdict, 'false_positive', region.justification);
  assert.match(region.justification, /class Region\(enum\.Enum\)/);
  assert.equal(at(conversions, 'WHERE name =', sql).verdict, 'true_positive', 'strip() converts nothing');
});

test('an argument list reported on its continuation line is read with the call that holds it', () => {
  const file = [
    'def export(account, days):',
    '    result = subprocess.run(',
    '        ["report-tool", "--account", str(account.id), "--days", str(days)],',
    '        capture_output=True, check=True,',
    '    )',
    '    other = subprocess.run(',
    '        [account.tool, "--days", str(days)],',
    '        capture_output=True,',
    '    )',
  ].join('\n');
  assert.equal(at(file, '["report-tool"', command).verdict, 'false_positive');
  assert.equal(at(file, '[account.tool', command).verdict, 'true_positive', 'the program itself varies');
});

test('typed handler parameters (Flask converters, FastAPI annotations) and unary plus are numbers; a bare annotation is not', () => {
  const flask = [
    'from flask import Blueprint, send_file',
    'bp = Blueprint("scans", __name__)',
    '',
    '@bp.get("/scans/<int:scan_id>/pdf")',
    'def scan_pdf(scan_id):',
    '    return send_file(f"/var/scans/{scan_id}.pdf")',
    '',
    '@bp.get("/scans/<name>/pdf")',
    'def scan_by_name(name: int):',
    '    return send_file(f"/var/scans/{name}.pdf")',
  ].join('\n');
  assert.equal(at(flask, 'return send_file(f"/var/scans/{scan_id}', pyPath).verdict, 'false_positive');
  assert.equal(at(flask, 'return send_file(f"/var/scans/{name}', pyPath).verdict, 'true_positive', 'Flask does not enforce annotations');
  const fastapi = [
    'from fastapi import APIRouter',
    'router = APIRouter()',
    '',
    '@router.get("/orders/{order_id}")',
    'def order(order_id: int, db=Depends(get_db)):',
    '    return db.execute(f"SELECT * FROM orders WHERE id = {order_id}").fetchone()',
  ].join('\n');
  assert.equal(at(fastapi, 'SELECT * FROM orders', sql, 'api/orders.py').verdict, 'false_positive');
  const node = [
    "router.get('/page', async (req, res) => {",
    '  const page = +req.query.page;',
    "  const rows = await db.query('SELECT * FROM items LIMIT 20 OFFSET ' + page * 20);",
    '  res.json(rows);',
    '});',
  ].join('\n');
  assert.equal(at(node, 'OFFSET', { ruleId: 'js/sql-injection', cwes: ['CWE-89'], tools: [{ name: 'CodeQL' }] }, 'web/items.js').verdict, 'false_positive');
});

const downloads = [
  "const fs = require('fs');",
  "const path = require('path');",
  "const formats = new Set(['csv', 'json']);",
  "const DOCS = path.join(__dirname, 'docs');",
  '',
  "router.get('/report.:format', (req, res) => {",
  '  if (!formats.has(req.params.format)) return res.sendStatus(404);',
  "  res.send(fs.readFileSync(path.join(DOCS, 'report.' + req.params.format)));",
  '});',
  '',
  "router.get('/manual/:name', (req, res) => {",
  "  if (['intro.md', 'setup.md'].includes(req.params.name)) {",
  '    res.send(fs.readFileSync(path.join(DOCS, req.params.name)));',
  '  }',
  '});',
  '',
  "router.get('/any/:name', (req, res) => {",
  "  if (!formats.has(req.params.format)) return res.sendStatus(404);",
  '  res.send(fs.readFileSync(path.join(DOCS, req.params.name)));',
  '});',
  '',
  "router.get('/logged/:name', (req, res) => {",
  "  if (!formats.has(req.params.name)) console.warn('unknown', req.params.name);",
  '  res.send(fs.readFileSync(path.join(DOCS, req.params.name)));',
  '});',
].join('\n');

test('allow-lists on request members (a module-level literal Set, an inline two-entry array) defuse the sink they dominate', () => {
  const set = at(downloads, "'report.' + req.params.format", fsRule, 'web/downloads.js');
  assert.equal(set.verdict, 'false_positive', set.justification);
  assert.equal(set.category, 'defused');
  assert.match(set.justification, /formats\.has\(req\.params\.format\)/);
  const inline = at(downloads, 'res.send(fs.readFileSync(path.join(DOCS, req.params.name)));', fsRule, 'web/downloads.js');
  assert.equal(inline.verdict, 'false_positive', inline.justification);
  assert.equal(sum(inline), inline.confidence);
});

test('an allow-list on another value, or one that does not leave, decides nothing', () => {
  assert.notEqual(at(downloads, 'res.send(fs.readFileSync(path.join(DOCS, req.params.name)));', fsRule, 'web/downloads.js', 2).verdict, 'false_positive');
  assert.notEqual(at(downloads, 'res.send(fs.readFileSync(path.join(DOCS, req.params.name)));', fsRule, 'web/downloads.js', 3).verdict, 'false_positive');
  const python = [
    'EXPORTS = "/srv/exports"',
    'KINDS = ("daily", "weekly")',
    '',
    'def export(request):',
    '    if request.args["kind"] not in KINDS:',
    '        abort(400)',
    '    return send_file(os.path.join(EXPORTS, request.args["kind"] + ".csv"))',
    '',
    'def export_any(request, kinds):',
    '    if request.args["kind"] not in kinds:',
    '        abort(400)',
    '    return send_file(os.path.join(EXPORTS, request.args["kind"] + ".csv"))',
  ].join('\n');
  assert.equal(at(python, 'return send_file', pyPath).verdict, 'false_positive');
  assert.equal(at(python, 'return send_file', pyPath, 'app/handler.py', 2).verdict, 'true_positive', 'the collection is a parameter, not fixed by the code');
});

test('sinks that contain the path themselves: Flask send_from_directory, Express sendFile with a root; a root from the request is not', () => {
  const flask = [
    'def avatar(name):',
    '    return send_from_directory(current_app.config["AVATARS"], name)',
    '',
    'def anywhere(name):',
    '    return send_from_directory(request.args["dir"], name)',
  ].join('\n');
  const contained = at(flask, 'send_from_directory(current_app', pyPath);
  assert.equal(contained.verdict, 'false_positive', contained.justification);
  assert.match(contained.justification, /safe_join/);
  assert.equal(at(flask, 'send_from_directory(request.args', pyPath).verdict, 'true_positive');
  const express = [
    "router.get('/img/:name', (req, res) => {",
    "  res.sendFile(req.params.name, { root: path.join(__dirname, 'img') });",
    '});',
    "router.get('/raw/:name', (req, res) => {",
    "  res.sendFile(path.join(__dirname, 'img', req.params.name));",
    '});',
  ].join('\n');
  assert.equal(at(express, '{ root:', jsPath, 'web/img.js').verdict, 'false_positive');
  assert.equal(at(express, "res.sendFile(path.join(__dirname, 'img', req.params.name))", jsPath, 'web/img.js').verdict, 'true_positive');
});

test('a column read from a top-level table of literals, a generated UUID and an `as const` list are accounted for', () => {
  const py = [
    'SORT_COLUMNS = {"newest": "created_at DESC", "price": "price_cents"}',
    '',
    'def listing(cur, request):',
    '    order = SORT_COLUMNS[request.GET["sort"]]',
    '    cur.execute("SELECT * FROM items ORDER BY " + order)',
    '',
    'def upload(cur, blob):',
    '    name = uuid.uuid4()',
    '    cur.execute("INSERT INTO blobs (name) VALUES (\'%s\')" % name)',
  ].join('\n');
  assert.equal(at(py, 'ORDER BY', sql).verdict, 'false_positive');
  assert.equal(at(py, 'INSERT INTO blobs', sql).verdict, 'false_positive');
  const ts = [
    "const LAYOUTS = ['grid', 'list'] as const;",
    "const layouts = ['grid', 'list'] as const;",
    "router.get('/view', (req, res) => {",
    "  if (!layouts.includes(req.query.layout)) return res.sendStatus(400);",
    "  res.send(fs.readFileSync(path.join(VIEWS, req.query.layout + '.html')));",
    '});',
  ].join('\n');
  assert.equal(at(ts, "res.send(fs.readFileSync", fsRule, 'web/view.ts').verdict, 'false_positive');
});

test('a %-format whose placeholders are all numeric makes numbers of whatever it formats; one %s keeps the finding', () => {
  const py = [
    'def page(cur, request):',
    '    cur.execute("SELECT * FROM logs LIMIT %d OFFSET %d" % (request.GET["n"], request.GET["skip"]))',
    '    cur.execute("SELECT * FROM logs WHERE host = \'%s\' LIMIT %d" % (request.GET["host"], 5))',
  ].join('\n');
  const b608: Rule = { ruleId: 'B608', cwes: ['CWE-89'], tools: [{ name: 'Bandit' }] };
  const numbers = at(py, 'OFFSET %d', b608);
  assert.equal(numbers.verdict, 'false_positive', numbers.justification);
  assert.equal(numbers.factors[0]?.weight, 88);
  assert.equal(at(py, "host = '%s'", b608).verdict, 'true_positive');
});

test('Express sendFile with a root of "/" contains nothing', () => {
  const file = ["router.get('/f', (req, res) => {", "  res.sendFile(req.query.p, { root: '/' });", '});'].join('\n');
  assert.equal(at(file, "root: '/'", jsPath, 'web/f.js').verdict, 'true_positive');
});

test('pathlib: a base checked against the target\'s parents', () => {
  const py = ['def read(name):', '    target = (ROOT / name).resolve()', '    if ROOT.resolve() not in target.parents:', '        abort(404)', '    return target.read_text()'].join('\n');
  assert.equal(at(py, 'return target.read_text()', pyPath).verdict, 'false_positive');
});

test('a table of literals read in the sink, an `in`/hasOwn check, and a pattern compiled at the top of the file', () => {
  const js = [
    "const GUIDES = { intro: 'guides/intro.md', setup: 'guides/setup.md' };",
    'const SLUG = /^[a-z0-9-]+$/;',
    'const LOOSE = /[a-z0-9-]+/;',
    "router.get('/guide/:id', (req, res) => res.send(fs.readFileSync(GUIDES[req.params.id])));",
    "router.get('/page/:slug', (req, res) => {",
    '  const slug = req.params.slug;',
    '  if (!SLUG.test(slug)) return res.sendStatus(400);',
    "  res.send(fs.readFileSync(path.join(PAGES, slug + '.md')));",
    '});',
    "router.get('/loose/:slug', (req, res) => {",
    '  const slug = req.params.slug;',
    '  if (!LOOSE.test(slug)) return res.sendStatus(400);',
    "  res.send(fs.readFileSync(path.join(PAGES, slug + '.md')));",
    '});',
    "router.get('/known/:key', (req, res) => {",
    '  const key = req.params.key;',
    '  if (!Object.hasOwn(GUIDES, key)) return res.sendStatus(404);',
    "  res.send(fs.readFileSync(path.join(PAGES, key + '.md')));",
    '});',
  ].join('\n');
  assert.equal(at(js, 'GUIDES[req.params.id]', fsRule, 'web/guides.js').verdict, 'false_positive');
  assert.equal(at(js, "res.send(fs.readFileSync(path.join(PAGES, slug + '.md')));", fsRule, 'web/guides.js').verdict, 'false_positive');
  assert.notEqual(at(js, "res.send(fs.readFileSync(path.join(PAGES, slug + '.md')));", fsRule, 'web/guides.js', 2).verdict, 'false_positive', 'an unanchored pattern lets ../ through');
  assert.equal(at(js, "path.join(PAGES, key + '.md')", fsRule, 'web/guides.js').verdict, 'false_positive');
  const py = [
    'import re',
    'NAME = re.compile(r"[A-Za-z0-9_-]+")',
    '',
    'def show(request):',
    '    name = request.args["name"]',
    '    if not NAME.fullmatch(name):',
    '        abort(400)',
    '    return send_file(os.path.join(DOCS, name + ".txt"))',
    '',
    'def show_prefix(request):',
    '    name = request.args["name"]',
    '    if not NAME.match(name):',
    '        abort(400)',
    '    return send_file(os.path.join(DOCS, name + ".txt"))',
  ].join('\n');
  assert.equal(at(py, 'return send_file', pyPath).verdict, 'false_positive');
  assert.equal(at(py, 'return send_file', pyPath, 'app/handler.py', 2).verdict, 'true_positive', 're.match only anchors the start');
});
