/**
 * `isRun` (the hand-written check of a run's shape) may only be stricter than `runSchema`, never
 * looser; and on real scanner output it passes every run (so zod does not walk a run's results).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isRun } from '../src/domain/sarif/fast-shape';
import { runSchema } from '../src/domain/sarif/schema';

const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(Number.NaN), fc.boolean(), fc.constant(null), fc.constant(undefined));
const anything = fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }), fc.dictionary(fc.constantFrom('text', 'uri', 'name', 'x'), leaf, { maxKeys: 2 }));
/** An object with some of `keys`, each a value of the expected shape (from `good`) or anything. */
const shaped = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([key, good]) => [key, fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anything })])), { requiredKeys: [] });

const optString = fc.option(fc.string({ maxLength: 4 }), { nil: null });
const optNumber = fc.option(fc.integer({ min: -2, max: 5 }), { nil: null });
const artifactLocation = shaped({ uri: optString, uriBaseId: optString, index: optNumber });
const strings = fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(shaped({ text: optString, markdown: optString }), anything), { maxKeys: 2 });
const component = shaped({ name: fc.string({ minLength: 1, maxLength: 3 }), version: optString, semanticVersion: optString, rules: fc.array(anything, { maxLength: 2 }), globalMessageStrings: strings });
const tool = fc.record({ driver: component, extensions: fc.option(fc.array(fc.oneof(component, anything), { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: ['driver'] });
/** Most runs get a tool (every valid run has one); the rest of the fields are as `shaped` makes them. */
const run = fc.tuple(fc.oneof({ weight: 4, arbitrary: tool }, { weight: 1, arbitrary: anything }), shaped({
  results: fc.array(anything, { maxLength: 2 }),
  artifacts: fc.array(fc.oneof(shaped({ location: artifactLocation }), anything), { maxLength: 2 }),
  originalUriBaseIds: fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(artifactLocation, anything), { maxKeys: 2 }),
  invocations: fc.array(shaped({ workingDirectory: shaped({ uri: optString }) }), { maxLength: 2 }),
  properties: fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), leaf, { maxKeys: 2 }), anything),
})).map(([runTool, rest]) => ({ tool: runTool, ...rest }));

test('isRun passes nothing runSchema rejects, and passes well-formed runs', () => {
  let passed = 0;
  fc.assert(
    fc.property(run, (value) => {
      if (!isRun(value)) return true;
      passed++;
      return runSchema.safeParse(value).success;
    }),
    { numRuns: 5000 },
  );
  assert.ok(passed > 40, `only ${passed} generated runs took the fast path`);
});

test('isRun rejects what runSchema rejects: a nameless driver, results that are not an array, a bad base', () => {
  const good = { tool: { driver: { name: 'x' } }, results: [], originalUriBaseIds: { SRCROOT: { uri: 'file:///src/' } } };
  assert.equal(isRun(good), true);
  for (const bad of [
    { ...good, tool: { driver: { name: '' } } },
    { ...good, results: {} },
    { ...good, originalUriBaseIds: { SRCROOT: { uri: 3 } } },
    { ...good, tool: { driver: { name: 'x', globalMessageStrings: { a: { text: 1 } } } } },
    { ...good, invocations: [{ workingDirectory: { uri: [] } }] },
    { ...good, properties: [] },
  ]) {
    assert.equal(isRun(bad), false, JSON.stringify(bad));
    assert.equal(runSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('every run of every real fixture takes the fast path', () => {
  const dir = join(import.meta.dirname, 'fixtures/sarif');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sarif') || f.endsWith('.json'))) {
    const log = JSON.parse(readFileSync(join(dir, file), 'utf8').replace(/^\uFEFF/, '')) as { runs?: unknown[] };
    for (const [i, value] of (log.runs ?? []).entries()) assert.equal(isRun(value), true, `${file} runs[${i}]`);
  }
});
