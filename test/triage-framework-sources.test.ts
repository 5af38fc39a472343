/**
 * Request data as the other common frameworks expose it (hapi, Koa, Fastify, Next.js, Falcon,
 * Tornado, aiohttp, Starlette, Sanic, Bottle, Pyramid) lifts a true positive past the no-source cap;
 * what the server put on the request (Falcon `req.context`, Koa `ctx.state`, Starlette
 * `request.state`) and values converted while read (`get_param_as_int`) stay held at it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const sql = (file: string, marker: string, path: string) => triageMarked(ruleFinding('B608', 'Bandit', ['CWE-89']), path, file, marker);
const requestData = (result: ReturnType<typeof sql>) => result.factors.some((factor) => factor.id === 'request-data');

test('Falcon: get_param, a body read with get_media, and a responder field of the URI template are request data; req.context is not', () => {
  const file = [
    'class StationResource:',
    '    def on_patch(self, req, resp, station_id):',
    '        body = req.get_media()',
    '        notes = body.get("notes", "")',
    '        office = req.context.office_id',
    '        region = req.get_param("region")',
    '        count = req.get_param_as_int("count")',
    `        conn.execute(f"UPDATE s SET notes = '{notes}'")`,
    `        conn.execute(f"SELECT * FROM s WHERE region = '{region}'")`,
    `        conn.execute(f"SELECT * FROM s WHERE id = '{station_id}'")`,
    `        conn.execute(f"SELECT * FROM s WHERE office = '{office}'")`,
    `        conn.execute(f"SELECT * FROM s LIMIT '{count}'")`,
  ].join('\n');
  for (const marker of ["notes = '{notes}'", "region = '{region}'", "id = '{station_id}'"]) {
    const result = sql(file, marker, 'api/resources/stations.py');
    assert.ok(requestData(result), `${marker}: ${result.justification}`);
    assert.ok(result.confidence >= 80, `${marker}: ${result.confidence}`);
  }
  const office = sql(file, "office = '{office}'", 'api/resources/stations.py');
  assert.equal(office.verdict, 'true_positive');
  assert.ok(!requestData(office), office.justification);
  assert.equal(office.confidence, 75);
  // get_param_as_int answers 400 to anything but an integer: a number, not text.
  assert.equal(sql(file, "LIMIT '{count}'", 'api/resources/stations.py').verdict, 'false_positive');
});

test('Tornado: get_argument and a URL group of a RequestHandler method are request data; a plain method of another class is not', () => {
  const file = [
    'class ItemHandler(tornado.web.RequestHandler):',
    '    def get(self, slug):',
    '        q = self.get_argument("q")',
    `        self.db.execute("SELECT * FROM i WHERE q = '" + q + "'")`,
    `        self.db.execute("SELECT * FROM i WHERE slug = '" + slug + "'")`,
    '',
    'class Repository:',
    '    def get(self, slug):',
    `        self.db.execute("SELECT * FROM r WHERE slug = '" + slug + "'")`,
  ].join('\n');
  assert.ok(requestData(sql(file, "q = '\" + q", 'web/handlers.py')));
  assert.ok(requestData(sql(file, "i WHERE slug", 'web/handlers.py')));
  const plain = sql(file, 'r WHERE slug', 'web/handlers.py');
  assert.ok(!requestData(plain), plain.justification);
});

test('aiohttp, Starlette, Pyramid and Bottle request members are request data; Starlette request.state is not', () => {
  const file = [
    'async def handler(request):',
    '    name = request.match_info["name"]',
    '    path_id = request.path_params["id"]',
    '    ref = request.matchdict["ref"]',
    '    title = request.forms.get("title")',
    '    data = await request.post()',
    '    user = request.state.user',
    `    await db.execute(f"SELECT * FROM a WHERE name = '{name}'")`,
    `    await db.execute(f"SELECT * FROM a WHERE id = '{path_id}'")`,
    `    await db.execute(f"SELECT * FROM a WHERE ref = '{ref}'")`,
    `    await db.execute(f"SELECT * FROM a WHERE title = '{title}'")`,
    `    await db.execute(f"SELECT * FROM a WHERE body = '{data['x']}'")`,
    `    await db.execute(f"SELECT * FROM a WHERE user = '{user}'")`,
  ].join('\n');
  for (const marker of ["name = '{name}'", "id = '{path_id}'", "ref = '{ref}'", "title = '{title}'", "body = '{data"]) {
    const result = sql(file, marker, 'svc/views.py');
    assert.ok(requestData(result), `${marker}: ${result.justification}`);
  }
  assert.ok(!requestData(sql(file, "user = '{user}'", 'svc/views.py')));
});

test('hapi payload and Koa bodies destructured (through a TypeScript cast) are request data; Koa ctx.state is not', () => {
  const hapi = [
    "  handler: async (request, h) => {",
    '    const { token } = request.payload;',
    '    return Volunteer.findOne({ resetToken: token });',
  ].join('\n');
  const nosql = triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-943']), 'src/routes/auth.js', hapi, 'findOne');
  assert.ok(requestData(nosql), nosql.justification);
  const koa = [
    "router.post('/x', async (ctx) => {",
    '  const { title } = ctx.request.body as { title: string };',
    '  const owner = ctx.state.user.id;',
    '  await pool.query(`SELECT * FROM t WHERE title = \'${title}\'`);',
    '  await pool.query(`SELECT * FROM t WHERE owner = \'${owner}\'`);',
    '});',
  ].join('\n');
  const js = (marker: string) => triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']), 'src/routes/x.ts', koa, marker);
  assert.ok(requestData(js("title = '")), js("title = '").justification);
  assert.ok(!requestData(js("owner = '")), js("owner = '").justification);
});

test('Next.js route handlers: a JSON body awaited into a variable and nextUrl search parameters are request data', () => {
  const file = [
    'export async function POST(request: NextRequest) {',
    '  const body = await request.json();',
    "  const sort = request.nextUrl.searchParams.get('sort');",
    '  await prisma.$queryRawUnsafe(`SELECT * FROM p WHERE name = \'${body.name}\'`);',
    '  await prisma.$queryRawUnsafe(`SELECT * FROM p ORDER BY ${sort}`);',
    '}',
  ].join('\n');
  const js = (marker: string) => triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']), 'app/api/p/route.ts', file, marker);
  assert.ok(requestData(js('name = ')), js('name = ').justification);
  assert.ok(requestData(js('ORDER BY')), js('ORDER BY').justification);
});

test('a file-name rule: request data only as the written content does not settle the noisy doubt; an unchecked path does', () => {
  const file = [
    "  handler: async (request, h) => {",
    '    const file = path.join(config.uploadsDir, request.params.name);',
    '    if (!fs.existsSync(file)) throw Boom.notFound();',
    '    await fs.promises.writeFile(path.join(dir, stamp), request.payload.file);',
  ].join('\n');
  const fs = (marker: string) => triageMarked(ruleFinding('detect-non-literal-fs-filename', 'ESLint', ['CWE-22']), 'src/routes/documents.js', file, marker);
  const unchecked = fs('existsSync');
  assert.equal(unchecked.verdict, 'true_positive', unchecked.justification);
  assert.equal(fs('writeFile').verdict, 'suspicious');
  const checked = [
    "  handler: async (request, h) => {",
    '    const household = request.params.household;',
    "    if (!/^[A-Z]{2}\\d{5}$/.test(household)) throw Boom.badRequest('bad');",
    '    const dir = path.join(config.uploadsDir, household);',
    '    await fs.promises.mkdir(dir, { recursive: true });',
  ].join('\n');
  const mkdir = triageMarked(ruleFinding('detect-non-literal-fs-filename', 'ESLint', ['CWE-22']), 'src/routes/documents.js', checked, 'mkdir');
  assert.notEqual(mkdir.verdict, 'true_positive', mkdir.justification);
});

test('a request value reduced to its base name is not carried as request data to a path', () => {
  const file = [
    'class Download:',
    '    def on_get(self, req, resp, name):',
    '        path = os.path.join(settings.EXPORT_DIR, os.path.basename(name))',
    '        resp.stream = open(path, "rb")',
  ].join('\n');
  const result = triageMarked(ruleFinding('py/path-injection', 'CodeQL', ['CWE-22']), 'api/exports.py', file, 'open(path');
  assert.ok(!requestData(result), result.justification);
});

test('a request value read by the outer handler reaches a sink inside a callback; one the flagged statement tests itself does not count', () => {
  const file = [
    "  handler: async (request, h) => {",
    '    const day = request.query.day;',
    '    return new Promise((resolve, reject) => {',
    "      exec(`labelgen --day ${day}`, (err, out) => resolve(out));",
    '    });',
    '  },',
  ].join('\n');
  const command = triageMarked(ruleFinding('js/command-line-injection', 'CodeQL', ['CWE-78']), 'src/routes/reports.js', file, 'labelgen');
  assert.ok(requestData(command), command.justification);
  const redirect = [
    "router.get('/logout', (req, res) => {",
    "  const back = String(req.query.back || '/');",
    '  req.session.destroy(() => {',
    "    res.redirect(back.startsWith('/') && !/^\\/[\\/\\\\]/.test(back) ? back : '/');",
    '  });',
    '});',
  ].join('\n');
  const tested = triageMarked(ruleFinding('js/server-side-unvalidated-url-redirection', 'CodeQL', ['CWE-601']), 'src/routes/auth.js', redirect, 'res.redirect');
  assert.ok(!requestData(tested), tested.justification);
});

test('timing attacks: a Tornado argument compared with a configured token is a request value; two configured values are not', () => {
  const file = [
    'class HookHandler(tornado.web.RequestHandler):',
    '    def post(self):',
    '        token = self.get_argument("token")',
    '        if token != settings.API_TOKEN:',
    '            raise tornado.web.HTTPError(403)',
    '        if settings.OLD_TOKEN == settings.API_TOKEN:',
    '            pass',
  ].join('\n');
  const timing = (marker: string) => triageMarked(ruleFinding('possible-timing-attacks', 'ESLint', ['CWE-208']), 'web/hooks.py', file, marker);
  assert.ok(timing('if token !=').factors.some((f) => f.id === 'secret-vs-request'), timing('if token !=').justification);
  assert.ok(!timing('OLD_TOKEN ==').factors.some((f) => f.id === 'secret-vs-request'));
});

test('Bottle: a parameter of a handler under a bare @route with a path is request data; a plain function is not', () => {
  const file = [
    '@route("/hello/<name>")',
    'def hello(name):',
    `    db.execute("SELECT * FROM people WHERE name = '%s'" % name)`,
    '',
    'def lookup(name):',
    `    db.execute("SELECT * FROM people WHERE nick = '%s'" % name)`,
  ].join('\n');
  assert.ok(requestData(sql(file, 'WHERE name', 'app/web.py')));
  assert.ok(!requestData(sql(file, 'WHERE nick', 'app/web.py')));
});

test('a request value read by a converting getter is a number: werkzeug type=int and Falcon get_param_as_int are defused; a plain get_param is not', () => {
  const file = [
    'def page(req, resp):',
    '    limit = request.args.get("limit", 20, type=int)',
    '    count = req.get_param_as_int("count") or 10',
    '    name = req.get_param("name")',
    '    cur.execute("SELECT * FROM t LIMIT %s" % limit)',
    '    cur.execute("SELECT * FROM t OFFSET %s" % count)',
    `    cur.execute("SELECT * FROM t WHERE name = '%s'" % name)`,
  ].join('\n');
  assert.equal(sql(file, 'LIMIT %s', 'app/views.py').verdict, 'false_positive');
  assert.equal(sql(file, 'OFFSET %s', 'app/views.py').verdict, 'false_positive');
  assert.equal(sql(file, 'WHERE name', 'app/views.py').verdict, 'true_positive');
});

test('Next.js: route-handler params, page searchParams and the request URL\'s query string are request data; a helper\'s parameter is not', () => {
  const file = [
    'export async function GET(request: Request, { params }: { params: { id: string } }) {',
    '  const { searchParams } = new URL(request.url);',
    "  const q = searchParams.get('q');",
    '  await prisma.$queryRawUnsafe(`SELECT * FROM p WHERE id = ${params.id}`);',
    '  await prisma.$queryRawUnsafe(`SELECT * FROM p WHERE q = \'${q}\'`);',
    '}',
    'export default async function Page({ params, searchParams }) {',
    '  await prisma.$queryRawUnsafe(`SELECT * FROM p WHERE s = \'${searchParams.sort}\'`);',
    '}',
    'async function helper(params) {',
    '  await prisma.$queryRawUnsafe(`SELECT * FROM p WHERE h = ${params.id}`);',
    '}',
  ].join('\n');
  const js = (marker: string) => triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']), 'app/api/p/[id]/route.ts', file, marker);
  for (const marker of ['WHERE id =', "WHERE q = '", "WHERE s = '"]) assert.ok(requestData(js(marker)), `${marker}: ${js(marker).justification}`);
  assert.ok(!requestData(js('WHERE h =')), js('WHERE h =').justification);
});

test('timing attacks: two hapi payload values compared are set aside; a stored secret looked up with a request value is not a client value', () => {
  const file = [
    "  handler: async (request, h) => {",
    '    const { password, confirm } = request.payload;',
    '    if (password !== confirm) throw Boom.badRequest();',
    '    const stored = await tokens.findFor(request.payload.user);',
    '    if (request.payload.token !== stored) throw Boom.forbidden();',
    '  },',
  ].join('\n');
  const timing = (marker: string) => triageMarked(ruleFinding('detect-possible-timing-attacks', 'ESLint', ['CWE-208']), 'src/routes/auth.js', file, marker);
  assert.equal(timing('password !== confirm').verdict, 'false_positive', timing('password !== confirm').justification);
  assert.notEqual(timing('!== stored').verdict, 'false_positive', timing('!== stored').justification);
});

test('Express and Koa getters read a header or parameter by name; the request HTTP client\'s get of a URL is no request data', () => {
  const file = [
    "router.get('/proxy', async (req, res) => {",
    "  const lang = req.get('accept-language');",
    "  await db.query(`SELECT * FROM t WHERE lang = '${lang}'`);",
    "  request.get('https://api.example.com/items', (err, r, body) => db.query(`SELECT * FROM t WHERE b = '${body}'`));",
    '});',
  ].join('\n');
  const js = (marker: string) => triageMarked(ruleFinding('js/sql-injection', 'CodeQL', ['CWE-89']), 'src/routes/proxy.js', file, marker);
  assert.ok(requestData(js("lang = '")), js("lang = '").justification);
  assert.ok(!requestData(js("b = '")), js("b = '").justification);
});
