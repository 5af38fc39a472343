/**
 * The `codemod_vs_parse` figure on real files: the time `fixFile` takes over real Python, JavaScript,
 * TypeScript and Java sources with synthetic findings on their real nodes, divided by the time a bare
 * tree-sitter parse of the same files takes. Nothing third-party is copied into the project: the
 * files are read where this machine has them installed (see `bench/README.md`, "Codemod corpus"):
 * - pinned npm packages in `node_modules` (versions from package-lock.json);
 * - the Python standard library of the `python3` on PATH;
 * - a JDK's `lib/src.zip` (`JAVA_HOME`, else `/usr/lib/jvm/*`, read with `unzip`); without one, Java
 *   is left out of the figure and the run says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fixFile, type FileFixInput } from '../src/domain/codemods/engine';
import { languageForPath, loadLanguage, parseSource, parseWith, type LanguageId } from '../src/domain/codemods/parser';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { performance } from 'node:perf_hooks';
import { round } from './measure';

const root = resolve(import.meta.dirname, '..');

/** npm files: package, path inside it. Versions are whatever package-lock.json pins (checked at run time). */
const NPM_FILES: readonly [string, string][] = [
  ['debug', 'src/node.js'],
  ['diff', 'libesm/patch/create.js'],
  ['prosemirror-transform', 'src/replace.ts'],
  ['undici', 'lib/web/fetch/body.js'],
  ['undici', 'lib/web/websocket/frame.js'],
  ['esbuild', 'install.js'],
];

/** Standard-library modules whose code the Python codemods look at (and some where they find something to fix). */
const PYTHON_FILES = [
  'tempfile.py', 'subprocess.py', 'random.py', 'ssl.py', 'hashlib.py', 'http/cookies.py', 'json/decoder.py',
  'xml/etree/ElementTree.py', 'smtplib.py', 'sqlite3/dump.py', 'xml/dom/pulldom.py', 'uuid.py', 'poplib.py', 'email/generator.py',
];

/** Entries of a JDK's src.zip. */
const JAVA_FILES = [
  'java.base/java/util/Random.java', 'java.base/java/util/UUID.java', 'java.base/java/security/MessageDigest.java',
  'java.xml/javax/xml/stream/XMLInputFactory.java', 'java.base/java/net/HttpCookie.java', 'java.base/java/util/Base64.java',
  'java.sql/java/sql/DriverManager.java',
];

export interface CorpusFile {
  /** Where the engine thinks the file is (`npm/debug/src/node.js`, `python/tempfile.py`, `java/java.base/...`). */
  path: string;
  language: LanguageId;
  content: string;
}

export interface Corpus {
  files: CorpusFile[];
  /** Where each part came from, or why it is missing. */
  sources: string[];
}

function npmFiles(sources: string[]): CorpusFile[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const files: CorpusFile[] = [];
  const seen = new Map<string, string>();
  for (const [name, inner] of NPM_FILES) {
    const dir = join(root, 'node_modules', name);
    const pinned = lock.packages[`node_modules/${name}`]?.version;
    const installed = existsSync(join(dir, 'package.json')) ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version : undefined;
    if (!pinned || installed !== pinned || !existsSync(join(dir, inner))) {
      seen.set(name, `npm ${name}: not installed at its pinned version ${pinned ?? '(none)'}, left out`);
      continue;
    }
    seen.set(name, `npm ${name} ${pinned}`);
    const path = `npm/${name}/${inner}`;
    files.push({ path, language: languageForPath(path)!, content: readFileSync(join(dir, inner), 'utf8') });
  }
  sources.push(...seen.values());
  return files;
}

function pythonFiles(sources: string[]): CorpusFile[] {
  const found = spawnSync('python3', ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.version.split()[0])'], { encoding: 'utf8' });
  const [stdlib, version] = found.status === 0 ? found.stdout.trim().split('\n') : [];
  if (!stdlib || !existsSync(stdlib)) {
    sources.push('Python standard library: no python3 on PATH, left out');
    return [];
  }
  const files = PYTHON_FILES.filter((name) => existsSync(join(stdlib, name))).map((name) => ({
    path: `python/${name}`,
    language: 'python' as const,
    content: readFileSync(join(stdlib, name), 'utf8'),
  }));
  sources.push(`Python ${version} standard library at ${stdlib} (${files.length} of ${PYTHON_FILES.length} modules)`);
  return files;
}

