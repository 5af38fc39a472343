import { developmentDockerfiles, productionEnvironment, type ProductionEnvironment } from './deployment-facts';
import { developmentComposeFiles, developmentDeclaredFiles } from './compose-files';
import { declaredFields, type DeclaredFields } from './declared-fields';
import { devToolingFacts } from './dev-tooling';
import { environmentFiles } from './environment-files';
import { globalProtections, protectionFilesToRead, type GlobalProtections } from './global-protections';
import { entryPointFilesToRead, productionEntryPoints, type EntryPoints } from './entry-points';
import { iniConfiguration, iniFilesToRead, unchosenInis, type IniConfiguration } from './ini-settings';
import { rootLevels, type RootLevel } from './logging-levels';
import { privateTmpContainers, type PrivateTmp } from './private-tmp';
import { imageContents } from './image-contents';
import { codeModules } from './module-imports';
import { operatorTools, type OperatorTools } from './operator-tools';
import { productionSettings, productionSettingsName, type ProductionSettings } from './production-settings';
import { pytestPaths } from './pytest-paths';
import { serverlessFacts, type LambdaCode } from './serverless-facts';
import { codeFile, fetchedAsText, textDataFolderOf } from './text-readers';
import { dirOf, joinPath as join } from './repo-paths';

/**
 * What a repository says about which of its files ship, read from its manifests rather than
 * guessed from path names: the scripts of `package.json` (what `start` runs and what only developers
 * run: Grunt/Gulp tasks, seeds), the tasks those build tools run, test runner configuration
 * (Cypress, mocha, pytest `testpaths`), Django settings chosen by `manage.py`/`pytest.ini` versus
 * `wsgi.py`/`asgi.py`/Dockerfile, Dockerfiles (code under one runs in a container), and files other
 * code opens, writes or serves by path (code kept as text data). Every fact keeps the sentence of
 * evidence a reviewer can check.
 *
 * Pure: the caller lists the repository's files once and reads the files `manifestsToRead` names
 * (plus any it already read, such as the files read for triage); the scan job can pass the result
 * to `triageFinding` as `context.repository`.
 */
export interface ShippingFact {
  category: 'non_production' | 'test_code';
  evidence: string;
  /**
   * `deployment`: the file is only left out of what is deployed; it is still in the repository, so a
   * credential committed in it is exposed to every reader and is not set aside by this fact.
   */
  scope?: 'deployment';
}

export interface ContainerRoot {
  /** The folder holding the Dockerfile ('' for the repository root). */
  dir: string;
  dockerfile: string;
  /** The CMD/ENTRYPOINT line, when there is one. */
  command?: string;
}

export interface RepositoryFacts {
  /** Files (or folders, ending in `/`) that do not ship, with why. */
  notShipped: ReadonlyMap<string, ShippingFact>;
  containers: readonly ContainerRoot[];
  /** Protections registered for every route (`global-protections.ts`). */
  protections?: GlobalProtections;
  /** What DTOs, entities and schemas read declare about their fields (`declared-fields.ts`). */
  declared?: DeclaredFields;
  /** Environment variables the production deployment files set, with the line that sets each (`deployment-facts.ts`). */
  productionEnvironment?: ProductionEnvironment;
  /** Code a serverless template deploys as Lambda functions (`serverless-facts.ts`). */
  lambdaCode?: LambdaCode;
  /** Django settings modules production runs and the bases they extend (`production-settings.ts`). */
  productionSettings?: readonly ProductionSettings[];
  /** Programs only an operator starts, and the subcommands production runs of its CLIs (`operator-tools.ts`). */
  operatorTools?: OperatorTools;
  /** The code files read, as lines: their functions and settings are judged by their body (`module-imports.ts`). */
  modules?: ReadonlyMap<string, readonly string[]>;
  /** Containers whose `/tmp` is private to one non-root application (`private-tmp.ts`). */
  privateTmp?: readonly PrivateTmp[];
  /** Paste/Pyramid `.ini` files and the one production chooses (`ini-settings.ts`). */
  ini?: IniConfiguration;
  /** What production starts (`entry-points.ts`). */
  entryPoints?: EntryPoints;
  /** Compose files and Dockerfiles whose opening comment says development (`compose-files.ts`), with that comment. */
  developmentDeclared?: ReadonlyMap<string, string>;
  /** The root logging level production's programs set (`logging-levels.ts`). */
  rootLevels?: readonly RootLevel[];
  /** Data files the repository holds (YAML, JSON, TOML): what a module loads from its own folder is one of them (`package-data.ts`). */
  dataFiles?: ReadonlySet<string>;
}

