/**
 * DEBUG records production's logging configuration drops (written after holdout-10/11's first
 * runs; see src/domain/triage/TUNING-LOG.md): the .ini production chooses, the root
 * level production's programs set with basicConfig, and the LOGGING of production's Django
 * settings, each beside the near miss that stays a finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, facts, ini } from './support/production-config';
import { ruleFinding, triageMarked } from './support/triage-at';

const smsView = [
  'import logging',
  'log = logging.getLogger(__name__)',
  '',
  'def send(settings, phone, body):',
  '    token = settings["shop.sms_token"]',
  '    log.debug("sending SMS to %s (token=%s)", phone, token)',
].join('\n');

test("a secret logged at DEBUG is not written when production's .ini sets its logger to INFO; DEBUG there, or no level, keeps it", () => {
  const leak = ruleFinding('py/clear-text-logging-sensitive-data', 'CodeQL', ['CWE-312', 'CWE-532'], 'high');
  const dropped = triageMarked(leak, 'svc/shop/services/sms.py', smsView, 'log.debug', app(ini('false', 'INFO')));
  assert.equal(dropped.verdict, 'false_positive', dropped.justification);
  assert.equal(dropped.category, 'defused');
  assert.match(dropped.justification, /svc\/production\.ini:13 \(`shop` at level INFO\)/);
  const debug = triageMarked(leak, 'svc/shop/services/sms.py', smsView, 'log.debug', app(ini('false', 'DEBUG')));
  assert.equal(debug.verdict, 'true_positive', debug.justification);
  const info = triageMarked(leak, 'svc/shop/services/sms.py', smsView.replace('log.debug', 'log.info'), 'log.info', app(ini('false', 'INFO')));
  assert.equal(info.verdict, 'true_positive', info.justification);
  // No production entry point names the .ini: which file production uses is unknown.
  const unchosen = facts({ 'svc/production.ini': ini('false', 'INFO'), 'svc/shop/__init__.py': '' });
  assert.equal(triageMarked(leak, 'svc/shop/services/sms.py', smsView, 'log.debug', unchosen).verdict, 'true_positive');
});

const workerFile = [
  'import logging',
  'import os',
  'log = logging.getLogger("tickets.worker")',
  '',
  'def notify(token):',
  '    log.debug("sending with token=%s", token)',
  '',
  'def main():',
  '    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))',
].join('\n');
const workerApp = (compose: string, extra: Record<string, string> = {}) => facts({
  'svc/Dockerfile': 'FROM python:3.12\nCOPY tickets ./tickets\nCMD ["python", "-m", "tickets.worker"]\n',
  'svc/deploy/compose.prod.yml': compose,
  'svc/tickets/__init__.py': '',
  'svc/tickets/worker.py': workerFile,
  ...extra,
});

test("a DEBUG record is dropped when production's program sets the root level from a variable production's deployment sets to INFO; a variable set elsewhere keeps it", () => {
  const leak = ruleFinding('py/clear-text-logging-sensitive-data', 'CodeQL', ['CWE-312', 'CWE-532'], 'high');
  const path = 'svc/tickets/worker.py';
  const set = workerApp('services:\n  worker:\n    image: x\n    environment:\n      LOG_LEVEL: info\n');
  const dropped = triageMarked(leak, path, workerFile, 'log.debug', set);
  assert.equal(dropped.verdict, 'false_positive', dropped.justification);
  assert.match(dropped.justification, /svc\/tickets\/worker\.py:9 \(svc\/deploy\/compose\.prod\.yml: `LOG_LEVEL: info`\)/);
  // Near misses: the variable comes from an env file outside the repository; production sets DEBUG; the code turns a logger down.
  const elsewhere = workerApp('services:\n  worker:\n    image: x\n    env_file: /etc/tickets/env\n');
  assert.equal(triageMarked(leak, path, workerFile, 'log.debug', elsewhere).verdict, 'true_positive');
  const debug = workerApp('services:\n  worker:\n    image: x\n    environment:\n      LOG_LEVEL: DEBUG\n');
  assert.equal(triageMarked(leak, path, workerFile, 'log.debug', debug).verdict, 'true_positive');
  const overridden = workerApp('services:\n  worker:\n    image: x\n    env_file: /etc/tickets/env\n', { 'svc/Dockerfile': 'FROM python:3.12\nENV LOG_LEVEL=info\nCOPY tickets ./tickets\nCMD ["python", "-m", "tickets.worker"]\n' });
  assert.equal(triageMarked(leak, path, workerFile, 'log.debug', overridden).verdict, 'true_positive');
  const turnedDown = workerApp('services:\n  worker:\n    image: x\n    environment:\n      LOG_LEVEL: info\n', { 'svc/tickets/sms.py': 'import logging\nlogging.getLogger("tickets").setLevel(logging.DEBUG)\n' });
  assert.equal(triageMarked(leak, path, workerFile, 'log.debug', turnedDown).verdict, 'true_positive');
});

test("a DEBUG record is dropped when the LOGGING of production's Django settings sets its logger to INFO; DEBUG there, or a level from a variable production does not set, keeps it", () => {
  const logging = (level: string) => ['from .base import *', 'DEBUG = False', 'LOGGING = {', '    "version": 1,', '    "handlers": {"console": {"class": "logging.StreamHandler", "level": "DEBUG"}},', '    "root": {"handlers": ["console"], "level": "WARNING"},', '    "loggers": {', `        "shop": {"handlers": ["console"], "level": ${level}, "propagate": False},`, '    },', '}'].join('\n');
  const site = (level: string) => facts({
    'site/Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=config.settings.prod\nCOPY . .\nCMD ["gunicorn", "config.wsgi:application"]\n',
    'site/config/settings/base.py': 'SECRET_KEY = "x"\n',
    'site/config/settings/prod.py': logging(level),
  });
  const leak = ruleFinding('py/clear-text-logging-sensitive-data', 'CodeQL', ['CWE-312', 'CWE-532'], 'high');
  const path = 'site/shop/services/sms.py';
  const info = triageMarked(leak, path, smsView, 'log.debug', site('"INFO"'));
  assert.equal(info.verdict, 'false_positive', info.justification);
  assert.match(info.justification, /site\/config\/settings\/prod\.py:8 \(`shop` at level INFO\)/);
  assert.equal(triageMarked(leak, path, smsView, 'log.debug', site('"DEBUG"')).verdict, 'true_positive');
  assert.equal(triageMarked(leak, path, smsView, 'log.debug', site('os.environ.get("SHOP_LOG_LEVEL", "INFO")')).verdict, 'true_positive');
});
