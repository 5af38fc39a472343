import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/** What `/ui/card/…` serves: the real card bundle, the renderer that stands in for Bitbucket's, and its CSS. */
export interface CardAssets {
  'main.js': string;
  'renderer.js': string;
  'card.css': string;
}

/**
 * `import ForgeReconciler from '@forge/react'` as Forge's own bundler reads it: the package is
 * CommonJS with `__esModule`, so the default import is its `default` export. esbuild applies
 * Node's reading instead (the whole `module.exports`) inside a `"type": "module"` package, so the
 * import is routed through a small module outside the package that esbuild reads the Forge way.
 */
function forgeReactInterop(projectDir: string): Plugin {
  const real = createRequire(join(projectDir, 'package.json')).resolve('@forge/react');
  return {
    name: 'forge-react-interop',
    setup(build) {
      build.onResolve({ filter: /^@forge\/react$/ }, (args) =>
        args.namespace === 'forge-react-interop' ? { path: real } : { path: '@forge/react', namespace: 'forge-react-interop' });
      build.onLoad({ filter: /.*/, namespace: 'forge-react-interop' }, () => ({
        contents: `import ForgeReconciler from '@forge/react';\nexport * from '@forge/react';\nexport default ForgeReconciler;\n`,
        loader: 'js',
        resolveDir: projectDir,
      }));
    },
  };
}

/**
 * Bundles `src/frontend/card.tsx` (the manifest's `repository-card` resource, unchanged) and the
 * local renderer for the browser with esbuild, in memory: nothing is written to the project.
 */
export async function bundleCardAssets(projectDir: string): Promise<CardAssets> {
  const { build } = await import('esbuild');
  const bundle = async (entry: string): Promise<string> => {
    const result = await build({
      absWorkingDir: projectDir,
      entryPoints: [join(projectDir, entry)],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: ['es2020'],
      jsx: 'automatic',
      minify: true,
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
      plugins: [forgeReactInterop(projectDir)],
    });
    const file = result.outputFiles[0];
    if (!file) throw new Error(`esbuild wrote nothing for ${entry}`);
    return file.text;
  };
  const [main, renderer, css] = await Promise.all([
    bundle('src/frontend/card.tsx'),
    bundle('src/local/ui/card-host/renderer.ts'),
    readFile(join(projectDir, 'src/local/ui/card-host/card.css'), 'utf8'),
  ]);
  return { 'main.js': main, 'renderer.js': renderer, 'card.css': css };
}
