/**
 * A development server in a script's `__main__` block (written after holdout-15's first run; see
 * src/domain/triage/TUNING-LOG.md): production serves the application through a
 * server by import path, and only a file that says it is for development runs the script. Beside
 * the near misses that must stay findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (contents: Record<string, string>) => collectRepositoryFacts(Object.keys(contents), new Map(Object.entries(contents)));
const runner = 'from shop import create_app\n\napp = create_app("development")\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000, debug=True)\n';
const image = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]\n';
const devCompose = '# Local development only: production runs the image on the VPS (see deploy/).\nservices:\n  web:\n    build: .\n    command: python run.py\n';
const files = { 'shop/Dockerfile': image, 'shop/docker-compose.yml': devCompose, 'shop/run.py': runner, 'shop/wsgi.py': 'from shop import create_app\napp = create_app("production")\n', 'shop/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\n' };
const flaskDebug = () => triageMarked(ruleFinding('B201', 'Bandit', ['CWE-94']), 'shop/run.py', runner, 'debug=True', facts(files));

test('a debug server run only by a development compose file, while the image serves wsgi:app through gunicorn, is not production', () => {
  const verdict = flaskDebug();
  assert.equal(verdict.verdict, 'wont_fix', verdict.justification);
  assert.equal(verdict.category, 'non_production');
  assert.match(verdict.justification, /shop\/Dockerfile:4: `\["gunicorn".*wsgi:app/);
  assert.match(verdict.justification, /only shop\/docker-compose\.yml runs the script/);
});

test('a reloading server no deployment file runs, while a systemd unit runs gunicorn on another module, is not production', () => {
  const app = 'import bottle\n\ndef create_app():\n    return bottle.Bottle()\n\n\nif __name__ == "__main__":\n    bottle.run(create_app(), host="0.0.0.0", port=8041, debug=True, reloader=True)\n';
  const unit = '[Service]\nExecStart=/srv/hive/.venv/bin/gunicorn --workers 3 --bind 127.0.0.1:8041 hive.wsgi:application\n';
  const repository = facts({ 'hive/deploy/hive.service': unit, 'hive/hive/app.py': app, 'hive/hive/wsgi.py': 'from hive.app import create_app\napplication = create_app()\n' });
  const verdict = triageMarked(ruleFinding('B104', 'Bandit', ['CWE-605']), 'hive/hive/app.py', app, 'reloader=True', repository);
  assert.equal(verdict.verdict, 'wont_fix', verdict.justification);
  assert.match(verdict.justification, /hive\/deploy\/hive\.service:2/);
});

test('near misses: a compose file not declared for development, a crontab running the script, no debug switch, no import-path server', () => {
  const kept = (contents: Record<string, string>, file = runner, marker = 'debug=True') => triageMarked(ruleFinding('B201', 'Bandit', ['CWE-94']), 'shop/run.py', file, marker, facts(contents));
  assert.equal(kept({ ...files, 'shop/docker-compose.yml': devCompose.replace(/^#.*\n/, '') }).verdict, 'true_positive');
  assert.equal(kept({ ...files, 'shop/docker-compose.yml': '# Production stack on the VM.\n' + devCompose.replace(/^#.*\n/, '') }).verdict, 'true_positive');
  assert.equal(kept({ ...files, 'shop/deploy/crontab': '0 * * * * cd /app && python run.py\n' }).verdict, 'true_positive');
  assert.equal(kept({ ...files, 'shop/Dockerfile': image.replace(/CMD.*/, 'CMD ["python", "run.py"]') }).verdict, 'true_positive');
  const quiet = runner.replace('debug=True', 'debug=False, threaded=True');
  assert.notEqual(kept(files, quiet, 'threaded=True').category, 'non_production');
});

test('a compose file whose header says local development and that production runs the image is not production when the image and a deploy file say so', () => {
  const crontab = '# Installed on the VPS; runs the CLI inside the production container.\n15 3 * * * docker exec shop flask --app wsgi purge\n';
  const fact = (contents: Record<string, string>) => facts(contents).notShipped.get('shop/docker-compose.yml');
  const found = fact({ ...files, 'shop/deploy/crontab': crontab });
  assert.equal(found?.category, 'non_production');
  assert.equal(found?.scope, 'deployment');
  assert.match(found?.evidence ?? '', /shop\/Dockerfile \(the image\) and shop\/deploy\/crontab/);
  // Near misses: no deploy file naming production; the only image declared for development; a header naming production as its use.
  assert.equal(fact(files), undefined);
  assert.equal(fact({ ...files, 'shop/deploy/crontab': crontab, 'shop/Dockerfile': '# Local development only.\n' + image }), undefined);
  assert.equal(fact({ ...files, 'shop/deploy/crontab': crontab, 'shop/docker-compose.yml': '# Production stack: runs the image on the VPS.\n' + devCompose.replace(/^#.*\n/, '') }), undefined);
});
