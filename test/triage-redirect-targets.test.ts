/**
 * An open redirect set aside as "built only from literals and constants" (holdout-12's first run;
 * the code here is written for these tests): `redirect(303, url.searchParams.get('next') ?? '/')`
 * was read by its first argument, the status code, which is a literal. The target is the argument
 * after a leading status code, and a `.get('name')` read of anything the code does not build as its
 * own configuration is an unknown value, whatever its argument.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const jsRedirect = ruleFinding('js/server-side-unvalidated-url-redirection', 'CodeQL', ['CWE-601']);
const pyRedirect = ruleFinding('py/url-redirection', 'CodeQL', ['CWE-601']);
const at = (file: string[], marker: string, path = 'src/routes/logout/+server.ts', rule = jsRedirect) => triageMarked(rule, path, file.join('\n'), marker);

test('a redirect target after a status code, read from the query by a literal name, stays a finding', () => {
  const file = [
    "import { redirect } from '@sveltejs/kit';",
    'export const GET = async ({ cookies, url }) => {',
    "  cookies.delete('sid', { path: '/' });",
    "  redirect(303, url.searchParams.get('next') ?? '/');",
    '};',
  ];
  const result = at(file, 'redirect(303');
  assert.equal(result.verdict, 'true_positive', result.justification);
  assert.ok(!result.factors.some((f) => f.id.startsWith('defused-')), result.justification);
});

test('request reads by a literal name stay unknown in every shape: held in a variable, Express, Flask, a params object, an optional call', () => {
  const held = at([
    'export const GET = async ({ url }) => {',
    "  const next = url.searchParams.get('next') ?? '/';",
    '  redirect(302, next);',
    '};',
  ], 'redirect(302');
  assert.equal(held.verdict, 'true_positive', held.justification);
  const express = at([
    "app.get('/out', (req, res) => {",
    "  res.redirect(301, req.query.get?.('to'));",
    '});',
  ], 'res.redirect', 'server/routes.js');
  assert.equal(express.verdict, 'true_positive', express.justification);
  const flask = at([
    '@app.route("/login")',
    'def login():',
    '    return redirect(request.args.get("next") or "/")',
  ], 'return redirect', 'app/views.py', pyRedirect);
  assert.equal(flask.verdict, 'true_positive', flask.justification);
  const params = at([
    'export function go(params) {',
    "  return redirect(302, params.get('x'));",
    '}',
  ], 'redirect(302', 'src/lib/go.ts');
  assert.equal(params.verdict, 'true_positive', params.justification);
  const h3 = at([
    'export default defineEventHandler((event) => {',
    "  return sendRedirect(event, getQuery(event).back as string, 302);",
    '});',
  ], 'sendRedirect', 'server/api/back.get.ts');
  assert.equal(h3.verdict, 'true_positive', h3.justification);
});

test('near miss: a literal target after a status code, and a target read from the code\'s own configuration, are still fixed', () => {
  const literal = at([
    'export const GET = async ({ cookies }) => {',
    "  cookies.delete('sid', { path: '/' });",
    "  redirect(303, '/account');",
    '};',
  ], 'redirect(303');
  assert.equal(literal.verdict, 'false_positive', literal.justification);
  assert.match(literal.justification, /after its status code/);
  const configured = at([
    'export class Exit {',
    '  leave(res) {',
    "    return res.redirect(302, this.config.get('HOME_URL'));",
    '  }',
    '}',
  ], 'res.redirect', 'src/exit.ts');
  assert.equal(configured.verdict, 'false_positive', configured.justification);
  const h3 = at(['export default defineEventHandler((event) => {', "  return sendRedirect(event, '/login', 302);", '});'], 'sendRedirect', 'server/api/out.get.ts');
  assert.equal(h3.verdict, 'false_positive', h3.justification);
  assert.match(h3.justification, /after its event/);
});

test('a target passed through a local helper that keeps only same-site paths is set aside; a helper that lets `//` or `/\\` through is not', () => {
  const login = (check: string) => at([
    'function safeTarget(target) {',
    '  // Same-site paths only.',
    `  if (${check}) return '/';`,
    '  return target;',
    '}',
    'export const actions = {',
    '  default: async ({ url }) => {',
    "    redirect(303, safeTarget(url.searchParams.get('to')));",
    '  },',
    '};',
  ], 'redirect(303', 'src/routes/login/+page.server.ts');
  const safe = login("!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\\\')");
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  assert.match(safe.justification, /safeTarget/);
  const slashOnly = login("!target || !target.startsWith('/')");
  assert.equal(slashOnly.verdict, 'true_positive', slashOnly.justification);
  const noBackslash = login("!target || !target.startsWith('/') || target.startsWith('//')");
  assert.equal(noBackslash.verdict, 'true_positive', noBackslash.justification);
  const conjunction = login("!target.startsWith('/') && target.startsWith('//') || target.startsWith('/\\\\')");
  assert.equal(conjunction.verdict, 'true_positive', conjunction.justification);
});
