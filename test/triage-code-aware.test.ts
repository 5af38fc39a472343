import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalisedFinding } from '../src/domain/finding';
import { codeWindow } from '../src/domain/triage/code-window';
import { triageFinding } from '../src/domain/triage/triage';

/**
 * The code-aware analyzers, driven through triageFinding with a source file as the scan reads it
 * (codeWindow around the reported line). `>>` marks the reported line in each source and is removed.
 */
function triageIn(source: string, rule: Partial<NormalisedFinding>, path = 'app/module.py') {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => line.startsWith('>>'));
  assert.ok(index >= 0, 'the source must mark the reported line with >>');
  const content = lines.map((line) => line.replace(/^>>/, '')).join('\n');
  const startLine = index + 1;
  const finding: NormalisedFinding = {
    fingerprint: 'fp', ruleId: 'rule', tools: [{ name: 'Scanner' }], severity: 'high', cwes: [], message: 'm',
    location: { path, startLine }, ...rule,
  };
  const window = codeWindow(content, startLine);
  assert.ok(window);
  return triageFinding(finding, { fixAvailable: false, ...window });
}

const sql = { ruleId: 'py/sql-injection', cwes: ['CWE-89'] };
const command = { ruleId: 'B602', cwes: ['CWE-78'] };
const xss = { ruleId: 'js/reflected-xss', cwes: ['CWE-79', 'CWE-116'] };

test('allow-list on the same variable in the function (Python `not in` + raise) → false positive naming file, line and the check', () => {
  const result = triageIn([
    'COLUMNS = {"name", "price"}',
    'def list_products(order_by):',
    '    if order_by not in COLUMNS:',
    '        raise ValueError("bad column")',
    '    cur = db.cursor()',
    '>>    cur.execute("SELECT * FROM products ORDER BY %s" % order_by)',
  ].join('\n'), sql, 'shop/db.py');
  assert.equal(result.verdict, 'false_positive');
  assert.equal(result.factors[0]?.id, 'base');
  assert.equal(result.factors[1]?.id, 'defused-allow-list');
  assert.match(result.justification, /shop\/db\.py:6/);
  assert.match(result.justification, /line 3: `if order_by not in COLUMNS:`/);
  assert.equal(result.factors.at(-1)?.id, 'code-read');
});

test('allow-list: a check on another variable, a check that does not reject, or one in another function proves nothing', () => {
  const other = triageIn([
    'def list_products(order_by, direction):',
    '    if direction not in DIRECTIONS:',
    '        raise ValueError("bad direction")',
    '>>    cur.execute("SELECT * FROM t ORDER BY %s" % order_by)',
  ].join('\n'), sql);
  assert.equal(other.verdict, 'true_positive');
  const noReject = triageIn([
    'def list_products(order_by):',
    '    if order_by not in COLUMNS:',
    '        log.warning("odd column")',
    '>>    cur.execute("SELECT * FROM t ORDER BY %s" % order_by)',
  ].join('\n'), sql);
  assert.equal(noReject.verdict, 'true_positive');
  const elsewhere = triageIn([
    'def check(order_by):',
    '    if order_by not in COLUMNS:',
    '        raise ValueError("bad")',
    '',
    'def list_products(order_by):',
    '>>    cur.execute("SELECT * FROM t ORDER BY %s" % order_by)',
  ].join('\n'), sql);
  assert.equal(elsewhere.verdict, 'true_positive');
});

test('allow-list in JavaScript and Java: `if (!ALLOWED.includes(x)) return/throw`', () => {
  const js = triageIn([
    "router.get('/out', (req, res) => {",
    '  const url = req.query.url;',
    "  if (!TRUSTED.includes(url)) throw new Error('untrusted');",
    '>>  res.redirect(url);',
    '});',
  ].join('\n'), { ruleId: 'js/server-side-unvalidated-url-redirection', cwes: ['CWE-601'] }, 'src/render.js');
  assert.equal(js.verdict, 'false_positive');
  const java = triageIn([
    'public class Dao {',
    '    public ResultSet list(String column) throws SQLException {',
    '        if (!SORT_COLUMNS.contains(column)) {',
    '            throw new IllegalArgumentException("bad");',
    '        }',
    '>>        return st.executeQuery("SELECT * FROM a ORDER BY " + column);',
    '    }',
    '}',
  ].join('\n'), { ruleId: 'java/sql-injection', cwes: ['CWE-89'] }, 'src/main/java/Dao.java');
  assert.equal(java.verdict, 'false_positive');
  const unchecked = triageIn([
    "router.get('/out', (req, res) => {",
    '>>  res.redirect(req.query.url);',
    '});',
  ].join('\n'), { ruleId: 'js/server-side-unvalidated-url-redirection', cwes: ['CWE-601'] }, 'src/render.js');
  assert.equal(unchecked.verdict, 'true_positive');
});

