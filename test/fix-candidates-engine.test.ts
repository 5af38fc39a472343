/**
 * The engine's side of issue 17: every codemod offered for a finding is tried in order and the
 * first whose fix passes verification wins (a fix that fails verification leaves the finding to the
 * next codemod); each codemod tried is reported with its reason; and the project context the scan
 * read from the manifests reaches the codemods, in their fix and in its verification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixFile, type FileFinding } from '../src/domain/codemods/engine';
import { CodemodRegistry } from '../src/domain/codemods/registry';
import { pyyamlSafeLoad } from '../src/domain/codemods/catalogue/pyyaml-safe-load';
import type { Codemod, FixContext, FixOutcome, ProjectContext } from '../src/domain/codemods/types';

const PATH = 'svc/loader.py';
const content = 'import yaml\ndata = yaml.load(body)\n';
const finding = (codemods?: string[]): FileFinding => ({
  id: 'f1', ruleId: 'test-rule', cwes: [], location: { path: PATH, startLine: 2 }, ...(codemods ? { codemods } : {}),
});
const variant = (id: string, fix: (ctx: FixContext) => FixOutcome): Codemod => ({ ...pyyamlSafeLoad, id, ruleIds: { generic: ['test-rule'] }, fix });

test('a first codemod whose fix fails verification leaves the finding to the next, which fixes it', async () => {
  const breaksSyntax = variant('breaks-syntax', ({ node }) => ({ edits: [{ start: node.endIndex - 1, end: node.endIndex, text: '' }], description: 'drops the )' }));
  const registry = new CodemodRegistry([breaksSyntax, pyyamlSafeLoad]);
  const result = await fixFile({ path: PATH, content, findings: [finding(['breaks-syntax', 'pyyaml-safe-load'])] }, { registry });
  assert.equal(result.content, 'import yaml\ndata = yaml.safe_load(body)\n');
  assert.deepEqual(result.changes.map((c) => c.codemodId), ['pyyaml-safe-load']);
  assert.deepEqual(result.unfixed, []);
  assert.deepEqual(result.tried, []);
});

test('the candidates are tried in the order given, not the registry\'s', async () => {
  const first = variant('appends-comment', ({ node }) => ({ edits: [{ start: node.endIndex, end: node.endIndex, text: '  # checked' }], description: 'comment' }));
  const registry = new CodemodRegistry([first, pyyamlSafeLoad]);
  const result = await fixFile({ path: PATH, content, findings: [finding(['pyyaml-safe-load', 'appends-comment'])] }, { registry });
  assert.deepEqual(result.changes.map((c) => c.codemodId), ['pyyaml-safe-load']);
});

test('when no codemod fixes it, each one tried is reported with its reason and whether its detector matched', async () => {
  const refuses = variant('refuses', () => ({ unfixed: 'the loader is chosen at run time' }));
  const elsewhere = variant('looks-elsewhere', () => ({ unfixed: 'never asked' }));
  const registry = new CodemodRegistry([refuses, { ...elsewhere, candidates: () => [] }]);
  const result = await fixFile({ path: PATH, content, findings: [finding(['refuses', 'looks-elsewhere', 'not-shipped'])] }, { registry });
  assert.equal(result.content, content);
  assert.deepEqual(result.unfixed, [{ findingId: 'f1', reason: 'the loader is chosen at run time' }]);
  assert.deepEqual(result.tried, [{
    findingId: 'f1',
    codemods: [
      { codemodId: 'refuses', reason: 'the loader is chosen at run time', matched: true },
      { codemodId: 'looks-elsewhere', reason: 'no call to yaml.load on line 2', matched: false },
    ],
  }]);
});

test('the project context reaches the codemod\'s fix', async () => {
  const project: ProjectContext = { dependencies: ['pyyaml', 'sqlalchemy'], languageLevels: { python: '>=3.10' } };
  const seen: (ProjectContext | undefined)[] = [];
  const recording = variant('recording', (ctx) => {
    seen.push(ctx.project);
    return pyyamlSafeLoad.fix(ctx);
  });
  const registry = new CodemodRegistry([recording]);
  const result = await fixFile({ path: PATH, content, findings: [finding()] }, { registry, project });
  assert.deepEqual(result.fixed, ['f1']);
  assert.ok(seen.length >= 1);
  assert.ok(seen.every((p) => p === project), 'every run saw the project context');

  seen.length = 0;
  await fixFile({ path: PATH, content, findings: [finding()] }, { registry });
  assert.ok(seen.length >= 1 && seen.every((p) => p === undefined), 'absent when the caller read no manifests');
});

test('the scan\'s dry run tries the codemods that are on first; a turned-off one is tried apart, its fix kept but never crowding one out', async () => {
  const { dryRunFixes } = await import('../src/services/scan/dry-run-fixes');
  const { SourceFiles } = await import('../src/services/scan/source-files');
  const comment = variant('appends-comment', ({ node, source }) => (source.startsWith('  # reviewed', node.endIndex)
    ? { unfixed: 'already reviewed', alreadySafe: true }
    : { edits: [{ start: node.endIndex, end: node.endIndex, text: '  # reviewed' }], description: 'comment' }));
  // Registered first, so the rule lookup offers it first.
  const registry = new CodemodRegistry([{ ...comment, candidates: pyyamlSafeLoad.candidates }, { ...pyyamlSafeLoad, ruleIds: { generic: ['test-rule'] } }]);
  const finding = { fingerprint: 'fp', ruleId: 'test-rule', tools: [{ name: 'Semgrep' }], severity: 'high' as const, cwes: [], message: 'm', location: { path: PATH, startLine: 2 } };
  const sources = new SourceFiles({ canAfford: () => true, readFile: async () => undefined }, { workspace: 'w', repo: 'r' }, 'c'.repeat(40));
  const dryRun = (disabledCodemods: string[]) =>
    dryRunFixes({ findings: [finding], reads: new Map([[PATH, { content }]]), code: { sources }, commit: 'c'.repeat(40), policy: { disabledCodemods }, registry });

  const withFirstOff = (await dryRun(['appends-comment'])).get(finding);
  assert.equal(withFirstOff?.kind === 'fixed' ? withFirstOff.codemodId : withFirstOff?.kind, 'pyyaml-safe-load', 'the one that is on wins');
  const allOn = (await dryRun([])).get(finding);
  assert.equal(allOn?.kind === 'fixed' ? allOn.codemodId : allOn?.kind, 'appends-comment', 'most specific first');
  const onlyOff = (await dryRun(['appends-comment', 'pyyaml-safe-load'])).get(finding);
  assert.equal(onlyOff?.kind === 'fixed' ? onlyOff.codemodId : onlyOff?.kind, 'appends-comment', 'kept, so the page can say the fix is turned off');
});
