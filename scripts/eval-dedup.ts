/**
 * `npm run eval:dedup`: findings before and after cross-scanner deduplication.
 *
 * - The corpus apps (../shared/corpus): each app's SARIF files are uploads of one commit, processed
 *   as the scan job processes them (`normaliseLog` per upload, absolute CI paths mapped against the
 *   app's files, then folded across uploads). The result is compared with the blind labels'
 *   `group`s (test/fixtures/corpus-labels/, written before the product ran on the corpus): a group
 *   is the reviewer's "same weakness at the same place".
 * - The SARIF fixtures (../shared/fixtures/sarif and test/fixtures/sarif): each file alone.
 *
 * The corpus is read in place, never copied. `--json` prints one JSON object.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NormalisedFinding } from '../src/domain/finding';
import { ruleIdsOf } from '../src/domain/finding';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { mapAbsoluteLocations, normaliseLog, parseSarif, RepositoryTree } from '../src/domain/sarif';
import { FindingSet } from '../src/domain/sarif/dedupe';
import { filesUnder } from '../src/local/files-under';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/corpus');
const json = process.argv.includes('--json');
const registry = createDefaultRegistry();
const ruleClass = (finding: { ruleId: string; cwes: string[]; path: string }) => registry.find(finding)[0]?.id;

interface LabelledResult {
  sarif: string;
  ruleId: string;
  path: string;
  startLine: number;
  group: string;
}

export interface AppDedup {
  app: string;
  results: number;
  findings: number;
  labelledGroups: number;
  /** Labelled groups whose results ended in more than one finding. */
  split: string[];
  /** Findings holding results of more than one labelled group. */
  joined: string[][];
  /** Findings reported by more than one rule, with their rule ids. */
  multiRule: { place: string; rules: string[] }[];
}

/** The scan job's fold of one commit's uploads, outside the job (same functions, no I/O but reading files). */
export function foldUploads(sarifTexts: readonly string[], repositoryFiles: readonly string[]): { results: number; findings: NormalisedFinding[] } {
  const tree = new RepositoryTree(repositoryFiles);
  let results = 0;
  const set = new FindingSet(ruleClass);
  for (const text of sarifTexts) {
    const upload = normaliseLog(parseSarif(text), { ruleClass });
    results += upload.counts.results;
    for (const finding of mapAbsoluteLocations(upload.findings, tree, { ruleClass }).findings) set.add(finding);
  }
  return { results, findings: set.findings };
}

/** The final finding a labelled result ended in: same file, one of its rules, the label's line within its lines. */
function findingOf(label: LabelledResult, findings: readonly NormalisedFinding[]): NormalisedFinding | undefined {
  return findings.find((f) => {
    if (f.location?.path !== label.path || !ruleIdsOf(f).includes(label.ruleId)) return false;
    const end = f.location.endLine ?? f.location.startLine;
    return label.startLine >= f.location.startLine && label.startLine <= end;
  });
}

export function dedupCorpusApp(app: string): AppDedup {
  const sarifDir = join(corpus, app, 'sarif');
  const sarifFiles = readdirSync(sarifDir).filter((name) => name.endsWith('.sarif')).sort();
  const repositoryFiles = filesUnder(join(corpus, app, 'src'));
  const { results, findings } = foldUploads(sarifFiles.map((name) => readFileSync(join(sarifDir, name), 'utf8')), Object.keys(repositoryFiles));
  const labels = (JSON.parse(readFileSync(join(root, 'test/fixtures/corpus-labels', `${app}.json`), 'utf8')) as { results: LabelledResult[] }).results;
  const groupsOf = new Map<NormalisedFinding | undefined, Set<string>>();
  const findingsOfGroup = new Map<string, Set<NormalisedFinding | undefined>>();
  for (const label of labels) {
    const finding = findingOf(label, findings);
    groupsOf.set(finding, (groupsOf.get(finding) ?? new Set()).add(label.group));
    findingsOfGroup.set(label.group, (findingsOfGroup.get(label.group) ?? new Set()).add(finding));
  }
  return {
    app,
    results,
    findings: findings.length,
    labelledGroups: findingsOfGroup.size,
    split: [...findingsOfGroup].filter(([, found]) => found.size > 1 || found.has(undefined)).map(([group]) => group),
    joined: [...groupsOf].filter(([finding, groups]) => finding && groups.size > 1).map(([, groups]) => [...groups]),
    multiRule: findings
      .filter((f) => ruleIdsOf(f).length > 1)
      .map((f) => ({ place: `${f.location?.path}:${f.location?.startLine}`, rules: ruleIdsOf(f) })),
  };
}

function fixtureDedup(): { file: string; results: number; findings: number }[] {
  const dirs = [resolve(root, '../shared/fixtures/sarif'), join(root, 'test/fixtures/sarif')].filter((dir) => existsSync(dir));
  const seen = new Set<string>();
  const rows: { file: string; results: number; findings: number }[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.sarif')).sort()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const out = normaliseLog(parseSarif(readFileSync(join(dir, name), 'utf8')), { ruleClass });
      rows.push({ file: name, results: out.counts.results, findings: out.counts.findings });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('eval-dedup.ts')) {
  const apps = existsSync(corpus) ? ['nodegoat', 'dvna', 'pygoat'].map(dedupCorpusApp) : [];
  const fixtures = fixtureDedup();
  if (json) {
    console.log(JSON.stringify({ apps, fixtures }));
  } else {
    if (apps.length === 0) console.log(`(corpus not found at ${corpus}: only the fixtures are reported)`);
    for (const app of apps) {
      console.log(`${app.app}: ${app.results} results → ${app.findings} findings (the labels name ${app.labelledGroups} distinct weaknesses at a place)`);
      console.log(`  split (one labelled weakness, several findings): ${app.split.length ? app.split.join(', ') : 'none'}`);
      console.log(`  joined (several labelled weaknesses, one finding): ${app.joined.length ? app.joined.map((g) => g.join(' + ')).join('; ') : 'none'}`);
      for (const multi of app.multiRule) console.log(`  ${multi.place}: ${multi.rules.join(', ')}`);
    }
    console.log('fixtures (each file alone):');
    for (const row of fixtures) console.log(`  ${row.file}: ${row.results} results → ${row.findings} findings`);
  }
}