const manifestName = /(^|\/)(package\.json|\.dockerignore|GNUmakefile|[Mm]akefile|[Jj]ustfile|\.justfile|Taskfile\.ya?ml|noxfile\.py|(?:docker-)?compose[\w.-]*\.ya?ml|Gruntfile\.(js|coffee)|[Gg]ulpfile\.js|Dockerfile[\w.-]*|Procfile|fly\.toml|template\.ya?ml|serverless\.ya?ml|pytest\.ini|setup\.cfg|tox\.ini|pyproject\.toml|manage\.py|wsgi\.py|asgi\.py|cypress\.config\.[jt]s|cypress\.json|\.mocharc\.(json|js|yml|yaml))$/;
const skipped = /(^|\/)(node_modules|vendor|\.git|dist|build)\//;

/**
 * At most this many of `manifestsToRead` are read per scan (the scan job and the evaluation alike),
 * most telling first; files triage read for its findings come on top at no cost.
 */
export const MAX_FACT_FILES = 40;

/**
 * The files whose contents `collectRepositoryFacts` reads: manifests, build-tool files, test and
 * Django configuration, then the possible readers of code kept as text and the files that declare
 * what values may reach the code (below). The scan job reads the first `MAX_FACT_FILES`.
 */
export function manifestsToRead(files: readonly string[]): string[] {
  const manifests = files.filter((file) => (manifestName.test(file) || productionSettingsName.test(file)) && !skipped.test(file) && file.split('/').length <= 4);
  return [...new Set([...manifests, ...iniFilesToRead(files), ...entryPointFilesToRead(files), ...possibleTextReaders(files), ...declarationFiles(files), ...protectionFilesToRead(files)])];
}

/**
 * Files that declare what values may reach the code, by the frameworks' own naming conventions:
 * request DTOs and entities (`*.dto.ts`, `dto/*.ts`, `*.entity.ts`), pydantic schemas
 * (`schemas.py`, `schemas/*.py`), and the application's bootstrap (`main.ts`, `app.module.ts`) where a
 * global ValidationPipe or guard is registered (`declared-fields.ts`, `global-protections.ts`).
 */
