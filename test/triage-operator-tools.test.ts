/**
 * Programs only an operator or developer starts, found by negative evidence (written after
 * holdout-9's first run; see src/domain/triage/TUNING-LOG.md; nothing of holdout-9 in
 * it): a stand-alone program no production entry point runs and nothing imports, and a development
 * subcommand of a CLI whose other subcommands production runs. Each beside the near misses that stay
 * findings: a tool a crontab, a Kubernetes CronJob or a Dockerfile runs or copies, a tool the app
 * imports, a repository with no production entry point, a credential committed in the tool, a key
 * minted with a weak random, and a subcommand of unknown purpose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { productionEntryPoints } from '../src/domain/triage/entry-points';
import { collectRepositoryFacts, manifestsToRead, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>): RepositoryFacts => collectRepositoryFacts(files, new Map(Object.entries(contents)));
const at = (file: string, marker: string, ruleId: string, path: string, repository: RepositoryFacts, cwes: string[] = [], tool = 'Bandit') =>
  triageMarked(ruleFinding(ruleId, tool, cwes, 'medium'), path, file, marker, repository);

const backfill = [
  '"""Re-read an archive of meter readings into a local database."""',
  'import random',
  'import sys',
  '',
  'import requests',
  '',
  'DB_PASSWORD = "hunter2-archive"',
  '',
  'def main(source):',
  '    rows = requests.get(source).json()',
  '    jitter = random.uniform(0, 0.5)',
  '    api_key = "".join(random.choice("abcdef0123456789") for _ in range(32))',
  '    return rows, jitter, api_key',
  '',
  'if __name__ == "__main__":',
  '    main(sys.argv[1])',
].join('\n');
// The whole context is copied: the tool is in the image, but nothing there runs it.
const dockerfile = 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install .\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "meters.web:app"]\n';
const listing = ['svc/pyproject.toml', 'svc/Dockerfile', 'svc/meters/__init__.py', 'svc/meters/web.py', 'svc/meters/cli.py', 'svc/scripts/backfill.py'];
const base = { 'svc/Dockerfile': dockerfile, 'svc/pyproject.toml': '[project]\nname = "meters"\n', 'svc/meters/web.py': 'import falcon\napp = falcon.App()\n', 'svc/scripts/backfill.py': backfill };

test('a stand-alone program no production entry point runs: what needs input from others is set aside, naming the entry points read', () => {
  const repository = facts(listing, base);
  const timeout = at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', repository, ['CWE-400']);
  assert.equal(timeout.verdict, 'wont_fix', timeout.justification);
  assert.equal(timeout.category, 'non_production');
  assert.match(timeout.justification, /svc\/Dockerfile:5 .*gunicorn/);
  assert.match(timeout.justification, /if __name__ == "__main__":/);
  const jitter = at(backfill, 'random.uniform', 'B311', 'svc/scripts/backfill.py', repository, ['CWE-330']);
  assert.equal(jitter.verdict, 'wont_fix', jitter.justification);
  // Near misses in the same tool: a committed credential, and a key minted with a weak random, are used beyond the tool.
  const secret = at(backfill, 'DB_PASSWORD =', 'B105', 'svc/scripts/backfill.py', repository, ['CWE-259']);
  assert.equal(secret.verdict, 'true_positive', secret.justification);
  const minted = at(backfill, 'api_key =', 'B311', 'svc/scripts/backfill.py', repository, ['CWE-330']);
  assert.equal(minted.verdict, 'true_positive', minted.justification);
});

test('a tool a crontab, a Kubernetes CronJob or a production Dockerfile runs or copies stays a finding', () => {
  const cron = ['svc/deploy/crontab', ...listing];
  assert.ok(manifestsToRead(cron).includes('svc/deploy/crontab'));
  const byCron = facts(cron, { ...base, 'svc/deploy/crontab': '15 2 * * * app python /srv/scripts/backfill.py https://archive.example/readings\n' });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', byCron, ['CWE-400']).verdict, 'true_positive');
  const job = ['apiVersion: batch/v1', 'kind: CronJob', 'spec:', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          containers:', '            - name: backfill', '              command: ["python", "-m", "scripts.backfill"]'].join('\n');
  const k8s = ['svc/k8s/backfill.yaml', ...listing];
  assert.ok(manifestsToRead(k8s).includes('svc/k8s/backfill.yaml'));
  const byJob = facts(k8s, { ...base, 'svc/k8s/backfill.yaml': job });
  assert.ok(productionEntryPoints(k8s, new Map(Object.entries({ 'svc/k8s/backfill.yaml': job }))).points.some((p) => p.runs.some((r) => r.file === 'svc/scripts/backfill.py')));
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', byJob, ['CWE-400']).verdict, 'true_positive');
  const copied = facts(listing, { ...base, 'svc/Dockerfile': dockerfile.replace('COPY . .', 'COPY meters ./meters\nCOPY scripts ./scripts') });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', copied, ['CWE-400']).verdict, 'true_positive');
});

test('a tool the application imports, one inside a package, or one in a repository with no production entry point stays a finding', () => {
  const imported = facts(listing, { ...base, 'svc/meters/web.py': 'import falcon\nfrom scripts.backfill import main\napp = falcon.App()\n' });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', imported, ['CWE-400']).verdict, 'true_positive');
  const packaged = facts([...listing, 'svc/scripts/__init__.py'], base);
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', packaged, ['CWE-400']).verdict, 'true_positive');
  const { 'svc/Dockerfile': _dropped, ...noDocker } = base;
  const none = facts(listing.filter((f) => f !== 'svc/Dockerfile'), noDocker);
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', none, ['CWE-400']).verdict, 'true_positive');
  // Beside (or above) the code production runs, a Python file may be imported as a sibling by files not read.
  const beside = facts([...listing, 'svc/meters/backfill.py'], { ...base, 'svc/meters/backfill.py': backfill });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/meters/backfill.py', beside, ['CWE-400']).verdict, 'true_positive');
  const rootFiles = ['pyproject.toml', 'Dockerfile', 'web.py', 'backfill.py'];
  const atRoot = facts(rootFiles, { 'Dockerfile': dockerfile.replace('meters.web:app', 'web:app'), 'pyproject.toml': '[project]\nname = "meters"\n', 'backfill.py': backfill });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'backfill.py', atRoot, ['CWE-400']).verdict, 'true_positive');
  // A file that says it is a scheduled job on the production host is run by something not read.
  const nightly = backfill.replace('Re-read an archive', 'Nightly cron job on the production host: re-read an archive');
  const scheduled = facts(listing, { ...base, 'svc/scripts/backfill.py': nightly });
  assert.equal(at(nightly, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', scheduled, ['CWE-400']).verdict, 'true_positive');
});

test('a Node program reading its path from argv is set aside; one that exports, or that a start script runs, stays', () => {
  const tool = "'use strict';\n// Load a CSV of donors into the database.\nconst fs = require('fs');\nconst rows = fs.readFileSync(process.argv[2], 'utf8').split('\\n');\nconsole.log(rows.length);\n";
  const files = ['app/package.json', 'app/Dockerfile', 'app/src/server.js', 'app/tools/load-donors.js'];
  const pkg = JSON.stringify({ name: 'app', main: 'src/server.js', scripts: { start: 'node src/server.js' } });
  const contents = { 'app/package.json': pkg, 'app/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "src/server.js"]\n', 'app/tools/load-donors.js': tool };
  const read = at(tool, 'fs.readFileSync', 'security/detect-non-literal-fs-filename', 'app/tools/load-donors.js', facts(files, contents), ['CWE-22'], 'ESLint');
  assert.equal(read.verdict, 'wont_fix', read.justification);
  assert.match(read.justification, /app\/Dockerfile:3/);
  const exporting = `${tool}module.exports = { rows };\n`;
  assert.notEqual(at(exporting, 'fs.readFileSync', 'security/detect-non-literal-fs-filename', 'app/tools/load-donors.js', facts(files, { ...contents, 'app/tools/load-donors.js': exporting }), ['CWE-22'], 'ESLint').verdict, 'wont_fix');
  const started = facts(files, { ...contents, 'app/package.json': JSON.stringify({ name: 'app', scripts: { start: 'node tools/load-donors.js data.csv && node src/server.js' } }) });
  assert.notEqual(at(tool, 'fs.readFileSync', 'security/detect-non-literal-fs-filename', 'app/tools/load-donors.js', started, ['CWE-22'], 'ESLint').verdict, 'wont_fix');
});

const cli = [
  'import click',
  'import requests',
  '',
  '@click.group()',
  'def main():',
  '    pass',
  '',
  '@main.command()',
  '@click.option("--window", default="1h")',
  'def refresh(window):',
  '    requests.get("https://feed.example/levels?w=" + window)',
  '',
  '@main.command()',
  '@click.argument("url")',
  'def import_rates(url):',
  '    requests.get(url)',
  '',
  '@main.command("dev-server")',
  'def serve_locally():',
  '    from wsgiref.simple_server import make_server',
  '    from .web import app',
  '    make_server("0.0.0.0", 8000, app).serve_forever()',
].join('\n');
const cliFiles = ['svc/pyproject.toml', 'svc/deploy/Dockerfile', 'svc/deploy/crontab', 'svc/meters/__init__.py', 'svc/meters/web.py', 'svc/meters/cli.py'];
const cliContents = {
  'svc/pyproject.toml': '[project]\nname = "meters"\n\n[project.scripts]\nmeters = "meters.cli:main"\n',
  // Built from the project folder (`docker build -f deploy/Dockerfile .`), so no container holds the CLI's folder.
  'svc/deploy/Dockerfile': dockerfile.replace('COPY . .', 'COPY pyproject.toml ./\nCOPY meters ./meters\nCOPY deploy/crontab /etc/cron.d/meters'),
  'svc/deploy/crontab': '*/10 * * * * meters meters refresh --window 15m\n',
  'svc/meters/cli.py': cli,
};

