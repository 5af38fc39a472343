/**
 * Noise shapes that came back in several fresh sets, each beside the near miss that must stay a
 * finding: a private-network address of a device given as configuration, a random id written onto
 * an element the code creates, a preference cookie set by h3's `setCookie(event, …)`, and markup
 * built from a template literal whose values are all escaped or formatted numbers; and protections
 * mounted by a function of the application that receives the app (`applySecurity(app)`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, ruleId: string, path: string, cwes: string[] = []) =>
  triageMarked(ruleFinding(ruleId, 'ESLint', cwes), path, file, marker);

test('a private address of a device set as configuration is not security; a public one, an allow-list or a caller check is', () => {
  const file = [
    '// The controller on the workshop LAN answers status requests on its fixed address.',
    "const CONTROLLER_HOST = '10.40.0.12';",
    "export const config = { printerHost: process.env.PRINTER_HOST ?? '192.168.40.12' };",
    "const MIRROR_HOST = '52.14.8.200';",
    "const ADMIN_ALLOWED = ['10.0.0.5'];",
    "const CONTROLLER_URL = 'http://deploy:hunter2@10.40.0.13/api';",
    "const DB_HOST = '10.40.0.20';",
  ].join('\n');
  for (const marker of ["'10.40.0.12'", "'192.168.40.12'"]) {
    const result = triageAt(file, marker, 'sonarjs/no-hardcoded-ip', 'src/config.ts');
    assert.equal(result.verdict, 'false_positive', result.justification);
    assert.equal(result.category, 'not_security');
    assert.match(result.justification, /10\.40\.0\.12|192\.168\.40\.12/);
    assert.equal(result.factors.reduce((sum, f) => sum + f.weight, 0), result.confidence);
  }
  for (const marker of ['52.14.8.200', 'ADMIN_ALLOWED', 'hunter2', 'DB_HOST']) {
    const result = triageAt(file, marker, 'sonarjs/no-hardcoded-ip', 'src/config.ts');
    assert.equal(result.verdict, 'true_positive', `${marker}: ${result.justification}`);
  }
  // The same address in a file that compares the caller's address: it may decide who is let in.
  const gate = [
    "const OFFICE_GATEWAY = '10.40.0.1';",
    'export const fromOffice = (req) => req.ip === OFFICE_GATEWAY;',
  ].join('\n');
  const gated = triageAt(gate, "'10.40.0.1'", 'sonarjs/no-hardcoded-ip', 'src/office.ts');
  assert.equal(gated.verdict, 'true_positive', gated.justification);
});

test('a random id written onto an element the code creates is not security; one sent to the server or named as a token is', () => {
  const file = [
    '(function () {',
    '  function addRow(item) {',
    "    const row = document.createElement('tr');",
    '    row.dataset.tmpId = Math.random().toString(36).slice(2, 10);',
    "    const toast = document.createElement('div');",
    '    toast.id = `toast-${Math.random().toString(36).slice(2, 8)}`;',
    "    const form = document.createElement('form');",
    '    form.dataset.nonce = Math.random().toString(36).slice(2);',
    '  }',
    '})();',
  ].join('\n');
  for (const marker of ['row.dataset.tmpId', 'toast.id']) {
    const result = triageAt(file, marker, 'sonarjs/pseudo-random', 'public/js/editor.js', ['CWE-338']);
    assert.equal(result.verdict, 'false_positive', result.justification);
    assert.equal(result.category, 'not_security');
  }
  const nonce = triageAt(file, 'form.dataset.nonce', 'sonarjs/pseudo-random', 'public/js/editor.js', ['CWE-338']);
  assert.equal(nonce.verdict, 'true_positive', nonce.justification);
  // The row id later posted to the server: the finding stays.
  const sent = [
    "const row = document.createElement('tr');",
    'row.dataset.tmpId = Math.random().toString(36).slice(2, 10);',
    "remove.onclick = () => fetch('/lines/' + row.dataset.tmpId, { method: 'DELETE' });",
  ].join('\n');
  const posted = triageAt(sent, 'row.dataset.tmpId =', 'sonarjs/pseudo-random', 'public/js/editor.js', ['CWE-338']);
  assert.equal(posted.verdict, 'true_positive', posted.justification);
});

test("h3's setCookie(event, 'theme', …) sets a preference cookie; setCookie(event, 'session', …) does not", () => {
  const file = [
    'export default defineEventHandler(async (event) => {',
    "  setCookie(event, 'kr_theme', value, { path: '/', sameSite: 'lax' });",
    "  setCookie(event, 'session', token, { path: '/' });",
    '});',
  ].join('\n');
  const theme = triageAt(file, 'kr_theme', 'sonarjs/insecure-cookie', 'server/api/theme.post.ts', ['CWE-614']);
  assert.equal(theme.verdict, 'false_positive', theme.justification);
  assert.equal(theme.category, 'not_security');
  const session = triageAt(file, "'session'", 'sonarjs/insecure-cookie', 'server/api/theme.post.ts', ['CWE-614']);
  assert.equal(session.verdict, 'true_positive', session.justification);
});

test('markup from a template literal whose values are escaped by a local helper or formatted numbers is defused; a URL attribute is not', () => {
  const file = [
    '(function () {',
    '  function escapeHtml(text) {',
    '    return String(text)',
    "      .replace(/&/g, '&amp;')",
    "      .replace(/</g, '&lt;')",
    "      .replace(/>/g, '&gt;')",
    "      .replace(/\"/g, '&quot;')",
    "      .replace(/'/g, '&#39;');",
    '  }',
    '  function addRow(row, item) {',
    '    row.innerHTML = `<td>${escapeHtml(item.description)}</td><td>${Number(item.unitPrice).toFixed(2)}</td>`;',
    '  }',
    '  function renderList(list, routes) {',
    '    list.innerHTML = routes',
    '      .map((r) => `<li data-id="${escapeHtml(r.id)}">${escapeHtml(r.name)}</li>`)',
    "      .join('');",
    '  }',
    '  function addNote(row, item) {',
    '    row.innerHTML = `<td>${escapeHtml(item.description)}</td><td>${item.note.toUpperCase()}</td>`;',
    '  }',
    '})();',
  ].join('\n');
  for (const marker of ['Number(item.unitPrice)', 'list.innerHTML = routes']) {
    const result = triageAt(file, marker, 'no-unsanitized/property', 'public/js/editor.js', ['CWE-79']);
    assert.equal(result.verdict, 'false_positive', `${marker}: ${result.justification}`);
    assert.equal(result.category, 'defused');
  }
  // The same list with the escaped value in an `href`: escaping does not stop a `javascript:` URL.
  const links = file.replace('<li data-id="${escapeHtml(r.id)}">${escapeHtml(r.name)}</li>', '<li><a href="${escapeHtml(r.id)}">${escapeHtml(r.name)}</a></li>');
  assert.notEqual(links, file);
  const linked = triageAt(links, 'list.innerHTML = routes', 'no-unsanitized/property', 'public/js/editor.js', ['CWE-79']);
  assert.equal(linked.verdict, 'true_positive', linked.justification);
  const note = triageAt(file, 'item.note.toUpperCase()', 'no-unsanitized/property', 'public/js/editor.js', ['CWE-79']);
  assert.equal(note.verdict, 'true_positive', note.justification);
});

const facts = (contents: Record<string, string>): RepositoryFacts => collectRepositoryFacts(Object.keys(contents), new Map(Object.entries(contents)));

test('helmet and CSRF mounted by a function of the application that receives the app answer the app-level rules, in Express order', () => {
  const security = [
    "const helmet = require('helmet');",
    "const lusca = require('lusca');",
    '/** Headers and CSRF for every route mounted after it. */',
    'function applySecurity(app) {',
    '  app.use(helmet({ contentSecurityPolicy: false }));',
    '  app.use(lusca.csrf());',
    '}',
    'module.exports = { applySecurity };',
  ].join('\n');
  const server = [
    "const express = require('express');",
    "const { applySecurity } = require('./lib/security');",
    'const app = express();',
    "app.use('/webhooks', require('./routes/webhooks'));",
    'applySecurity(app);',
    "app.use('/invoices', require('./routes/invoices'));",
  ].join('\n');
  const contents = { 'package.json': '{"dependencies":{"helmet":"^7.1.0"}}', 'app.js': server, 'lib/security.js': security, 'routes/webhooks.js': '', 'routes/invoices.js': '' };
  const repository = facts(contents);
  for (const [rule, cwes] of [['sonarjs/x-powered-by', ['CWE-200']], ['javascript/UseCsurfForExpress', ['CWE-352']]] as const) {
    const result = triageMarked(ruleFinding(rule, 'ESLint', [...cwes]), 'app.js', server, 'const app = express()', repository);
    assert.equal(result.verdict, 'false_positive', `${rule}: ${result.justification}`);
    assert.equal(result.category, 'defused');
    assert.match(result.justification, /app\.js:5: `applySecurity\(app\);/);
    assert.match(result.justification, /not covered .*routes\/webhooks/);
  }
  const route = "router.post('/', (req, res) => save(req.body));\n";
  const invoices = triageMarked(ruleFinding('js/missing-token-validation', 'CodeQL', ['CWE-352']), 'routes/invoices.js', route, 'router.post', repository);
  assert.equal(invoices.verdict, 'false_positive', invoices.justification);
  // Near misses: the router mounted above the call, a helper that can leave before registering, a registration on another object.
  const hooks = triageMarked(ruleFinding('js/missing-token-validation', 'CodeQL', ['CWE-352']), 'routes/webhooks.js', route, 'router.post', repository);
  assert.equal(hooks.verdict, 'true_positive', hooks.justification);
  const early = security.replace('function applySecurity(app) {', 'function applySecurity(app) {\n  if (process.env.NO_CSRF) return;');
  const leaves = triageMarked(ruleFinding('javascript/UseCsurfForExpress', 'ESLint', ['CWE-352']), 'app.js', server, 'const app = express()', facts({ ...contents, 'lib/security.js': early }));
  assert.equal(leaves.verdict, 'true_positive', leaves.justification);
  const other = security.replace('app.use(lusca.csrf());', 'admin.use(lusca.csrf());');
  const elsewhere = triageMarked(ruleFinding('javascript/UseCsurfForExpress', 'ESLint', ['CWE-352']), 'app.js', server, 'const app = express()', facts({ ...contents, 'lib/security.js': other }));
  assert.equal(elsewhere.verdict, 'true_positive', elsewhere.justification);
  // Called only after every route: it guards nothing.
  const late = server.replace('applySecurity(app);\n', '').concat('\napplySecurity(app);');
  const after = triageMarked(ruleFinding('javascript/UseCsurfForExpress', 'ESLint', ['CWE-352']), 'app.js', late, 'const app = express()', facts({ ...contents, 'app.js': late }));
  assert.equal(after.verdict, 'true_positive', after.justification);
});

test('yaml.load with a loader the module sets only to safe loaders is defused; one that may be the full Loader is not', () => {
  const file = [
    'import yaml',
    '',
    '_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)',
    '',
    'def read(fh):',
    '    return yaml.load(fh, Loader=_LOADER)',
  ].join('\n');
  const safe = triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', file, 'yaml.load(');
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  assert.equal(safe.category, 'defused');
  assert.match(safe.justification, /line 3: _LOADER = getattr/);
  const unsafe = file.replace('getattr(yaml, "CSafeLoader", yaml.SafeLoader)', 'getattr(yaml, "CLoader", yaml.Loader)');
  assert.equal(triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', unsafe, 'yaml.load(').verdict, 'true_positive');
  // Rebound to the full loader anywhere in the file: the name may hold either.
  const rebound = `${file}\n\nif FAST:\n    _LOADER = yaml.UnsafeLoader`;
  assert.equal(triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', rebound, 'yaml.load(').verdict, 'true_positive');
  const parameter = ['import yaml', '', 'def read(fh, loader):', '    return yaml.load(fh, Loader=loader)'].join('\n');
  assert.equal(triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', parameter, 'yaml.load(').verdict, 'true_positive');
});

test('a key its vendor publishes to browsers is not a secret; a secret key of the same vendor is', () => {
  const file = [
    "const MAPBOX_TOKEN = 'pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbHgwMDAwMDAwMDAwIn0.AbCdEfGhIjKlMnOpQrStUv';",
    "const stripe = loadStripe('pk_live_51Hx00000000000000000000000');",
    "const STRIPE_KEY = 'sk_live_51Hx00000000000000000000000';",
    "const MAPBOX_UPLOAD = 'sk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbHgwMDAwMDAwMDAwIn0.AbCdEfGhIjKlMnOpQrStUv';",
    "const MAPBOX_SECRET_TOKEN = 'pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbHgwMDAwMDAwMDAwIn0.AbCdEfGhIjKlMnOpQrStUv';",
  ].join('\n');
  for (const marker of ['MAPBOX_TOKEN', 'pk_live_']) {
    const result = triageAt(file, marker, 'sonarjs/no-hardcoded-secrets', 'src/map.ts', ['CWE-798']);
    assert.equal(result.verdict, 'false_positive', `${marker}: ${result.justification}`);
    assert.equal(result.category, 'not_security');
  }
  for (const marker of ['sk_live_', 'MAPBOX_UPLOAD', 'MAPBOX_SECRET_TOKEN']) {
    const result = triageAt(file, marker, 'sonarjs/no-hardcoded-secrets', 'src/map.ts', ['CWE-798']);
    assert.equal(result.verdict, 'true_positive', `${marker}: ${result.justification}`);
  }
});

test("an MD5 of an e-mail address used only in a Gravatar URL is not security; an MD5 of a password is", () => {
  const file = [
    "import { createHash } from 'node:crypto';",
    'export function gravatarUrl(email: string): string {',
    "  const digest = createHash('md5').update(email.trim().toLowerCase()).digest('hex');",
    '  return `https://www.gravatar.com/avatar/${digest}?d=identicon`;',
    '}',
    'export function check(email: string, password: string): string {',
    "  const stored = createHash('md5').update(password).digest('hex');",
    '  return `https://www.gravatar.com/avatar/${stored}`;',
    '}',
    'export function userKey(email: string) {',
    "  const key = createHash('md5').update(email).digest('hex');",
    "  res.cookie('remember', key);",
    '  return `https://www.gravatar.com/avatar/${key}`;',
    '}',
  ].join('\n');
  const avatar = triageAt(file, 'const digest', 'sonarjs/hashing', 'src/lib/gravatar.ts', ['CWE-328']);
  assert.equal(avatar.verdict, 'false_positive', avatar.justification);
  assert.equal(avatar.category, 'not_security');
  for (const marker of ['const stored', 'const key']) {
    const result = triageAt(file, marker, 'sonarjs/hashing', 'src/lib/gravatar.ts', ['CWE-328']);
    assert.equal(result.verdict, 'true_positive', `${marker}: ${result.justification}`);
  }
});