const declarationName = /(?:\.(?:dto|entity|schema)\.[jt]s|\/dtos?\/[\w.-]+\.[jt]s|(?:^|\/)(?:main|app\.module|server|app)\.[jt]s|(?:^|\/)(?:schemas|forms|serializers)\.py|\/schemas\/[\w-]+\.py)$/;
const MAX_DECLARATION_FILES = 40;
function declarationFiles(files: readonly string[]): string[] {
  return files.filter((f) => declarationName.test(f) && !skipped.test(f) && !/(^|\/)(test|tests|__tests__|spec)\//.test(f) && !/\.(spec|test)\.[jt]s$/.test(f)).slice(0, MAX_DECLARATION_FILES);
}


/**
 * Folders whose name says they hold code kept as data (snippets shown on a page, exercise
 * files): the code files directly beside such a folder are read too, so the reader that handles
 * it as text (`textData`) can be seen even when it has no finding of its own. The decision is still
 * the reader's evidence, never the folder's name.
 */
/** Folder names whose neighbours are worth reading as possible readers (the reader's code still decides). */
const readerFolder = /^(snippets?|examples?|samples?|playground|challenges?|exercises?|codefixes|recipes?|cookbooks?|tutorials?|demos?|starters?)$/i;
const MAX_READERS_PER_FOLDER = 12;
function possibleTextReaders(files: readonly string[]): string[] {
  const parents = new Set<string>();
  for (const file of files) {
    if (skipped.test(file) || !codeFile.test(file)) continue;
    const segments = file.split('/');
    segments.slice(0, -1).forEach((segment, i) => {
      if (readerFolder.test(segment)) parents.add(segments.slice(0, i).join('/'));
    });
  }
  return [...parents].flatMap((parent) =>
    files.filter((f) => dirOf(f) === parent && codeFile.test(f) && !/(^|\/)__init__\.py$/.test(f)).slice(0, MAX_READERS_PER_FOLDER));
}

const productionScript = /^(start|serve|prod|production|start:prod)$/;

export function collectRepositoryFacts(files: readonly string[], contents: ReadonlyMap<string, string>): RepositoryFacts {
  const fileSet = new Set(files);
  const notShipped = new Map<string, ShippingFact>();
  const mark = (path: string, fact: ShippingFact): void => {
    if (!notShipped.has(path)) notShipped.set(path, fact);
  };
  const containers: ContainerRoot[] = [];
  /** Files developer scripts hand to a tool by path: set aside once every file read that loads them is set aside too. */
  const handedToTools = new Map<string, ShippingFact>();

  for (const [path, text] of contents) {
    const dir = dirOf(path);
    const name = path.slice(dir ? dir.length + 1 : 0);
    if (name === 'package.json') packageScripts(dir, text, fileSet, mark, (file, fact) => handedToTools.set(file, fact));
    if (/^Gruntfile\.|^[Gg]ulpfile\./.test(name)) buildToolTasks(path, text, fileSet, mark);
    if (/^Dockerfile/.test(name)) {
      const command = /^\s*(CMD|ENTRYPOINT)\s+(.+)$/m.exec(text)?.[0]?.trim();
      containers.push({ dir, dockerfile: path, ...(command ? { command } : {}) });
    }
    if (/^(pytest\.ini|setup\.cfg|tox\.ini|pyproject\.toml)$/.test(name)) pytestPaths(path, dir, text, files, mark);
    if (/^cypress\.(config\.[jt]s|json)$/.test(name)) {
      mark(`${join(dir, 'cypress')}/`, { category: 'test_code', evidence: `${path} configures Cypress, whose specs and support code live under cypress/` });
    }
  }
  djangoSettings(files, contents, mark);
  for (const [file, fact] of devToolingFacts(files, contents)) mark(file, fact);
  textData(files, contents, mark);
  developmentDockerfiles(files, contents, mark);
  developmentComposeFiles(contents, mark);
  imageContents(files, contents, mark);
  environmentFiles(files, productionEnvironment(contents), mark);
  const lambdaCode = serverlessFacts(files, contents, mark);
  const entries = productionEntryPoints(files, contents);
  const facts = { notShipped, containers, lambdaCode, privateTmp: privateTmpContainers(contents, entries), ini: iniConfiguration(contents, entries), entryPoints: entries, developmentDeclared: developmentDeclaredFiles(contents), rootLevels: rootLevels(contents, entries, productionEnvironment(contents)), productionSettings: productionSettings(files, contents), productionEnvironment: productionEnvironment(contents), declared: declaredFields(contents, files), protections: globalProtections(contents, files), operatorTools: operatorTools(files, contents), modules: codeModules(contents), dataFiles: new Set(files.filter((f) => /\.(?:ya?ml|json|toml)$/i.test(f))) };
  unchosenInis(facts.ini, mark);
  for (const [file, fact] of handedToTools) {
    const loaders = loadersOf(file, contents);
    if (loaders.every((loader) => shippingFactOf(facts, loader))) {
      mark(file, loaders.length === 0 ? fact : { ...fact, evidence: `${fact.evidence.replace(/, and no production script or file read loads it$/, '')}; the only files read that load it (${loaders.join(', ')}) do not ship either` });
    }
  }
  return facts;
}

export type Mark = (path: string, fact: ShippingFact) => void;

/** The files read that import or require `file` by its module name (`./data-source.dev`, `from app.tools import x`). */
function loadersOf(file: string, contents: ReadonlyMap<string, string>): string[] {
  const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.\w+$/, '');
  const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const loads = new RegExp(String.raw`(?:from\s+["'\`][^"'\`]*\b${escaped}["'\`]|require\(\s*["'\`][^"'\`]*\b${escaped}["'\`]|import\(\s*["'\`][^"'\`]*\b${escaped}["'\`]|^\s*(?:from|import)\s+[\w.]*\b${escaped}\b)`, 'm');
  return [...contents].filter(([path, text]) => path !== file && !/(^|\/)package\.json$/.test(path) && loads.test(text)).map(([path]) => path);
}

