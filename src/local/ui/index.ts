import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bridgeShimSource } from './bridge-shim';
import { bundleCardAssets, type CardAssets } from './card-host/bundle';
import { appIdOf, cardContext, cardDocument, sourceViewPage } from './card-page';
import { decodeContext, encodeContext, scriptJson, type LocalForgeContext } from './context';
import { framePage, indexPage, messagePage, repositoryPath, settingsPath, type Targets, type UiPage } from './pages';
import { buildDir, contentTypeOf, injectBridge, isBuilt, readIfFile, resolveInside } from './static-files';

export type { LocalForgeContext } from './context';
export type { Targets, UiPage } from './pages';

export interface UiRoutesOptions {
  /** The project root: pages are served from `static/<page>/build/` beneath it. */
  projectDir: string;
  /** The context Forge would give the page; undefined when the workspace, repository or account is unknown. */
  resolveContext(input: { workspace: string; repoSlug?: string; accountId?: string }): Promise<LocalForgeContext | undefined>;
  listTargets(): Promise<Targets>;
}

/** Handles one request if it is a UI route and says whether it did. */
export type UiRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

const uiPages: readonly UiPage[] = ['settings', 'repository'];

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const sendHtml = (req: IncomingMessage, res: ServerResponse, status: number, html: string) =>
  send(req, res, status, 'text/html; charset=utf-8', html);

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Content-Length': '0', 'Cache-Control': 'no-store' });
  res.end();
}