test('dates put into SQL by isoformat() are defused; the raw parameter or a module with its own isoformat is not', () => {
  const file = [
    'from django.db import connection',
    '',
    'def occupancy(start, end):',
    '    sql = f"SELECT * FROM stays WHERE arrives < DATE \'{end.isoformat()}\' AND departs > DATE \'{start.isoformat()}\'"',
    '    raw = f"SELECT * FROM stays WHERE arrives < DATE \'{end}\'"',
    '    with connection.cursor() as cursor:',
    '        cursor.execute(sql)',
  ].join('\n');
  const dated = triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), 'stays/reports.py', file, 'sql = f"');
  assert.equal(dated.verdict, 'false_positive', dated.justification);
  assert.equal(dated.category, 'defused');
  assert.match(dated.justification, /end\.isoformat\(\)/);
  const raw = triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), 'stays/reports.py', file, 'raw = f"');
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  const own = `class Stamp:\n    def isoformat(self):\n        return self.text\n\n${file}`;
  assert.equal(triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), 'stays/reports.py', own, 'sql = f"').verdict, 'true_positive');
});

test("Bottle's sanitised FileUpload.filename after a timestamp is defused in a path; raw_filename and werkzeug's filename are not", () => {
  const file = [
    'import os',
    'from datetime import datetime',
    'from bottle import request',
    '',
    'def report():',
    '    upload = request.files.get("photo")',
    '    stamp = datetime.utcnow().strftime("%Y%m%d%H%M%S")',
    '    name = f"{stamp}-{upload.filename}"',
    '    upload.save(os.path.join(UPLOAD_DIR, name))',
    '    upload.save(os.path.join(UPLOAD_DIR, upload.raw_filename))',
  ].join('\n');
  const saved = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'swarms.py', file, 'UPLOAD_DIR, name');
  assert.equal(saved.verdict, 'false_positive', saved.justification);
  assert.equal(saved.category, 'defused');
  const raw = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'swarms.py', file, 'raw_filename');
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  // Flask (werkzeug) hands over the client's own file name: only secure_filename sanitises it.
  const flask = file.replace('from bottle import request', 'from flask import request');
  const werkzeug = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'swarms.py', flask, 'UPLOAD_DIR, name');
  assert.equal(werkzeug.verdict, 'true_positive', werkzeug.justification);
});

