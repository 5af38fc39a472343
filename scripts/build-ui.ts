/**
 * Builds the Custom UI pages (static/<page>/src/main.tsx) into static/<page>/build/ — the
 * directories manifest.yml names as resources. Assets are referenced relatively because Forge
 * serves each resource directory under its own path.
 */
import { build } from 'esbuild';
import { copyFile, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const uiPages = ['settings', 'repository'] as const;
export type UiPage = (typeof uiPages)[number];

export interface BuildUiOptions {
  /** The project root (holding static/); defaults to this script's parent folder. */
  projectDir?: string;
  /** Print nothing. */
  quiet?: boolean;
}

const defaultProjectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function buildPage(projectDir: string, page: UiPage): Promise<string[]> {
  const pageDir = join(projectDir, 'static', page);
  const outDir = join(pageDir, 'build');
  // Build beside the target and swap it in, so a host serving the old build (or a second build
  // running at the same time) never sees a half-written folder.
  const tempDir = await mkdtemp(join(pageDir, '.build-'));
  try {
    await bundle(pageDir, tempDir, projectDir);
    await rm(outDir, { recursive: true, force: true });
    await rename(tempDir, outDir).catch(async (error: unknown) => {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      // Another build finished first and left an equivalent folder.
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
  const names = await readdir(outDir);
  return names.sort().map((name) => join(outDir, name));
}

async function bundle(pageDir: string, outDir: string, projectDir: string): Promise<void> {
  await build({
    absWorkingDir: projectDir,
    entryPoints: { main: join(pageDir, 'src', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2020'],
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  await copyFile(join(pageDir, 'index.html'), join(outDir, 'index.html'));
}

export async function buildUi(options: BuildUiOptions = {}): Promise<void> {
  const projectDir = resolve(options.projectDir ?? defaultProjectDir);
  for (const page of uiPages) {
    const files = await buildPage(projectDir, page);
    if (options.quiet) continue;
    for (const file of files) {
      const { size } = await stat(file);
      console.log(`wrote ${relative(projectDir, file)} (${(size / 1024).toFixed(1)} KiB)`);
    }
  }
}

const runDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  buildUi().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
