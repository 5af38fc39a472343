/**
 * Request values reached through another name raise a true positive's confidence past the
 * no-source cap (DRF `request.query_params`, a Lambda proxy event's `queryStringParameters` put
 * into a variable, names destructured from `request.query`); a value from a verified token claim or
 * a function parameter is not request data and stays held at the cap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const triageAt = (file: string, marker: string, ruleId: string, tool: string, path: string) => triageMarked(ruleFinding(ruleId, tool, ['CWE-89']), path, file, marker);

const ids = (result: ReturnType<typeof triageAt>) => result.factors.map((factor) => factor.id);

test('a Lambda event container put into a variable carries request data to the query; a verified claim does not', () => {
  const file = [
    'def get_usage(event, context):',
    '    params = event.get("queryStringParameters") or {}',
    '    owner = event["requestContext"]["authorizer"]["claims"]["sub"]',
    '    meter = params.get("meter")',
    '    cur.execute(f"SELECT * FROM usage WHERE meter = \'{meter}\'")',
    '    cur.execute(f"SELECT * FROM meters WHERE owner = \'{owner}\'")',
  ].join('\n');
  const tainted = triageAt(file, "meter = '{meter}'", 'B608', 'Bandit', 'src/handlers/usage.py');
  assert.equal(tainted.verdict, 'true_positive');
  assert.ok(ids(tainted).includes('request-data'), tainted.justification);
  assert.ok(tainted.confidence >= 80, String(tainted.confidence));
  const claim = triageAt(file, "owner = '{owner}'", 'B608', 'Bandit', 'src/handlers/usage.py');
  assert.equal(claim.verdict, 'true_positive');
  assert.ok(!ids(claim).includes('request-data'), claim.justification);
  assert.ok(claim.confidence < 80, String(claim.confidence));
});

test('a JSON body parsed from the event is a request container too', () => {
  const file = [
    'def patch(event, context):',
    '    body = json.loads(event.get("body") or "{}")',
    '    cur.execute("UPDATE t SET name = \'" + body["name"] + "\'")',
  ].join('\n');
  const result = triageAt(file, 'UPDATE t SET', 'B608', 'Bandit', 'src/handlers/patch.py');
  assert.ok(ids(result).includes('request-data'), result.justification);
});

test('DRF query_params and names destructured from request.query are request data; a plain parameter is not', () => {
  const python = [
    '@api_view(["GET"])',
    'def search(request):',
    '    family = request.query_params.get("family", "")',
    '    rows = Specimen.objects.raw("SELECT * FROM s WHERE family = \'%s\'" % family)',
  ].join('\n');
  const drf = triageAt(python, 'objects.raw', 'B608', 'Bandit', 'app/views.py');
  assert.ok(ids(drf).includes('request-data'), drf.justification);
  const js = [
    "app.get('/available', async (request) => {",
    '  const { harbour, from: since } = request.query;',
    '  return db.$queryRawUnsafe(`SELECT * FROM berth WHERE harbour = \'${harbour}\'`);',
    '});',
    'async function byCode(code) {',
    '  return db.$queryRawUnsafe(`SELECT * FROM berth WHERE code = \'${code}\'`);',
    '}',
  ].join('\n');
  const destructured = triageAt(js, 'harbour = ', 'javascript/Sqli', 'Snyk', 'src/routes/berths.js');
  assert.ok(ids(destructured).includes('request-data'), destructured.justification);
  const parameter = triageAt(js, 'code = ', 'javascript/Sqli', 'Snyk', 'src/routes/berths.js');
  assert.ok(!ids(parameter).includes('request-data'), parameter.justification);
  assert.ok(parameter.confidence < 80);
});
