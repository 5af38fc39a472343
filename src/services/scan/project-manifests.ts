/**
 * The repository's manifests, read once per scan job, as the project context codemods get: the
 * declared dependencies and language levels. A codemod then knows the database driver or the web
 * framework even when the flagged file does not import it. Only the manifests of the languages
 * the job's fixes are for are read, and only at the repository's root; a manifest that is absent
 * or unreadable adds nothing. Parsing is deliberately shallow (no TOML, XML or Groovy parser):
 * names and versions are all a codemod needs, and a manifest that does not parse gives none.
 */
import type { LanguageId } from '../../domain/codemods/parser';
import type { ProjectContext } from '../../domain/codemods/types';

type Ecosystem = 'node' | 'python' | 'java';

const ecosystemOf: Record<LanguageId, Ecosystem> = { javascript: 'node', typescript: 'node', tsx: 'node', python: 'python', java: 'java' };

/** Root manifests worth reading per ecosystem, when the job has no listing of the tree. */
const defaultManifests: Record<Ecosystem, string[]> = {
  node: ['package.json'],
  python: ['requirements.txt', 'pyproject.toml'],
  java: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
};

const isManifest: Record<Ecosystem, (name: string) => boolean> = {
  node: (name) => name === 'package.json',
  python: (name) => /^requirements[\w.-]*\.txt$/.test(name) || name === 'pyproject.toml',
  java: (name) => name === 'pom.xml' || name === 'build.gradle' || name === 'build.gradle.kts',
};

/**
 * The manifests to read for these languages: from the tree listing when the job has one (every
 * `requirements*.txt` at the root), else the usual names (a read of an absent one is one 404).
 */
export function manifestPaths(languages: Iterable<LanguageId>, listing?: readonly string[]): string[] {
  const ecosystems = new Set([...languages].map((language) => ecosystemOf[language]));
  const paths: string[] = [];
  for (const ecosystem of ['node', 'python', 'java'] as const) {
    if (!ecosystems.has(ecosystem)) continue;
    if (listing) paths.push(...listing.filter((path) => !path.includes('/') && isManifest[ecosystem](path)).sort());
    else paths.push(...defaultManifests[ecosystem]);
  }
  return paths;
}

type Levels = NonNullable<ProjectContext['languageLevels']>;
/** What one manifest declares: names, the version or range given per name, and language levels. */
type Parsed = { dependencies: string[]; versions: Record<string, string>; levels: Levels };

const none = (): Parsed => ({ dependencies: [], versions: {}, levels: {} });

const pypiName = (name: string): string => name.toLowerCase().replace(/[._]+/g, '-');

function packageJson(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return none();
  }
  if (typeof value !== 'object' || value === null) return none();
  const manifest = value as Record<string, unknown>;
  const parsed = none();
  // Later sections do not override earlier ones: the runtime dependency's range wins.
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const section = manifest[key];
    if (typeof section !== 'object' || section === null) continue;
    for (const [name, range] of Object.entries(section)) {
      if (!parsed.dependencies.includes(name)) parsed.dependencies.push(name);
      if (typeof range === 'string' && parsed.versions[name] === undefined) parsed.versions[name] = range;
    }
  }
  const engines = manifest.engines;
  const node = typeof engines === 'object' && engines !== null ? (engines as Record<string, unknown>).node : undefined;
  if (typeof node === 'string') parsed.levels.node = node;
  return parsed;
}

