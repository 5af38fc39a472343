/**
 * Broad readers of how values are constrained and what they are used for (written after holdout-6's
 * first run; see src/domain/triage/TUNING-LOG.md), each beside the near miss that must
 * stay a finding: DTO, entity, pydantic, zod and Django form fields, generated values, same-site
 * helpers, one-line guards, escape maps, plain-text templates, read-only CORS, trusted proxy
 * ranges, request values bound by decorators and configured secrets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRepositoryFacts, shippingFactOf, type RepositoryFacts } from '../src/domain/triage/repository-facts';
import { ruleFinding, triageMarked } from './support/triage-at';

const facts = (files: string[], contents: Record<string, string>) => collectRepositoryFacts(files, new Map(Object.entries(contents)));

const triageAt = (file: string, marker: string, ruleId: string, path: string, repository?: RepositoryFacts, cwes: string[] = []) =>
  triageMarked(ruleFinding(ruleId, 'ESLint', cwes), path, file, marker, repository);


const listDto = [
  "import { IsIn, IsOptional, IsString, Matches } from 'class-validator';",
  'export class ListItemsDto {',
  "  @IsOptional() @IsIn(['name', 'price']) sort: 'name' | 'price' = 'name';",
  '  @IsOptional() @IsString() filter?: string;',
  '  @Matches(/^[a-z ;]+$/) label?: string;',
  '}',
  'export class UpdateShopDto {',
  '  @Matches(/^[A-Za-z0-9_-]{1,32}$/) queue?: string;',
  '}',
].join('\n');
const entity = [
  "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';",
  '@Entity()',
  'export class Shop {',
  '  @PrimaryGeneratedColumn() id: number;',
  '  @Column() queue: string;',
  '  @Column() title: string;',
  '}',
].join('\n');
const bootstrap = "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.useGlobalPipes(new ValidationPipe({ whitelist: true }));\n}\n";
const service = [
  "import { exec } from 'child_process';",
  "import { join } from 'path';",
  "import { tmpdir } from 'os';",
  'export class ItemsService {',
  '  list(query: ListItemsDto) {',
  "    return this.repo.createQueryBuilder('i').orderBy(`i.${query.sort}`).getMany();",
  '  }',
  '  search(query: ListItemsDto) {',
  "    return this.repo.createQueryBuilder('i').orderBy(`i.${query.filter}`).getMany();",
  '  }',
  '  label(query: ListItemsDto) {',
  '    exec(`lp -t ${query.label}`);',
  '  }',
  '  print(shop: Shop) {',
  '    const file = join(tmpdir(), `sheet-${shop.id}-${Date.now()}.pdf`);',
  '    exec(`lp -d ${shop.queue} ${file}`);',
  '  }',
  '  banner(shop: Shop) {',
  '    exec(`banner ${shop.title}`);',
  '  }',
  '}',
].join('\n');
const nestFiles = ['src/main.ts', 'src/items/items.dto.ts', 'src/items/shop.entity.ts', 'src/items/items.service.ts'];
const nest = (withPipe: boolean) => facts(nestFiles, { ...(withPipe ? { 'src/main.ts': bootstrap } : {}), 'src/items/items.dto.ts': listDto, 'src/items/shop.entity.ts': entity });

test('a DTO field limited by @IsIn under a global ValidationPipe is defused in a query; an unvalidated field is not', () => {
  const sorted = triageAt(service, 'query.sort', 'javascript/NoSqli', 'src/items/items.service.ts', nest(true), ['CWE-89']);
  assert.equal(sorted.verdict, 'false_positive', sorted.justification);
  assert.match(sorted.justification, /ListItemsDto .*@IsIn.*ValidationPipe/);
  const free = triageAt(service, 'query.filter', 'javascript/NoSqli', 'src/items/items.service.ts', nest(true), ['CWE-89']);
  assert.equal(free.verdict, 'true_positive', free.justification);
  const noPipe = triageAt(service, 'query.sort', 'javascript/NoSqli', 'src/items/items.service.ts', nest(false), ['CWE-89']);
  assert.equal(noPipe.verdict, 'true_positive', noPipe.justification);
});

test('a stored column written only through a pattern-checked DTO, a numeric id and the clock are defused in a command; a loose pattern or unvalidated column is not', () => {
  const printed = triageAt(service, 'lp -d', 'security/detect-child-process', 'src/items/items.service.ts', nest(true), ['CWE-78']);
  assert.equal(printed.verdict, 'false_positive', printed.justification);
  assert.match(printed.justification, /UpdateShopDto/);
  const loose = triageAt(service, 'lp -t', 'security/detect-child-process', 'src/items/items.service.ts', nest(true), ['CWE-78']);
  assert.equal(loose.verdict, 'true_positive', loose.justification);
  const title = triageAt(service, 'banner ${shop.title}', 'security/detect-child-process', 'src/items/items.service.ts', nest(true), ['CWE-78']);
  assert.equal(title.verdict, 'true_positive', title.justification);
});

test('a mkstemp path with literal arguments is generated; one with a caller-chosen suffix is not', () => {
  const task = [
    'def render(season, ext):',
    '    fd, html_path = tempfile.mkstemp(suffix=".html")',
    '    out_fd, out_path = tempfile.mkstemp(suffix=ext)',
    '    os.system(f"wkhtmltopdf {html_path} {int(season)}.pdf")',
    '    os.system(f"wkhtmltopdf {html_path} {out_path}")',
  ].join('\n');
  const generated = triageAt(task, '{int(season)}', 'B605', 'app/tasks.py', undefined, ['CWE-78']);
  assert.equal(generated.verdict, 'false_positive', generated.justification);
  assert.match(generated.justification, /mkstemp/);
  const chosen = triageAt(task, '{out_path}', 'B605', 'app/tasks.py', undefined, ['CWE-78']);
  assert.equal(chosen.verdict, 'true_positive', chosen.justification);
});

test('a random pick of a listing handed only to a page template is not security; a pick among characters or a draw is', () => {
  const routes = [
    '@bp.get("/")',
    'def index():',
    '    listings = Listing.query.limit(50).all()',
    '    featured = random.choice(listings) if listings else None',
    '    return render_template("index.html", listings=listings, featured=featured)',
    '',
    '@bp.get("/draw")',
    'def draw():',
    '    entries = Entry.query.all()',
    '    winner = random.choice(entries)',
    '    return render_template("draw.html", winner=winner)',
    '',
    '@bp.get("/code")',
    'def code():',
    '    picked = random.choice(ALPHABET)',
    '    return render_template("code.html", picked=picked)',
  ].join('\n');
  const featured = triageAt(routes, 'featured = random.choice', 'B311', 'app/routes.py', undefined, ['CWE-330']);
  assert.equal(featured.verdict, 'false_positive', featured.justification);
  assert.equal(featured.category, 'not_security');
  for (const marker of ['winner = random.choice', 'picked = random.choice']) {
    const kept = triageAt(routes, marker, 'B311', 'app/routes.py', undefined, ['CWE-330']);
    assert.equal(kept.verdict, 'true_positive', `${marker}: ${kept.justification}`);
  }
});

test('a redirect target admitted by a same-site helper (judged by its body) is defused; a helper that only checks a leading slash is not', () => {
  const routes = [
    'def _safe(target):',
    '    parts = urlsplit(target)',
    '    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")',
    '',
    'def _slashed(target):',
    '    return target.startswith("/")',
    '',
    '@bp.get("/logout")',
    'def logout():',
    '    target = request.args.get("then", "/")',
    '    return redirect(target if _safe(target) else "/")',
    '',
    '@bp.get("/leave")',
    'def leave():',
    '    target = request.args.get("then", "/")',
    '    return redirect(target if _slashed(target) else "/")',
  ].join('\n');
  const safe = triageAt(routes, '_safe(target) else', 'py/url-redirection', 'app/auth.py', undefined, ['CWE-601']);
  assert.equal(safe.verdict, 'false_positive', safe.justification);
  assert.match(safe.justification, /_safe/);
  const slashed = triageAt(routes, '_slashed(target) else', 'py/url-redirection', 'app/auth.py', undefined, ['CWE-601']);
  assert.equal(slashed.verdict, 'true_positive', slashed.justification);
});

test('a key checked by an allow-list on the same line, or one character of a literal class indexing a literal map, is defused; an unchecked key is not', () => {
  const service = [
    "const EDITABLE = new Set(['name', 'phone']);",
    'export function update(row, changes) {',
    '  for (const key of Object.keys(changes)) {',
    '    if (EDITABLE.has(key)) row[key] = changes[key];',
    '    if (key.length > 0) row[key] = changes[key];',
    '  }',
    '}',
    'function escapeHtml(s) {',
    "  return String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);",
    '}',
    'function lookup(s, table) {',
    '  return String(s).replace(/\\w+/g, (c) => table[c]);',
    '}',
  ].join('\n');
  const rule = 'security/detect-object-injection';
  const allowed = triageAt(service, 'EDITABLE.has(key)', rule, 'src/service.js');
  assert.equal(allowed.verdict, 'false_positive', allowed.justification);
  const unchecked = triageAt(service, 'key.length > 0', rule, 'src/service.js');
  assert.equal(unchecked.verdict, 'suspicious', unchecked.justification);
  const escaped = triageAt(service, "'&amp;'", rule, 'src/service.js');
  assert.equal(escaped.verdict, 'false_positive', escaped.justification);
  const table = triageAt(service, 'table[c]', rule, 'src/service.js');
  assert.notEqual(table.verdict, 'false_positive', table.justification);
});

test('autoescape off in an environment that loads only plain-text templates is not security; one loading HTML is', () => {
  const tasks = [
    'text_mail = Environment(loader=PackageLoader("app", "templates/mail"), autoescape=False)',
    'pages = Environment(loader=PackageLoader("app", "templates"), autoescape=False)',
    '',
    'def send_reset(member):',
    '    body = text_mail.get_template("reset.txt").render(name=member.name)',
    '    send(member.email, body)',
    '',
    'def page(listing):',
    '    return pages.get_template("listing.html").render(listing=listing)',
  ].join('\n');
  const mail = triageAt(tasks, 'text_mail = Environment', 'B701', 'app/tasks.py', undefined, ['CWE-94']);
  assert.equal(mail.verdict, 'false_positive', mail.justification);
  assert.equal(mail.category, 'not_security');
  const html = triageAt(tasks, 'pages = Environment', 'B701', 'app/tasks.py', undefined, ['CWE-94']);
  assert.equal(html.verdict, 'true_positive', html.justification);
});

test('GET-only CORS without credentials is not security; with credentials or unsafe methods it stays', () => {
  const main = [
    "app.enableCors({ origin: '*', methods: ['GET'] });",
    "app.enableCors({ origin: '*', methods: ['GET'], credentials: true });",
    "app.enableCors({ origin: '*', methods: ['GET', 'POST'] });",
    "app.enableCors({ origin: '*' });",
  ].join('\n');
  const rule = 'typescript.nestjs.security.audit.nestjs-header-cors-any.nestjs-header-cors-any';
  const readOnly = triageAt(main, "methods: ['GET'] });", rule, 'src/main.ts', undefined, ['CWE-942']);
  assert.equal(readOnly.verdict, 'false_positive', readOnly.justification);
  for (const marker of ['credentials: true', "'POST'", "origin: '*' });"]) {
    assert.equal(triageAt(main, marker, rule, 'src/main.ts', undefined, ['CWE-942']).verdict, 'true_positive', marker);
  }
});

test('a private range listed as trusted proxies is not security; a private database host is kept', () => {
  const file = "export const TRUSTED_PROXIES = ['loopback', '10.42.0.0/16'];\nexport const DB_HOST = '10.42.0.7';\n";
  const proxies = triageAt(file, 'TRUSTED_PROXIES', 'sonarjs/no-hardcoded-ip', 'src/net.ts', undefined, ['CWE-1050']);
  assert.equal(proxies.verdict, 'false_positive', proxies.justification);
  const db = triageAt(file, 'DB_HOST', 'sonarjs/no-hardcoded-ip', 'src/net.ts', undefined, ['CWE-1050']);
  assert.equal(db.verdict, 'true_positive', db.justification);
});

test('a generated key of an entity loaded through a service call is defused in a path; a text column or a body-built record is not', () => {
  const entityFile = "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class Member {\n  @PrimaryGeneratedColumn('uuid') id: string;\n  @Column() nickname: string;\n}\n";
  const controller = [
    "import { join } from 'path';",
    'export class MembersController {',
    '  async avatar(@Param() id: string) {',
    '    const member = await this.members.get(id);',
    "    return fs.readFile(join(this.dir, `${member.id}.png`));",
    '  }',
    '  async badge(@Param() id: string) {',
    '    const member = await this.members.get(id);',
    "    return fs.readFile(join(this.dir, `${member.nickname}.png`));",
    '  }',
    '  async upload(@Body() body: unknown) {',
    '    const member = body as Member;',
    "    return fs.readFile(join(this.dir, `${member.id}.bin`));",
    '  }',
    '}',
  ].join('\n');
  const repository = facts(['src/member.entity.ts', 'src/members.controller.ts'], { 'src/member.entity.ts': entityFile });
  const rule = 'security/detect-non-literal-fs-filename';
  const byId = triageAt(controller, '${member.id}.png', rule, 'src/members.controller.ts', repository, ['CWE-22']);
  assert.equal(byId.verdict, 'false_positive', byId.justification);
  assert.match(byId.justification, /PrimaryGeneratedColumn\('uuid'\)/);
  assert.notEqual(triageAt(controller, '${member.nickname}', rule, 'src/members.controller.ts', repository, ['CWE-22']).verdict, 'false_positive');
  assert.notEqual(triageAt(controller, '${member.id}.bin', rule, 'src/members.controller.ts', repository, ['CWE-22']).verdict, 'false_positive');
});

test('a decorator-bound request parameter reaching a sink earns the request-data evidence; a reviewed suppression citing a membership check still holds', () => {
  const controller = [
    "@Controller('files')",
    'export class FilesController {',
    "  @Get('exports/:name')",
    "  async download(@Param('name') name: string, @Res() res: Response) {",
    "    const index: string[] = JSON.parse(await fs.readFile(join(this.dir, 'index.json'), 'utf8'));",
    '    if (!index.includes(name)) throw new NotFoundException();',
    '    return res.sendFile(join(this.dir, name)); // lgtm[js/path-injection] name is listed in index.json',
    '  }',
    "  @Get('raw/:name')",
    "  async raw(@Param('name') name: string, @Res() res: Response) {",
    '    return res.sendFile(join(this.dir, name)); // lgtm[js/path-injection] reviewed',
    '  }',
    "  @Get('open/:name')",
    "  async open(@Param('name') name: string, @Res() res: Response) {",
    '    return res.sendFile(join(this.root, name));',
    '  }',
    '}',
  ].join('\n');
  const listed = triageAt(controller, 'listed in index.json', 'js/path-injection', 'src/files.controller.ts', undefined, ['CWE-22']);
  assert.equal(listed.verdict, 'wont_fix', listed.justification);
  assert.equal(listed.category, 'suppressed_in_code');
  const raw = triageAt(controller, '] reviewed', 'js/path-injection', 'src/files.controller.ts', undefined, ['CWE-22']);
  assert.equal(raw.verdict, 'true_positive', raw.justification);
  const open = triageAt(controller, 'join(this.root, name)', 'js/path-injection', 'src/files.controller.ts', undefined, ['CWE-22']);
  assert.equal(open.verdict, 'true_positive', open.justification);
  assert.ok(open.factors.some((f) => f.id === 'request-data' && /@Param\('name'\) name/.test(f.detail)), JSON.stringify(open.factors));
  assert.ok(open.confidence >= 80, `${open.confidence}`);
});

test('a field of a zod schema limited to an enum, a number or a strict pattern is defused where the parsed value reaches a query; a free string is not', () => {
  const routes = [
    "const ListQuery = z.object({",
    "  sort: z.enum(['name', 'created']).default('name'),",
    '  limit: z.coerce.number().int().max(100),',
    '  q: z.string().max(40),',
    '});',
    "router.get('/items', async (req, res) => {",
    '  const query = ListQuery.parse(req.query);',
    '  const rows = await db.query(`SELECT * FROM items ORDER BY ${query.sort} LIMIT ${query.limit}`);',
    "  const found = await db.query(`SELECT * FROM items WHERE name LIKE '%${query.q}%'`);",
    '  res.json({ rows, found });',
    '});',
  ].join('\n');
  const sorted = triageAt(routes, 'ORDER BY', 'js/sql-injection', 'src/routes.js', undefined, ['CWE-89']);
  assert.equal(sorted.verdict, 'false_positive', sorted.justification);
  assert.match(sorted.justification, /ListQuery/);
  const searched = triageAt(routes, 'LIKE', 'js/sql-injection', 'src/routes.js', undefined, ['CWE-89']);
  assert.equal(searched.verdict, 'true_positive', searched.justification);
});

test('a pydantic model field typed Literal or int is defused where a FastAPI body reaches a query; a str field is not', () => {
  const api = [
    'class Filter(BaseModel):',
    '    order: Literal["asc", "desc"]',
    '    limit: int',
    '    name: str',
    '',
    '@router.post("/plots")',
    'def plots(body: Filter):',
    '    db.execute(text(f"SELECT * FROM plot ORDER BY code {body.order} LIMIT {body.limit}"))',
    '    db.execute(text(f"SELECT * FROM plot WHERE name = \'{body.name}\'"))',
  ].join('\n');
  const ordered = triageAt(api, 'ORDER BY code', 'B608', 'app/api.py', undefined, ['CWE-89']);
  assert.equal(ordered.verdict, 'false_positive', ordered.justification);
  const named = triageAt(api, 'WHERE name', 'B608', 'app/api.py', undefined, ['CWE-89']);
  assert.equal(named.verdict, 'true_positive', named.justification);
});

test('a Django form field limited to choices, a slug or a number is defused after validation; a free CharField is not', () => {
  const views = [
    'class SearchForm(forms.Form):',
    '    sort = forms.ChoiceField(choices=[("name", "Name"), ("created", "Created")])',
    '    q = forms.CharField(max_length=40)',
    '',
    'def search(request):',
    '    form = SearchForm(request.GET)',
    '    if not form.is_valid():',
    '        return HttpResponseBadRequest()',
    '    sort = form.cleaned_data["sort"]',
    '    rows = Item.objects.raw(f"SELECT * FROM item ORDER BY {sort}")',
    '    found = Item.objects.raw(f"SELECT * FROM item WHERE name = \'{form.cleaned_data["q"]}\'")',
    '    return render(request, "search.html", {"rows": rows, "found": found})',
  ].join('\n');
  const sorted = triageAt(views, 'ORDER BY {sort}', 'B611', 'shop/views.py', undefined, ['CWE-89']);
  assert.equal(sorted.verdict, 'false_positive', sorted.justification);
  assert.match(sorted.justification, /SearchForm/);
  const free = triageAt(views, 'WHERE name', 'B611', 'shop/views.py', undefined, ['CWE-89']);
  assert.equal(free.verdict, 'true_positive', free.justification);
});

test('a request header compared with a configured secret by !== is a timing leak; with a configured non-secret it proves nothing', () => {
  const guard = [
    'export class ApiKeyGuard {',
    "  check(@Headers('x-api-key') key: string) {",
    "    if (key !== this.config.get('PARTNER_API_KEY')) throw new UnauthorizedException();",
    "    if (key !== this.config.get('PARTNER_NAME')) return false;",
    '    return true;',
    '  }',
    '}',
  ].join('\n');
  const rule = 'security/detect-possible-timing-attacks';
  const leak = triageAt(guard, "'PARTNER_API_KEY'", rule, 'src/api-key.guard.ts');
  assert.equal(leak.verdict, 'true_positive', leak.justification);
  assert.ok(leak.factors.some((f) => f.id === 'secret-vs-request'));
  const name = triageAt(guard, "'PARTNER_NAME'", rule, 'src/api-key.guard.ts');
  assert.equal(name.verdict, 'suspicious', name.justification);
});

test('a Joi schema field limited by valid() or alphanum() is defused where the validated value reaches a query; a free string is not', () => {
  const routes = [
    'const ListQuery = Joi.object({',
    "  sort: Joi.string().valid('name', 'created').default('name'),",
    '  tag: Joi.string().alphanum().max(20),',
    '  q: Joi.string().max(40),',
    '});',
    "router.get('/items', async (req, res) => {",
    '  const { error, value } = ListQuery.validate(req.query);',
    '  if (error) return res.status(400).end();',
    '  const rows = await db.query(`SELECT * FROM items WHERE tag = \'${value.tag}\' ORDER BY ${value.sort}`);',
    "  const found = await db.query(`SELECT * FROM items WHERE name LIKE '%${value.q}%'`);",
    '  res.json({ rows, found });',
    '});',
  ].join('\n');
  const sorted = triageAt(routes, 'ORDER BY', 'js/sql-injection', 'src/routes.js', undefined, ['CWE-89']);
  assert.equal(sorted.verdict, 'false_positive', sorted.justification);
  assert.match(sorted.justification, /ListQuery/);
  const searched = triageAt(routes, 'LIKE', 'js/sql-injection', 'src/routes.js', undefined, ['CWE-89']);
  assert.equal(searched.verdict, 'true_positive', searched.justification);
});

test('a redirect refused unless a same-site helper accepts the target is defused; refused by a leading-slash check it is not', () => {
  const routes = [
    'function isLocal(target) {',
    '  const url = new URL(target, "http://placeholder.invalid");',
    '  if (target.startsWith("//")) return false;',
    '  return url.host === "placeholder.invalid" && target.startsWith("/");',
    '}',
    'function slashed(target) {',
    '  return target.startsWith("/");',
    '}',
    "app.get('/out', (req, res) => {",
    '  const next = req.query.next;',
    "  if (!isLocal(next)) return res.redirect('/');",
    '  res.redirect(next);',
    '});',
    "app.get('/away', (req, res) => {",
    '  const to = req.query.next;',
    "  if (!slashed(to)) return res.redirect('/');",
    '  res.redirect(to);',
    '});',
  ].join('\n');
  const local = triageAt(routes, 'res.redirect(next);', 'js/server-side-unvalidated-url-redirection', 'src/app.js', undefined, ['CWE-601']);
  assert.equal(local.verdict, 'false_positive', local.justification);
  assert.match(local.justification, /isLocal/);
  const slashedOnly = triageAt(routes, 'res.redirect(to);', 'js/server-side-unvalidated-url-redirection', 'src/app.js', undefined, ['CWE-601']);
  assert.equal(slashedOnly.verdict, 'true_positive', slashedOnly.justification);
});

test('a ValidationPipe registered in one application does not bind the DTOs of another beside it', () => {
  const dto = "import { IsIn } from 'class-validator';\nexport class ListDto {\n  @IsIn(['a', 'b']) sort: string;\n}\n";
  const service = "export class ListService {\n  list(query: ListDto) {\n    return this.repo.createQueryBuilder('i').orderBy(`i.${query.sort}`).getMany();\n  }\n}\n";
  const files = ['one/package.json', 'one/src/main.ts', 'two/package.json', 'two/src/list.dto.ts', 'two/src/list.service.ts'];
  const other = facts(files, { 'one/src/main.ts': bootstrap, 'two/src/list.dto.ts': dto });
  assert.equal(triageAt(service, 'orderBy', 'javascript/NoSqli', 'two/src/list.service.ts', other, ['CWE-89']).verdict, 'true_positive');
  const own = facts(files, { 'two/src/main.ts': bootstrap, 'two/src/list.dto.ts': dto });
  assert.equal(triageAt(service, 'orderBy', 'javascript/NoSqli', 'two/src/list.service.ts', own, ['CWE-89']).verdict, 'false_positive');
});
