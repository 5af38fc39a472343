/**
 * Values that cannot carry an attack or are public by design, and purposes that need no strength,
 * that came back in several fresh sets (after holdout-12/13/14's runs), each beside the near miss
 * that must stay a finding: a YAML loader variable set only to safe loaders, a vendor's publishable
 * key, an e-mail's MD5 for Gravatar, `isoformat()` dates in SQL, Bottle's sanitised upload name,
 * Vue's `v-html` of DOMPurify output, and a random pick that spreads work over equals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, ruleId: string, path: string, cwes: string[] = []) =>
  triageMarked(ruleFinding(ruleId, 'ESLint', cwes), path, file, marker);
test('yaml.load with a loader the module sets only to safe loaders is defused; one that may be the full Loader is not', () => {
  const file = [
    'import yaml',
    '',
    '_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)',
    '',
    'def read(fh):',
    '    return yaml.load(fh, Loader=_LOADER)',
  ].join('\n');
  const safe = triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', file, 'yaml.load(');
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  assert.equal(safe.category, 'defused');
  assert.match(safe.justification, /line 3: _LOADER = getattr/);
  const unsafe = file.replace('getattr(yaml, "CSafeLoader", yaml.SafeLoader)', 'getattr(yaml, "CLoader", yaml.Loader)');
  assert.equal(triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', unsafe, 'yaml.load(').verdict, 'true_positive');
  // Rebound to the full loader anywhere in the file: the name may hold either.
  const rebound = `${file}\n\nif FAST:\n    _LOADER = yaml.UnsafeLoader`;
  assert.equal(triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', rebound, 'yaml.load(').verdict, 'true_positive');
  const parameter = ['import yaml', '', 'def read(fh, loader):', '    return yaml.load(fh, Loader=loader)'].join('\n');
  assert.equal(triageMarked(ruleFinding('B506', 'Bandit', ['CWE-502']), 'app/imports.py', parameter, 'yaml.load(').verdict, 'true_positive');
});

test('a key its vendor publishes to browsers is not a secret; a secret key of the same vendor is', () => {
  const file = [
    "const MAPBOX_TOKEN = 'pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbHgwMDAwMDAwMDAwIn0.AbCdEfGhIjKlMnOpQrStUv';",
    "const stripe = loadStripe('pk_live_51Hx00000000000000000000000');",
    "const STRIPE_KEY = 'sk_live_51Hx00000000000000000000000';",
    "const MAPBOX_UPLOAD = 'sk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbHgwMDAwMDAwMDAwIn0.AbCdEfGhIjKlMnOpQrStUv';",
    "const MAPBOX_SECRET_TOKEN = 'pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbHgwMDAwMDAwMDAwIn0.AbCdEfGhIjKlMnOpQrStUv';",
  ].join('\n');
  for (const marker of ['MAPBOX_TOKEN', 'pk_live_']) {
    const result = triageAt(file, marker, 'sonarjs/no-hardcoded-secrets', 'src/map.ts', ['CWE-798']);
    assert.equal(result.verdict, 'false_positive', `${marker}: ${result.justification}`);
    assert.equal(result.category, 'not_security');
  }
  for (const marker of ['sk_live_', 'MAPBOX_UPLOAD', 'MAPBOX_SECRET_TOKEN']) {
    const result = triageAt(file, marker, 'sonarjs/no-hardcoded-secrets', 'src/map.ts', ['CWE-798']);
    assert.equal(result.verdict, 'true_positive', `${marker}: ${result.justification}`);
  }
});

test("an MD5 of an e-mail address used only in a Gravatar URL is not security; an MD5 of a password is", () => {
  const file = [
    "import { createHash } from 'node:crypto';",
    'export function gravatarUrl(email: string): string {',
    "  const digest = createHash('md5').update(email.trim().toLowerCase()).digest('hex');",
    '  return `https://www.gravatar.com/avatar/${digest}?d=identicon`;',
    '}',
    'export function check(email: string, password: string): string {',
    "  const stored = createHash('md5').update(password).digest('hex');",
    '  return `https://www.gravatar.com/avatar/${stored}`;',
    '}',
    'export function userKey(email: string) {',
    "  const key = createHash('md5').update(email).digest('hex');",
    "  res.cookie('remember', key);",
    '  return `https://www.gravatar.com/avatar/${key}`;',
    '}',
  ].join('\n');
  const avatar = triageAt(file, 'const digest', 'sonarjs/hashing', 'src/lib/gravatar.ts', ['CWE-328']);
  assert.equal(avatar.verdict, 'false_positive', avatar.justification);
  assert.equal(avatar.category, 'not_security');
  for (const marker of ['const stored', 'const key']) {
    const result = triageAt(file, marker, 'sonarjs/hashing', 'src/lib/gravatar.ts', ['CWE-328']);
    assert.equal(result.verdict, 'true_positive', `${marker}: ${result.justification}`);
  }
});

test('dates put into SQL by isoformat() are defused; the raw parameter or a module with its own isoformat is not', () => {
  const file = [
    'from django.db import connection',
    '',
    'def occupancy(start, end):',
    '    sql = f"SELECT * FROM stays WHERE arrives < DATE \'{end.isoformat()}\' AND departs > DATE \'{start.isoformat()}\'"',
    '    raw = f"SELECT * FROM stays WHERE arrives < DATE \'{end}\'"',
    '    with connection.cursor() as cursor:',
    '        cursor.execute(sql)',
  ].join('\n');
  const dated = triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), 'stays/reports.py', file, 'sql = f"');
  assert.equal(dated.verdict, 'false_positive', dated.justification);
  assert.equal(dated.category, 'defused');
  assert.match(dated.justification, /end\.isoformat\(\)/);
  const raw = triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), 'stays/reports.py', file, 'raw = f"');
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  const own = `class Stamp:\n    def isoformat(self):\n        return self.text\n\n${file}`;
  assert.equal(triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), 'stays/reports.py', own, 'sql = f"').verdict, 'true_positive');
});

test("Bottle's sanitised FileUpload.filename after a timestamp is defused in a path; raw_filename and werkzeug's filename are not", () => {
  const file = [
    'import os',
    'from datetime import datetime',
    'from bottle import request',
    '',
    'def report():',
    '    upload = request.files.get("photo")',
    '    stamp = datetime.utcnow().strftime("%Y%m%d%H%M%S")',
    '    name = f"{stamp}-{upload.filename}"',
    '    upload.save(os.path.join(UPLOAD_DIR, name))',
    '    upload.save(os.path.join(UPLOAD_DIR, upload.raw_filename))',
  ].join('\n');
  const saved = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'swarms.py', file, 'UPLOAD_DIR, name');
  assert.equal(saved.verdict, 'false_positive', saved.justification);
  assert.equal(saved.category, 'defused');
  const raw = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'swarms.py', file, 'raw_filename');
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  // Flask (werkzeug) hands over the client's own file name: only secure_filename sanitises it.
  const flask = file.replace('from bottle import request', 'from flask import request');
  const werkzeug = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'swarms.py', flask, 'UPLOAD_DIR, name');
  assert.equal(werkzeug.verdict, 'true_positive', werkzeug.justification);
});

test("Vue's v-html of a binding made once by DOMPurify.sanitize is defused; raw HTML, a widened policy or a rebinding is not", () => {
  const component = (binding: string, extra = '') => [
    '<script setup lang="ts">',
    "import DOMPurify from 'dompurify';",
    'const props = defineProps<{ notice: { bodyHtml: string } }>();',
    binding,
    extra,
    '</script>',
    '<template>',
    '  <div v-html="safeBody" />',
    '</template>',
  ].join('\n');
  const rule = () => ruleFinding('javascript.vue.security.audit.xss.templates.avoid-v-html.avoid-v-html', 'Semgrep', ['CWE-79']);
  const purified = component("const safeBody = computed(() => DOMPurify.sanitize(props.notice.bodyHtml, { ALLOWED_TAGS: ['a', 'em', 'p'] }));");
  const safe = triageMarked(rule(), 'components/Notice.vue', purified, 'v-html');
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  assert.equal(safe.category, 'defused');
  const misses = [
    component('const safeBody = computed(() => props.notice.bodyHtml);'),
    component("const safeBody = computed(() => DOMPurify.sanitize(props.notice.bodyHtml, { ADD_TAGS: ['script'] }));"),
    component('const safeBody = ref(DOMPurify.sanitize(props.notice.bodyHtml));', 'watch(() => props.notice, (n) => { safeBody.value = n.bodyHtml; });'),
  ];
  for (const file of misses) {
    const result = triageMarked(rule(), 'components/Notice.vue', file, 'v-html');
    assert.equal(result.verdict, 'true_positive', `${file}\n${result.justification}`);
  }
});

test('a random pick whose function says it spreads work over equals is not security; a draw of a winner is', () => {
  const file = [
    'import random',
    '',
    'def allocate(stay):',
    '    """Spread dogs over the free runs so the same runs are not worn out first."""',
    '    runs = free_runs(stay)',
    '    stay.run = random.choice(runs)',
    '    return stay.run',
    '',
    'def pick_winner(entries):',
    '    """Spread the prize draw over every entry received this week."""',
    '    entries = list(entries)',
    '    winner = random.choice(entries)',
    '    return winner',
  ].join('\n');
  const spread = triageMarked(ruleFinding('B311', 'Bandit', ['CWE-330']), 'stays/allocation.py', file, 'stay.run = random.choice');
  assert.equal(spread.verdict, 'false_positive', spread.justification);
  assert.equal(spread.category, 'not_security');
  const draw = triageMarked(ruleFinding('B311', 'Bandit', ['CWE-330']), 'stays/allocation.py', file, 'winner = random.choice');
  assert.equal(draw.verdict, 'true_positive', draw.justification);
  // The docstring says only "spread the work", but the function picks a winner.
  const named = file.replace('Spread the prize draw over every entry', 'Spread the work over every entry');
  const winner = triageMarked(ruleFinding('B311', 'Bandit', ['CWE-330']), 'stays/allocation.py', named, 'winner = random.choice');
  assert.equal(winner.verdict, 'true_positive', winner.justification);
});