test('a strict pattern check counts; a loose one does not', () => {
  const source = (pattern: string) => [
    'function lookup(domain, cb) {',
    `  if (!/${pattern}/i.test(domain)) return cb(new Error('invalid'));`,
    '>>  exec(`nslookup ${domain}`, cb);',
    '}',
  ].join('\n');
  assert.equal(triageIn(source('^[a-z0-9.-]+$'), { ruleId: 'js/command-line-injection', cwes: ['CWE-78'] }, 'a.js').verdict, 'false_positive');
  assert.equal(triageIn(source('^.+$'), { ruleId: 'js/command-line-injection', cwes: ['CWE-78'] }, 'a.js').verdict, 'true_positive');
  assert.equal(triageIn(source('[a-z]+'), { ruleId: 'js/command-line-injection', cwes: ['CWE-78'] }, 'a.js').verdict, 'true_positive', 'unanchored');
});

test('numeric conversions of the flowing value: int(), parseInt, Number, Long.parseLong, x | 0', () => {
  const py = triageIn(['def purge(days):', '    days = int(days)', '>>    cur.execute(f"DELETE FROM s WHERE age > {days}")'].join('\n'), sql);
  assert.equal(py.verdict, 'false_positive');
  assert.match(py.justification, /line 2: `days = int\(days\)`/);
  const js = triageIn(["router.get('/c', (req, res) => {", '  const n = Number(req.query.n);', ">>  res.send('<p>' + n + '</p>');", '});'].join('\n'), xss, 'a.js');
  assert.equal(js.verdict, 'false_positive');
  const java = triageIn(['public class S {', '    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {',
    '        long cents = Long.parseLong(req.getParameter("a"));', '>>        resp.getWriter().println("<p>" + cents + "</p>");', '    }', '}'].join('\n'), { ruleId: 'java/xss', cwes: ['CWE-79'] }, 'S.java');
  assert.equal(java.verdict, 'false_positive');
  const notConverted = triageIn(['def purge(days):', '    days = days.strip()', '>>    cur.execute(f"DELETE FROM s WHERE age > {days}")'].join('\n'), sql);
  assert.equal(notConverted.verdict, 'true_positive');
});

test('sanitiser calls of the flowing value, only for their family', () => {
  const quoted = triageIn(['def logs(lines):', '>>    subprocess.check_output("tail -n " + shlex.quote(lines), shell=True)'].join('\n'), command);
  assert.equal(quoted.verdict, 'false_positive');
  assert.equal(quoted.factors[1]?.id, 'defused-sanitiser');
  const escaped = triageIn(['def hello(name):', '>>    return "<p>" + html.escape(name) + "</p>"'].join('\n'), xss);
  assert.equal(escaped.verdict, 'false_positive');
  const wrongFamily = triageIn(['def find(name):', '>>    cur.execute("SELECT * FROM t WHERE n = \'" + html.escape(name) + "\'")'].join('\n'), sql);
  assert.equal(wrongFamily.verdict, 'true_positive', 'an HTML escape does not clear SQL injection');
  const partly = triageIn(['def hello(a, b):', '>>    return "<p>" + html.escape(a) + b + "</p>"'].join('\n'), xss);
  assert.equal(partly.verdict, 'true_positive', 'one unescaped value is enough');
  const basename = triageIn(['def invoice(name):', '    name = secure_filename(name)', '>>    return send_file(os.path.join(DIR, name))'].join('\n'), { ruleId: 'py/path-injection', cwes: ['CWE-22'] });
  assert.equal(basename.verdict, 'false_positive');
});