/** A JDK's src.zip: JAVA_HOME first, then the JDKs under /usr/lib/jvm, last name first (temurin-25 before openjdk-17). */
function jdkSources(): string | undefined {
  const homes = [process.env['JAVA_HOME'], ...(existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').sort().reverse().map((name) => join('/usr/lib/jvm', name)) : [])];
  for (const home of homes) {
    if (!home) continue;
    for (const zip of [join(home, 'lib/src.zip'), join(home, 'src.zip')]) if (existsSync(zip)) return zip;
  }
  return undefined;
}

function javaFiles(sources: string[]): CorpusFile[] {
  const zip = jdkSources();
  if (!zip) {
    sources.push('Java: no JDK src.zip found (JAVA_HOME, /usr/lib/jvm); Java is left out of the figure');
    return [];
  }
  const files: CorpusFile[] = [];
  for (const entry of JAVA_FILES) {
    const read = spawnSync('unzip', ['-p', zip, entry], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (read.status === 0 && read.stdout.length > 0) files.push({ path: `java/${entry}`, language: 'java', content: read.stdout });
  }
  sources.push(files.length > 0 ? `Java sources from ${zip} (${files.length} of ${JAVA_FILES.length} files)` : `Java: ${zip} could not be read (is unzip installed?); Java is left out of the figure`);
  return files;
}

export function loadCorpus(): Corpus {
  const sources: string[] = [];
  const files = [...pythonFiles(sources), ...npmFiles(sources), ...javaFiles(sources)];
  return { files, sources };
}

/**
 * Synthetic findings on real nodes, made afresh for whatever files are installed: for each file and
 * each codemod of its language, a finding on up to three of the codemod's own candidates (the work a
 * scanner hit causes), plus one on a line where that codemod has nothing (the "no … on line N" path
 * every false lead takes).
 */
export async function corpusInputs(files: readonly CorpusFile[]): Promise<FileFixInput[]> {
  const registry = createDefaultRegistry();
  const codemods = registry.all();
  const inputs: FileFixInput[] = [];
  for (const file of files) {
    const tree = await parseSource(file.language, file.content);
    const lines = file.content.split('\n').length;
    const findings: FileFixInput['findings'] = [];
    for (const codemod of codemods.filter((c) => c.languages.includes(file.language))) {
      const ruleId = Object.values(codemod.ruleIds).flat()[0];
      if (ruleId === undefined) continue;
      const candidates = codemod.candidates(tree.rootNode, file.language);
      for (const node of candidates.slice(0, 3)) {
        findings.push({ id: `${file.path}#${findings.length}`, ruleId, cwes: [], location: { path: file.path, startLine: node.startPosition.row + 1, startColumn: node.startPosition.column + 1 } });
      }
      const used = new Set(candidates.map((n) => n.startPosition.row + 1));
      // A deterministic line, spread over the file by the codemod's position in the catalogue.
      let line = 1 + ((codemods.indexOf(codemod) * 97) % lines);
      while (used.has(line)) line = (line % lines) + 1;
      findings.push({ id: `${file.path}#${findings.length}`, ruleId, cwes: [], location: { path: file.path, startLine: line } });
    }
    tree.delete();
    inputs.push({ path: file.path, content: file.content, findings });
  }
  return inputs;
}

/**
 * Parse and codemod pass are timed in pairs, one right after the other, and the figure is the median of the
 * per-pair ratios: on a shared machine the load changes between runs, and a pair sees (nearly) the same load.
 */
export async function measureCodemodCorpus(note: (line: string) => void, runs = 15): Promise<number> {
  // The demo files are tiny (under 1 KB): each timing repeats them 20 times to rise above timer and scheduling noise.
  const demo = await pairedRatio(demoInputs(), runs, 20);
  note(`codemods: ${demo.files} demo files, ${demo.findings} findings (${demo.fixed} fixed, so verification dominates): ${demo.ratio}× a bare parse`);
  const corpus = loadCorpus();
  for (const source of corpus.sources) note(`codemods corpus: ${source}`);
  const real = await pairedRatio(await corpusInputs(corpus.files), runs);
  note(
    `codemods: ${real.files} installed files (${real.kb} KB), ${real.findings} findings (${real.fixed} fixed): bare parse ${real.parseMs} ms, ` +
      `codemod pass ${real.passMs} ms (medians of ${runs} back-to-back pairs)`,
  );
  return real.ratio;
}

/** The demo repository's files with the findings of its bundled SARIF: nearly every finding is fixed. */
export function demoInputs(): FileFixInput[] {
  const sarif = normaliseLog(parseSarif(readFileSync(join(root, 'demo/vulnerable-app.sarif'), 'utf8')));
  const paths = [...new Set(sarif.findings.map((f) => f.location?.path).filter((p): p is string => p !== undefined && languageForPath(p) !== undefined))];
  return paths.map((path) => ({
    path,
    content: readFileSync(join(root, 'demo/vulnerable-app', path), 'utf8'),
    findings: sarif.findings
      .filter((f) => f.location?.path === path)
      .map((f, i) => ({ id: `${path}#${i}`, ruleId: f.ruleId, cwes: f.cwes, location: f.location! })),
  }));
}

async function pairedRatio(inputs: FileFixInput[], runs: number, repeat = 1) {
  const grammars = await Promise.all(inputs.map((input) => loadLanguage(languageForPath(input.path)!)));
  const registry = createDefaultRegistry();
  const parseAll = (): void => {
    for (let r = 0; r < repeat; r += 1) inputs.forEach((input, i) => parseWith(grammars[i]!, input.content).delete());
  };
  let fixed = 0;
  const passAll = async (): Promise<void> => {
    for (let r = 0; r < repeat; r += 1) {
      fixed = 0;
      for (const input of inputs) fixed += (await fixFile(input, { registry })).fixed.length;
    }
  };
  const pairs: { parse: number; pass: number }[] = [];
  for (let i = 0; i < runs + 2; i += 1) {
    const t0 = performance.now();
    parseAll();
    const t1 = performance.now();
    await passAll();
    const t2 = performance.now();
    if (i >= 2) pairs.push({ parse: t1 - t0, pass: t2 - t1 });
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const findings = inputs.reduce((sum, i) => sum + i.findings.length, 0);
  const kb = Math.round(inputs.reduce((sum, i) => sum + i.content.length, 0) / 1024);
  return {
    files: inputs.length,
    kb,
    findings,
    fixed,
    parseMs: round(median(pairs.map((p) => p.parse))),
    passMs: round(median(pairs.map((p) => p.pass))),
    ratio: round(median(pairs.map((p) => p.pass / p.parse))),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const figure = await measureCodemodCorpus(console.log);
  console.log(`codemod_vs_parse ${figure}`);
}
