/**
 * Mutants of the real SARIF fixtures for the web trigger's fuzz test: deterministic for a seed.
 * Each fixture is cut into small windows of its results (the run's rules cut to the ones the window
 * uses, indexes renumbered, so an upload stays small); a mutant is a window with one to three
 * mutations: a value replaced by another JSON type or an over-long string, a field removed, an
 * array entry repeated, too many runs, the text cut or garbled, the body gzipped or wrapped in the
 * GitHub envelope.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../../src/local/emulator/faults';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
type Path = (string | number)[];

/** A small seeded generator (the emulator's mulberry32), so a seed always gives the same mutants. */
export const seeded = (seed: number): (() => number) => mulberry32(seed);

/** The fixture directories: the project's, and the shared set when this machine has it. */
export function fixtureFiles(projectDir: string): string[] {
  const dirs = [join(projectDir, 'test/fixtures/sarif'), '/work/shared/fixtures/sarif'].filter((dir) => existsSync(dir));
  const byName = new Map<string, string>();
  for (const dir of dirs) for (const name of readdirSync(dir)) if (name.endsWith('.sarif') && !byName.has(name)) byName.set(name, join(dir, name));
  return [...byName.values()].sort();
}

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One run with only `results[from, from + size)`, its components' rules cut to those used and renumbered. */
function windowOf(run: Obj, from: number, size: number): Obj {
  const results = (Array.isArray(run['results']) ? run['results'] : []).slice(from, from + size).map((r) => structuredClone(r));
  const tool = structuredClone(run['tool']) as Obj;
  const components: Obj[] = [tool['driver'] as Obj, ...((Array.isArray(tool['extensions']) ? tool['extensions'] : []) as Obj[])];
  components.forEach((component, c) => {
    if (!isObj(component)) return;
    delete component['notifications'];
    const rules = Array.isArray(component['rules']) ? (component['rules'] as Obj[]) : [];
    const componentOf = (result: Obj): number => {
      const reference = result['rule'];
      const index = isObj(reference) && isObj(reference['toolComponent']) ? reference['toolComponent']['index'] : undefined;
      return typeof index === 'number' ? index + 1 : 0;
    };
    const used = new Set<number>();
    const ids = new Set(results.filter(isObj).map((r) => r['ruleId'] ?? (isObj(r['rule']) ? r['rule']['id'] : undefined)));
    rules.forEach((rule, i) => ids.has(isObj(rule) ? rule['id'] ?? null : null) && used.add(i));
    for (const result of results.filter(isObj)) {
      if (componentOf(result) !== c) continue;
      for (const index of [result['ruleIndex'], isObj(result['rule']) ? result['rule']['index'] : undefined]) if (typeof index === 'number' && rules[index]) used.add(index);
    }
    const order = [...used].sort((a, b) => a - b);
    const renumber = new Map(order.map((old, i) => [old, i]));
    component['rules'] = order.map((i) => rules[i]!) as Json;
    for (const result of results.filter(isObj)) {
      if (componentOf(result) !== c) continue;
      if (typeof result['ruleIndex'] === 'number') result['ruleIndex'] = renumber.get(result['ruleIndex']) ?? -1;
      const reference = result['rule'];
      if (isObj(reference) && typeof reference['index'] === 'number') reference['index'] = renumber.get(reference['index']) ?? -1;
    }
  });
  const { results: _all, tool: _tool, ...rest } = run;
  return { ...structuredClone(rest), tool, results } as Obj;
}

/** Small valid documents cut from every fixture: a few windows of up to `size` results per run. */
export function fixtureWindows(files: readonly string[], size = 12, perRun = 4): Obj[] {
  const windows: Obj[] = [];
  for (const file of files) {
    const log = JSON.parse(readFileSync(file, 'utf8')) as Obj;
    for (const run of (log['runs'] as Obj[]) ?? []) {
      const count = Array.isArray(run['results']) ? run['results'].length : 0;
      const starts = count <= size ? [0] : Array.from({ length: perRun }, (_, k) => Math.floor((k * (count - size)) / Math.max(1, perRun - 1)));
      for (const from of new Set(starts)) windows.push({ ...log, runs: [windowOf(run, from, size)] } as Obj);
    }
  }
  return windows;
}

function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (isObj(value)) for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

function parentOf(root: Json, path: Path): { parent: Obj | Json[]; key: string | number } | undefined {
  let parent = root as Json;
  for (const key of path.slice(0, -1)) parent = (parent as Obj)[key as string] as Json;
  return isObj(parent) || Array.isArray(parent) ? { parent, key: path[path.length - 1]! } : undefined;
}

export type MutantKind = 'replace' | 'remove' | 'repeat' | 'long-string' | 'many-runs' | 'truncate' | 'garble';

