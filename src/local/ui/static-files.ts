import { access, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { scriptJson, type LocalForgeContext } from './context';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const contentTypeOf = (path: string): string => contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';

/**
 * Resolves a request path inside a build directory; undefined for anything that would escape it
 * (`..`, encoded slashes, absolute paths).
 */
export function resolveInside(root: string, relativePath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return target === base || target.startsWith(base + sep) ? target : undefined;
}

/** Puts the context and the bridge shim in front of the page's first script, so the bundle finds `__bridge`. */
export function injectBridge(html: string, context: LocalForgeContext): string {
  const tags = `<script>window.__REMEDIATE_CONTEXT__ = ${scriptJson(context)};</script><script src="/forge/bridge-shim.js"></script>`;
  const firstScript = html.search(/<script\b/i);
  if (firstScript >= 0) return `${html.slice(0, firstScript)}${tags}\n    ${html.slice(firstScript)}`;
  const headEnd = html.search(/<\/head>/i);
  if (headEnd >= 0) return `${html.slice(0, headEnd)}${tags}\n${html.slice(headEnd)}`;
  return `${tags}\n${html}`;
}

export const buildDir = (projectDir: string, page: string): string => join(projectDir, 'static', page, 'build');

/** The newest modification time (ms) of the files under `dir`, 0 when it is missing. */
async function newestIn(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestIn(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}

/**
 * Whether every page has a build that is newer than its sources, the shared page code and the
 * resolver contract — so a host started after editing a page serves the edit, not an old bundle.
 */
export async function isBuilt(projectDir: string, pages: readonly string[]): Promise<boolean> {
  const shared = Math.max(await newestIn(join(projectDir, 'static', 'shared', 'src')), await newestIn(join(projectDir, 'src', 'contracts')));
  for (const page of pages) {
    let built: number;
    try {
      await access(join(buildDir(projectDir, page), 'index.html'));
      built = (await stat(join(buildDir(projectDir, page), 'main.js'))).mtimeMs;
    } catch {
      return false;
    }
    const sources = Math.max(shared, await newestIn(join(projectDir, 'static', page, 'src')), (await stat(join(projectDir, 'static', page, 'index.html')).catch(() => ({ mtimeMs: 0 }))).mtimeMs);
    if (sources > built) return false;
  }
  return true;
}

export async function readIfFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