test("a development subcommand of a CLI production runs only through other subcommands is set aside; a command of unknown purpose, or one production runs, stays", () => {
  const repository = facts(cliFiles, cliContents);
  const bind = at(cli, 'make_server("0.0.0.0"', 'B104', 'svc/meters/cli.py', repository, ['CWE-605']);
  assert.equal(bind.verdict, 'wont_fix', bind.justification);
  assert.equal(bind.category, 'non_production');
  assert.match(bind.justification, /`dev-server` subcommand .*only `refresh` .*svc\/deploy\/crontab:1/);
  assert.equal(at(cli, 'requests.get(url)', 'B113', 'svc/meters/cli.py', repository, ['CWE-400']).verdict, 'true_positive');
  assert.equal(at(cli, 'requests.get("https://feed', 'B113', 'svc/meters/cli.py', repository, ['CWE-400']).verdict, 'true_positive');
  // Production runs the development subcommand too, or runs the CLI with no subcommand named: nothing is decided.
  const runsIt = facts(cliFiles, { ...cliContents, 'svc/deploy/crontab': '*/10 * * * * meters meters refresh\n@reboot meters meters dev-server\n' });
  assert.equal(at(cli, 'make_server("0.0.0.0"', 'B104', 'svc/meters/cli.py', runsIt, ['CWE-605']).verdict, 'true_positive');
  const bare = facts(cliFiles, { ...cliContents, 'svc/deploy/Dockerfile': dockerfile.replace(/CMD .*/, 'CMD ["meters"]') });
  assert.equal(at(cli, 'make_server("0.0.0.0"', 'B104', 'svc/meters/cli.py', bare, ['CWE-605']).verdict, 'true_positive');
});

