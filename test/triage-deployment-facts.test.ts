/**
 * What the deployment files say (written after holdout-7's first run; see the tuning log in
 * src/domain/triage/README.md), each beside the near miss that must stay a finding: code outside
 * every function's CodeUri is not deployed (but a credential committed there still leaks), and a
 * Lambda function's private /tmp (but not a secret kept there, nor /tmp in code no template deploys);
 * and base Django settings answered by the production settings module that extends them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, manifestsToRead, shippingFactOf, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>) => collectRepositoryFacts(files, new Map(Object.entries(contents)));

const triageAt = (file: string, marker: string, ruleId: string, path: string, repository?: RepositoryFacts, cwes: string[] = []) =>
  triageMarked(ruleFinding(ruleId, 'Bandit', cwes, 'medium'), path, file, marker, repository);

const template = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Transform: AWS::Serverless-2016-10-31',
  'Globals:',
  '  Function:',
  '    Runtime: python3.12',
  '    CodeUri: app/',
  'Resources:',
  '  LoadFunction:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: shop.load.handler',
].join('\n');
const listing = ['svc/template.yaml', 'svc/app/shop/load.py', 'svc/app/shop/__init__.py', 'svc/ops/requeue.py', 'svc/Makefile'];

test('code outside every CodeUri of a SAM template is not deployed; a credential committed there still is a finding', () => {
  assert.ok(manifestsToRead(listing).includes('svc/template.yaml'));
  const repository = facts(listing, { 'svc/template.yaml': template });
  assert.match(shippingFactOf(repository, 'svc/ops/requeue.py')?.evidence ?? '', /deploys only svc\/app\/ as Lambda code/);
  assert.equal(shippingFactOf(repository, 'svc/app/shop/load.py'), undefined);
  const script = 'import requests\nKEY = "AKIAIOSFODNN7EXAMPLE"\nrequests.post(URL, json=body)\n';
  const call = triageAt(script, 'requests.post', 'B113', 'svc/ops/requeue.py', repository, ['CWE-400']);
  assert.equal(call.verdict, 'wont_fix', call.justification);
  assert.equal(call.category, 'non_production');
  const key = triageAt(script, 'AKIA', 'generic.secrets.security.detected-aws-access-key-id-value', 'svc/ops/requeue.py', repository, ['CWE-798']);
  assert.equal(key.verdict, 'true_positive', key.justification);
});

test('a Dockerfile beside the template, or a function without a CodeUri, leaves the unpackaged code undecided', () => {
  const withDocker = facts([...listing, 'svc/Dockerfile'], { 'svc/template.yaml': template });
  assert.equal(shippingFactOf(withDocker, 'svc/ops/requeue.py'), undefined);
  const noUri = facts(listing, { 'svc/template.yaml': template.replace('    CodeUri: app/\n', '') });
  assert.equal(shippingFactOf(noUri, 'svc/ops/requeue.py'), undefined);
});

test("a fixed /tmp path in a Lambda function's code is its private scratch space; a secret there, or /tmp outside Lambda, stays a finding", () => {
  const repository = facts(listing, { 'svc/template.yaml': template });
  const code = [
    'def _download(bucket, key):',
    '    local = os.path.join("/tmp/", os.path.basename(key))',
    '    token_file = "/tmp/api_token"',
    '    return local',
  ].join('\n');
  const scratch = triageAt(code, 'os.path.join("/tmp/"', 'B108', 'svc/app/shop/load.py', repository, ['CWE-377']);
  assert.equal(scratch.verdict, 'false_positive', scratch.justification);
  assert.equal(scratch.category, 'not_security');
  assert.match(scratch.justification, /Lambda/);
  const secret = triageAt(code, 'token_file', 'B108', 'svc/app/shop/load.py', repository, ['CWE-377']);
  assert.equal(secret.verdict, 'true_positive', secret.justification);
  const elsewhere = facts(['web/app/load.py', 'web/Dockerfile'], { 'web/Dockerfile': 'FROM python\nCOPY . .\nCMD ["python", "app/load.py"]\n' });
  const shared = triageAt(code, 'os.path.join("/tmp/"', 'B108', 'web/app/load.py', elsewhere, ['CWE-377']);
  assert.equal(shared.verdict, 'true_positive', shared.justification);
});

test('a serverless.yml handler is Lambda code', () => {
  const yml = 'service: shop\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  load:\n    handler: src/load.handler\n';
  const repository = facts(['serverless.yml', 'src/load.js', 'src/other.js'], { 'serverless.yml': yml });
  const code = "const fs = require('fs');\nexports.handler = async () => { fs.writeFileSync('/tmp/out.csv', rows); };\n";
  assert.equal(triageAt(code, "'/tmp/out.csv'", 'B108', 'src/load.js', repository, ['CWE-377']).verdict, 'false_positive');
  assert.equal(triageAt(code, "'/tmp/out.csv'", 'B108', 'src/other.js', repository, ['CWE-377']).verdict, 'true_positive');
});

test('a throttle rule flagged in base settings is answered by the production settings that extend it; not when production adds none', () => {
  const base = 'DEBUG = True\nREST_FRAMEWORK = {\n    "PAGE_SIZE": 50,\n}\n';
  const prod = 'from .base import *  # noqa\nfrom .base import REST_FRAMEWORK\n\nDEBUG = False\nREST_FRAMEWORK = {\n    **REST_FRAMEWORK,\n    "DEFAULT_THROTTLE_CLASSES": [\n        "rest_framework.throttling.AnonRateThrottle",\n    ],\n}\n';
  const files = ['site/manage.py', 'site/proj/wsgi.py', 'site/proj/settings/base.py', 'site/proj/settings/prod.py'];
  const wsgi = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n';
  assert.ok(manifestsToRead(files).includes('site/proj/settings/prod.py'));
  const rule = 'python.django.security.audit.django-rest-framework.missing-throttle-config.missing-throttle-config';
  const answered = facts(files, { 'site/proj/wsgi.py': wsgi, 'site/proj/settings/prod.py': prod });
  const verdict = triageAt(base, 'REST_FRAMEWORK = {', rule, 'site/proj/settings/base.py', answered);
  assert.equal(verdict.verdict, 'false_positive', verdict.justification);
  assert.equal(verdict.category, 'defused');
  assert.match(verdict.justification, /prod\.py.*DEFAULT_THROTTLE_CLASSES/);
  const bare = facts(files, { 'site/proj/wsgi.py': wsgi, 'site/proj/settings/prod.py': prod.replace(/REST_FRAMEWORK = \{[\s\S]*$/, '') });
  assert.equal(triageAt(base, 'REST_FRAMEWORK = {', rule, 'site/proj/settings/base.py', bare).verdict, 'true_positive');
  const unchosen = facts(files, { 'site/proj/wsgi.py': wsgi.replace('prod', 'base'), 'site/proj/settings/prod.py': prod });
  assert.equal(triageAt(base, 'REST_FRAMEWORK = {', rule, 'site/proj/settings/base.py', unchosen).verdict, 'true_positive');
});