test("Vue's v-html of a binding made once by DOMPurify.sanitize is defused; raw HTML, a widened policy or a rebinding is not", () => {
  const component = (binding: string, extra = '') => [
    '<script setup lang="ts">',
    "import DOMPurify from 'dompurify';",
    'const props = defineProps<{ notice: { bodyHtml: string } }>();',
    binding,
    extra,
    '</script>',
    '<template>',
    '  <div v-html="safeBody" />',
    '</template>',
  ].join('\n');
  const rule = () => ruleFinding('javascript.vue.security.audit.xss.templates.avoid-v-html.avoid-v-html', 'Semgrep', ['CWE-79']);
  const purified = component("const safeBody = computed(() => DOMPurify.sanitize(props.notice.bodyHtml, { ALLOWED_TAGS: ['a', 'em', 'p'] }));");
  const safe = triageMarked(rule(), 'components/Notice.vue', purified, 'v-html');
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  assert.equal(safe.category, 'defused');
  const misses = [
    component('const safeBody = computed(() => props.notice.bodyHtml);'),
    component("const safeBody = computed(() => DOMPurify.sanitize(props.notice.bodyHtml, { ADD_TAGS: ['script'] }));"),
    component('const safeBody = ref(DOMPurify.sanitize(props.notice.bodyHtml));', 'watch(() => props.notice, (n) => { safeBody.value = n.bodyHtml; });'),
  ];
  for (const file of misses) {
    const result = triageMarked(rule(), 'components/Notice.vue', file, 'v-html');
    assert.equal(result.verdict, 'true_positive', `${file}\n${result.justification}`);
  }
});