test('argparse and commander subcommands are read the same way: the development one is set aside, the one production runs stays', () => {
  const admin = [
    'import argparse',
    'import subprocess',
    '',
    'def report(args):',
    '    subprocess.run(f"gzip -9 {args.folder}/report.csv", shell=True)',
    '',
    'def seed(args):',
    '    subprocess.run(f"psql {args.database} -f fixtures.sql", shell=True)',
    '',
    'def main():',
    '    parser = argparse.ArgumentParser()',
    '    sub = parser.add_subparsers()',
    '    rep = sub.add_parser("report")',
    '    rep.set_defaults(func=report)',
    '    sub.add_parser("seed").set_defaults(func=seed)',
    '    args = parser.parse_args()',
    '    args.func(args)',
  ].join('\n');
  const py = facts(['ops/pyproject.toml', 'ops/crontab', 'ops/meters/__init__.py', 'ops/meters/admin.py'], {
    'ops/pyproject.toml': '[project]\nname = "ops"\n',
    'ops/crontab': '0 6 * * 1 python -m meters.admin report --weekly\n',
    'ops/meters/admin.py': admin,
  });
  assert.equal(at(admin, 'psql', 'B602', 'ops/meters/admin.py', py, ['CWE-78']).verdict, 'wont_fix');
  assert.equal(at(admin, 'gzip -9', 'B602', 'ops/meters/admin.py', py, ['CWE-78']).verdict, 'true_positive');

  const cli = [
    "const { program } = require('commander');",
    "const { execSync } = require('child_process');",
    "program.command('sync <since>').action((since) => {",
    '  execSync(`rsync -a feed:/levels/${since} data/`);',
    '});',
    "program.command('seed <count>')",
    '  .description("fill a local database")',
    '  .action((count) => {',
    '    execSync(`node scripts/fake.js ${count}`);',
    '  });',
    'program.parse(process.argv);',
  ].join('\n');
  const js = facts(['tool/package.json', 'tool/Procfile', 'tool/bin/cli.js'], {
    'tool/package.json': JSON.stringify({ name: 'tool', bin: { levels: 'bin/cli.js' } }),
    'tool/Procfile': 'clock: levels sync 1h\n',
    'tool/bin/cli.js': cli,
  });
  const rule = 'javascript.lang.security.detect-child-process.detect-child-process';
  const fake = at(cli, 'node scripts/fake.js', rule, 'tool/bin/cli.js', js, ['CWE-78'], 'Semgrep OSS');
  assert.equal(fake.verdict, 'wont_fix', fake.justification);
  assert.match(fake.justification, /`seed` subcommand .*only `sync` .*tool\/Procfile:1/);
  assert.equal(at(cli, 'rsync -a', rule, 'tool/bin/cli.js', js, ['CWE-78'], 'Semgrep OSS').verdict, 'true_positive');
});

