/**
 * Issue 17's "must show", through the web trigger, the scan job and the emulator: code written the way
 * real apps write it (a destructured or `require(…).exec`-bound `exec`, a pg client passed in with the
 * driver known only from package.json, `Math.random` token forms, `return tempfile.mktemp(…)`, an
 * ESLint sonarjs rule id whose Sonar key is only in its helpUri) gets a verified fix pull request,
 * and shapes with no safe fix (a predictable /tmp path, an import of subprocess, pickle) are never
 * shown as "fix available".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingPage } from '../src/contracts/resolver-api';
import { FindingsRepository } from '../src/storage/findings-repository';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { prSnapshot } from './support/pr-snapshot';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const wideOpen = { autoPullRequests: true, minSeverity: 'info', minConfidence: 0, grouping: 'per-file', maxOpenPullRequests: 100, maxNewPullRequestsPerScan: 50 };

interface Result {
  ruleId: string;
  path: string;
  line: number;
  helpUri?: string;
}

/** SARIF as ESLint's formatter or Bandit writes it: rules with their helpUri, results pointing at them. */
function sarif(tool: 'ESLint' | 'Bandit', results: Result[]): string {
  const ids = [...new Set(results.map((r) => r.ruleId))];
  return JSON.stringify({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: tool, rules: ids.map((id) => ({ id, shortDescription: { text: id }, ...(results.find((r) => r.ruleId === id)?.helpUri ? { helpUri: results.find((r) => r.ruleId === id)?.helpUri } : {}) })) } },
      results: results.map((r) => ({
        ruleId: r.ruleId,
        ruleIndex: ids.indexOf(r.ruleId),
        level: 'error',
        message: { text: `${r.ruleId} flagged this line` },
        locations: [{ physicalLocation: { artifactLocation: { uri: r.path }, region: { startLine: r.line } } }],
      })),
    }],
  });
}

async function scan(slug: string, files: Record<string, string>, tool: 'ESLint' | 'Bandit', results: Result[]): Promise<Workspace> {
  const ws = await setUpWorkspace(h, slug, files);
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy: wideOpen }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarif(tool, results), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  return ws;
}

/** The one fix PR's branch codemod and its new file text; fails with the stored outcomes when there is none. */
async function onlyFix(ws: Workspace, slug: string, path: string): Promise<{ codemod: string; text: string }> {
  const prs = prSnapshot(h, slug).pullRequests;
  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  assert.equal(prs.length, 1, `one fix PR; outcomes: ${JSON.stringify(findings.map((f) => [f.verdict, f.fixOutcome]))}`);
  const text = prs[0]?.files[path];
  assert.ok(text !== undefined, `the PR changes ${path}`);
  for (const f of findings) {
    assert.equal(f.fixOutcome?.kind, 'fixed', `${f.location?.path}:${f.location?.startLine} is fixed`);
    assert.equal(f.status, 'fix_proposed', `${f.location?.path}:${f.location?.startLine} is in the PR (${f.verdict}: ${f.justification})`);
  }
  return { codemod: prs[0]?.sourceBranch.split('/')[1] ?? '', text };
}

