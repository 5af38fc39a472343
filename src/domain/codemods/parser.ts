/**
 * Loads web-tree-sitter and the grammar .wasm files once per process.
 *
 * Where the .wasm bytes come from, first hit wins:
 *   1. the directory given to `setGrammarDirectory(dir)`;
 *   2. the directory in env `REMEDIATE_GRAMMAR_DIR`;
 *   3. the directory of this module's file (a single-file bundle may ship its .wasm files beside itself);
 *   4. node_modules, resolved from this module (the source tree, tests);
 *   5. the bytes embedded in the bundle by scripts/embed-grammars.ts (`npm run build`): how a `forge deploy` bundle
 *      gets them, since @forge/bundler ships no file the code reads from disk (README.md, "Bundling").
 * The cache below is the only module-level state in the codemod engine; it never changes after a load.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type LanguageId = 'python' | 'javascript' | 'typescript' | 'tsx' | 'java';
export const languageIds: readonly LanguageId[] = ['python', 'javascript', 'typescript', 'tsx', 'java'];

/** Each grammar's .wasm file name and the npm package that ships it. */
const grammars: Record<LanguageId, { file: string; pkg: string }> = {
  python: { file: 'tree-sitter-python.wasm', pkg: 'tree-sitter-python' },
  javascript: { file: 'tree-sitter-javascript.wasm', pkg: 'tree-sitter-javascript' },
  typescript: { file: 'tree-sitter-typescript.wasm', pkg: 'tree-sitter-typescript' },
  tsx: { file: 'tree-sitter-tsx.wasm', pkg: 'tree-sitter-typescript' },
  java: { file: 'tree-sitter-java.wasm', pkg: 'tree-sitter-java' },
};

const RUNTIME_WASM = 'tree-sitter.wasm';

const extensions: Record<string, LanguageId> = {
  py: 'python',
  pyi: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  java: 'java',
};

/** The language a file is parsed as, by extension; undefined for files no codemod can read. */
export function languageForPath(path: string): LanguageId | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return extensions[name.slice(dot + 1).toLowerCase()];
}

/** Every .wasm file the engine loads: what scripts/embed-grammars.ts embeds, or a bundle ships beside itself. */
export function wasmFiles(): { file: string; specifier: string }[] {
  const seen = new Map<string, string>([[RUNTIME_WASM, `web-tree-sitter/${RUNTIME_WASM}`]]);
  for (const g of Object.values(grammars)) seen.set(g.file, `${g.pkg}/${g.file}`);
  return [...seen].map(([file, specifier]) => ({ file, specifier }));
}

interface LoaderCache {
  grammarDir?: string;
  runtime?: Promise<void>;
  languages: Map<LanguageId, Promise<Language>>;
}
const cache: LoaderCache = { languages: new Map() };

/**
 * Points the loader at a directory holding the .wasm files (a bundle's own directory, say).
 * Call it before the first parse: languages already loaded stay loaded.
 */
export function setGrammarDirectory(dir: string | undefined): void {
  cache.grammarDir = dir;
}

/** This module's file, whether running as ESM (source, ESM bundle) or inside a CJS bundle. */
function moduleFile(): string | undefined {
  try {
    if (typeof import.meta.url === 'string') return fileURLToPath(import.meta.url);
  } catch {
    // fall through to the CJS global
  }
  return typeof __filename === 'string' ? __filename : undefined;
}

function resolveFromNodeModules(specifier: string): string | undefined {
  const self = moduleFile();
  if (self === undefined) return undefined;
  try {
    return createRequire(self).resolve(specifier);
  } catch {
    return undefined;
  }
}

/** Absolute path of one .wasm file, or undefined when none of the four places has it. */
export function locateWasm(file: string, specifier: string): string | undefined {
  const dirs = [cache.grammarDir, process.env.REMEDIATE_GRAMMAR_DIR];
  const self = moduleFile();
  if (self !== undefined) dirs.push(dirname(self));
  for (const dir of dirs) {
    if (dir === undefined || dir === '') continue;
    const candidate = join(dir, file);
    if (existsSync(candidate)) return candidate;
  }
  return resolveFromNodeModules(specifier);
}