test('a random pick whose function says it spreads work over equals is not security; a draw of a winner is', () => {
  const file = [
    'import random',
    '',
    'def allocate(stay):',
    '    """Spread dogs over the free runs so the same runs are not worn out first."""',
    '    runs = free_runs(stay)',
    '    stay.run = random.choice(runs)',
    '    return stay.run',
    '',
    'def pick_winner(entries):',
    '    """Spread the prize draw over every entry received this week."""',
    '    entries = list(entries)',
    '    winner = random.choice(entries)',
    '    return winner',
  ].join('\n');
  const spread = triageMarked(ruleFinding('B311', 'Bandit', ['CWE-330']), 'stays/allocation.py', file, 'stay.run = random.choice');
  assert.equal(spread.verdict, 'false_positive', spread.justification);
  assert.equal(spread.category, 'not_security');
  const draw = triageMarked(ruleFinding('B311', 'Bandit', ['CWE-330']), 'stays/allocation.py', file, 'winner = random.choice');
  assert.equal(draw.verdict, 'true_positive', draw.justification);
  // The docstring says only "spread the work", but the function picks a winner.
  const named = file.replace('Spread the prize draw over every entry', 'Spread the work over every entry');
  const winner = triageMarked(ruleFinding('B311', 'Bandit', ['CWE-330']), 'stays/allocation.py', named, 'winner = random.choice');
  assert.equal(winner.verdict, 'true_positive', winner.justification);
});