test('`const { exec } = require(\'child_process\')` with a spliced command becomes execFile with an argument list', async () => {
  const slug = 'shape-exec-destructured';
  const files = {
    'lib/list.js': "const { exec } = require('child_process');\n\nfunction listing(dir, cb) {\n  exec('ls -la ' + dir, cb);\n}\n\nmodule.exports = listing;\n",
    'package.json': '{"name":"lister","dependencies":{"express":"^4.18.0"}}\n',
  };
  const ws = await scan(slug, files, 'ESLint', [{ ruleId: 'security/detect-child-process', path: 'lib/list.js', line: 4 }]);
  const { codemod, text } = await onlyFix(ws, slug, 'lib/list.js');
  assert.equal(codemod, 'node-exec-execfile');
  assert.match(text, /execFile\('ls', \['-la', dir\], cb\)/);
  assert.doesNotMatch(text, /\bexec\(/);
});

test('`const exec = require(\'child_process\').exec` in a route handler is recognised and fixed', async () => {
  const slug = 'shape-exec-member';
  const files = {
    'routes/lookup.js': [
      "const express = require('express');",
      "const exec = require('child_process').exec;",
      '',
      'const router = express.Router();',
      '',
      "router.post('/lookup', (req, res) => {",
      "  exec('nslookup ' + req.body.host, (err, stdout) => {",
      "    if (err) return res.status(500).send('lookup failed');",
      '    return res.send(stdout);',
      '  });',
      '});',
      '',
      'module.exports = router;',
      '',
    ].join('\n'),
    'package.json': '{"name":"lookup","dependencies":{"express":"^4.18.0"}}\n',
  };
  const ws = await scan(slug, files, 'ESLint', [
    { ruleId: 'sonarjs/os-command', path: 'routes/lookup.js', line: 7, helpUri: 'https://sonarsource.github.io/rspec/#/rspec/S4721/javascript' },
    { ruleId: 'security/detect-child-process', path: 'routes/lookup.js', line: 7 },
  ]);
  const { codemod, text } = await onlyFix(ws, slug, 'routes/lookup.js');
  assert.equal(codemod, 'node-exec-execfile');
  assert.match(text, /execFile\('nslookup', \[req\.body\.host\], \(err, stdout\) =>/);
  assert.match(text, /require\('child_process'\)\.execFile/);
});

test('`client.query("… WHERE name = \'" + name + "\'")` with the client passed in: pg known from package.json gives $1', async () => {
  const slug = 'shape-pg-client';
  const files = {
    'db/users.js': [
      'async function findByName(client, name) {',
      "  const result = await client.query(\"SELECT id, email FROM users WHERE name = '\" + name + \"'\");",
      '  return result;',
      '}',
      '',
      'module.exports = { findByName };',
      '',
    ].join('\n'),
    'package.json': '{"name":"accounts","dependencies":{"express":"^4.18.0","pg":"^8.11.0"}}\n',
  };
  const ws = await scan(slug, files, 'ESLint', [{ ruleId: 'sonarjs/sql-queries', path: 'db/users.js', line: 2, helpUri: 'https://sonarsource.github.io/rspec/#/rspec/S2077/javascript' }]);
  const { codemod, text } = await onlyFix(ws, slug, 'db/users.js');
  assert.equal(codemod, 'sql-parameterize-node');
  assert.match(text, /client\.query\("SELECT id, email FROM users WHERE name = \$1", \[name\]\)/);
});

test('`Math.random().toString(36).slice(2)` and `Math.floor(Math.random() * 1e9)` in token code use node:crypto', async () => {
  const slug = 'shape-math-random';
  const files = {
    'lib/tokens.js': [
      'function resetToken() {',
      '  return Math.random().toString(36).slice(2);',
      '}',
      '',
      'function sessionId() {',
      '  return Math.floor(Math.random() * 1e9);',
      '}',
      '',
      'module.exports = { resetToken, sessionId };',
      '',
    ].join('\n'),
    'package.json': '{"name":"tokens"}\n',
  };
  const helpUri = 'https://sonarsource.github.io/rspec/#/rspec/S2245/javascript';
  const ws = await scan(slug, files, 'ESLint', [
    { ruleId: 'sonarjs/pseudo-random', path: 'lib/tokens.js', line: 2, helpUri },
    { ruleId: 'sonarjs/pseudo-random', path: 'lib/tokens.js', line: 6, helpUri },
  ]);
  const { codemod, text } = await onlyFix(ws, slug, 'lib/tokens.js');
  assert.equal(codemod, 'math-random-crypto');
  assert.doesNotMatch(text, /Math\.random/);
  assert.match(text, /randomBytes\(8\)\.toString\('hex'\)/);
  assert.match(text, /randomInt\(1000000000\)/);
  assert.match(text, /require\('(node:)?crypto'\)/);
});

test('`return tempfile.mktemp(suffix=".csv")` becomes mkstemp with the descriptor closed', async () => {
  const slug = 'shape-mktemp-return';
  const files = { 'app/export.py': 'import tempfile\n\n\ndef report_path():\n    return tempfile.mktemp(suffix=".csv")\n' };
  const ws = await scan(slug, files, 'Bandit', [{ ruleId: 'B306', path: 'app/export.py', line: 5 }]);
  const { codemod, text } = await onlyFix(ws, slug, 'app/export.py');
  assert.equal(codemod, 'tempfile-mktemp');
  assert.match(text, /tmp_fd, tmp_path = tempfile\.mkstemp\(suffix="\.csv"\)\n {4}os\.close\(tmp_fd\)\n {4}return tmp_path\n/);
  assert.match(text, /^import os$/m);
});

test('ESLint\'s `sonarjs/x-powered-by` (Sonar key S5689 only in its helpUri) gets app.disable(\'x-powered-by\')', async () => {
  const slug = 'shape-x-powered-by';
  const files = {
    'server.js': "const express = require('express');\n\nconst app = express();\n\napp.get('/', (req, res) => res.send('ok'));\n\napp.listen(3000);\n",
    'package.json': '{"name":"site","dependencies":{"express":"^4.18.0"}}\n',
  };
  const ws = await scan(slug, files, 'ESLint', [{ ruleId: 'sonarjs/x-powered-by', path: 'server.js', line: 3, helpUri: 'https://sonarsource.github.io/rspec/#/rspec/S5689/javascript' }]);
  const { codemod, text } = await onlyFix(ws, slug, 'server.js');
  assert.equal(codemod, 'express-disable-x-powered-by');
  assert.match(text, /const app = express\(\);\napp\.disable\('x-powered-by'\);\n/);
});

test('an eval of a number the handler validates, and a nested regex quantifier, are fixed (codemods written after the corpus run)', async () => {
  const slug = 'shape-eval-number-redos';
  const files = {
    'routes/budget.js': [
      'function BudgetRoutes(store) {',
      '  this.save = (req, res, next) => {',
      '    const share = eval(req.body.share);',
      "    if (isNaN(share) || share < 0 || share > 100) return res.render('budget', { error: 'A percentage, please' });",
      '    const reference = /^([A-Z0-9]+)+#$/;',
      "    if (!reference.test(req.body.reference)) return res.render('budget', { error: 'Bad reference' });",
      '    return store.update(req.session.userId, share, (err) => (err ? next(err) : res.redirect(\'/budget\')));',
      '  };',
      '}',
      '',
      'module.exports = BudgetRoutes;',
      '',
    ].join('\n'),
    'package.json': '{"name":"budget","dependencies":{"express":"^4.18.0"}}\n',
  };
  const ws = await scan(slug, files, 'ESLint', [
    { ruleId: 'security/detect-eval-with-expression', path: 'routes/budget.js', line: 3 },
    { ruleId: 'security/detect-unsafe-regex', path: 'routes/budget.js', line: 5 },
  ]);
  const prs = prSnapshot(h, slug).pullRequests;
  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  assert.deepEqual(findings.map((f) => f.fixOutcome?.kind), ['fixed', 'fixed'], JSON.stringify(findings.map((f) => [f.verdict, f.fixOutcome])));
  assert.deepEqual(findings.map((f) => (f.fixOutcome?.kind === 'fixed' ? f.fixOutcome.codemodId : '')).sort(), ['eval-number-parse', 'regex-nested-quantifier']);
  // Per-file grouping still keeps one codemod per pull request: one PR each, each changing the file.
  const byCodemod = new Map(prs.map((pr) => [pr.sourceBranch.split('/')[1], pr.files['routes/budget.js'] ?? '']));
  assert.deepEqual([...byCodemod.keys()].sort(), ['eval-number-parse', 'regex-nested-quantifier']);
  assert.match(byCodemod.get('eval-number-parse') ?? '', /const share = Number\.parseFloat\(req\.body\.share\);/);
  assert.match(byCodemod.get('regex-nested-quantifier') ?? '', /const reference = \/\^\(\[A-Z0-9\]\+\)#\$\/;/);
});

test('"fix available" is never shown for Bandit findings no detector matches: a /tmp path, an import of subprocess, pickle', async () => {
  const slug = 'shape-no-fix-claimed';
  const files = {
    'app/jobs.py': [
      'import pickle',
      'import subprocess',
      '',
      'SPOOL = "/tmp/jobs.spool"',
      '',
      '',
      'def load(blob):',
      '    return pickle.loads(blob)',
      '',
      '',
      'def run(args):',
      '    return subprocess.run(["worker", *args], check=True)',
      '',
    ].join('\n'),
  };
  const ws = await scan(slug, files, 'Bandit', [
    { ruleId: 'B404', path: 'app/jobs.py', line: 2 },
    { ruleId: 'B108', path: 'app/jobs.py', line: 4 },
    { ruleId: 'B301', path: 'app/jobs.py', line: 8 },
    { ruleId: 'B603', path: 'app/jobs.py', line: 12 },
  ]);
  const page = await h.invoke<FindingPage>('listFindings', { limit: 50 }, ws.repoContext);
  assert.equal(page.ok, true, JSON.stringify(page.error));
  const items = page.data?.items ?? [];
  assert.equal(items.length, 4);
  for (const item of items) assert.notEqual(item.fixAvailable, true, `${item.path}:${item.line} claims no fix`);
  const findings = await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid);
  for (const f of findings) {
    assert.ok(!f.factors.some((factor) => factor.id === 'fix-available'), `${f.location?.startLine}: no confidence for a fix that does not exist`);
    assert.notEqual(f.fixOutcome?.kind, 'fixed');
  }
  assert.equal(prSnapshot(h, slug).pullRequests.length, 0);
});
