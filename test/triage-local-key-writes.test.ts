/**
 * Object-injection warnings on writes into an object the function makes itself, whose value is a
 * number (counting) or a query string's value (a string): nothing reaches a prototype. Each beside
 * near misses that stay findings: a value from the request that may be an object, a nested write,
 * an object made elsewhere, and one whose methods are called after the write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const objectKey = ruleFinding('security/detect-object-injection', 'ESLint', ['CWE-915']);
const ids = (result: ReturnType<typeof triageMarked>) => result.factors.map((f) => f.id);
const setAside = (file: string, marker: string) => {
  const result = triageMarked(objectKey, 'src/stats.ts', file, marker);
  return { set: result.verdict === 'false_positive' && ids(result).includes('defused-local-key-write'), result };
};

const counting = (write: string, after = '  return counts;', made = 'const counts: Record<string, number> = {};') => [
  'export async function varietyCounts(rows) {',
  `  ${made}`,
  '  for (const row of rows) {',
  `    ${write}`,
  '  }',
  after,
  '}',
].join('\n');

test('counting into a fresh local object is set aside; a nested write, a value from the request, an outside object or a later method call keep it', () => {
  for (const write of ['counts[row.variety] = (counts[row.variety] ?? 0) + 1;', 'counts[row.variety] = (counts[row.variety] || 0) + row.weight;', 'counts[row.variety] += row.weight;', 'counts[row.variety]++;']) {
    const { set, result } = setAside(counting(write), 'counts[row.variety]');
    assert.ok(set, `${write}: ${result.justification}`);
  }
  const nested = setAside(counting('counts[row.variety][row.year] = 1;'), 'counts[row.variety]');
  assert.ok(!nested.set, nested.result.justification);
  const value = setAside(counting('counts[row.variety] = row.details;'), 'counts[row.variety]');
  assert.ok(!value.set, value.result.justification);
  const outside = setAside(counting('counts[row.variety] = (counts[row.variety] ?? 0) + 1;', '  return counts;', 'const counts = this.cache;'), 'counts[row.variety]');
  assert.ok(!outside.set, outside.result.justification);
  const called = setAside(counting('counts[row.variety] = (counts[row.variety] ?? 0) + 1;', '  return counts.hasOwnProperty(name);'), 'counts[row.variety]');
  assert.ok(!called.set, called.result.justification);
  const merged = setAside(counting('counts[row.variety] = (counts[row.variety] ?? 0) + 1;', '  return Object.assign(this.totals, counts);'), 'counts[row.variety]');
  assert.ok(!merged.set, merged.result.justification);
});

test("a query string's pairs copied into a fresh object are set aside; pairs of a parsed body, or a later merge, keep it", () => {
  const copy = (source: string, after = '  return filters;') => [
    'export function filtersFromLocation(search = location.search) {',
    '  const filters: Record<string, string> = {};',
    `  for (const [key, value] of ${source}) {`,
    '    if (value) filters[key] = value;',
    '  }',
    after,
    '}',
  ].join('\n');
  for (const source of ['new URLSearchParams(search)', 'new URLSearchParams(location.search).entries()', 'url.searchParams']) {
    const { set, result } = setAside(copy(source), 'filters[key] = value');
    assert.ok(set, `${source}: ${result.justification}`);
  }
  const body = setAside(copy('Object.entries(req.body)'), 'filters[key] = value');
  assert.ok(!body.set, body.result.justification);
  const spread = setAside(copy('new URLSearchParams(search)', '  return merge(defaults, { ...filters });'), 'filters[key] = value');
  assert.ok(!spread.set, spread.result.justification);
});

test('counting into a fresh object sent as the JSON response is set aside; merged into another object or handed to a helper it is kept', () => {
  for (const after of ['  res.json(counts);', '  return res.status(200).json(counts);', '  const text = JSON.stringify(counts);']) {
    const { set, result } = setAside(counting('counts[row.variety] = (counts[row.variety] ?? 0) + row.parcels.length;', after), 'counts[row.variety]');
    assert.ok(set, `${after}: ${result.justification}`);
  }
  for (const after of ['  res.json({ ...counts });', '  merge(target, counts);', '  res.json(counts, extra);']) {
    const { set, result } = setAside(counting('counts[row.variety] = (counts[row.variety] ?? 0) + 1;', after), 'counts[row.variety]');
    assert.ok(!set, `${after}: ${result.justification}`);
  }
});
