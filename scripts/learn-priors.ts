/**
 * `npm run learn:priors`: counts, per weakness family, how many of the labelled findings that reach
 * triage's fallback (no decisive analyzer set them aside or confirmed them; their base factor is
 * `prior`) are real vulnerabilities, over the in-sample fixtures, holdout and holdout-2 (source
 * read where the set has it). Never the corpus or the held-aside set: those measure the result.
 * Prints the table; `--write` rewrites `priorCounts` in src/domain/triage/priors.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { evaluate, loadSet } from './eval-triage';
import { families, familyOf, type Family } from '../src/domain/triage/families';
import { priorOf } from '../src/domain/triage/priors';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LEARNING_SETS = ['in-sample', 'holdout', 'holdout-2'] as const;

export function learnPriorCounts(): Record<Family, { real: number; seen: number }> {
  const counts = Object.fromEntries(families.map((family) => [family, { real: 0, seen: 0 }])) as Record<Family, { real: number; seen: number }>;
  for (const name of LEARNING_SETS) {
    for (const scored of evaluate(loadSet(name)).scored) {
      const finding = scored.matches[0];
      if (!finding || scored.result?.factors[0]?.id !== 'prior') continue;
      const entry = counts[familyOf(finding)];
      entry.seen += 1;
      if (scored.label.verdict === 'true_positive') entry.real += 1;
    }
  }
  return counts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const counts = learnPriorCounts();
  for (const family of families) console.log(`${family.padEnd(16)} ${String(counts[family].real).padStart(3)} real of ${String(counts[family].seen).padStart(3)} → prior ${priorOf(counts[family])}`);
  if (process.argv.includes('--write')) {
    const file = join(root, 'src/domain/triage/priors.ts');
    const body = families.map((family) => `  ${/^[a-z]+$/.test(family) ? family : `'${family}'`}: { real: ${counts[family].real}, seen: ${counts[family].seen} },`).join('\n');
    const text = readFileSync(file, 'utf8').replace(/(export const priorCounts: Record<Family, \{ real: number; seen: number \}> = \{\n)[\s\S]*?(\n\};)/, `$1${body}$2`);
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
