/**
 * A redirect target kept only when it starts with a single `/`, else a literal path, is set aside.
 * Near misses: no `//` refused, an `or`, a backslash left open outside Starlette, an outside
 * fallback, and the unguarded target of a neighbouring route stay findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const redirect = ruleFinding('py/url-redirection', 'CodeQL', ['CWE-601']);
const jsRedirect = ruleFinding('js/server-side-unvalidated-url-redirection', 'CodeQL', ['CWE-601']);

const starlette = (admit: string) => [
  'from fastapi import APIRouter',
  'from fastapi.responses import RedirectResponse',
  'router = APIRouter()',
  '',
  '@router.get("/logout")',
  'async def logout(next: str = "/"):',
  `    target = ${admit}`,
  '    return RedirectResponse(url=target)',
  '',
  '@router.get("/callback")',
  'async def callback(next: str = "/app"):',
  '    return RedirectResponse(url=next)',
].join('\n');

test('Starlette: a target kept only when it starts with a single / is set aside; the unguarded neighbour is kept', () => {
  const result = triageMarked(redirect, 'app/routes/auth.py', starlette('next if next.startswith("/") and not next.startswith("//") else "/"'), 'RedirectResponse(url=target)');
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /single `\/`/);
  const open = triageMarked(redirect, 'app/routes/auth.py', starlette('next if next.startswith("/") and not next.startswith("//") else "/"'), 'RedirectResponse(url=next)');
  assert.equal(open.verdict, 'true_positive', open.justification);
});

test('no // refused, an or, or a fallback that is not a path keep the finding', () => {
  for (const admit of ['next if next.startswith("/") else "/"', 'next if next.startswith("/") or not next.startswith("//") else "/"', 'next if next.startswith("/") and not next.startswith("//") else other']) {
    const result = triageMarked(redirect, 'app/routes/auth.py', starlette(admit), 'RedirectResponse(url=target)');
    assert.notEqual(result.verdict, 'false_positive', `${admit}: ${result.justification}`);
  }
});

test("Express: the test must also refuse /\\ (Express does not encode a backslash)", () => {
  const file = (admit: string) => [
    "app.get('/logout', (req, res) => {",
    `  const target = ${admit};`,
    '  res.redirect(target);',
    '});',
  ].join('\n');
  const full = triageMarked(jsRedirect, 'src/auth.js', file("req.query.next.startsWith('/') && !req.query.next.startsWith('//') && !req.query.next.startsWith('/\\\\') ? req.query.next : '/'"), 'res.redirect(target)');
  assert.equal(full.verdict, 'false_positive', full.justification);
  const half = triageMarked(jsRedirect, 'src/auth.js', file("req.query.next.startsWith('/') && !req.query.next.startsWith('//') ? req.query.next : '/'"), 'res.redirect(target)');
  assert.notEqual(half.verdict, 'false_positive', half.justification);
});
