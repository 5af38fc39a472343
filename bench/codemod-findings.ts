/**
 * Writes `bench/corpus/findings.json`: synthetic findings on the real corpus files, pointing at real nodes.
 * For each file and each codemod of its language: a finding on up to three of the codemod's own candidates
 * (the work a scanner hit causes), plus one finding on a line where that codemod has nothing (the "no … on
 * line N" path every false lead takes). Run `npx tsx bench/codemod-findings.ts` after changing the corpus.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSource } from '../src/domain/codemods/parser';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { corpusDir, loadCorpus, type CorpusFinding } from './codemod-corpus';

const registry = createDefaultRegistry();
const findings: CorpusFinding[] = [];
for (const file of loadCorpus()) {
  const tree = await parseSource(file.language, file.content);
  const lines = file.content.split('\n').length;
  for (const codemod of registry.all().filter((c) => c.languages.includes(file.language))) {
    const ruleId = Object.values(codemod.ruleIds).flat()[0];
    if (ruleId === undefined) continue;
    const candidates = codemod.candidates(tree.rootNode, file.language);
    for (const node of candidates.slice(0, 3)) {
      findings.push({ path: file.path, ruleId, startLine: node.startPosition.row + 1, startColumn: node.startPosition.column + 1 });
    }
    const used = new Set(candidates.map((n) => n.startPosition.row + 1));
    // A deterministic line, spread over the file by the codemod's position in the catalogue.
    let line = 1 + ((registry.all().indexOf(codemod) * 97) % lines);
    while (used.has(line)) line = (line % lines) + 1;
    findings.push({ path: file.path, ruleId, startLine: line });
  }
  tree.delete();
}
writeFileSync(join(corpusDir, 'findings.json'), `${JSON.stringify(findings, null, 1)}\n`);
console.log(`${findings.length} findings on ${new Set(findings.map((f) => f.path)).size} files`);
