/**
 * The hand-written shape checks may only be stricter than the zod schemas, never looser: whatever
 * they pass, zod passes. And on real scanner output they pass everything (so zod is not run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isLocation, isLog, isResult } from '../src/domain/sarif/fast-shape';
import { locatedMessageSchema, locationSchema, resultSchema, sarifLogSchema } from '../src/domain/sarif/schema';

const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(1e999), fc.constant(Number.NaN), fc.boolean(), fc.constant(null), fc.constant(undefined));
const anything = fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }), fc.dictionary(fc.constantFrom('text', 'uri', 'id', 'x'), leaf, { maxKeys: 2 }));
/** An object with some of `keys`, each a value of the expected shape (from `good`) or anything. */
const shaped = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([key, good]) => [key, fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anything })])), { requiredKeys: [] });

const optString = fc.option(fc.string({ maxLength: 6 }), { nil: null });
const optNumber = fc.option(fc.integer({ min: -2, max: 50 }), { nil: null });
const artifact = shaped({ uri: optString, uriBaseId: optString, index: optNumber });
const region = shaped({ startLine: optNumber, startColumn: optNumber, endLine: optNumber, endColumn: optNumber, snippet: shaped({ text: optString }) });
const message = shaped({ text: optString, markdown: optString, id: optString, arguments: fc.array(leaf, { maxLength: 2 }) });
const location = shaped({
  physicalLocation: shaped({ artifactLocation: artifact, region }),
  logicalLocations: fc.array(shaped({ name: optString, fullyQualifiedName: optString }), { maxLength: 2 }),
  message,
});
const result = shaped({
  ruleId: optString,
  ruleIndex: optNumber,
  rule: shaped({ id: optString, index: optNumber, toolComponent: shaped({ index: optNumber, name: optString }) }),
  kind: optString,
  level: optString,
  message,
  locations: fc.array(location, { maxLength: 2 }),
  relatedLocations: fc.array(anything, { maxLength: 2 }),
  codeFlows: fc.array(anything, { maxLength: 2 }),
  partialFingerprints: fc.dictionary(fc.string({ maxLength: 3 }), leaf, { maxKeys: 2 }),
  suppressions: fc.array(shaped({ kind: optString, status: optString, justification: optString }), { maxLength: 2 }),
  taxa: fc.array(shaped({ id: optString, toolComponent: shaped({ name: optString }) }), { maxLength: 2 }),
  properties: shaped({ tags: fc.array(leaf, { maxLength: 2 }) }),
});
const log = shaped({
  version: fc.constantFrom('2.1.0', '2.0.0'),
  runs: fc.array(shaped({ tool: shaped({ driver: shaped({ name: fc.string({ maxLength: 3 }) }) }), results: fc.array(fc.oneof(result, anything), { maxLength: 2 }) }), { maxLength: 2 }),
});

const never = (check: (v: unknown) => boolean, schema: { safeParse(v: unknown): { success: boolean } }, arbitrary: fc.Arbitrary<unknown>) =>
  fc.assert(fc.property(arbitrary, (value) => !check(value) || schema.safeParse(value).success), { numRuns: 3000 });

test('isResult passes nothing resultSchema rejects', () => never(isResult, resultSchema, result));
test('isLocation passes nothing locationSchema / locatedMessageSchema rejects', () => {
  never((v) => isLocation(v), locationSchema, location);
  never((v) => isLocation(v, true), locatedMessageSchema, location);
});
test('isLog passes nothing sarifLogSchema rejects', () => never(isLog, sarifLogSchema, log));

test('every result of every real fixture takes the fast path', () => {
  const dir = join(import.meta.dirname, 'fixtures/sarif');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.sarif'))) {
    const json = JSON.parse(readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, '')) as { runs: { results?: unknown[] }[] };
    assert.ok(isLog(json), name);
    for (const run of json.runs) for (const r of run.results ?? []) assert.ok(isResult(r), `${name}: ${JSON.stringify(r).slice(0, 200)}`);
  }
});