export interface Mutant {
  kinds: MutantKind[];
  body: string | Buffer;
  headers: Record<string, string>;
  /** Set when the mutation decides the answer: the status the web trigger must give. */
  expect?: { status: number; code: string };
}

const oddValues = (random: () => number): Json[] => [
  null, 0, -1, 1.5, 1e308, true, '', 'x', [], {}, [[[[[[]]]]]], { text: 7 }, ['a', 1, null], '%ZZ', 'file:///etc/passwd', '../../../etc/passwd',
  '\u202e\u0000', 'a'.repeat(1 + Math.floor(random() * 5000)),
];

/** A window with one to three mutations; `random` decides everything. */
export function mutate(windows: readonly Obj[], random: () => number): Mutant {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const doc = structuredClone(pick(windows)) as Json;
  const kinds: MutantKind[] = [];
  let expect: Mutant['expect'];
  const rounds = 1 + Math.floor(random() * 3);
  for (let round = 0; round < rounds; round++) {
    const kind = pick<MutantKind>(['replace', 'replace', 'remove', 'repeat', 'long-string', 'long-string', 'many-runs', 'truncate', 'garble']);
    if ((kind === 'truncate' || kind === 'garble') && round < rounds - 1) continue; // text edits come last
    const paths = pathsOf(doc);
    const at = paths.length > 0 ? parentOf(doc, pick(paths)) : undefined;
    if (kind === 'replace' && at) {
      (at.parent as Obj)[at.key as string] = pick(oddValues(random));
    } else if (kind === 'remove' && at) {
      if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1);
      else delete at.parent[at.key as string];
    } else if (kind === 'repeat') {
      const arrays = paths.filter((p) => Array.isArray(parentOf(doc, p)?.parent));
      const target = arrays.length > 0 ? parentOf(doc, pick(arrays)) : undefined;
      if (target && Array.isArray(target.parent)) {
        const item = target.parent[Number(target.key)]!;
        // Many copies of a small entry (results, steps, tags), a few of a large one (a whole run).
        const most = JSON.stringify(item).length > 10_000 ? 3 : 200;
        // Copies, not one shared object: a later mutation of one copy must not change them all.
        target.parent.push(...Array.from({ length: 1 + Math.floor(random() * most) }, () => structuredClone(item)));
      }
    } else if (kind === 'long-string') {
      const strings = paths.filter((p) => typeof (parentOf(doc, p)?.parent as Obj | undefined)?.[p[p.length - 1] as string] === 'string');
      const target = strings.length > 0 ? parentOf(doc, pick(strings)) : undefined;
      // From just over a bound (256, 1,000, 2,048, 4,000) to far beyond it.
      const length = pick([257, 1001, 2049, 4001, 20_000, 300_000]);
      if (target) (target.parent as Obj)[target.key as string] = String.fromCharCode(0x41 + Math.floor(random() * 26)).repeat(length);
    } else if (kind === 'many-runs' && isObj(doc)) {
      doc['runs'] = Array.from({ length: 101 + Math.floor(random() * 400) }, () => ({ tool: { driver: { name: 'many' } }, results: [] }));
    }
    kinds.push(kind);
  }
  let text = JSON.stringify(doc);
  const last = kinds[kinds.length - 1];
  // More than 100 runs is refused before anything else is looked at, once the text is JSON.
  if (isObj(doc) && Array.isArray(doc['runs']) && doc['runs'].length > 100) expect = { status: 413, code: 'payload_too_large' };
  if (last === 'truncate') {
    text = text.slice(0, Math.floor(random() * text.length));
    expect = { status: 400, code: 'invalid_sarif' };
  } else if (last === 'garble') {
    const at = Math.floor(random() * text.length);
    text = `${text.slice(0, at)}${pick(['{', ']', '"', '\\', '\u0001', ',,', 'NaN', '\ud800'])}${text.slice(at + 1)}`;
  }
  // A garbled text may or may not still be JSON: the answer is not decided then.
  if (last === 'garble') expect = undefined;
  const wrap = random();
  const mutant: Mutant =
    wrap < 0.2
      ? { kinds, body: gzipSync(text), headers: { 'Content-Encoding': 'gzip' } }
      : wrap < 0.3
        ? { kinds, body: JSON.stringify({ sarif: gzipSync(text).toString('base64') }), headers: {} }
        : { kinds, body: text, headers: {} };
  // The size limits come before the SARIF is read: over 5 MB on the wire, or over 40 MB inflated.
  if (Buffer.byteLength(mutant.body) > 5 * 1024 * 1024 || Buffer.byteLength(text) > 40 * 1024 * 1024) expect = { status: 413, code: 'payload_too_large' };
  return expect ? { ...mutant, expect } : mutant;
}
