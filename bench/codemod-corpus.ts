/**
 * The `codemod_vs_parse` figure on real files: the time `fixFile` takes over the corpus in `bench/corpus/`
 * (real Python, JavaScript, TypeScript and Java sources, see SOURCES.md) with the synthetic findings of
 * `findings.json`, divided by the time a bare tree-sitter parse of the same files takes. Medians of runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fixFile, type FileFixInput } from '../src/domain/codemods/engine';
import { languageForPath, loadLanguage, parseWith, type LanguageId } from '../src/domain/codemods/parser';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { performance } from 'node:perf_hooks';
import { round } from './measure';

export const corpusDir = resolve(import.meta.dirname, 'corpus');

export interface CorpusFile {
  /** Path the engine sees: the corpus path without the `.txt` that keeps tsc off TypeScript files. */
  path: string;
  language: LanguageId;
  content: string;
}

export interface CorpusFinding {
  path: string;
  ruleId: string;
  startLine: number;
  startColumn?: number;
}

export function loadCorpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const dir of ['python', 'js', 'java']) {
    for (const name of readdirSync(join(corpusDir, dir)).sort()) {
      const path = relative(corpusDir, join(corpusDir, dir, name)).replace(/\.txt$/, '');
      const language = languageForPath(path);
      if (language !== undefined) files.push({ path, language, content: readFileSync(join(corpusDir, dir, name), 'utf8') });
    }
  }
  return files;
}

export function corpusInputs(): FileFixInput[] {
  const findings = JSON.parse(readFileSync(join(corpusDir, 'findings.json'), 'utf8')) as CorpusFinding[];
  return loadCorpus().map((file) => ({
    path: file.path,
    content: file.content,
    findings: findings
      .filter((f) => f.path === file.path)
      .map((f, i) => ({ id: `${f.path}#${i}`, ruleId: f.ruleId, cwes: [], location: { path: f.path, startLine: f.startLine, startColumn: f.startColumn } })),
  }));
}

/**
 * Parse and codemod pass are timed in pairs, one right after the other, and the figure is the median of the
 * per-pair ratios: on a shared machine the load changes between runs, and a pair sees (nearly) the same load.
 */
export async function measureCodemodCorpus(note: (line: string) => void, runs = 15): Promise<number> {
  // The demo files are tiny (under 1 KB): each timing repeats them 20 times to rise above timer and scheduling noise.
  const demo = await pairedRatio(demoInputs(), runs, 20);
  note(`codemods: ${demo.files} demo files, ${demo.findings} findings (${demo.fixed} fixed, so verification dominates): ${demo.ratio}× a bare parse`);
  const corpus = await pairedRatio(corpusInputs(), runs);
  note(
    `codemods: ${corpus.files} real files (${corpus.kb} KB), ${corpus.findings} findings (${corpus.fixed} fixed): bare parse ${corpus.parseMs} ms, ` +
      `codemod pass ${corpus.passMs} ms (medians of ${runs} back-to-back pairs)`,
  );
  return corpus.ratio;
}

/** The demo repository's files with the findings of its bundled SARIF: nearly every finding is fixed. */
export function demoInputs(): FileFixInput[] {
  const root = resolve(import.meta.dirname, '..');
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
