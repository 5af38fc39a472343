/**
 * A shell command in a CLI subcommand only a Kubernetes CronJob runs, built from the subcommand's
 * fixed arguments, the operator's settings, literals and the date, is set aside. Near misses: the
 * same subcommand also run by a Deployment, a value read from the network, and a subcommand the
 * CronJob does not run stay findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operatorTools } from '../src/domain/triage/operator-tools';
import { ruleFinding, triageMarked } from './support/triage-at';

const cli = [
  'import subprocess',
  'from datetime import datetime',
  'from pathlib import Path',
  'import requests',
  'import typer',
  'from app.settings import get_settings',
  '',
  'cli = typer.Typer()',
  '',
  '@cli.command()',
  'def dump(dest: Path = Path("/dumps")) -> None:',
  '    url = get_settings().database_url.replace("+asyncpg", "")',
  '    out = dest / f"shop-{datetime.utcnow():%Y%m%d}.sql.gz"',
  '    subprocess.run(f"pg_dump \'{url}\' | gzip > \'{out}\'", shell=True, check=True)',
  '',
  '@cli.command()',
  'def mirror(dest: Path = Path("/dumps")) -> None:',
  '    name = requests.get(get_settings().mirror_url, timeout=5).text',
  '    subprocess.run(f"rsync -a \'{dest}\' \'{name}\'", shell=True, check=True)',
  '',
  'def main() -> None:',
  '    cli()',
].join('\n');

const cron = (sub: string) => [
  'apiVersion: batch/v1',
  'kind: CronJob',
  'metadata:',
  `  name: shop-${sub}`,
  'spec:',
  '  schedule: "15 2 * * *"',
  '  jobTemplate:',
  '    spec:',
  '      template:',
  '        spec:',
  '          containers:',
  `            - name: ${sub}`,
  '              image: registry.example.com/shop:1.0',
  `              command: ["shop", "${sub}", "--dest", "/dumps"]`,
].join('\n');

const deployment = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: shop-sidecar',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: dumper',
  '          image: registry.example.com/shop:1.0',
  '          command: ["shop", "dump", "--dest", "/dumps"]',
].join('\n');

const repository = (deploy: string) => {
  const contents = new Map([
    ['shop/pyproject.toml', '[project]\nname = "shop"\n\n[project.scripts]\nshop = "app.cli:main"\n'],
    ['shop/app/__init__.py', ''],
    ['shop/app/cli.py', cli],
    ['shop/deploy/shop.yaml', deploy],
  ]);
  return { notShipped: new Map(), containers: [], operatorTools: operatorTools([...contents.keys()], contents) };
};

const shell = ruleFinding('B602', 'Bandit', ['CWE-78']);

test("a shell pipeline only a CronJob's subcommand runs, built from its arguments, settings and the date, is set aside", () => {
  const result = triageMarked(shell, 'shop/app/cli.py', cli, 'pg_dump', repository(`${cron('dump')}\n---\n${cron('mirror')}`));
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /shop\.yaml:14/);
});

test('also run by a Deployment, a value from the network, or a subcommand no CronJob runs stay findings', () => {
  const alsoServed = triageMarked(shell, 'shop/app/cli.py', cli, 'pg_dump', repository(`${cron('dump')}\n---\n${deployment}`));
  assert.notEqual(alsoServed.verdict, 'false_positive', alsoServed.justification);
  const fetched = triageMarked(shell, 'shop/app/cli.py', cli, 'rsync', repository(`${cron('dump')}\n---\n${cron('mirror')}`));
  assert.notEqual(fetched.verdict, 'false_positive', fetched.justification);
  const notRun = triageMarked(shell, 'shop/app/cli.py', cli, 'rsync', repository(cron('dump')));
  assert.notEqual(notRun.verdict, 'false_positive', notRun.justification);
});