test('constant-only arguments are judged on the real line, not the snippet', () => {
  assert.equal(triageIn(['def disk():', '>>    return subprocess.check_output("df -h /var", shell=True)'].join('\n'), command).verdict, 'false_positive');
  assert.equal(triageIn(['def run(cmd):', '>>    return subprocess.check_output("sh -c " + cmd, shell=True)'].join('\n'), command).verdict, 'true_positive');
  // The call's sink, not another call on the line: `app.get('/x', …)` has a literal but eval does not.
  const evalInHandler = triageIn([">>app.get('/calc', (req, res) => res.json({ r: eval(req.query.e) }));"].join('\n'), { ruleId: 'js/code-injection', cwes: ['CWE-94'] }, 'a.js');
  assert.equal(evalInHandler.verdict, 'true_positive');
  const unknownCall = triageIn(['def go():', '>>    eval(compute())'].join('\n'), { ruleId: 'B307', cwes: ['CWE-78'] });
  assert.equal(unknownCall.verdict, 'true_positive', 'an unknown call result is not a constant');
});

test('reviewed suppression comments on the line are won\'t fix with the comment quoted, for the tool they name', () => {
  const bandit = { ...command, tools: [{ name: 'Bandit' }] };
  const nosec = triageIn(['def archive(name):', '>>    subprocess.call("tar %s" % name, shell=True)  # nosec B602 - name comes from the scheduler'].join('\n'), bandit);
  assert.equal(nosec.verdict, 'wont_fix');
  assert.match(nosec.justification, /# nosec B602 - name comes from the scheduler/);
  const sonar = triageIn(['class C {', '  byte[] f(byte[] d) {', '>>    return MessageDigest.getInstance("MD5").digest(d); // NOSONAR partner format', '  }', '}'].join('\n'),
    { ruleId: 'javasecurity:S4790', cwes: ['CWE-327'], tools: [{ name: 'SonarQube' }] }, 'C.java');
  assert.equal(sonar.verdict, 'wont_fix');
  const eslint = triageIn(["function du(dir) {", ">>  return execSync('du ' + dir); // eslint-disable-line security/detect-child-process", '}'].join('\n'),
    { ruleId: 'security/detect-child-process', cwes: [], tools: [{ name: 'ESLint' }] }, 'a.js');
  assert.equal(eslint.verdict, 'wont_fix');
  const plainComment = triageIn(['def archive(name):', '>>    subprocess.call("tar %s" % name, shell=True)  # archive nightly'].join('\n'), bandit);
  assert.equal(plainComment.verdict, 'true_positive');
});

test('argument lists without a shell, import-only lines, cookie flags', () => {
  assert.equal(triageIn(['def pdf(f):', '>>    subprocess.run(["wkhtmltopdf", f, f + ".pdf"], check=True)'].join('\n'), { ruleId: 'B603', cwes: ['CWE-78'] }).verdict, 'false_positive');
  assert.equal(triageIn(['def pdf(f):', '>>    subprocess.run([f, "x"], check=True)'].join('\n'), { ruleId: 'B603', cwes: ['CWE-78'] }).verdict, 'true_positive', 'the program itself varies');
  assert.equal(triageIn(['def pdf(f):', '>>    subprocess.run(["sh", "-c", f], shell=True)'].join('\n'), { ruleId: 'B602', cwes: ['CWE-78'] }).verdict, 'true_positive');
  assert.equal(triageIn(['>>import subprocess'].join('\n'), { ruleId: 'B404', cwes: ['CWE-78'] }).verdict, 'false_positive');
  assert.equal(triageIn(['>>import xml.etree.ElementTree as ET'].join('\n'), { ruleId: 'python.lang.security.use-defused-xml.use-defused-xml', cwes: ['CWE-611'] }).verdict,
    'true_positive', 'a rule about choosing the module is answered by the import');
  const cookie = { ruleId: 'python.flask.security.audit.secure-set-cookie.secure-set-cookie', cwes: ['CWE-614'] };
  assert.equal(triageIn(['def p(resp):', '>>    resp.set_cookie("t", v, secure=True, httponly=True)'].join('\n'), cookie).verdict, 'false_positive');
  assert.equal(triageIn(['def p(resp):', '>>    resp.set_cookie("sid", v)'].join('\n'), cookie).verdict, 'true_positive');
  const multiLine = triageIn(['>>app.use(session({', '  secret: s,', '  cookie: { secure: true, httpOnly: true },', '}));'].join('\n'),
    { ruleId: 'javascript/WebCookieSecureDisabledByDefault', cwes: ['CWE-614'] }, 'app.js');
  assert.equal(multiLine.verdict, 'false_positive', 'the options on the continuation lines count');
});

test('weak hashes and randomness: the function says what they are for', () => {
  const md5 = { ruleId: 'B324', cwes: ['CWE-327'] };
  assert.equal(triageIn(['def cache_key(path):', '    """Key of the page cache."""', '>>    return hashlib.sha1(path.encode()).hexdigest()'].join('\n'), md5).verdict, 'false_positive');
  assert.equal(triageIn(['def check(password, stored):', '>>    return hashlib.md5(password.encode()).hexdigest() == stored'].join('\n'), md5).verdict, 'true_positive');
  assert.equal(triageIn(['def reset_token_cache():', '>>    return random.random()'].join('\n'), { ruleId: 'B311', cwes: ['CWE-330'] }).verdict, 'true_positive', 'token wins over cache');
  const ok = triageIn(['def etag(body):', '>>    return hashlib.md5(body, usedforsecurity=False).hexdigest()', '', 'def pw(p):', '    return hashlib.md5(p).hexdigest()'].join('\n'), md5);
  assert.equal(ok.verdict, 'false_positive');
  const lines = ['def etag(body):', '    return hashlib.md5(body, usedforsecurity=False).hexdigest()', '', 'def pw(p):', '>>    return hashlib.md5(p).hexdigest()'];
  assert.equal(triageIn(lines.join('\n'), md5).verdict, 'true_positive', 'usedforsecurity elsewhere in the file does not count');
});

test('hard-coded values that are names, paths or placeholders are not secrets', () => {
  const rule = { ruleId: 'B105', cwes: ['CWE-259'] };
  assert.equal(triageIn('>>PASSWORD_RESET_URL = "/account/reset"', rule).verdict, 'false_positive');
  assert.equal(triageIn('>>    public static final String PASSWORD_PARAM = "password";', rule, 'C.java').verdict, 'false_positive');
  assert.equal(triageIn('>>SECRET_KEY = "s3cr3t-shop-key-2023"', rule).verdict, 'true_positive');
  assert.equal(triageIn(">>const config = { user: 'username', password: 'pg-prod-Pa55w0rd!' };", rule, 'a.js').verdict, 'true_positive', 'the password pair decides');
});

test('without code (no snippet, file not read) the code-aware analyzers decide nothing and the factor says why', () => {
  const finding: NormalisedFinding = { fingerprint: 'f', ruleId: 'py/sql-injection', tools: [{ name: 'CodeQL' }], severity: 'high', cwes: ['CWE-89'], message: 'm', location: { path: 'a.py', startLine: 3 } };
  const result = triageFinding(finding, { fixAvailable: false, codeNotRead: 'the request budget was spent' });
  assert.equal(result.verdict, 'true_positive');
  assert.match(result.factors.at(-1)?.detail ?? '', /not read \(the request budget was spent\)/);
});

test('more checks on the same value: isdigit(), path containment, enum valueOf, a choice of two literals', () => {
  const digits = (check: string) => triageIn(['def by_owner(request):', '    owner = request.GET.get("owner")', `    if not owner.${check}():`, '        return HttpResponse(status=400)',
    '>>    cursor.execute("SELECT id FROM notes WHERE owner_id = " + owner)'].join('\n'), sql);
  assert.equal(digits('isdigit').verdict, 'false_positive');
  assert.equal(digits('strip').verdict, 'true_positive', 'not a character-class check');
  const path = { ruleId: 'java/path-injection', cwes: ['CWE-22'] };
  const contained = (check: string) => triageIn(['public class C {', '    public byte[] export(String name) throws IOException {', '        Path file = BASE.resolve(name).normalize();',
    `        if (${check}) {`, '            throw new IllegalArgumentException("outside");', '        }', '>>        return Files.readAllBytes(file);', '    }', '}'].join('\n'), path, 'C.java');
  assert.equal(contained('!file.startsWith(BASE)').verdict, 'false_positive');
  assert.equal(contained('file.toString().isEmpty()').verdict, 'true_positive');
  const java = (lines: string[]) => triageIn(['public class R {', '    public List<Map<String, Object>> sorted(String column, String direction) {', ...lines, '    }', '}'].join('\n'),
    { ruleId: 'java.lang.security.audit.formatted-sql-string.formatted-sql-string', cwes: ['CWE-89'] }, 'R.java');
  assert.equal(java(['        Column c = Column.valueOf(column);', '        String dir = "desc".equals(direction) ? "DESC" : "ASC";',
    '>>        return jdbc.queryForList("SELECT * FROM e ORDER BY " + c.sql + " " + dir);']).verdict, 'false_positive');
  assert.equal(java(['        String c = String.valueOf(column);', '>>        return jdbc.queryForList("SELECT * FROM e ORDER BY " + c);']).verdict, 'true_positive', 'String.valueOf is no enum');
  assert.equal(java(['        String dir = "desc".equals(direction) ? direction : "ASC";', '>>        return jdbc.queryForList("SELECT * FROM e ORDER BY id " + dir);']).verdict, 'true_positive');
});

test('configuration imported from django.conf is not request data; Number.parseInt and toFixed are numbers', () => {
  const du = (imports: string) => triageIn([imports, 'def report(request):', '>>    return subprocess.check_output("du -sh " + settings.MEDIA_ROOT, shell=True)'].join('\n'), command);
  assert.equal(du('from django.conf import settings').verdict, 'false_positive');
  assert.equal(du('from .forms import settings').verdict, 'true_positive');
  const year = triageIn(["router.get('/r', async (ctx) => {", '  const year = Number.parseInt(String(ctx.query.year), 10);', '>>  await pool.query(`SELECT * FROM r WHERE year = ${year}`);', '});'].join('\n'),
    { ruleId: 'js/sql-injection', cwes: ['CWE-89'] }, 'r.ts');
  assert.equal(year.verdict, 'false_positive');
  const unsanitized = { ruleId: 'no-unsanitized/property', cwes: [] };
  assert.equal(triageIn(['function show(el, count) {', '>>  el.innerHTML = `${count.toFixed(0)} comments`;', '}'].join('\n'), unsanitized, 'c.ts').verdict, 'false_positive');
  assert.equal(triageIn(['function show(el, name) {', '>>  el.innerHTML = `<b>${name}</b>`;', '}'].join('\n'), unsanitized, 'c.ts').verdict, 'true_positive');
});

test('object keys: a read from a constant map is a false positive; a write or a call through it is not decided', () => {
  const rule = { ruleId: 'security/detect-object-injection', cwes: [] };
  const read = triageIn(["const LABELS = { en: 'Hello' };", "router.get('/l', (req, res) => {", '>>  res.json({ label: LABELS[req.query.lang] });', '});'].join('\n'), rule, 'l.js');
  assert.equal(read.verdict, 'false_positive');
  const write = triageIn(['const settings = {};', "router.post('/s', (req, res) => {", '>>  settings[req.body.key] = req.body.value;', '});'].join('\n'), rule, 's.js');
  // Not defused; the client's key in the statement settles the noisy rule's doubt (a `__proto__` write).
  assert.equal(write.verdict, 'true_positive', write.justification);
  const call = triageIn(["const HANDLERS = { a: () => 1 };", "router.get('/h', (req, res) => {", '>>  res.json(HANDLERS[req.query.h]());', '});'].join('\n'), rule, 'h.js');
  assert.notEqual(call.verdict, 'false_positive', call.justification);
});

test('a justification about a hard-coded credential never repeats the secret', () => {
  const result = triageIn(">>const config = { dbUser: 'shop', dbPassword: 'pg-prod-Pa55w0rd!' };", { ruleId: 'javascript/NoHardcodedPasswords', cwes: ['CWE-798'] }, 'app.js');
  assert.equal(result.verdict, 'true_positive');
  assert.doesNotMatch(result.justification, /Pa55w0rd/);
  assert.match(result.justification, /dbPassword: '•••'/);
  const sql = triageIn(['def f(x):', '>>    cur.execute("SELECT * FROM t WHERE a = \'" + x + "\'")'].join('\n'), { ruleId: 'py/sql-injection', cwes: ['CWE-89'] });
  assert.match(sql.justification, /SELECT \* FROM t/, 'other rules quote the code as it is');
});

test('a variable named like a module (`path`) is still data', () => {
  const result = triageIn(['def download(request):', '    path = request.GET["file"]', '>>    return send_file(path)'].join('\n'), { ruleId: 'py/path-injection', cwes: ['CWE-22'] });
  assert.equal(result.verdict, 'true_positive');
  const joined = triageIn(['def listing():', '>>    return os.listdir(path.join(BASE, "reports"))'].join('\n'), { ruleId: 'py/path-injection', cwes: ['CWE-22'] });
  assert.equal(joined.verdict, 'false_positive', '`path.join` of constants is constant');
});
