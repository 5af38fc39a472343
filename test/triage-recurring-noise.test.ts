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