function requirementsTxt(text: string): Parsed {
  const parsed = none();
  for (const line of text.split('\n')) {
    const bare = line.replace(/(^|\s)#.*$/, '').trim();
    if (bare === '' || bare.startsWith('-')) continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([<>=!~][^;]*)?/.exec(bare);
    if (!match?.[1]) continue;
    const name = pypiName(match[1]);
    parsed.dependencies.push(name);
    const spec = match[2]?.trim();
    if (spec) parsed.versions[name] = spec;
  }
  return parsed;
}

function pyprojectToml(text: string): Parsed {
  const dependencies: string[] = [];
  const names = (list: string): void => {
    for (const item of list.matchAll(/["']([A-Za-z0-9][A-Za-z0-9._-]*)/g)) dependencies.push(pypiName(item[1] ?? ''));
  };
  // PEP 621: `dependencies = ["flask>=2", …]`, and each list of `[project.optional-dependencies]`.
  for (const list of text.matchAll(/^\s*dependencies\s*=\s*\[([^\]]*)\]/gm)) names(list[1] ?? '');
  for (const section of text.matchAll(/^\[project\.optional-dependencies\]\s*\n([\s\S]*?)(?=^\[|$(?![\s\S]))/gm)) {
    for (const list of (section[1] ?? '').matchAll(/=\s*\[([^\]]*)\]/g)) names(list[1] ?? '');
  }
  // Poetry: `[tool.poetry.dependencies]` (and dev groups), one `name = …` per line.
  for (const section of text.matchAll(/^\[tool\.poetry\.(?:[\w.-]*\.)?dependencies\]\s*\n([\s\S]*?)(?=^\[|$(?![\s\S]))/gm)) {
    for (const line of (section[1] ?? '').matchAll(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/gm)) {
      if (line[1] !== 'python') dependencies.push(pypiName(line[1] ?? ''));
    }
  }
  const python = /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(text)?.[1] ?? /^\s*python\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
  return { dependencies, versions: {}, levels: python ? { python } : {} };
}

function pomXml(text: string): Parsed {
  const parsed = none();
  for (const match of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const body = match[1] ?? '';
    const group = /<groupId>\s*([^<\s]+)\s*<\/groupId>/.exec(body)?.[1];
    const artifact = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(body)?.[1];
    if (!group || !artifact) continue;
    parsed.dependencies.push(`${group}:${artifact}`);
    // A literal version only; `${property}` references are left out.
    const version = /<version>\s*([^<\s$]+)\s*<\/version>/.exec(body)?.[1];
    if (version) parsed.versions[`${group}:${artifact}`] = version;
  }
  const java = /<(?:maven\.compiler\.release|maven\.compiler\.source|java\.version|release)>\s*([\d.]+)\s*</.exec(text)?.[1];
  if (java) parsed.levels.java = java;
  return parsed;
}

function buildGradle(text: string): Parsed {
  const parsed = none();
  for (const match of text.matchAll(/^\s*(?:implementation|api|compile|compileOnly|runtimeOnly|testImplementation)\s*\(?\s*["']([\w.-]+):([\w.-]+)(?::([^"'$]*))?["']/gm)) {
    const name = `${match[1]}:${match[2]}`;
    parsed.dependencies.push(name);
    if (match[3]) parsed.versions[name] = match[3];
  }
  const java = /sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_)?["']?([\d._]+)/.exec(text)?.[1]?.replace('1_', '1.').replace(/_/g, '.')
    ?? /JavaLanguageVersion\.of\(\s*(\d+)\s*\)/.exec(text)?.[1];
  if (java) parsed.levels.java = java;
  return parsed;
}

/** What one manifest declares; an unknown name declares nothing. */
export function parseManifest(path: string, text: string): Parsed {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'package.json') return packageJson(text);
  if (name.endsWith('.txt')) return requirementsTxt(text);
  if (name === 'pyproject.toml') return pyprojectToml(text);
  if (name === 'pom.xml') return pomXml(text);
  if (name.startsWith('build.gradle')) return buildGradle(text);
  return none();
}

/** The project context of the manifests read (path → content; absent ones left out). */
export function projectContextOf(manifests: ReadonlyMap<string, string>): ProjectContext {
  const dependencies = new Set<string>();
  const versions: Record<string, string> = {};
  const levels: Levels = {};
  for (const [path, text] of manifests) {
    const parsed = parseManifest(path, text);
    for (const dependency of parsed.dependencies) if (dependency) dependencies.add(dependency);
    for (const [name, version] of Object.entries(parsed.versions)) versions[name] ??= version;
    // The first manifest to state a level wins (package.json, then requirements/pyproject, then pom/gradle).
    for (const key of ['node', 'python', 'java'] as const) if (levels[key] === undefined && parsed.levels[key]) levels[key] = parsed.levels[key];
  }
  return {
    dependencies: [...dependencies].sort(),
    ...(Object.keys(versions).length > 0 ? { versions } : {}),
    ...(Object.keys(levels).length > 0 ? { languageLevels: levels } : {}),
  };
}
