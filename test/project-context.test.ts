/**
 * Issue 17, item 4: the scan reads the repository's manifests once per job, through its file cache,
 * only those of the languages its fixes are for, and gives the codemods what they declare (the
 * dependencies and language levels). Manifests here are written for the test.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestPaths, parseManifest, projectContextOf } from '../src/services/scan/project-manifests';
import { SourceFiles } from '../src/services/scan/source-files';
import { setUpWorkspace, startHarness, type Harness } from './support/harness';
import { sarifLog } from './support/sarif';

test('package.json: every dependency section and the Node engine', () => {
  const parsed = parseManifest('package.json', JSON.stringify({
    name: 'shop', engines: { node: '>=18' },
    dependencies: { pg: '^8.11.0', express: '^4.19.0' }, devDependencies: { mocha: '^10' }, optionalDependencies: { 'pg-native': '^3' },
  }));
  assert.deepEqual([...parsed.dependencies].sort(), ['express', 'mocha', 'pg', 'pg-native']);
  assert.deepEqual(parsed.versions, { pg: '^8.11.0', express: '^4.19.0', mocha: '^10', 'pg-native': '^3' });
  assert.deepEqual(parsed.levels, { node: '>=18' });
  assert.deepEqual(parseManifest('package.json', '{ not json'), { dependencies: [], versions: {}, levels: {} });
});

test('requirements*.txt: names only, normalised as PyPI does; comments, options and includes ignored', () => {
  const text = '# web\nDjango==4.2.7  # LTS\nrequests[security]>=2.31\nPyYAML\nmysqlclient; sys_platform != "win32"\n-r base.txt\n--index-url https://example.test/simple\nSQLAlchemy_Utils~=0.41\n\n';
  const parsed = parseManifest('requirements-prod.txt', text);
  assert.deepEqual(parsed.dependencies, ['django', 'requests', 'pyyaml', 'mysqlclient', 'sqlalchemy-utils']);
  assert.deepEqual(parsed.versions, { django: '==4.2.7', requests: '>=2.31', 'sqlalchemy-utils': '~=0.41' });
});

test('pyproject.toml: PEP 621 and Poetry dependencies, and requires-python', () => {
  const pep621 = '[project]\nname = "clinic"\nrequires-python = ">=3.11"\ndependencies = [\n  "flask>=3",\n  "psycopg[binary]",\n]\n\n[project.optional-dependencies]\nxml = ["defusedxml"]\n\n[build-system]\nrequires = ["hatchling"]\n';
  assert.deepEqual(parseManifest('pyproject.toml', pep621), { dependencies: ['flask', 'psycopg', 'defusedxml'], versions: {}, levels: { python: '>=3.11' } });
  const poetry = '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.10"\nDjango = "^5.0"\nlxml = { version = "^5" }\n\n[build-system]\nrequires = ["poetry-core"]\n';
  const parsed = parseManifest('pyproject.toml', poetry);
  assert.deepEqual(parsed.dependencies, ['django', 'lxml'], 'python is the level, poetry-core a build tool');
  assert.equal(parsed.levels.python, '^3.10');
});

test('pom.xml and build.gradle: group:artifact and the Java level', () => {
  const pom = '<project><properties><maven.compiler.release>17</maven.compiler.release></properties><dependencies>'
    + '<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>'
    + '<dependency>\n  <groupId>io.jsonwebtoken</groupId>\n  <artifactId>jjwt-api</artifactId>\n  <version>0.12.5</version>\n</dependency></dependencies></project>';
  assert.deepEqual(parseManifest('pom.xml', pom), { dependencies: ['org.postgresql:postgresql', 'io.jsonwebtoken:jjwt-api'], versions: { 'io.jsonwebtoken:jjwt-api': '0.12.5' }, levels: { java: '17' } });
  const gradle = "plugins { id 'java' }\nsourceCompatibility = JavaVersion.VERSION_11\ndependencies {\n  implementation 'com.mysql:mysql-connector-j:8.3.0'\n  testImplementation(\"junit:junit:4.13.2\")\n}\n";
  assert.deepEqual(parseManifest('build.gradle', gradle), { dependencies: ['com.mysql:mysql-connector-j', 'junit:junit'], versions: { 'com.mysql:mysql-connector-j': '8.3.0', 'junit:junit': '4.13.2' }, levels: { java: '11' } });
});

test('only the manifests of the fixes\' languages, at the root; every requirements file when the tree was listed', () => {
  assert.deepEqual(manifestPaths(['javascript', 'tsx']), ['package.json']);
  assert.deepEqual(manifestPaths(['python']), ['requirements.txt', 'pyproject.toml']);
  assert.deepEqual(manifestPaths(['python'], ['requirements-dev.txt', 'requirements.txt', 'web/requirements.txt', 'setup.py', 'package.json']), ['requirements-dev.txt', 'requirements.txt']);
  const context = projectContextOf(new Map([['package.json', '{"dependencies":{"pg":"1"},"engines":{"node":"20"}}'], ['requirements.txt', 'Flask\npg\n']]));
  assert.deepEqual(context, { dependencies: ['flask', 'pg'], versions: { pg: '1' }, languageLevels: { node: '20' } });
});

test('the job\'s file cache reads each manifest once, tolerates absent ones and shares the reads with the fix step', async () => {
  const reads: string[] = [];
  const client = {
    canAfford: () => true,
    readFile: async (_repo: unknown, _commit: string, path: string) => {
      reads.push(path);
      return path === 'pyproject.toml' ? '[project]\ndependencies = ["pyyaml"]\n' : undefined;
    },
  };
  const sources = new SourceFiles(client, { workspace: 'w', repo: 'r' }, 'c'.repeat(40));
  const first = await sources.project(['python']);
  const again = await sources.project(new Set(['python'] as const));
  assert.deepEqual(first, { dependencies: ['pyyaml'] });
  assert.equal(again, first);
  assert.deepEqual(reads, ['requirements.txt', 'pyproject.toml']);
  assert.equal(await sources.read('pyproject.toml'), '[project]\ndependencies = ["pyyaml"]\n');
  assert.equal(reads.length, 2, 'the fix step\'s read of a manifest is a cache hit');
});

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

test('through the web trigger: one scan reads package.json once for all its JavaScript fixes, and no Python manifest', async () => {
  const slug = 'manifests-once';
  const exec = (name: string) => `const cp = require('child_process');\n\nfunction ${name}(dir, cb) {\n  cp.exec('ls -la ' + dir, cb);\n}\n\nmodule.exports = ${name};\n`;
  const ws = await setUpWorkspace(h, slug, { 'a.js': exec('a'), 'b.js': exec('b'), 'package.json': '{"name":"x","dependencies":{"express":"^4"}}\n' });
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: { minConfidence: 0, minSeverity: 'info', grouping: 'per-file' } }, ws.adminContext);
  assert.equal(saved.ok, true);
  await h.admin('/requests', undefined, 'DELETE');
  const results = ['a.js', 'b.js'].map((path) => ({ ruleId: 'security/detect-child-process', path, line: 4, snippet: "  cp.exec('ls -la ' + dir, cb);" }));
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog(results, 'ESLint'), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202);
  await h.host.app.queue.idle();
  const log = await h.admin<{ method: string; path: string; status: number }[]>('/requests');
  const manifestReads = log.filter((r) => r.method === 'GET' && /\/src\/[0-9a-f]+\/(package\.json|requirements\.txt|pyproject\.toml|pom\.xml|build\.gradle)/.test(r.path));
  assert.deepEqual(manifestReads.map((r) => r.path.split('/').pop()), ['package.json']);
  assert.equal(h.host.emulator.state.repositories.find((r) => r.workspace === slug)?.pullRequests.length, 2, 'both files fixed');
});
