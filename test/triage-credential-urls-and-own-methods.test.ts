/**
 * Two ways triage set a real weakness aside (found on holdout-8's first run; the code here is
 * written for these tests): a URL that is itself the credential (a webhook address, a connection
 * string with a password, a keyed link) read as "a path, not a secret", and a request value read
 * through a method of the handler object (`self.get_argument("src")`) read as a literal because
 * `self` was dropped as a keyword. Each sits beside the near miss its rule was written for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding } from '../src/domain/finding';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';

function triageIn(source: string, rule: Partial<NormalisedFinding>, path = 'svc/module.py') {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => line.startsWith('>>'));
  assert.ok(index >= 0, 'the source must mark the reported line with >>');
  const content = lines.map((line) => line.replace(/^>>/, '')).join('\n');
  const finding: NormalisedFinding = {
    fingerprint: 'fp', ruleId: 'rule', tools: [{ name: 'Scanner' }], severity: 'high', cwes: [], message: 'm',
    location: { path, startLine: index + 1 }, ...rule,
  };
  const window = codeWindow(content, index + 1);
  assert.ok(window);
  return triageFinding(finding, { fixAvailable: false, ...window });
}

const webhookRule = { ruleId: 'generic.secrets.security.detected-discord-webhook.detected-discord-webhook', cwes: ['CWE-798'] };
const passwordRule = { ruleId: 'B105', cwes: ['CWE-259'] };

test('a URL that carries its own credential is a secret, whatever the variable is called', () => {
  const webhook = triageIn(['import httpx', '', '>>ALERTS_URL = "https://discord.example/api/webhooks/81234/Zq8wLm3PxR7tKv2NbY5sHd1J"', ''].join('\n'), webhookRule);
  assert.equal(webhook.verdict, 'true_positive', webhook.justification);
  const database = triageIn('>>DATABASE_URL = "postgres://ledger:W1nter-Harbour@db.internal:5432/ledger"', passwordRule);
  assert.equal(database.verdict, 'true_positive', database.justification);
  const keyed = triageIn('>>REPORT_ENDPOINT = "https://reports.example.net/v2/push?api_key=9f1c2e7d"', passwordRule);
  assert.equal(keyed.verdict, 'true_positive', keyed.justification);
});

test('near miss: a plain address, or a webhook placeholder, is still set aside as not a secret', () => {
  const page = triageIn('>>PASSWORD_RESET_URL = "https://shop.example.com/account/password-reset"', passwordRule);
  assert.equal(page.verdict, 'false_positive', page.justification);
  assert.match(page.justification, /name, path, placeholder/);
  const placeholder = triageIn('>>ALERTS_URL = "https://discord.example/api/webhooks/XXXX/YYYYYYYY"', webhookRule);
  assert.equal(placeholder.verdict, 'false_positive', placeholder.justification);
  const noPassword = triageIn('>>DATABASE_URL = "postgres://localhost:5432/ledger"', passwordRule);
  assert.equal(noPassword.verdict, 'false_positive', noPassword.justification);
});

const ssrf = { ruleId: 'py/full-ssrf', cwes: ['CWE-918'], tools: [{ name: 'CodeQL' }] };

test("a value read through the handler's own method is not a literal, though its argument is", () => {
  const source = [
    'class Preview(BaseHandler):',
    '    def get(self):',
    '>>        page = httpx.get(self.query_value("address"), timeout=5)',
    '        self.finish(page.text)',
  ].join('\n');
  const result = triageIn(source, ssrf);
  assert.equal(result.verdict, 'true_positive', result.justification);
  assert.ok(!result.factors.some((f) => f.id === 'defused-constant-argument'), result.justification);
  const viaThis = triageIn(['class Preview {', '  async show(req, res) {', ">>    const page = await fetch(this.paramOf(req, 'address'));", '  }', '}'].join('\n'),
    { ruleId: 'js/request-forgery', cwes: ['CWE-918'], tools: [{ name: 'CodeQL' }] }, 'src/preview.js');
  assert.equal(viaThis.verdict, 'true_positive', viaThis.justification);
});

test('near miss: a literal address, or one read from the configuration by a literal key, is still fixed', () => {
  const literal = triageIn(['class Status(BaseHandler):', '    def get(self):', '>>        page = httpx.get("https://status.example.org/health", timeout=5)'].join('\n'), ssrf);
  assert.equal(literal.verdict, 'false_positive', literal.justification);
  assert.ok(literal.factors.some((f) => f.id === 'defused-constant-argument'), literal.justification);
  const configured = triageIn(['export class Mirror {', '  async pull() {', ">>    return fetch(this.config.get('MIRROR_URL'));", '  }', '}'].join('\n'),
    { ruleId: 'js/request-forgery', cwes: ['CWE-918'], tools: [{ name: 'CodeQL' }] }, 'src/mirror.ts');
  assert.equal(configured.verdict, 'false_positive', configured.justification);
});
