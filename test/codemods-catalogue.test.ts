/**
 * Walks test/fixtures/codemods/<codemod-id>/ and runs every case through the real engine:
 *   <case>.input.<ext>   the file as scanned
 *   <case>.output.<ext>  the expected fix (absent: the file must come back unchanged)
 *   <case>.json          { findings: [{ ruleId, startLine, endLine?, startColumn?, endColumn?, cwes? }], reason?, path?, project? }
 * Case names start with `fix-`, `no-op-` or `must-not-fix-`; every codemod needs one of each.
 * TypeScript fixtures end in an extra `.txt` so tsc (which includes test/) does not compile them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixFile } from '../src/domain/codemods/engine';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { languageForPath } from '../src/domain/codemods/parser';

const ROOT = join(import.meta.dirname, 'fixtures', 'codemods');
const registry = createDefaultRegistry();

interface CaseSpec {
  findings: { ruleId: string; startLine: number; endLine?: number; startColumn?: number; endColumn?: number; cwes?: string[] }[];
  reason?: string;
  /** The path the engine sees, when the case depends on it (Django settings); default `src/<case>.<ext>`. */
  path?: string;
  /** The project's dependencies, when the case depends on them (the SQL driver of a client passed in). */
  project?: { dependencies: string[]; versions?: Record<string, string> };
}

interface FixtureCase {
  codemodId: string;
  name: string;
  input: string;
  output?: string;
  /** The path the engine sees: `src/<case>.<ext>`. */
  path: string;
  spec: CaseSpec;
}

function cases(): FixtureCase[] {
  const found: FixtureCase[] = [];
  for (const codemodId of readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const dir = join(ROOT, codemodId);
    for (const file of readdirSync(dir)) {
      const match = /^(.+)\.input\.([a-z]+)(\.txt)?$/.exec(file);
      if (match === null) continue;
      const [, name = '', ext = '', hidden = ''] = match;
      const outputFile = join(dir, `${name}.output.${ext}${hidden}`);
      const spec = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as CaseSpec;
      found.push({
        codemodId,
        name,
        input: readFileSync(join(dir, file), 'utf8'),
        output: existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : undefined,
        path: spec.path ?? `src/${name}.${ext}`,
        spec,
      });
    }
  }
  return found;
}

const all = cases();

test('every registered codemod has a fix, a no-op and a must-not-fix fixture', () => {
  for (const codemod of registry.all()) {
    const mine = all.filter((c) => c.codemodId === codemod.id);
    for (const prefix of ['fix-', 'no-op-', 'must-not-fix-']) {
      assert.ok(mine.some((c) => c.name.startsWith(prefix)), `${codemod.id} has no ${prefix}* fixture`);
    }
  }
  for (const c of all) assert.ok(registry.get(c.codemodId), `fixture dir ${c.codemodId} names no registered codemod`);
});

test('codemod metadata is complete', () => {
  for (const codemod of registry.all()) {
    assert.match(codemod.summary, /^[A-Z][^\n]*[^.]$/, `${codemod.id}: summary is one line without a full stop`);
    assert.ok(codemod.summary.length <= 72, `${codemod.id}: summary fits a PR title`);
    assert.ok(codemod.description.length > 80, `${codemod.id}: description explains why`);
    assert.ok(codemod.languages.length > 0);
    for (const cwe of codemod.cwes) assert.match(cwe, /^CWE-\d+$/);
    for (const ref of codemod.references) assert.match(ref.url, /^https:\/\//);
    assert.ok(Object.values(codemod.ruleIds).flat().length > 0, `${codemod.id}: lists rule ids`);
  }
});

for (const c of all) {
  test(`${c.codemodId}: ${c.name}`, async () => {
    assert.ok(languageForPath(c.path), `${c.path} has a known language`);
    const findings = c.spec.findings.map((f, i) => ({
      id: `${c.name}-${i}`,
      ruleId: f.ruleId,
      cwes: f.cwes ?? [],
      location: { path: c.path, startLine: f.startLine, endLine: f.endLine, startColumn: f.startColumn, endColumn: f.endColumn },
    }));
    const result = await fixFile({ path: c.path, content: c.input, findings }, { registry, project: c.spec.project });
    if (c.output !== undefined) {
      assert.deepEqual(result.unfixed, []);
      assert.equal(result.content, c.output);
      assert.notEqual(result.diff, '');
      assert.deepEqual(result.fixed, findings.map((f) => f.id));
      for (const change of result.changes) assert.equal(change.codemodId, c.codemodId);
    } else {
      assert.equal(result.content, c.input, 'a no-op or must-not-fix case changes nothing');
      assert.equal(result.diff, '');
      assert.deepEqual(result.fixed, []);
      assert.equal(result.unfixed.length, findings.length);
      for (const u of result.unfixed) {
        assert.ok(u.reason.length > 0);
        // The fixture's own codemod's reason when it was tried (another codemod for the rule may be tried first), else the finding's.
        const own = result.tried.find((t) => t.findingId === u.findingId)?.codemods.find((t) => t.codemodId === c.codemodId)?.reason ?? u.reason;
        if (c.spec.reason !== undefined) assert.ok(own.includes(c.spec.reason), `reason "${own}" mentions "${c.spec.reason}"`);
      }
    }
  });
}