function packageScripts(dir: string, text: string, files: ReadonlySet<string>, mark: Mark, handed?: Mark): void {
  let scripts: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as { scripts?: Record<string, unknown> };
    scripts = parsed.scripts ?? {};
  } catch {
    return;
  }
  // Scripts that call a tool directly (`grunt db-reset`) first: they make the clearest evidence.
  const direct = (cmd: string): number => (/(^|[;&|]\s*|\s)(grunt|gulp)\s/.test(cmd) ? 0 : 1);
  const entries = Object.entries(scripts)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort((a, b) => direct(a[1]) - direct(b[1]));
  const production = entries.filter(([name]) => productionScript.test(name)).map(([, cmd]) => cmd).join(' ');
  const manifest = join(dir, 'package.json');
  for (const [name, cmd] of entries) {
    if (productionScript.test(name)) continue;
    const tools: [RegExp, string[], string][] = [
      [/\bgrunt\b/, ['Gruntfile.js', 'Gruntfile.coffee'], 'Grunt'],
      [/\bgulp\b/, ['gulpfile.js', 'Gulpfile.js'], 'Gulp'],
    ];
    for (const [pattern, names, tool] of tools) {
      if (!pattern.test(cmd) || pattern.test(production)) continue;
      for (const file of names.map((n) => join(dir, n)).filter((f) => files.has(f))) {
        mark(file, { category: 'non_production', evidence: `${manifest} runs ${tool} only from developer scripts such as "${name}" (\`${cmd}\`), not from "start"` });
      }
    }
    for (const m of cmd.matchAll(/\b(?:node|nodemon|ts-node|tsx|python3?)\s+((?:\.\/)?[\w./-]+\.(?:js|mjs|cjs|ts|py))/g)) {
      const file = join(dir, m[1] ?? '');
      if (files.has(file) && !production.includes(m[1] ?? '\0')) {
        mark(file, { category: /^(test|e2e|cy)/.test(name) ? 'test_code' : 'non_production', evidence: `${manifest} runs it only from the developer script "${name}" (\`${cmd}\`)` });
      }
    }
    // A code file a developer script hands to a tool by path (`typeorm migration:generate -d
    // src/database/data-source.dev.ts`, `jest --config test/jest-e2e.config.ts`): tooling
    // configuration, unless a production script names it (or its compiled name) too.
    for (const m of cmd.matchAll(/(?:^|\s)(?:--?[\w-]+[=\s]+)?((?:\.\/)?[\w.-]+\/[\w./-]*\.(?:js|mjs|cjs|ts|py))(?=\s|$|["'&;|])/g)) {
      const file = join(dir, m[1] ?? '');
      const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.\w+$/, '');
      // The file or the script must say it is for development: a migration or config file run by hand may be production's too.
      const development = /(^|[._/-])(dev|development|local|test|testing|seed|seeds|fixtures?|demo|sample|example)([._/-]|$)/i;
      if (!files.has(file) || production.includes(stem) || !(development.test(file.slice(file.lastIndexOf('/') + 1)) || development.test(name))) continue;
      (handed ?? mark)(file, { category: /^(test|e2e|cy)/.test(name) ? 'test_code' : 'non_production', evidence: `${manifest} names it only in the developer script "${name}" (\`${cmd}\`), and no production script or file read loads it` });
    }
    // `knex seed:run` runs the seed files of knex's default folder (`seeds/` beside the project).
    if (/\bknex\s+seed:run\b/.test(cmd) && !/\bknex\s+seed:run\b/.test(production)) {
      const seeds = join(dir, 'seeds');
      if ([...files].some((f) => f.startsWith(`${seeds}/`))) {
        mark(`${seeds}/`, { category: 'non_production', evidence: `${manifest} runs knex's seeds (its default folder seeds/) only from the developer script "${name}" (\`${cmd}\`)` });
      }
    }
    if (/\bcypress\b/.test(cmd)) mark(`${join(dir, 'cypress')}/`, { category: 'test_code', evidence: `${manifest} script "${name}" runs Cypress (\`${cmd}\`)` });
    const mocha = /\bmocha\b\s+((?:[^-\s][^\s]*\s*)+)/.exec(cmd)?.[1];
    for (const spec of (mocha ?? '').split(/\s+/).filter((s) => /^[\w./-]+$/.test(s))) {
      const target = join(dir, spec.replace(/\/\*.*$/, ''));
      mark(files.has(target) ? target : `${target}/`, { category: 'test_code', evidence: `${manifest} script "${name}" runs mocha on ${spec}` });
    }
  }
}

/** Files a Grunt or Gulp task runs (`node artifacts/db-reset.js`): tooling run by developers. */
function buildToolTasks(path: string, text: string, files: ReadonlySet<string>, mark: Mark): void {
  const dir = dirOf(path);
  for (const m of text.matchAll(/\b(?:node|python3?)\s+((?:\.\/)?[\w./-]+\.(?:js|mjs|cjs|py))/g)) {
    const file = join(dir, m[1] ?? '');
    if (files.has(file)) mark(file, { category: 'non_production', evidence: `${path}, a build tool's task file, runs it (\`${m[0]}\`)` });
  }
}

/** Django settings chosen only by developer entry points (manage.py, pytest) while wsgi/asgi/Dockerfile choose others. */
function djangoSettings(files: readonly string[], contents: ReadonlyMap<string, string>, mark: Mark): void {
  const chosen = (text: string): string[] =>
    [...text.matchAll(/DJANGO_SETTINGS_MODULE["']?\s*(?:,|=|:)\s*["']?([\w.]+)/g)].map((m) => m[1] ?? '').filter(Boolean);
  const production = new Map<string, string>();
  const developer = new Map<string, string>();
  for (const [path, text] of contents) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const target = /^(wsgi|asgi)\.py$|^Dockerfile|^Procfile$/.test(name) ? production : /^(manage\.py|pytest\.ini|setup\.cfg|tox\.ini|pyproject\.toml)$/.test(name) ? developer : undefined;
    for (const module of target ? chosen(text) : []) if (!target?.has(module)) target?.set(module, path);
  }
  if (production.size === 0) return;
  for (const [module, by] of developer) {
    if (production.has(module)) continue;
    const suffix = `${module.replace(/\./g, '/')}.py`;
    const file = files.find((f) => f === suffix || f.endsWith(`/${suffix}`));
    const [prodModule, prodBy] = [...production][0] ?? ['', ''];
    if (file) {
      mark(file, {
        category: /pytest|setup\.cfg|tox|pyproject/.test(by) ? 'test_code' : 'non_production',
        evidence: `${by} selects ${module} for local use, while ${prodBy} runs ${prodModule}`,
      });
    }
  }
}

/** Code files other code opens, writes or serves by path: text data (exercise answers, snippets shown on a page), not code that runs. */
function textData(files: readonly string[], contents: ReadonlyMap<string, string>, mark: Mark): void {
  const call = /\b(open|readFile(?:Sync)?|writeFile(?:Sync)?|createReadStream|sendFile|send_file|FileResponse|os\.path\.join|path\.join|path\.resolve|Path|res\.download)\s*\(([^)\n]*?)["'`]([\w./-]+\.(?:js|mjs|ts|py|java|rb|php|go))["'`]/g;
  for (const [path, text] of contents) {
    if (!codeFile.test(path)) continue;
    textDataFolderOf(path, text, files, mark);
    fetchedAsText(path, text, files, mark);
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      // A path built to load the module (`require(path.join(…))`, `importlib`, `sequelize.import`) is code, not text.
      if (/\brequire\s*\(|\bimport\s*\(|\.import\s*\(|importlib|__import__|runpy|\bexec\s*\(/.test(line)) return;
      for (const m of line.matchAll(call)) {
        const literal = (m[3] ?? '').replace(/^(\.\.?\/)+/, '');
        // Browser code is served as files too (`res.sendFile('public/app.js')`): only reading or writing a script makes it text.
        if (/\.(m?js|ts)$/.test(literal) && !/^(open|readFile|readFileSync|writeFile|writeFileSync)$/.test(m[1] ?? '') && !/readFile|writeFile|\bopen\(/.test(line)) continue;
        const matches = files.filter((f) => f !== path && (f === literal || f.endsWith(`/${literal}`)));
        if (matches.length !== 1 || !literal.includes('/')) continue;
        mark(matches[0]!, { category: 'non_production', evidence: `${path}:${index + 1} handles it as text by its path (\`${line.trim().slice(0, 100)}\`)` });
      }
    });
  }
}

/** Why `path` does not ship, when the repository says so. */
export function shippingFactOf(facts: RepositoryFacts, path: string): ShippingFact | undefined {
  const exact = facts.notShipped.get(path);
  if (exact) return exact;
  for (const [key, fact] of facts.notShipped) if (key.endsWith('/') && path.startsWith(key)) return fact;
  return undefined;
}

/** The Dockerfile whose folder holds `path` (the nearest one), when the code runs in a container. */
export function containerOf(facts: RepositoryFacts, path: string): ContainerRoot | undefined {
  return [...facts.containers]
    .filter((c) => c.dir === '' || path.startsWith(`${c.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
}
