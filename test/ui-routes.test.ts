import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { cp, mkdtemp, rm, stat, symlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { createUiRoutes, type LocalForgeContext } from '../src/local/ui/index';
import { bridgeShimSource } from '../src/local/ui/bridge-shim';
import { decodeContext } from '../src/local/ui/context';

const repoRoot = join(import.meta.dirname, '..');
const workspace = { slug: 'acme', uuid: '{aaaaaaaa-0000-4000-8000-000000000001}' };
const repository = { workspace: 'acme', slug: 'vulnerable-app', uuid: '{bbbbbbbb-0000-4000-8000-000000000002}' };
const calls: { workspace: string; repoSlug?: string; accountId?: string }[] = [];

function contextFor(input: { workspace: string; repoSlug?: string; accountId?: string }): LocalForgeContext | undefined {
  if (input.workspace !== 'acme') return undefined;
  if (input.repoSlug !== undefined && input.repoSlug !== repository.slug) return undefined;
  return {
    accountId: input.accountId ?? 'owner-1',
    workspaceId: workspace.uuid,
    moduleKey: input.repoSlug ? 'remediate-repository' : 'remediate-settings',
    localId: 'local-1',
    environmentType: 'DEVELOPMENT',
    locale: 'en-US',
    timezone: 'UTC',
    extension: input.repoSlug
      ? { type: 'bitbucket:repoMainMenuPage', repository: { uuid: repository.uuid, slug: repository.slug } }
      : { type: 'bitbucket:workspaceSettingsMenuPage', workspace: { uuid: workspace.uuid } },
  };
}

let server: Server;
let base = '';
let projectDir = '';

before(async () => {
  // A scratch project with the page sources but no build: the first /ui request must build it.
  projectDir = await mkdtemp(join(tmpdir(), 'remediate-ui-routes-'));
  await cp(join(repoRoot, 'static'), join(projectDir, 'static'), {
    recursive: true,
    filter: (source) => !source.split(/[\\/]/).includes('build'),
  });
  await symlink(join(repoRoot, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
  const routes = createUiRoutes({
    projectDir,
    resolveContext: async (input) => {
      calls.push(input);
      return contextFor(input);
    },
    listTargets: async () => ({ workspaces: [workspace], repositories: [repository] }),
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    routes(req, res, url).then(
      (handled) => {
        if (!handled) {
          res.writeHead(418);
          res.end('not a UI route');
        }
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(projectDir, { recursive: true, force: true });
});

const iframeSrc = (html: string): string => {
  const match = /<iframe[^>]*src="([^"]+)"/.exec(html);
  assert.ok(match?.[1], 'the page frames the app in an iframe');
  return match[1].replace(/&amp;/g, '&');
};

test('the index links every workspace settings page and repository page', async () => {
  const response = await fetch(`${base}/`);
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(html, /href="\/workspace\/acme\/settings"/);
  assert.match(html, /href="\/repository\/acme\/vulnerable-app"/);
});

test('the settings page is framed with the caller context, honouring ?accountId=', async () => {
  const plain = await (await fetch(`${base}/workspace/acme/settings`)).text();
  assert.match(plain, /Workspace settings/);
  const src = iframeSrc(plain);
  assert.match(src, /^\/ui\/settings\/\?ctx=[A-Za-z0-9_-]+$/);
  assert.equal(decodeContext(new URL(src, base).searchParams.get('ctx'))?.accountId, 'owner-1');

  const asMember = await (await fetch(`${base}/workspace/acme/settings?accountId=member-7`)).text();
  const context = decodeContext(new URL(iframeSrc(asMember), base).searchParams.get('ctx'));
  assert.equal(context?.accountId, 'member-7');
  assert.deepEqual(calls.at(-1), { workspace: 'acme', accountId: 'member-7' });
});

test('the repository page carries the repository in the context; unknown targets are 404', async () => {
  const html = await (await fetch(`${base}/repository/acme/vulnerable-app`)).text();
  const context = decodeContext(new URL(iframeSrc(html), base).searchParams.get('ctx'));
  assert.equal(context?.extension.repository?.uuid, repository.uuid);
  assert.equal((await fetch(`${base}/repository/acme/nope`)).status, 404);
  assert.equal((await fetch(`${base}/workspace/other/settings`)).status, 404);
});

test('the app page is built on first use and gets the context and shim before its bundle', async () => {
  const framed = await (await fetch(`${base}/workspace/acme/settings`)).text();
  const response = await fetch(`${base}${iframeSrc(framed)}`);
  assert.equal(response.status, 200);
  const html = await response.text();
  const contextAt = html.indexOf('window.__REMEDIATE_CONTEXT__ = {');
  const shimAt = html.indexOf('<script src="/forge/bridge-shim.js"></script>');
  const bundleAt = html.indexOf('<script src="./main.js"></script>');
  assert.ok(contextAt >= 0 && shimAt > contextAt && bundleAt > shimAt, 'context, then shim, then bundle');
  assert.match(html, /href="\.\/main\.css"/, 'assets are relative');

  const script = await fetch(`${base}/ui/settings/main.js`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type') ?? '', /javascript/);
  assert.ok((await script.text()).length > 1000);
  assert.equal((await fetch(`${base}/ui/repository/main.css`)).status, 200);
});

test('a page edited after its build is built again on the next request', async () => {
  const framed = await (await fetch(`${base}/workspace/acme/settings`)).text();
  assert.equal((await fetch(`${base}${iframeSrc(framed)}`)).status, 200);
  const bundle = join(projectDir, 'static', 'settings', 'build', 'main.js');
  const before = (await stat(bundle)).mtimeMs;
  const later = new Date(Date.now() + 60_000);
  await utimes(join(projectDir, 'static', 'shared', 'src', 'format.ts'), later, later);
  assert.equal((await fetch(`${base}${iframeSrc(framed)}`)).status, 200);
  assert.ok((await stat(bundle)).mtimeMs > before, 'rebuilt after a shared source changed');
  const after = (await stat(bundle)).mtimeMs;
  await utimes(join(projectDir, 'static', 'shared', 'src', 'format.ts'), new Date(before - 1000), new Date(before - 1000));
  assert.equal((await fetch(`${base}/ui/settings/main.css`)).status, 200);
  assert.equal((await stat(bundle)).mtimeMs, after, 'not rebuilt when nothing changed');
});

test('the app page refuses a missing context and stays inside its build folder', async () => {
  assert.equal((await fetch(`${base}/ui/settings/?ctx=not-a-context`)).status, 400);
  assert.equal((await fetch(`${base}/ui/settings/%2e%2e%2f%2e%2e%2fpackage.json`)).status, 404);
  assert.equal((await fetch(`${base}/ui/settings/..%2fsrc%2fmain.tsx`)).status, 404);
  const redirect = await fetch(`${base}/ui/repository?ctx=abc`, { redirect: 'manual' });
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get('location'), '/ui/repository/?ctx=abc');
});

test('routes that are not the UI\'s are left to the host', async () => {
  assert.equal((await fetch(`${base}/forge/invoke`, { method: 'POST', body: '{}' })).status, 418);
  assert.equal((await fetch(`${base}/healthz`)).status, 418);
  assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 418);
});

test('the bridge shim answers getContext and sends invoke to /forge/invoke', async () => {
  const served = await fetch(`${base}/forge/bridge-shim.js`);
  assert.match(served.headers.get('content-type') ?? '', /javascript/);
  assert.equal(await served.text(), bridgeShimSource);

  const context = contextFor({ workspace: 'acme', repoSlug: 'vulnerable-app' });
  const requests: { url: string; body: unknown }[] = [];
  let status = 200;
  const window: Record<string, unknown> = { __REMEDIATE_CONTEXT__: context };
  const fakeFetch = async (url: string, init: { body: string }) => {
    requests.push({ url, body: JSON.parse(init.body) });
    return {
      status,
      json: async () => ({ ok: true, data: { items: [] } }),
      text: async () => JSON.stringify({ error: { code: 'server_error', message: 'database is locked' } }),
    };
  };
  runInNewContext(bridgeShimSource, { window, fetch: fakeFetch, Promise, JSON, String });
  const bridge = window.__bridge as { callBridge(command: string, data?: unknown): Promise<unknown> };

  assert.deepEqual(await bridge.callBridge('getContext'), context);
  assert.deepEqual(await bridge.callBridge('invoke', { functionKey: 'listScans', payload: {} }), { ok: true, data: { items: [] } });
  assert.deepEqual(requests[0], { url: '/forge/invoke', body: { functionKey: 'listScans', payload: {}, context } });
  status = 503;
  await assert.rejects(bridge.callBridge('invoke', { functionKey: 'listScans' }), /503: database is locked/);
  // Flags are drawn in the framing page; without a document there is nowhere to draw one.
  assert.equal(await bridge.callBridge('showFlag', { id: 'x', title: 'Saved' }), false);
  assert.equal(await bridge.callBridge('closeFlag', { id: 'x' }), false);
  assert.equal(await bridge.callBridge('router.navigate', {}), undefined);
});

test('the source view frames the UI Kit card with the card module\'s context; its product link leads to the repository page', async () => {
  const response = await fetch(`${base}/repository/acme/vulnerable-app/source?accountId=dev-2`);
  assert.equal(response.status, 200);
  const html = await response.text();
  const src = /<iframe[^>]*id="forge-app"[^>]*src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
  assert.match(src, /^\/ui\/card\/\?ctx=/);
  const context = decodeContext(new URL(src, base).searchParams.get('ctx'));
  assert.equal(context?.moduleKey, 'remediate-card');
  assert.equal(context?.accountId, 'dev-2');
  assert.equal(context?.extension.type, 'bitbucket:repoCodeOverviewCard');
  assert.deepEqual(context?.extension.repository, { uuid: repository.uuid, slug: repository.slug });
  assert.match(context?.localId ?? '', /^ari:cloud:ecosystem::extension\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/static\/remediate-card$/);
  assert.equal((await fetch(`${base}/repository/acme/nope/source`)).status, 404);

  const card = await fetch(`${base}${src}`);
  const cardHtml = await card.text();
  const order = ['__REMEDIATE_CONTEXT__', '/forge/bridge-shim.js', '/ui/card/renderer.js', '/ui/card/main.js'].map((part) => cardHtml.indexOf(part));
  assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0))), 'context, shim, renderer, then the card bundle');
  assert.equal((await fetch(`${base}/ui/card/`)).status, 400, 'no context, no card');
  assert.equal((await fetch(`${base}/ui/card/other.js`)).status, 404);

  for (const owner of ['acme', encodeURIComponent(workspace.uuid)]) {
    const link = await fetch(`${base}/${owner}/vulnerable-app/forge/3f6d7c1e-5b2a-4c8e-9d41-2a7b6e0c9f15/development/remediate-repository`, { redirect: 'manual' });
    assert.equal(link.status, 302, owner);
    assert.equal(link.headers.get('location'), '/repository/acme/vulnerable-app');
  }
  assert.equal((await fetch(`${base}/nobody/x/forge/3f6d7c1e-5b2a-4c8e-9d41-2a7b6e0c9f15/development/remediate-repository`)).status, 418);
});
