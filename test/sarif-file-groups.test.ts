/**
 * `FileGroups` (the ingest's grouping of findings by file, an open-addressing table keyed by a hash
 * of the path) must group exactly as a `Map` keyed by the path would, whatever collides in its
 * table. Generated paths (few distinct characters, so slots collide often) are compared against
 * the plain grouping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FileGroups } from '../src/domain/sarif/file-groups';

function plainGroups(paths: readonly string[]): (number[] | undefined)[] {
  const byPath = new Map<string, number[]>();
  paths.forEach((path, item) => byPath.set(path, [...(byPath.get(path) ?? []), item]));
  return paths.map((path) => {
    const items = byPath.get(path)!;
    return items.length > 1 ? items : undefined;
  });
}

test('FileGroups groups items as a Map keyed by path does', () => {
  const path = fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', 'é'), maxLength: 6 });
  fc.assert(fc.property(fc.array(path, { maxLength: 200 }), (paths) => {
    const groups = new FileGroups(paths.length);
    paths.forEach((p, item) => groups.add(p, item));
    assert.deepEqual(paths.map((_, item) => groups.group(item)), plainGroups(paths));
  }), { numRuns: 500, seed: 14 });
});

test('FileGroups tells apart paths that share a slot, and lists a third finding in its file', () => {
  // 40 distinct paths in a 128-slot table: several share a slot.
  const paths = Array.from({ length: 40 }, (_, i) => `src/f${i}.js`);
  const all = [...paths, 'src/f3.js', 'src/f3.js', 'src/f7.js'];
  const groups = new FileGroups(all.length);
  all.forEach((p, item) => groups.add(p, item));
  assert.deepEqual(groups.group(3), [3, 40, 41]);
  assert.deepEqual(groups.group(41), [3, 40, 41]);
  assert.deepEqual(groups.group(7), [7, 42]);
  assert.equal(groups.group(0), undefined);
  assert.deepEqual(all.map((_, item) => groups.group(item)), plainGroups(all));
});
