/**
 * Every rule id in the real SARIF we hold (the corpus apps', the shared fixtures' and the project's own) is
 * classified here: either the codemods that fix the weakness it names (most specific first), or the reason no
 * codemod does. A new rule id in any of those files fails this test until someone decides which it is, and a rule
 * id that names no fixable weakness must reach no codemod (so nothing claims a fix for it by rule id).
 * Only rule ids are read here; no codemod runs on the corpus code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { findCodemods } from '../src/domain/codemods/registry';
import { refusalFor } from '../src/domain/codemods/refusals';
import { sonarKeyFromHelpUri } from '../src/domain/codemods/rule-ids';
import { FIXED_BY, NO_CODEMOD } from './support/rule-map';

const repo = join(import.meta.dirname, '..');
const shared = join(repo, '..', 'shared');
const SARIF_DIRS = [
  join(shared, 'corpus', 'dvna', 'sarif'),
  join(shared, 'corpus', 'nodegoat', 'sarif'),
  join(shared, 'corpus', 'pygoat', 'sarif'),
  join(shared, 'fixtures', 'sarif'),
  join(repo, 'test', 'fixtures', 'sarif'),
  join(repo, 'test', 'fixtures', 'triage', 'holdout'),
  join(repo, 'test', 'fixtures', 'triage', 'holdout-2'),
];

/** Dependency scanners report advisories (CVE ids), and Checkmarx a per-query hash: neither names a code weakness. */
const NOT_CODE_RULES = /trivy|anchore|checkmarx/i;

interface Seen {
  ruleId: string;
  ext: string;
  helpUri?: string;
  file: string;
}