function segment(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const decoded = decodeURIComponent(value);
    return decoded.length > 0 && decoded.length <= 200 && !/[/\\\0]/.test(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

export function createUiRoutes(options: UiRoutesOptions): UiRoutes {
  const { projectDir } = options;
  // Per instance, not per module: two hosts in one process build independently.
  let building: Promise<void> | undefined;

  async function ensureBuilt(): Promise<void> {
    if (await isBuilt(projectDir, uiPages)) return;
    building ??= (async () => {
      const { buildUi } = await import('../../../scripts/build-ui');
      await buildUi({ projectDir, quiet: true });
    })().finally(() => {
      building = undefined;
    });
    await building;
  }

  // The card's bundles are built in memory on first request, once per host (restart after changing the card).
  let cardAssets: Promise<CardAssets> | undefined;
  let appId: Promise<string> | undefined;

  /** `/repository/{workspace}/{repo}/source`: the source view with the app's UI Kit card in its sidebar. */
  async function sourceView(req: IncomingMessage, res: ServerResponse, url: URL, workspace: string, repoSlug: string) {
    const accountId = url.searchParams.get('accountId') ?? undefined;
    const context = await options.resolveContext({ workspace, repoSlug, ...(accountId ? { accountId } : {}) });
    if (context === undefined) {
      sendHtml(req, res, 404, messagePage('Page not found', `The local host has no repository "${workspace}/${repoSlug}"${accountId ? ` or no account "${accountId}" in it` : ''}.`));
      return;
    }
    appId ??= readFile(join(projectDir, 'manifest.yml'), 'utf8').then(appIdOf, () => appIdOf(''));
    const card = cardContext(context, await appId);
    sendHtml(req, res, 200, sourceViewPage({ workspace, repoSlug, accountId: context.accountId, cardSrc: `/ui/card/?ctx=${encodeContext(card)}` }));
  }

  async function serveCard(req: IncomingMessage, res: ServerResponse, url: URL, rest: string) {
    if (rest === '' || rest === '/' || rest === '/index.html') {
      const context = decodeContext(url.searchParams.get('ctx'));
      if (context === undefined) {
        sendHtml(req, res, 400, messagePage('No Forge context', 'Open the card through /repository/{workspace}/{repo_slug}/source, which supplies the context.'));
        return;
      }
      sendHtml(req, res, 200, cardDocument(`<script>window.__REMEDIATE_CONTEXT__ = ${scriptJson(context)};</script>`));
      return;
    }
    const name = rest.slice(1);
    if (name !== 'main.js' && name !== 'renderer.js' && name !== 'card.css') {
      send(req, res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    cardAssets ??= bundleCardAssets(projectDir).catch((error: unknown) => {
      cardAssets = undefined;
      throw error;
    });
    let assets: CardAssets;
    try {
      assets = await cardAssets;
    } catch (error) {
      send(req, res, 500, 'text/plain; charset=utf-8', `The card could not be bundled: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    send(req, res, 200, name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8', assets[name]);
  }

  /** The card's link to the repository page has Bitbucket's shape; locally it leads to the framed page. */
  async function productPageLink(res: ServerResponse, workspace: string, repoSlug: string): Promise<boolean> {
    const targets = await options.listTargets();
    const slug = targets.workspaces.find((w) => w.slug === workspace || w.uuid === workspace)?.slug;
    if (slug === undefined) return false;
    redirect(res, repositoryPath(slug, repoSlug));
    return true;
  }

  async function frame(req: IncomingMessage, res: ServerResponse, url: URL, page: UiPage, workspace: string, repoSlug?: string) {
    const accountId = url.searchParams.get('accountId') ?? undefined;
    const context = await options.resolveContext({ workspace, ...(repoSlug ? { repoSlug } : {}), ...(accountId ? { accountId } : {}) });
    if (context === undefined) {
      const what = repoSlug ? `repository "${workspace}/${repoSlug}"` : `workspace "${workspace}"`;
      const who = accountId ? ` or no account "${accountId}" in it` : '';
      sendHtml(req, res, 404, messagePage('Page not found', `The local host has no ${what}${who}.`));
      return;
    }
    const selfHref = `${page === 'repository' ? repositoryPath(workspace, repoSlug ?? '') : settingsPath(workspace)}${url.search}`;
    const html = framePage({
      page,
      workspace,
      ...(repoSlug ? { repoSlug } : {}),
      accountId: context.accountId,
      iframeSrc: `/ui/${page}/?ctx=${encodeContext(context)}`,
      selfHref,
    });
    sendHtml(req, res, 200, html);
  }

  async function serveUi(req: IncomingMessage, res: ServerResponse, url: URL, page: UiPage, rest: string) {
    if (rest === '') {
      redirect(res, `/ui/${page}/${url.search}`);
      return;
    }
    try {
      await ensureBuilt();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      sendHtml(req, res, 500, messagePage('The pages could not be built', `Run npm run build to see the error. ${detail}`));
      return;
    }
    const root = buildDir(projectDir, page);
    if (rest === '/' || rest === '/index.html') {
      const context = decodeContext(url.searchParams.get('ctx'));
      if (context === undefined) {
        sendHtml(req, res, 400, messagePage('No Forge context', `Open this page through ${page === 'settings' ? '/workspace/{workspace}/settings' : '/repository/{workspace}/{repo_slug}'}, which supplies the context.`));
        return;
      }
      const html = await readIfFile(resolveInside(root, '/index.html') ?? '');
      if (html === undefined) {
        sendHtml(req, res, 500, messagePage('Page missing', `static/${page}/build/index.html is missing; run npm run build.`));
        return;
      }
      sendHtml(req, res, 200, injectBridge(html.toString('utf8'), context));
      return;
    }
    const path = resolveInside(root, rest);
    const body = path === undefined ? undefined : await readIfFile(path);
    if (path === undefined || body === undefined) {
      send(req, res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    send(req, res, 200, contentTypeOf(path), body);
  }

  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname;
    if (path === '/') {
      sendHtml(req, res, 200, indexPage(await options.listTargets()));
      return true;
    }
    if (path === '/forge/bridge-shim.js') {
      send(req, res, 200, 'text/javascript; charset=utf-8', bridgeShimSource);
      return true;
    }
    const settings = /^\/workspace\/([^/]+)\/settings\/?$/.exec(path);
    if (settings) {
      const workspace = segment(settings[1]);
      if (workspace === undefined) return false;
      await frame(req, res, url, 'settings', workspace);
      return true;
    }
    const source = /^\/repository\/([^/]+)\/([^/]+)\/source\/?$/.exec(path);
    if (source) {
      const workspace = segment(source[1]);
      const repoSlug = segment(source[2]);
      if (workspace === undefined || repoSlug === undefined) return false;
      await sourceView(req, res, url, workspace, repoSlug);
      return true;
    }
    const productLink = /^\/([^/]+)\/([^/]+)\/forge\/[0-9a-f-]{36}\/[a-z]+\/remediate-repository\/?$/i.exec(path);
    if (productLink) {
      const workspace = segment(productLink[1]);
      const repoSlug = segment(productLink[2]);
      if (workspace === undefined || repoSlug === undefined) return false;
      return productPageLink(res, workspace, repoSlug);
    }
    const card = /^\/ui\/card(\/.*)?$/.exec(path);
    if (card) {
      await serveCard(req, res, url, card[1] ?? '');
      return true;
    }
    const repository = /^\/repository\/([^/]+)\/([^/]+)\/?$/.exec(path);
    if (repository) {
      const workspace = segment(repository[1]);
      const repoSlug = segment(repository[2]);
      if (workspace === undefined || repoSlug === undefined) return false;
      await frame(req, res, url, 'repository', workspace, repoSlug);
      return true;
    }
    const ui = /^\/ui\/(settings|repository)(\/.*)?$/.exec(path);
    if (ui) {
      const page = uiPages.find((candidate) => candidate === ui[1]);
      if (page === undefined) return false;
      await serveUi(req, res, url, page, ui[2] ?? '');
      return true;
    }
    return false;
  };
}