test('a tool an entry script, a systemd unit or a CI pipeline runs stays a finding, and so does every tool when the entry script was not read', () => {
  const entry = dockerfile.replace(/CMD .*/, 'ENTRYPOINT ["/srv/docker-entrypoint.sh"]');
  const files = [...listing, 'svc/docker-entrypoint.sh', 'svc/deploy/backfill.service', '.github/workflows/deploy.yml'];
  for (const path of ['svc/docker-entrypoint.sh', 'svc/deploy/backfill.service', '.github/workflows/deploy.yml']) assert.ok(manifestsToRead(files).includes(path), path);
  const script = '#!/bin/sh\nset -e\npython /srv/scripts/backfill.py "$ARCHIVE_URL"\nexec gunicorn meters.web:app\n';
  const byScript = facts(files, { ...base, 'svc/Dockerfile': entry, 'svc/docker-entrypoint.sh': script });
  assert.ok(productionEntryPoints(files, new Map(Object.entries({ 'svc/Dockerfile': entry, 'svc/docker-entrypoint.sh': script }))).points.some((p) => p.at === 'svc/docker-entrypoint.sh:3' && p.runs.some((r) => r.file === 'svc/scripts/backfill.py')));
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', byScript, ['CWE-400']).verdict, 'true_positive');
  const unread = facts(files, { ...base, 'svc/Dockerfile': entry });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', unread, ['CWE-400']).verdict, 'true_positive');
  const bySystemd = facts(files, { ...base, 'svc/deploy/backfill.service': '[Service]\nExecStart=/usr/bin/python3 /srv/scripts/backfill.py\n' });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', bySystemd, ['CWE-400']).verdict, 'true_positive');
  const byCi = facts(files, { ...base, '.github/workflows/deploy.yml': 'jobs:\n  deploy:\n    steps:\n      - run: python svc/scripts/backfill.py ${{ github.event.inputs.url }}\n' });
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', byCi, ['CWE-400']).verdict, 'true_positive');
  // The same repository with none of them says nothing runs the tool.
  assert.equal(at(backfill, 'requests.get(source)', 'B113', 'svc/scripts/backfill.py', facts(files, base), ['CWE-400']).verdict, 'wont_fix');
});