const sarifRuleIds = (): Seen[] => {
  const seen = new Map<string, Seen>();
  for (const dir of SARIF_DIRS) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.sarif'))) {
      const log = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        runs?: { tool?: { driver?: { name?: string; rules?: { id: string; helpUri?: string }[] } }; results?: { ruleId?: string; ruleIndex?: number; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[];
      };
      for (const run of log.runs ?? []) {
        if (NOT_CODE_RULES.test(run.tool?.driver?.name ?? '')) continue;
        const rules = run.tool?.driver?.rules ?? [];
        for (const result of run.results ?? []) {
          const ruleId = result.ruleId ?? rules[result.ruleIndex ?? -1]?.id;
          if (ruleId === undefined) continue;
          const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
          const ext = extname(uri.split(/[?#]/)[0] ?? '');
          const key = `${ruleId} ${ext}`;
          if (!seen.has(key)) seen.set(key, { ruleId, ext, helpUri: rules.find((r) => r.id === ruleId)?.helpUri, file: name });
        }
      }
    }
  }
  return [...seen.values()];
};

const found = (ruleId: string, ext: string): string[] => findCodemods({ ruleId, cwes: [], path: `src/file${ext}` }).map((c) => c.id);

test('the SARIF rule ids are read (the corpus and fixtures are where the test expects them)', () => {
  const seen = sarifRuleIds();
  assert.ok(seen.length > 50, `only ${seen.length} rule ids found`);
  assert.ok(seen.some((s) => s.ruleId === 'sonarjs/x-powered-by') || !existsSync(join(shared, 'corpus')), 'the corpus sonarjs SARIF is read');
});

test('every rule id in the SARIF we hold is classified, and each reaches exactly the codemods listed for it', () => {
  const problems: string[] = [];
  for (const { ruleId, ext, file } of sarifRuleIds()) {
    const expected = FIXED_BY[ruleId];
    const reason = NO_CODEMOD[ruleId];
    if (expected === undefined && reason === undefined) {
      problems.push(`${ruleId} (${file}) is not classified: add it to FIXED_BY or NO_CODEMOD`);
      continue;
    }
    const actual = found(ruleId, ext);
    if (expected !== undefined) {
      // A rule id on a file of another language reaches nothing; on the language it names, exactly the list.
      if (actual.length > 0 || ['.py', '.js', '.ts', '.java'].includes(ext)) {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${ruleId} on ${ext}: expected ${expected.join(', ')}, got ${actual.join(', ') || 'nothing'}`);
      }
    } else if (actual.length > 0) {
      problems.push(`${ruleId} on ${ext} names no weakness a codemod fixes (${reason}) but reaches ${actual.join(', ')}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a sonarjs rule reaches the same codemods through the Sonar key in its helpUri', () => {
  const sonarjs = sarifRuleIds().filter((s) => s.ruleId.startsWith('sonarjs/'));
  for (const { ruleId, ext, helpUri } of sonarjs) {
    const key = sonarKeyFromHelpUri(helpUri);
    assert.ok(key !== undefined, `${ruleId}: helpUri ${helpUri} names a Sonar key`);
    assert.deepEqual(found(key, ext), FIXED_BY[ruleId] ?? [], `${ruleId} → ${key}`);
  }
  assert.equal(sonarKeyFromHelpUri('https://sonarsource.github.io/rspec/#/rspec/S5689/javascript'), 'javascript:S5689');
  assert.equal(sonarKeyFromHelpUri('https://eslint.org/docs/latest/rules/no-eval'), undefined);
});

test('a rule id shared by several codemods lists all of them, the one listing it exactly first', () => {
  assert.deepEqual(found('java:S2755', '.java'), ['xxe-document-builder-factory', 'xxe-sax-parser-factory', 'xxe-xml-input-factory', 'xxe-transformer-factory']);
  assert.deepEqual(found('python:S4507', '.py'), ['flask-debug-false', 'django-debug-false']);
  assert.deepEqual(found('javascript:S4721', '.js'), ['spawn-shell-false', 'node-exec-execfile']);
});

test('a shared Sonar rule id fixes whichever codemod the code at the finding needs', async () => {
  const { fixFile } = await import('../src/domain/codemods/engine');
  const finding = (id: string, ruleId: string, path: string, startLine: number) => ({ id, ruleId, cwes: [], location: { path, startLine } });
  const settings = 'import os\n\nDEBUG = True\nALLOWED_HOSTS = []\n';
  const django = await fixFile({ path: 'shop/settings.py', content: settings, findings: [finding('d', 'python:S4507', 'shop/settings.py', 3)] });
  assert.deepEqual(django.changes.map((c) => c.codemodId), ['django-debug-false']);
  assert.match(django.content, /DEBUG = False/);
  const java = [
    'import java.io.InputStream;',
    'import javax.xml.parsers.DocumentBuilderFactory;',
    'import javax.xml.parsers.SAXParserFactory;',
    'import org.xml.sax.helpers.DefaultHandler;',
    '',
    'class Feeds {',
    '    Object dom(InputStream in) throws Exception {',
    '        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();',
    '        return dbf.newDocumentBuilder().parse(in);',
    '    }',
    '',
    '    void sax(InputStream in, DefaultHandler handler) throws Exception {',
    '        SAXParserFactory spf = SAXParserFactory.newInstance();',
    '        spf.newSAXParser().parse(in, handler);',
    '    }',
    '}',
    '',
  ].join('\n');
  const path = 'src/Feeds.java';
  const both = await fixFile({ path, content: java, findings: [finding('dom', 'java:S2755', path, 8), finding('sax', 'java:S2755', path, 13)] });
  assert.deepEqual(both.unfixed, []);
  assert.deepEqual(both.changes.map((c) => c.codemodId), ['xxe-document-builder-factory', 'xxe-sax-parser-factory']);
});

test('weaknesses with no safe automatic fix say why, and reach no codemod', async () => {
  const refused = ['B301', 'B403', 'B105', 'B106', 'sonarjs/hardcoded-secret-signatures', 'java/HardcodedPassword', 'js/hardcoded-credentials', 'python.lang.security.deserialization.pickle.avoid-pickle', '@microsoft/sdl/no-angular-bypass-sanitizer', 'js/insufficient-password-hash'];
  for (const ruleId of refused) {
    assert.ok(refusalFor(ruleId) !== undefined, `${ruleId} has a reason`);
    for (const ext of ['.py', '.js', '.java']) assert.deepEqual(found(ruleId, ext), [], `${ruleId} reaches no codemod on ${ext}`);
  }
  assert.match(refusalFor('B301:blacklist') ?? '', /pickle/);
  assert.match(refusalFor('sonarjs/hardcoded-secret-signatures') ?? '', /rotated/);
  assert.equal(refusalFor('B602'), undefined, 'a fixable rule has no refusal');
  // The CWE fallback no longer claims these (B108 → tempfile-mktemp, B404/B603 → subprocess-shell-false before).
  assert.deepEqual(findCodemods({ ruleId: 'B108', cwes: ['CWE-377'], path: 'a.py' }), []);
  assert.deepEqual(findCodemods({ ruleId: 'B603:subprocess_without_shell_equals_true', cwes: ['CWE-78'], path: 'a.py' }), []);
  assert.deepEqual(findCodemods({ ruleId: 'B404', cwes: ['CWE-78'], path: 'a.py' }), []);
  const { fixFile } = await import('../src/domain/codemods/engine');
  const content = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n";
  const result = await fixFile({ path: 'app/cache.py', content, findings: [{ id: 'p', ruleId: 'B301', cwes: ['CWE-502'], location: { path: 'app/cache.py', startLine: 5 } }] });
  assert.equal(result.content, content);
  assert.match(result.unfixed[0]?.reason ?? '', /^no safe automatic fix: pickle runs code/);
});
