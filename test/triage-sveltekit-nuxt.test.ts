/**
 * What SvelteKit and Nuxt/h3 handlers read from the request, and the secrets they configure
 * (after holdout-12/13's first runs; the code here is written for these tests): a path from
 * `url.searchParams.get('file')` of a `RequestHandler`, or from `getQuery(event)`, is request data
 * (confirming the finding, and challenging a suppression whose reason it contradicts); a header
 * compared with `!==` against `useRuntimeConfig(event).x`, `$env/*\/private` or a module constant
 * holding `process.env.X` is the timing leak. Each beside its near miss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const fsRule = ruleFinding('security/detect-non-literal-fs-filename', 'ESLint', ['CWE-22']);
const timing = ruleFinding('security/detect-possible-timing-attacks', 'ESLint', ['CWE-208']);
const ids = (result: ReturnType<typeof triageMarked>) => result.factors.map((f) => f.id);

test('SvelteKit: a query parameter of a RequestHandler joined into a path is request data; the same code outside a handler is not', () => {
  const file = (header: string) => [
    "import { readFile } from 'node:fs/promises';",
    "import type { RequestHandler } from './$types';",
    header,
    "  const file = url.searchParams.get('file');",
    "  if (!file) error(400, 'file is required');",
    "  const full = path.join(PHOTOS, file);",
    '  return new Response(await readFile(full));',
    '};',
  ].join('\n');
  const handler = triageMarked(fsRule, 'src/routes/api/photos/+server.ts', file('export const GET: RequestHandler = async ({ url }) => {'), 'await readFile');
  assert.equal(handler.verdict, 'true_positive', handler.justification);
  assert.ok(ids(handler).includes('request-data'), handler.justification);
  assert.match(handler.justification, /url\.searchParams\.get\('file'\)/);
  // A helper given some URL: nothing says the URL is the request's.
  const helper = triageMarked(fsRule, 'src/lib/photos.ts', file('export const photoOf = async ({ url }) => {'), 'await readFile');
  assert.ok(!ids(helper).includes('request-data'), helper.justification);
});

test('SvelteKit: route params and cookies of a load or form action are request data', () => {
  const file = [
    "import { fail } from '@sveltejs/kit';",
    'export const actions = {',
    '  rename: async ({ params, cookies }) => {',
    "    await exec(`convert ${params.slug} out.png`);",
    "    await exec(`convert ${cookies.get('theme')} out.png`);",
    '  },',
    '};',
  ].join('\n');
  const cmd = ruleFinding('security/detect-child-process', 'ESLint', ['CWE-78']);
  const slug = triageMarked(cmd, 'src/routes/x/+page.server.ts', file, 'params.slug');
  assert.ok(ids(slug).includes('request-data'), slug.justification);
  const cookie = triageMarked(cmd, 'src/routes/x/+page.server.ts', file, "cookies.get('theme')");
  assert.ok(ids(cookie).includes('request-data'), cookie.justification);
});

test('Nuxt/h3: a query value read with getQuery is request data and challenges a suppression its reason contradicts; a validated query is not request data', () => {
  const file = (read: string) => [
    "import { readFile } from 'node:fs/promises';",
    'export default defineEventHandler(async (event) => {',
    `  const { file } = ${read};`,
    '  // eslint-disable-next-line security/detect-non-literal-fs-filename -- names come from our own export task',
    "  return readFile(join(useRuntimeConfig(event).exportDir, file), 'utf8');",
    '});',
  ].join('\n');
  const raw = triageMarked(fsRule, 'server/api/exports/download.get.ts', file('getQuery(event)'), 'return readFile');
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  assert.ok(ids(raw).includes('suppression-contradicted'), raw.justification);
  assert.match(raw.justification, /`file` reaches/);
  const validated = triageMarked(fsRule, 'server/api/exports/download.get.ts', file('await getValidatedQuery(event, Query.parse)'), 'return readFile');
  assert.ok(!ids(validated).includes('suppression-contradicted'), validated.justification);
  assert.notEqual(validated.verdict, 'true_positive', validated.justification);
  const param = triageMarked(fsRule, 'server/api/x.get.ts', file('getRouterParam(event, \'name\')').replace('const { file }', 'const file').replace(/^.*eslint-disable.*\n/m, ''), 'return readFile');
  assert.ok(ids(param).includes('request-data'), param.justification);
});

test('a request header compared with !== against a configured secret is the timing leak, in Nuxt, SvelteKit and a module constant; a public or non-secret value is not', () => {
  const nuxt = [
    'export default defineEventHandler(async (event) => {',
    "  const token = getHeader(event, 'x-device-token');",
    '  if (!token || token !== useRuntimeConfig(event).deviceWebhookToken) {',
    "    throw createError({ statusCode: 401 });",
    '  }',
    '});',
  ].join('\n');
  const confirmed = triageMarked(timing, 'server/api/device.post.ts', nuxt, 'token !==');
  assert.equal(confirmed.verdict, 'true_positive', confirmed.justification);
  assert.ok(ids(confirmed).includes('secret-vs-request'), confirmed.justification);
  const publicValue = triageMarked(timing, 'server/api/device.post.ts', nuxt.replace('deviceWebhookToken', 'deviceLabel'), 'token !==');
  assert.ok(!ids(publicValue).includes('secret-vs-request'), publicValue.justification);

  const svelte = (source: string) => [
    `import { ${source === 'static' ? 'PARTNER_API_KEY' : 'env'} } from '$env/${source === 'public' ? 'dynamic/public' : source === 'static' ? 'static/private' : 'dynamic/private'}';`,
    'export function requirePartner(request) {',
    "  const key = request.headers.get('x-api-key');",
    `  if (key !== ${source === 'static' ? 'PARTNER_API_KEY' : 'env.PARTNER_API_KEY'}) error(401, 'bad key');`,
    '}',
  ].join('\n');
  for (const source of ['dynamic', 'static']) {
    const result = triageMarked(timing, 'src/lib/server/partner.ts', svelte(source), 'key !==');
    assert.ok(ids(result).includes('secret-vs-request'), `${source}: ${result.justification}`);
  }
  const exposed = triageMarked(timing, 'src/lib/server/partner.ts', svelte('public'), 'key !==');
  assert.ok(!ids(exposed).includes('secret-vs-request'), exposed.justification);

  const held = [
    'const HOOK_SECRET = process.env.HOOK_SECRET;',
    "router.post('/hook', (req, res) => {",
    "  if (req.get('x-hook-secret') !== HOOK_SECRET) return res.sendStatus(401);",
    '});',
  ].join('\n');
  const constant = triageMarked(timing, 'src/hook.js', held, '!== HOOK_SECRET');
  assert.ok(ids(constant).includes('secret-vs-request'), constant.justification);
  const twoRequestValues = triageMarked(timing, 'src/hook.js', held.replace('!== HOOK_SECRET', "!== req.body.secretConfirm"), "!== req.body");
  assert.ok(!ids(twoRequestValues).includes('secret-vs-request'), twoRequestValues.justification);
});

test("SvelteKit: a route parameter checked by an anchored pattern whose block calls the throwing error(404, …) is set aside; a check that only logs is not", () => {
  const file = (block: string) => [
    "import { error } from '@sveltejs/kit';",
    "import type { RequestHandler } from './$types';",
    'const NAME = /^[a-z0-9-]{1,40}$/;',
    'export const GET: RequestHandler = async ({ params }) => {',
    `  if (!NAME.test(params.name)) ${block};`,
    '  return new Response(await readFile(`maps/${params.name}.pdf`));',
    '};',
  ].join('\n');
  const thrown = triageMarked(fsRule, 'src/routes/api/maps/[name]/+server.ts', file("error(404, 'no such map')"), 'await readFile');
  assert.equal(thrown.verdict, 'false_positive', thrown.justification);
  assert.match(thrown.justification, /error\(404/);
  const logged = triageMarked(fsRule, 'src/routes/api/maps/[name]/+server.ts', file("console.warn('odd map name', 404)"), 'await readFile');
  assert.equal(logged.verdict, 'true_positive', logged.justification);
  assert.ok(ids(logged).includes('request-data'), logged.justification);
});

test('Nuxt/h3: two fields of a body read with readBody (through a schema parse) compared with !== are both the client\'s; a stored token looked up with one is not', () => {
  const file = (right: string) => [
    'export default defineEventHandler(async (event) => {',
    '  const body = Register.parse(await readBody(event));',
    '  const stored = await invites.findFor(body.email);',
    `  if (body.password !== ${right}) {`,
    '    throw createError({ statusCode: 400 });',
    '  }',
    '});',
  ].join('\n');
  const client = triageMarked(timing, 'server/api/auth/register.post.ts', file('body.confirmPassword'), 'body.password !==');
  assert.equal(client.verdict, 'false_positive', client.justification);
  assert.match(client.justification, /readBody/);
  const stored = triageMarked(timing, 'server/api/auth/register.post.ts', file('stored.password'), 'body.password !==');
  assert.notEqual(stored.verdict, 'false_positive', stored.justification);
});

test('a request header compared with !== against a secret of the application\'s own configuration module is the timing leak; a module of another name, or a setting that names no secret, is not confirmed (after holdout-17\'s run)', () => {
  const route = (importLine: string, member: string) => [
    importLine,
    "router.post('/hooks/ready', async (ctx) => {",
    "  const token = ctx.get('x-hook-token');",
    `  if (token !== config.${member}) {`,
    '    ctx.status = 401;',
    '    return;',
    '  }',
    '});',
  ].join('\n');
  const own = triageMarked(timing, 'src/routes/hooks.ts', route("import { config } from '../config';", 'webhookToken'), 'if (token');
  assert.equal(own.verdict, 'true_positive', own.justification);
  assert.match(own.justification, /configuration module/);
  const required = triageMarked(timing, 'src/routes/hooks.js', route("const config = require('./config/index.js');", 'webhookToken'), 'if (token');
  assert.equal(required.verdict, 'true_positive', required.justification);
  const other = triageMarked(timing, 'src/routes/hooks.ts', route("import { config } from '../store';", 'webhookToken'), 'if (token');
  assert.notEqual(other.verdict, 'true_positive', other.justification);
  const notSecret = triageMarked(timing, 'src/routes/hooks.ts', route("import { config } from '../config';", 'region'), 'if (token');
  assert.notEqual(notSecret.verdict, 'true_positive', notSecret.justification);
});
