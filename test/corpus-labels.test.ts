/**
 * The blind labels of the real-code corpus (test/fixtures/corpus-labels/) are well-formed and
 * cover every result of every corpus SARIF file exactly once. The corpus lives in ../shared/corpus
 * beside the checkout (as in CI); the checks against it skip, saying so, when it is absent.
 * Nothing here runs triage or codemods: the labels must stay independent of the product.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const LABELS = join(import.meta.dirname, 'fixtures', 'corpus-labels');
const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const APPS = ['nodegoat', 'dvna', 'pygoat'] as const;
const CHECKOUT_PREFIX = 'file:///opt/atlassian/pipelines/agent/build/';
const noCorpus = !existsSync(join(CORPUS, 'README.md')) && `corpus not found at ${CORPUS} (../shared/corpus beside the checkout)`;

const common = {
  sarif: z.string().regex(/\.sarif$/),
  ruleId: z.string().min(1),
  path: z.string().min(1).refine((p) => !p.startsWith('/') && !p.includes('://'), 'path must be repository-relative'),
  startLine: z.number().int().positive(),
  snippet: z.string().min(1).max(120),
  group: z.string().min(1),
  reason: z.string().min(20),
};
// A true positive is fixable (and then says how) or not; noise is never "fixable": nothing to fix.
const truePositive = z.union([
  z.object({ ...common, label: z.literal('true_positive'), fixable: z.literal(true), fixKind: z.string().min(5) }).strict(),
  z.object({ ...common, label: z.literal('true_positive'), fixable: z.literal(false) }).strict(),
]);
const noise = z.object({
  ...common,
  label: z.literal('noise'),
  category: z.enum(['test_code', 'non_production', 'suppressed_in_code', 'not_security', 'defused', 'policy']),
  fixable: z.literal(false),
}).strict();
const resultLabel = z.union([truePositive, noise]);
const labelFile = z.object({
  app: z.enum(APPS),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  labelledOn: z.iso.date(),
  labelledBy: z.string().min(10),
  method: z.string().min(20),
  results: z.array(resultLabel).min(1),
}).strict();
type LabelFile = z.infer<typeof labelFile>;

const sarifLog = z.object({
  runs: z.array(z.object({
    results: z.array(z.object({
      ruleId: z.string(),
      locations: z.array(z.object({
        physicalLocation: z.object({
          artifactLocation: z.object({ uri: z.string() }),
          region: z.object({ startLine: z.number() }),
        }),
      })).min(1),
    })).nullish(),
  })),
});

const readLabels = (app: string): LabelFile =>
  labelFile.parse(JSON.parse(readFileSync(join(LABELS, `${app}.json`), 'utf8')));
const keyOf = (r: { sarif: string; ruleId: string; path: string; startLine: number }): string =>
  `${r.sarif} | ${r.ruleId} | ${r.path}:${r.startLine}`;

for (const app of APPS) {
  test(`${app}: the label file is well-formed and each group is one weakness at one place`, () => {
    const file = readLabels(app);
    assert.equal(file.app, app);
    const byGroup = new Map<string, LabelFile['results']>();
    for (const r of file.results) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
    for (const [group, members] of byGroup) {
      assert.equal(new Set(members.map((m) => m.path)).size, 1, `${group}: one file`);
      assert.equal(new Set(members.map((m) => m.label)).size, 1, `${group}: one verdict`);
      assert.equal(new Set(members.map((m) => m.fixable)).size, 1, `${group}: one fixability`);
      // Results of one scanner rule on one line are one result, never a group of two.
      assert.equal(new Set(members.map(keyOf)).size, members.length, `${group}: no duplicate labels`);
    }
  });

  test(`${app}: every result of every corpus SARIF file has exactly one label`, { skip: noCorpus }, () => {
    const file = readLabels(app);
    const sarifDir = join(CORPUS, app, 'sarif');
    const expected = new Map<string, number>();
    for (const name of readdirSync(sarifDir).filter((n) => n.endsWith('.sarif'))) {
      const log = sarifLog.parse(JSON.parse(readFileSync(join(sarifDir, name), 'utf8')));
      for (const result of log.runs.flatMap((run) => run.results ?? [])) {
        const { artifactLocation, region } = result.locations[0]!.physicalLocation;
        const path = artifactLocation.uri.replace(CHECKOUT_PREFIX, '');
        const key = keyOf({ sarif: name, ruleId: result.ruleId, path, startLine: region.startLine });
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    const labelled = new Map<string, number>();
    for (const r of file.results) labelled.set(keyOf(r), (labelled.get(keyOf(r)) ?? 0) + 1);
    const missing = [...expected].filter(([k, n]) => labelled.get(k) !== n).map(([k]) => k);
    const extra = [...labelled.keys()].filter((k) => !expected.has(k));
    assert.deepEqual(missing, [], 'SARIF results without exactly one label');
    assert.deepEqual(extra, [], 'labels matching no SARIF result');
  });

  test(`${app}: each snippet is the flagged line of the labelled commit`, { skip: noCorpus }, () => {
    const file = readLabels(app);
    const readme = readFileSync(join(CORPUS, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`\\| \`${app}/\` \\|[^\\n]*\`${file.commit}\``), 'commit as named in the corpus README');
    for (const r of file.results) {
      const line = readFileSync(join(CORPUS, app, 'src', r.path), 'utf8').split('\n')[r.startLine - 1] ?? '';
      assert.equal(r.snippet, line.trim().slice(0, 120), keyOf(r));
    }
  });
}

test('the README summary counts are those of the label files', () => {
  const readme = readFileSync(join(LABELS, 'README.md'), 'utf8');
  for (const app of APPS) {
    const { results } = readLabels(app);
    const noiseOf = (category: string): number => results.filter((r) => r.label === 'noise' && r.category === category).length;
    const truePositives = results.filter((r) => r.label === 'true_positive');
    const row = [
      results.length,
      truePositives.length,
      results.length - truePositives.length,
      noiseOf('test_code'), noiseOf('non_production'), noiseOf('suppressed_in_code'),
      noiseOf('not_security'), noiseOf('defused'), noiseOf('policy'),
      truePositives.filter((r) => r.fixable).length,
      new Set(results.map((r) => r.group)).size,
    ].join(' | ');
    assert.ok(readme.includes(`| ${app} | ${row} |`), `README row for ${app}: | ${app} | ${row} |`);
  }
});
