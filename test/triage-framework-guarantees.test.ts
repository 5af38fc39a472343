/**
 * What a framework guarantees before the handler runs: hapi's payload parser refusing `__proto__`
 * answers a one-level write keyed by the payload's own keys, and a field the hapi route validates
 * with Joi answers injection rules as far as its type goes (any string answers NoSQL operator
 * injection only). Near misses stay findings: the protection turned off, a nested write, Express's
 * body, a validation that only logs, a string reaching SQL, an unvalidated field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const route = (options: string, body: readonly string[]) => [
  'module.exports = [',
  '  {',
  "    method: 'PATCH',",
  "    path: '/things/{id}',",
  ...(options ? [`    options: ${options},`] : []),
  '    handler: async (request, h) => {',
  ...body.map((line) => `      ${line}`),
  '    },',
  '  },',
  '];',
].join('\n');

const keyWrite = ['const thing = await Thing.findById(request.params.id);', 'for (const field of Object.keys(request.payload)) {', '  thing[field] = request.payload[field];', '}'];
const property = (file: string) => triageMarked(ruleFinding('js/remote-property-injection', 'CodeQL', ['CWE-915']), 'src/routes/things.js', file, 'thing[field] =');

test('hapi: a one-level write keyed by the payload\'s own keys is defused by the parser refusing __proto__', () => {
  const result = property(route('', keyWrite));
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.ok(result.factors.some((f) => f.id === 'defused-parser-refuses-proto'));
  assert.match(result.justification, /protoAction/);
});

test('hapi near misses: protoAction ignore, a nested write, and an Express body keep the finding', () => {
  const ignored = property(route("{ payload: { protoAction: 'ignore' } }", keyWrite));
  assert.notEqual(ignored.verdict, 'false_positive', ignored.justification);
  const nested = triageMarked(ruleFinding('js/remote-property-injection', 'CodeQL', ['CWE-915']), 'src/routes/things.js',
    route('', ['for (const field of Object.keys(request.payload)) {', '  thing[field][request.query.k] = request.payload[field];', '}']), 'thing[field][');
  assert.notEqual(nested.verdict, 'false_positive', nested.justification);
  const express = [
    "router.patch('/things/:id', async (req, res) => {",
    '  for (const field of Object.keys(req.body)) {',
    '    thing[field] = req.body[field];',
    '  }',
    '});',
  ].join('\n');
  const body = property(express);
  assert.notEqual(body.verdict, 'false_positive', body.justification);
});

const login = (options: string, rule = 'javascript/NoSqli', cwe = 'CWE-943') => triageMarked(ruleFinding(rule, 'Snyk Code', [cwe]), 'src/routes/auth.js',
  route(options, ['const { email, password } = request.payload;', 'const user = await User.findOne({ email: email.toLowerCase() });']), 'findOne');

test('hapi + Joi: an e-mail validated as a Joi string cannot be a NoSQL operator object', () => {
  const result = login('{ validate: { payload: Joi.object({ email: Joi.string().email().required(), password: Joi.string() }) } }');
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /Joi\.string\(\)\.email\(\)/);
});

test('hapi + Joi near misses: no validation, a validation that only logs, an unvalidated field, and a string reaching SQL stay findings', () => {
  assert.equal(login('{ auth: false }').verdict, 'true_positive');
  assert.equal(login("{ validate: { payload: Joi.object({ email: Joi.string().email() }), failAction: 'log' } }").verdict, 'true_positive');
  assert.equal(login('{ validate: { payload: Joi.object({ password: Joi.string() }) } }').verdict, 'true_positive');
  const sql = login('{ validate: { payload: Joi.object({ email: Joi.string().email() }) } }', 'js/sql-injection', 'CWE-89');
  assert.equal(sql.verdict, 'true_positive', sql.justification);
});

test('hapi + Joi: a field validated as an integer or one of listed values answers SQL injection too, through a schema constant', () => {
  const file = [
    "const Query = Joi.object({",
    "  sort: Joi.string().valid('name', 'date'),",
    '  limit: Joi.number().integer(),',
    '});',
    route('{ validate: { query: Query } }', ['const { sort, limit } = request.query;', 'return db.query(`SELECT * FROM t ORDER BY ${sort} LIMIT ${limit}`);']),
  ].join('\n');
  const result = triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']), 'src/routes/things.js', file, 'db.query');
  assert.equal(result.verdict, 'false_positive', result.justification);
});