/**
 * web-tree-sitter is an ES module that reads `import.meta.url` while it starts. A CommonJS bundle built without
 * giving it one (esbuild leaves `import.meta` empty in CJS output) would crash inside emscripten with an unrelated
 * createRequire error; this names the cause and the build setting instead.
 */
const CJS_WITHOUT_URL =
  "web-tree-sitter cannot start: this CommonJS bundle has no import.meta.url. Build it with define { 'import.meta.url': '__bundleUrl' } " +
  "and a banner declaring __bundleUrl = require('node:url').pathToFileURL(__filename).href (see src/domain/codemods/README.md, Bundling)";

function hasModuleUrl(): boolean {
  try {
    return typeof import.meta.url === 'string';
  } catch {
    return false;
  }
}

function missing(file: string): Error {
  return new Error(
    `${file} not found: this bundle has no embedded grammars (run \`npm run build\` or \`tsx scripts/embed-grammars.ts\` before bundling), ` +
      'and none is on disk (ship it beside the bundle, or set REMEDIATE_GRAMMAR_DIR / setGrammarDirectory())',
  );
}

/**
 * The embedded bytes of one .wasm file, or undefined without them. The import is lazy, so only a process that parses
 * pays for decoding, and webpack (Forge) puts it in a chunk of its own that is loaded only then. Under tsx without a
 * prior `npm run build` the module is absent and the import fails.
 */
async function embeddedWasm(file: string): Promise<Uint8Array | undefined> {
  // `.catch`, not try/catch: @forge/bundler's webpack then refuses to build without the module ("Can't resolve
  // './grammars.generated'"), so a deploy cannot ship without the grammars. esbuild leaves it unresolved instead, and
  // such a bundle fails at the first parse with `missing()`'s remedy.
  const embedded = await import('./grammars.generated').catch(() => undefined);
  const encoded = embedded?.embeddedWasm[file];
  return encoded === undefined ? undefined : new Uint8Array(gunzipSync(Buffer.from(encoded, 'base64')));
}

/** The bytes of one .wasm file: from disk (places 1–4 above), else embedded in the bundle. */
async function wasmBytes(file: string, specifier: string): Promise<Uint8Array> {
  const path = locateWasm(file, specifier);
  if (path !== undefined) return new Uint8Array(await readFile(path));
  const embedded = await embeddedWasm(file);
  if (embedded === undefined) throw missing(file);
  return embedded;
}

function initRuntime(): Promise<void> {
  if (cache.runtime === undefined) {
    if (!hasModuleUrl()) return Promise.reject(new Error(CJS_WITHOUT_URL));
    // Without the bytes, emscripten would abort the process; wasmBytes fails as a rejected promise with the remedy instead.
    // Handing emscripten the bytes (`wasmBinary`) means it never looks for tree-sitter.wasm itself.
    cache.runtime = wasmBytes(RUNTIME_WASM, `web-tree-sitter/${RUNTIME_WASM}`)
      .then((wasmBinary) => Parser.init({ wasmBinary, locateFile: () => RUNTIME_WASM }))
      .catch((error: unknown) => {
        cache.runtime = undefined;
        throw error;
      });
  }
  return cache.runtime;
}

/** The grammar for one language, loaded on first use and cached for the life of the process. */
export function loadLanguage(id: LanguageId): Promise<Language> {
  let pending = cache.languages.get(id);
  if (pending === undefined) {
    const { file, pkg } = grammars[id];
    pending = initRuntime()
      .then(async () => Language.load(await wasmBytes(file, `${pkg}/${file}`)))
      .catch((error: unknown) => {
        cache.languages.delete(id);
        throw error;
      });
    cache.languages.set(id, pending);
  }
  return pending;
}

/**
 * Parses source text. Node offsets (`startIndex`/`endIndex`) of a tree parsed from a JS string are
 * UTF-16 code-unit offsets, i.e. plain string indices (see the non-ASCII test). The caller owns the
 * tree and must `delete()` it.
 */
export function parseWith(language: Language, source: string): Tree {
  const parser = new Parser();
  try {
    parser.setLanguage(language);
    const tree = parser.parse(source);
    if (tree === null) throw new Error('tree-sitter returned no tree');
    return tree;
  } finally {
    parser.delete();
  }
}

export async function parseSource(id: LanguageId, source: string): Promise<Tree> {
  return parseWith(await loadLanguage(id), source);
}
