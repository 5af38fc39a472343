/** The corpus labels (test/fixtures/corpus-labels/) as the fix evaluation reads them, and how a label finds its finding. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ruleIdsOf, type Finding } from '../../src/domain/finding';

const labelSchema = z.object({
  sarif: z.string(),
  ruleId: z.string(),
  path: z.string(),
  startLine: z.number(),
  label: z.enum(['true_positive', 'noise']),
  fixable: z.boolean(),
  fixKind: z.string().optional(),
  group: z.string(),
});

export type CorpusLabel = z.infer<typeof labelSchema>;

export const labelsDir = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'corpus-labels');

export function readLabels(app: string): CorpusLabel[] {
  const file = z.object({ results: z.array(labelSchema.passthrough()) }).parse(JSON.parse(readFileSync(join(labelsDir, `${app}.json`), 'utf8')));
  return file.results;
}

/**
 * The stored finding a labelled result landed on: same file, one of its rules, nearest line (a
 * result folded into another finding keeps that finding's line). Undefined when none.
 */
export function findingOf(label: CorpusLabel, findings: readonly Finding[]): Finding | undefined {
  const inFile = findings.filter((f) => f.location?.path === label.path);
  const distance = (f: Finding) => Math.abs((f.location?.startLine ?? 0) - label.startLine);
  const byRule = inFile.filter((f) => ruleIdsOf(f).includes(label.ruleId)).sort((a, b) => distance(a) - distance(b));
  return byRule[0] ?? inFile.find((f) => distance(f) === 0);
}
