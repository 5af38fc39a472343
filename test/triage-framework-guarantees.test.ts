/**
 * What a framework guarantees before the handler runs: hapi's payload parser refusing `__proto__`
 * answers a one-level write keyed by the payload's own keys, and a field the hapi route validates
 * with Joi answers injection rules as far as its type goes (any string answers NoSQL operator
 * injection only). Near misses stay findings: the protection turned off, a nested write, Express's
 * body, a validation that only logs, a string reaching SQL, an unvalidated field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts } from '../src/domain/triage/repository-facts';
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

const sqlAt = (file: string, path = 'src/routes/items.js') => triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']), path, file, 'db.query');

test('Fastify: a route schema typing the parameter as an integer or listing its values defuses SQL injection; attachValidation or a plain string does not', () => {
  const fastify = (schemaLine: string, extra = '') => [
    "fastify.get('/items/:id', {",
    `  schema: { params: { type: 'object', properties: { id: ${schemaLine} } } },${extra}`,
    '}, async (request, reply) => {',
    '  return db.query(`SELECT * FROM items WHERE id = ${request.params.id}`);',
    '});',
  ].join('\n');
  const integer = sqlAt(fastify("{ type: 'integer' }"));
  assert.equal(integer.verdict, 'false_positive', integer.justification);
  assert.equal(sqlAt(fastify("{ type: 'string', enum: ['a', 'b'] }")).verdict, 'false_positive');
  assert.equal(sqlAt(fastify("{ type: 'string', pattern: '^[a-z0-9-]+$' }")).verdict, 'false_positive');
  assert.equal(sqlAt(fastify("{ type: 'integer' }", ' attachValidation: true,')).verdict, 'true_positive');
  assert.equal(sqlAt(fastify("{ type: 'string' }")).verdict, 'true_positive');
});

test('express-validator: a chain counts only when the handler checks validationResult; celebrate rejects by itself', () => {
  const checked = [
    "router.get('/items/:id', param('id').isInt(), async (req, res) => {",
    '  const errors = validationResult(req);',
    '  if (!errors.isEmpty()) return res.status(400).json(errors.array());',
    '  const rows = await db.query(`SELECT * FROM items WHERE id = ${req.params.id}`);',
    '});',
  ].join('\n');
  assert.equal(sqlAt(checked).verdict, 'false_positive', sqlAt(checked).justification);
  const unchecked = [
    "router.get('/items/:id', param('id').isInt(), async (req, res) => {",
    '  const rows = await db.query(`SELECT * FROM items WHERE id = ${req.params.id}`);',
    '});',
  ].join('\n');
  assert.equal(sqlAt(unchecked).verdict, 'true_positive');
  const celebrated = [
    "router.get('/items', celebrate({ [Segments.QUERY]: Joi.object({ sort: Joi.string().valid('name', 'date') }) }), async (req, res) => {",
    '  const { sort } = req.query;',
    '  const rows = await db.query(`SELECT * FROM items ORDER BY ${sort}`);',
    '});',
  ].join('\n');
  assert.equal(sqlAt(celebrated).verdict, 'false_positive', sqlAt(celebrated).justification);
  const otherField = celebrated.replace("const { sort } = req.query;", "const { order: sort } = req.query;");
  assert.equal(sqlAt(otherField).verdict, 'true_positive');
});

test('Fastify: a write keyed by the body\'s own keys is defused by its parser; turned off with onProtoPoisoning, or anywhere the repository was read, it stays', () => {
  const file = (extra: string) => [
    "const fastify = require('fastify')({ logger: true" + extra + ' });',
    "fastify.patch('/things/:id', async (request, reply) => {",
    '  const thing = await Thing.findById(request.params.id);',
    '  for (const field of Object.keys(request.body)) {',
    '    thing[field] = request.body[field];',
    '  }',
    '});',
  ].join('\n');
  const result = property(file(''));
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.notEqual(property(file(", onProtoPoisoning: 'ignore'")).verdict, 'false_positive');
  // The server-wide setting sits in another file the scan read.
  const server = "const server = Hapi.server({ port: 3000, routes: { payload: { protoAction: 'ignore' } } });";
  const repository = collectRepositoryFacts(['src/index.js', 'src/routes/things.js'], new Map([['src/index.js', server]]));
  const hapiOff = triageMarked(ruleFinding('js/remote-property-injection', 'CodeQL', ['CWE-915']), 'src/routes/things.js', route('', keyWrite), 'thing[field] =', repository);
  assert.notEqual(hapiOff.verdict, 'false_positive', hapiOff.justification);
});

test('a request value carried through two names besides a validated one keeps the finding', () => {
  const file = route('{ validate: { payload: Joi.object({ email: Joi.string().email() }) } }', [
    'const { email } = request.payload;',
    'const raw = request.payload.filter;',
    'const where = raw;',
    'const user = await User.findOne({ email: email, $where: where });',
  ]);
  const result = triageMarked(ruleFinding('javascript/NoSqli', 'Snyk Code', ['CWE-943']), 'src/routes/auth.js', file, 'findOne');
  assert.equal(result.verdict, 'true_positive', result.justification);
});
