/**
 * Repository evidence beyond package.json: scripts run only by developer tooling (Makefile and
 * justfile targets, Taskfile tasks, tox environments, nox sessions, development compose services)
 * are not production, unless an entry that runs the service names them too; and a folder a reader
 * locates from its own file and reads as text holds data, not code, wherever it is and whatever its
 * name — the files the reader names by extension or by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, manifestsToRead, shippingFactOf } from '../src/domain/triage/repository-facts';

const facts = (files: string[], contents: Record<string, string>) => collectRepositoryFacts(files, new Map(Object.entries(contents)));

test('a module run only by a make target is not production, with the target and its command as evidence', () => {
  const files = ['billing/Makefile', 'billing/Procfile', 'billing/billing/app.py', 'billing/billing/tools/fake_accounts.py', 'billing/billing/tools/nightly.py', 'billing/billing/serve.py'];
  assert.ok(manifestsToRead(files).includes('billing/Makefile'), 'the Makefile is read with the manifests');
  const makefile = [
    '.PHONY: fixtures serve nightly',
    '',
    '# Creates throwaway accounts in the local database.',
    'fixtures:',
    '\tpython -m billing.tools.fake_accounts --count 50',
    '',
    'serve:',
    '\tpython -m billing.serve',
    '',
    'nightly:',
    '\tpython -m billing.tools.nightly',
  ].join('\n');
  const procfile = 'web: gunicorn billing.app:wsgi\nclock: python -m billing.tools.nightly\n';
  const result = facts(files, { 'billing/Makefile': makefile, 'billing/Procfile': procfile });
  const fake = shippingFactOf(result, 'billing/billing/tools/fake_accounts.py');
  assert.equal(fake?.category, 'non_production');
  assert.match(fake?.evidence ?? '', /`make fixtures` target only \(billing\/Makefile:5: `python -m billing\.tools\.fake_accounts --count 50/);
  assert.equal(shippingFactOf(result, 'billing/billing/serve.py'), undefined, 'a target that serves runs production code');
  assert.equal(shippingFactOf(result, 'billing/billing/tools/nightly.py'), undefined, 'the Procfile runs it in production too');
});

test('a script the make target runs but the application imports, or that starts a server, stays production', () => {
  const files = ['Makefile', 'shop/seed.py', 'shop/views.py', 'tools/devserver.py'];
  const makefile = 'seed:\n\tpython shop/seed.py\n\nlocal-site:\n\tpython tools/devserver.py\n';
  const result = facts(files, {
    Makefile: makefile,
    'shop/views.py': 'from shop.seed import default_catalogue\n',
    'tools/devserver.py': 'from shop import create_app\napp = create_app()\napp.run(port=8000)\n',
  });
  assert.equal(shippingFactOf(result, 'shop/seed.py'), undefined, 'imported by views.py');
  assert.equal(shippingFactOf(result, 'tools/devserver.py'), undefined, 'it starts the app');
});

test('justfile recipes, Taskfile tasks, tox environments, nox sessions and a dev compose service', () => {
  const files = ['justfile', 'Taskfile.yml', 'tox.ini', 'noxfile.py', 'docker-compose.dev.yml', 'docker-compose.yml',
    'scripts/load_demo.py', 'scripts/gen-icons.mjs', 'scripts/check_links.py', 'scripts/bench.py', 'scripts/mailcatcher.js', 'scripts/worker.js'];
  const result = facts(files, {
    justfile: 'demo rows="100":\n    python scripts/load_demo.py --rows {{rows}}\n',
    'Taskfile.yml': 'version: "3"\ntasks:\n  icons:\n    cmds:\n      - node scripts/gen-icons.mjs\n',
    'tox.ini': '[testenv:docs]\ncommands =\n    python scripts/check_links.py docs/\n',
    'noxfile.py': 'import nox\n\n@nox.session\ndef bench(session):\n    session.run("python", "scripts/bench.py")\n',
    'docker-compose.dev.yml': 'services:\n  mail:\n    image: node:20\n    command: node scripts/mailcatcher.js\n',
    'docker-compose.yml': 'services:\n  jobs:\n    image: node:20\n    command: node scripts/worker.js\n',
  });
  for (const [file, by] of [
    ['scripts/load_demo.py', /`just demo` target/],
    ['scripts/gen-icons.mjs', /`task icons` target/],
    ['scripts/check_links.py', /`tox testenv:docs` environment/],
    ['scripts/bench.py', /`nox bench` session/],
    ['scripts/mailcatcher.js', /`docker compose mail` service/],
  ] as const) {
    const fact = shippingFactOf(result, file);
    assert.equal(fact?.category, 'non_production', file);
    assert.match(fact?.evidence ?? '', by, file);
  }
  assert.equal(shippingFactOf(result, 'scripts/worker.js'), undefined, 'a service of the production compose file ships');
});

test('a folder located from the reader\'s own file and read as text: the files it names by extension are data', () => {
  const files = ['portal/guide/pages.py', 'portal/guide/walkthroughs/export_all.py', 'portal/guide/walkthroughs/README.md', 'portal/guide/walkthroughs/run.sh'];
  const reader = [
    'import os',
    'STEPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "walkthroughs")',
    '',
    'def show(name):',
    '    names = [f for f in os.listdir(STEPS) if f.endswith(".py")]',
    '    if name not in names:',
    '        raise LookupError(name)',
    '    with open(os.path.join(STEPS, name), encoding="utf-8") as fh:',
    '        return fh.read()',
  ].join('\n');
  const result = facts(files, { 'portal/guide/pages.py': reader });
  const fact = shippingFactOf(result, 'portal/guide/walkthroughs/export_all.py');
  assert.equal(fact?.category, 'non_production');
  assert.match(fact?.evidence ?? '', /portal\/guide\/pages\.py:2 reads the files of walkthroughs\/ beside it as text/);
});

test('a Node route reading files of a folder two levels up by an allow-listed name marks those files only', () => {
  const files = ['site/src/routes/demo.js', 'site/static/demos/checkout.js', 'site/static/demos/search.js', 'site/static/demos/app.js'];
  const reader = [
    "const fs = require('fs');",
    "const path = require('path');",
    "const DEMOS = path.join(__dirname, '..', '..', 'static', 'demos');",
    "const SHOWN = ['checkout.js', 'search.js'];",
    "router.get('/demo/:file', (req, res) => {",
    "  if (!SHOWN.includes(req.params.file)) return res.sendStatus(404);",
    "  res.type('text/plain').send(fs.readFileSync(path.join(DEMOS, req.params.file), 'utf8'));",
    '});',
  ].join('\n');
  const result = facts(files, { 'site/src/routes/demo.js': reader });
  assert.equal(shippingFactOf(result, 'site/static/demos/checkout.js')?.category, 'non_production');
  assert.equal(shippingFactOf(result, 'site/static/demos/search.js')?.category, 'non_production');
  assert.equal(shippingFactOf(result, 'site/static/demos/app.js'), undefined, 'a file the reader does not name is not decided');
});

test('a folder a file runs (subprocess, require of a variable) is code, not text', () => {
  const files = ['ops/runner.py', 'ops/tasks/rotate.py'];
  const runner = [
    'import subprocess, sys',
    'from pathlib import Path',
    'TASKS = Path(__file__).parent / "tasks"',
    'def run(name):',
    '    print(open(TASKS / "README.txt").read())',
    '    subprocess.run([sys.executable, str(TASKS / (name + ".py"))])',
  ].join('\n');
  assert.equal(shippingFactOf(facts(files, { 'ops/runner.py': runner }), 'ops/tasks/rotate.py'), undefined);
});

test('$(PYTHON), uv run and a Django management command run by a make target; manage.py itself is not marked', () => {
  const files = ['Makefile', 'tools/fake_orders.py', 'tools/prices.py', 'manage.py', 'shop/management/commands/load_demo.py', 'shop/management/commands/close_day.py'];
  const makefile = [
    'PYTHON ?= python3',
    'orders:',
    '\t$(PYTHON) tools/fake_orders.py',
    'prices:',
    '\tuv run tools/prices.py --offline',
    'demo:',
    '\tpython manage.py load_demo',
  ].join('\n');
  const result = facts(files, { Makefile: makefile, Procfile: 'release: python manage.py close_day\n' });
  assert.match(shippingFactOf(result, 'tools/fake_orders.py')?.evidence ?? '', /`make orders` target/);
  assert.match(shippingFactOf(result, 'tools/prices.py')?.evidence ?? '', /`make prices` target/);
  assert.match(shippingFactOf(result, 'shop/management/commands/load_demo.py')?.evidence ?? '', /`make demo` target/);
  assert.equal(shippingFactOf(result, 'manage.py'), undefined);
  assert.equal(shippingFactOf(result, 'shop/management/commands/close_day.py'), undefined);
});

test('scripts served with a text/plain content type from a folder beside the route are data', () => {
  const files = ['api/help.js', 'api/recipes/sync.js', 'api/recipes/export.js'];
  const route = [
    "const path = require('path');",
    "const RECIPES = path.join(__dirname, 'recipes');",
    "router.get('/recipes/:name', (req, res) => {",
    "  res.type('text/plain');",
    "  res.sendFile(req.params.name + '.js', { root: RECIPES });",
    '});',
  ].join('\n');
  const result = facts(files, { 'api/help.js': route });
  assert.equal(shippingFactOf(result, 'api/recipes/sync.js')?.category, 'non_production');
});

test('browser code that fetches scripts from a static folder and shows them in a <pre> marks those scripts as data; eval of them does not', () => {
  const files = ['web/public/js/docs.js', 'web/public/snips/upload.js', 'web/public/snips/deep/other.js', 'web/public/js/app.js'];
  const viewer = [
    'async function show(name) {',
    "  const res = await fetch(`/snips/${encodeURIComponent(name)}`);",
    "  document.querySelector('pre.code').textContent = await res.text();",
    '}',
  ].join('\n');
  const result = facts(files, { 'web/public/js/docs.js': viewer });
  assert.match(shippingFactOf(result, 'web/public/snips/upload.js')?.evidence ?? '', /docs\.js:2 fetches the files of \/snips\/ and shows them as text/);
  assert.equal(shippingFactOf(result, 'web/public/snips/deep/other.js'), undefined, 'only the folder the URL names');
  assert.equal(shippingFactOf(result, 'web/public/js/app.js'), undefined);
  const runner = viewer.replace("document.querySelector('pre.code').textContent = await res.text();", 'eval(await res.text());');
  assert.equal(shippingFactOf(facts(files, { 'web/public/js/docs.js': runner }), 'web/public/snips/upload.js'), undefined);
});
