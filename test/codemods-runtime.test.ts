/**
 * Fixed code keeps working: runs the before and after versions of runnable fixtures with python3, node and
 * javac/java, checks that what a caller relies on is unchanged and that the unsafe behaviour is gone.
 * A case is skipped only when its interpreter (or a library it imports) is missing on the machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'codemods');

function fixture(codemod: string, file: string): string {
  return readFileSync(join(FIXTURES, codemod, file), 'utf8');
}

function has(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

const python = has('python3');
const pythonYaml = python && has('python3', ['-c', 'import yaml']);
const node = has('node');
const java = has('javac', ['-version']) && has('java', ['-version']);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Writes the files into a fresh directory and runs the command there. */
function runIn(files: Record<string, string>, command: string, args: string[], steps: [string, string[]][] = []): Run {
  const dir = mkdtempSync(join(tmpdir(), 'codemod-run-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    for (const [cmd, a] of steps) {
      const step = spawnSync(cmd, a, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(step.status, 0, `${cmd} ${a.join(' ')} failed: ${step.stderr}`);
    }
    const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs before and after versions of a Python fixture with the same prelude/harness; returns the parsed JSON each prints. */
function pythonBoth(codemod: string, name: string, harness: string, prelude = '', interpreter = 'python3'): { before: unknown; after: unknown } {
  const run = (which: 'input' | 'output'): unknown => {
    const program = `${prelude}\n${fixture(codemod, `${name}.${which}.py`)}\n${harness}\n`;
    const result = runIn({ 'mod.py': program }, interpreter, ['mod.py']);
    assert.equal(result.status, 0, `${codemod}/${name}.${which}: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null');
  };
  return { before: run('input'), after: run('output') };
}

test('pyyaml-safe-load: plain YAML loads the same; python tags no longer construct objects', { skip: !pythonYaml && 'python3 with PyYAML missing' }, () => {
  const prelude = 'import json\nclass request:\n    body = b"name: api\\nports: [80, 443]\\nnested: {a: 1.5, b: null}\\n"';
  const { before, after } = pythonBoth('pyyaml-safe-load', 'fix-unsafe-loader-multiline', 'print(json.dumps(settings))', prelude);
  assert.deepEqual(before, { name: 'api', ports: [80, 443], nested: { a: 1.5, b: null } });
  assert.deepEqual(after, before);
  const tagged = 'import json\nclass request:\n    body = b"!!python/tuple [1, 2]"';
  const probe = 'print(json.dumps(type(settings).__name__))';
  const runTagged = (which: string): Run =>
    runIn({ 'mod.py': `${tagged}\n${fixture('pyyaml-safe-load', `fix-unsafe-loader-multiline.${which}.py`)}\n${probe}\n` }, 'python3', ['mod.py']);
  assert.equal(runTagged('input').stdout.trim(), '"tuple"', 'the unsafe loader builds Python objects');
  const afterTagged = runTagged('output');
  assert.notEqual(afterTagged.status, 0);
  assert.match(afterTagged.stderr, /ConstructorError/);
});

test('weak-hash-sha256: still a hex digest, now 64 characters', { skip: !python && 'python3 missing' }, () => {
  const { before, after } = pythonBoth('weak-hash-sha256', 'fix-md5', 'import json\nprint(json.dumps(token_digest(b"abc")))');
  assert.match(String(before), /^[0-9a-f]{32}$/);
  assert.equal(after, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('secure-random-python: same token length and alphabet, same OTP range; seeding random no longer repeats them', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json',
    'tokens = [make_reset_token() for _ in range(50)]',
    'otps = [int(new_otp()) for _ in range(200)]',
    'random.seed(7); a = make_reset_token(); random.seed(7); b = make_reset_token()',
    'print(json.dumps({"lengths": sorted({len(t) for t in tokens}), "alphabet": all(set(t) <= set(ALPHABET) for t in tokens),',
    '  "otp_range": all(100000 <= o <= 999999 for o in otps), "repeatable": a == b}))',
  ].join('\n');
  const { before, after } = pythonBoth('secure-random-python', 'fix-token', harness);
  assert.deepEqual(before, { lengths: [32], alphabet: true, otp_range: true, repeatable: true });
  assert.deepEqual(after, { lengths: [32], alphabet: true, otp_range: true, repeatable: false });
});

test('subprocess-shell-false: same output for a plain value; a value with shell syntax no longer runs a command', { skip: !(python && has('git')) && 'python3 or git missing' }, () => {
  const harness = [
    'import json, subprocess, sys',
    'def attempt(ref):',
    '    try:',
    '        return last_commits(ref).decode()',
    '    except subprocess.CalledProcessError as e:',
    '        return "error %d" % e.returncode',
    'print(json.dumps({"head": attempt("HEAD"), "injected": attempt("HEAD; echo INJECTED")}))',
  ].join('\n');
  const run = (which: string): { head: string; injected: string } => {
    const program = `${fixture('subprocess-shell-false', `fix-concat.${which}.py`)}\n${harness}\n`;
    const result = runIn({ 'mod.py': program }, 'python3', ['mod.py'], [
      ['git', ['init', '-q']],
      ['git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'one']],
    ]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim()) as { head: string; injected: string };
  };
  const before = run('input');
  const after = run('output');
  assert.match(before.head, /^[0-9a-f]{40}\n$/);
  assert.match(after.head, /^[0-9a-f]{40}\n$/, 'the same one-hash output');
  assert.match(before.injected, /INJECTED/);
  assert.match(after.injected, /^error \d+$/);
});

test('tempfile-mktemp: still returns a usable .csv path; the file now exists before the caller writes it', { skip: !python && 'python3 missing' }, () => {
  const harness = 'import json, os\nOUT = os.getcwd()\np = export(["a,b\\n"])\nprint(json.dumps({"suffix": p.endswith(".csv"), "dir": os.path.dirname(p) == OUT, "text": open(p).read(), "mode": oct(os.stat(p).st_mode & 0o777)}))';
  const { before, after } = pythonBoth('tempfile-mktemp', 'fix-assign', harness);
  assert.deepEqual({ ...(before as object), mode: undefined }, { suffix: true, dir: true, text: 'a,b\n', mode: undefined });
  assert.deepEqual(after, { suffix: true, dir: true, text: 'a,b\n', mode: '0o600' });
});

test('eval-literal-eval: literal payloads parse the same; code in the payload no longer runs', { skip: !python && 'python3 missing' }, () => {
  const harness = (body: string): string =>
    `import json\nclass M:\n    body = ${JSON.stringify(body)}\ntry:\n    print(json.dumps(handle(M())))\nexcept Exception as e:\n    print(json.dumps(type(e).__name__))`;
  const plain = pythonBoth('eval-literal-eval', 'fix-payload', harness("{'id': 7, 'tags': ['a', 'b']}"));
  assert.deepEqual(plain, { before: 7, after: 7 });
  const code = pythonBoth('eval-literal-eval', 'fix-payload', harness("{'id': __import__('os').getpid()}"));
  assert.equal(typeof code.before, 'number');
  assert.equal(code.after, 'ValueError');
});

function nodeBoth(codemod: string, name: string, harness: string): { before: unknown; after: unknown } {
  const run = (which: string): unknown => {
    const result = runIn({ 'mod.cjs': fixture(codemod, `${name}.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs']);
    assert.equal(result.status, 0, `${codemod}/${name}.${which}: ${result.stderr}`);
    return JSON.parse(result.stdout.trim());
  };
  return { before: run('input'), after: run('output') };
}

test('math-random-crypto: tokens keep their length and alphabet', { skip: !node && 'node missing' }, () => {
  const harness = "const { generateToken } = require('./mod.cjs');\nconst ALPHA = /^[A-Za-z0-9]+$/;\nconst t = Array.from({ length: 100 }, () => generateToken(24));\nconsole.log(JSON.stringify({ len: [...new Set(t.map((x) => x.length))], alpha: t.every((x) => ALPHA.test(x)), distinct: new Set(t).size }));";
  const { before, after } = nodeBoth('math-random-crypto', 'fix-token', harness);
  assert.deepEqual(before, { len: [24], alpha: true, distinct: 100 });
  assert.deepEqual(after, before);
});

test('weak-hash-sha256-js: still a hex digest, now SHA-256', { skip: !node && 'node missing' }, () => {
  const { before, after } = nodeBoth('weak-hash-sha256-js', 'fix-require', "const { etag } = require('./mod.cjs');\nconsole.log(JSON.stringify(etag('abc')));");
  assert.equal(before, '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(after, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('eval-json-parse: JSON parses the same; code in the text no longer runs', { skip: !node && 'node missing' }, () => {
  const load = (body: string): string =>
    `const src = require('fs').readFileSync('./mod.cjs', 'utf8') + '\\nmodule.exports = loadConfig;';\nconst m = { exports: {} };\nnew Function('module', src)(m);\ntry { console.log(JSON.stringify(m.exports(${JSON.stringify(body)}))); } catch (e) { console.log(JSON.stringify(e.name)); }`;
  assert.deepEqual(nodeBoth('eval-json-parse', 'fix-parens', load('{"port": 8080}')), { before: 8080, after: 8080 });
  const attack = nodeBoth('eval-json-parse', 'fix-parens', load('{"port": process.pid}'));
  assert.equal(typeof attack.before, 'number');
  assert.equal(attack.after, 'SyntaxError');
});

function javaBoth(codemod: string, name: string, className: string, main: string, pkg = ''): { before: Run; after: Run } {
  const path = `${pkg.replace(/\./g, '/')}${pkg === '' ? '' : '/'}${className}.java`;
  const mainSource = `${pkg === '' ? '' : `package ${pkg};\n`}public class Main {\n  public static void main(String[] args) throws Exception {\n${main}\n  }\n}\n`;
  const mainPath = `${dirname(path) === '.' ? '' : `${dirname(path)}/`}Main.java`;
  const mainClass = `${pkg === '' ? '' : `${pkg}.`}Main`;
  const run = (which: string): Run =>
    runIn({ [path]: fixture(codemod, `${name}.${which}.java`), [mainPath]: mainSource, 'evil.txt': 'SECRET-FILE-CONTENT' }, 'java', ['-cp', 'out', mainClass], [
      ['javac', ['-d', 'out', path, mainPath]],
    ]);
  return { before: run('input'), after: run('output') };
}

test('weak-hash-sha256-java: digest of the same data, now 32 bytes', { skip: !java && 'javac/java missing' }, () => {
  const { before, after } = javaBoth('weak-hash-sha256-java', 'fix-md5', 'Checksums', '    System.out.println(Checksums.digest("abc".getBytes()).length);');
  assert.equal(before.stdout.trim(), '16');
  assert.equal(after.stdout.trim(), '32');
});

test('secure-random-java: still a Random, still hex tokens', { skip: !java && 'javac/java missing' }, () => {
  const main = '    Tokens t = new Tokens();\n    String a = t.next(), b = t.next();\n    System.out.println(a.matches("[0-9a-f]{1,16}") && b.matches("[0-9a-f]{1,16}") && !a.equals(b));';
  const { before, after } = javaBoth('secure-random-java', 'fix-import', 'Tokens', main, 'com.example.auth');
  assert.equal(before.stdout.trim(), 'true', before.stderr);
  assert.equal(after.stdout.trim(), 'true', after.stderr);
});

test('xxe-document-builder-factory: plain XML parses the same; external entities no longer read files', { skip: !java && 'javac/java missing' }, () => {
  const main = (xml: string): string =>
    `    try {\n      System.out.println(new Reader().read(new java.io.ByteArrayInputStream(${JSON.stringify(xml)}.getBytes())).getDocumentElement().getTextContent());\n    } catch (org.xml.sax.SAXParseException e) {\n      System.out.println("rejected");\n    }`;
  const plain = javaBoth('xxe-document-builder-factory', 'fix-throws', 'Reader', main('<a><b>hello</b></a>'));
  assert.equal(plain.before.stdout.trim(), 'hello', plain.before.stderr);
  assert.equal(plain.after.stdout.trim(), 'hello', plain.after.stderr);
  const evil = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:evil.txt">]><a>&x;</a>';
  const attack = javaBoth('xxe-document-builder-factory', 'fix-throws', 'Reader', main(evil));
  assert.equal(attack.before.stdout.trim(), 'SECRET-FILE-CONTENT', attack.before.stderr);
  assert.equal(attack.after.stdout.trim(), 'rejected', attack.after.stderr);
});

test('sql-parameterize-python: the same rows for a plain name; a quote in the name no longer rewrites the query', { skip: !python && 'python3 missing' }, () => {
  const harness = (name: string): string =>
    [
      'import json',
      'conn = sqlite3.connect(":memory:")',
      'conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")',
      'conn.executemany("INSERT INTO users (name) VALUES (?)", [("alice",), ("bob",), ("o\'brien",)])',
      `print(json.dumps(find_user(conn, ${JSON.stringify(name)})))`,
    ].join('\n');
  assert.deepEqual(pythonBoth('sql-parameterize-python', 'fix-sqlite-concat', harness('alice')), { before: [[1, 'alice']], after: [[1, 'alice']] });
  const injected = pythonBoth('sql-parameterize-python', 'fix-sqlite-concat', harness("x' OR '1'='1"));
  assert.equal((injected.before as unknown[]).length, 3, 'before the fix the quote opens the query to every row');
  assert.deepEqual(injected.after, []);
  const quoted = runIn({ 'mod.py': `${fixture('sql-parameterize-python', 'fix-sqlite-concat.output.py')}\n${harness("o'brien")}\n` }, 'python3', ['mod.py']);
  assert.equal(quoted.stdout.trim(), '[[3, "o\'brien"]]', `a legitimate quote now works: ${quoted.stderr}`);
});

// --- JavaScript command, cookie and Python web-framework checks (node-exec-execfile, spawn-shell-false, Flask, Jinja2) ---

const flask = python && has('python3', ['-c', 'import flask']);
const jinja2 = python && has('python3', ['-c', 'import jinja2']);
const git = has('git');
const GIT_REPO: [string, string[]][] = [
  ['git', ['init', '-q']],
  ['git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'one']],
];

test('node-exec-execfile: the same hash for a plain ref; "; touch pwned" in the ref no longer runs', { skip: !(node && git) && 'node or git missing' }, () => {
  const harness = [
    "const fs = require('fs');",
    "const { lastCommits } = require('./mod.cjs');",
    "lastCommits('HEAD', (e1, head) => lastCommits('HEAD; touch pwned', (e2) => {",
    "  console.log(JSON.stringify({ head: e1 ? 'error' : head, injectedFailed: e2 !== null, pwned: fs.existsSync('pwned') }));",
    '}));',
  ].join('\n');
  const run = (which: string): { head: string; injectedFailed: boolean; pwned: boolean } => {
    const result = runIn({ 'mod.cjs': fixture('node-exec-execfile', `fix-concat-callback.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs'], GIT_REPO);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim()) as { head: string; injectedFailed: boolean; pwned: boolean };
  };
  const before = run('input');
  const after = run('output');
  assert.match(before.head, /^[0-9a-f]{40}\n$/);
  assert.deepEqual({ ...before, head: undefined }, { head: undefined, injectedFailed: false, pwned: true }, 'before the fix the shell ran touch');
  assert.match(after.head, /^[0-9a-f]{40}\n$/, 'the same one-hash output');
  assert.deepEqual({ ...after, head: undefined }, { head: undefined, injectedFailed: true, pwned: false });
});

test('spawn-shell-false: git log prints the same commit; "; touch pwned" in the branch no longer runs', { skip: !(node && git) && 'node or git missing' }, () => {
  // The fixture declares `log` without exporting it and reads `repo` from its scope: provide both.
  const harness = [
    "const fs = require('fs');",
    "const src = fs.readFileSync('./mod.cjs', 'utf8') + '\\nmodule.exports = log;';",
    'const m = { exports: {} };',
    "new Function('require', 'module', 'repo', src)(require, m, process.cwd());",
    'const run = (ref) => new Promise((resolve) => {',
    "  const child = m.exports(ref); let out = '';",
    "  child.stdout.on('data', (d) => { out += d; });",
    "  child.on('close', (code) => resolve({ code, first: out.split('\\n')[0] }));",
    '});',
    "(async () => { const plain = await run('HEAD'); const injected = await run('HEAD; touch pwned');",
    "  console.log(JSON.stringify({ plain, injectedCode: injected.code, pwned: fs.existsSync('pwned') })); })();",
  ].join('\n');
  const run = (which: string): { plain: { code: number; first: string }; injectedCode: number; pwned: boolean } => {
    const result = runIn({ 'mod.cjs': fixture('spawn-shell-false', `fix-spawn.${which}.js`), 'run.cjs': harness }, 'node', ['run.cjs'], GIT_REPO);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim()) as { plain: { code: number; first: string }; injectedCode: number; pwned: boolean };
  };
  const before = run('input');
  const after = run('output');
  assert.equal(before.plain.code, 0);
  assert.match(before.plain.first, /^commit [0-9a-f]{40}$/);
  assert.equal(after.plain.code, 0);
  assert.match(after.plain.first, /^commit [0-9a-f]{40}$/, 'the same log output');
  assert.deepEqual([before.injectedCode, before.pwned], [0, true], 'before the fix the shell ran touch');
  assert.notEqual(after.injectedCode, 0, 'git is handed the whole value as one (bad) revision');
  assert.equal(after.pwned, false);
});

test('flask-debug-false: app.run keeps host and port; the Werkzeug debugger (a remote console) and reloader are off', { skip: !flask && 'python3 with Flask missing' }, () => {
  // Flask.run hands its options to werkzeug.serving.run_simple; record them instead of serving.
  const prelude = [
    'import json, werkzeug.serving',
    'seen = {}',
    'def run_simple(hostname, port, application, **options):',
    '    seen.update(host=hostname, port=port, debugger=bool(options.get("use_debugger")), reloader=bool(options.get("use_reloader")), app_debug=application.debug)',
    'werkzeug.serving.run_simple = run_simple',
  ].join('\n');
  const { before, after } = pythonBoth('flask-debug-false', 'fix-run', 'print(json.dumps(seen))', prelude);
  assert.deepEqual(before, { host: '0.0.0.0', port: 8080, debugger: true, reloader: true, app_debug: true });
  assert.deepEqual(after, { host: '0.0.0.0', port: 8080, debugger: false, reloader: false, app_debug: false });
});

test('secure-cookie-python: Flask sends the same session cookie, now Secure, HttpOnly and SameSite=Lax', { skip: !flask && 'python3 with Flask missing' }, () => {
  const prelude = 'import json\ndef new_session():\n    return "s3ss10n"';
  const harness = [
    'resp = app.test_client().post("/login")',
    'print(json.dumps({"status": resp.status_code, "body": resp.get_data(as_text=True), "cookie": resp.headers.get("Set-Cookie")}))',
  ].join('\n');
  const { before, after } = pythonBoth('secure-cookie-python', 'fix-flask', harness, prelude);
  const cookie = (r: unknown): string[] => String((r as { cookie: string }).cookie).split(/;\s*/).sort();
  assert.deepEqual({ ...(before as object), cookie: undefined }, { status: 200, body: 'ok', cookie: undefined });
  assert.deepEqual({ ...(after as object), cookie: undefined }, { status: 200, body: 'ok', cookie: undefined });
  assert.ok(cookie(before).includes('session=s3ss10n'));
  assert.ok(!cookie(before).includes('Secure') && !cookie(before).includes('HttpOnly'));
  for (const part of ['session=s3ss10n', 'Max-Age=3600', 'Secure', 'HttpOnly', 'SameSite=Lax']) assert.ok(cookie(after).includes(part), `${part} in ${cookie(after).join('; ')}`);
});

test('jinja2-autoescape: plain values render the same; markup in a value is escaped', { skip: !jinja2 && 'python3 with Jinja2 missing' }, () => {
  const harness = (value: string): string => `import json\nprint(json.dumps(env.from_string("<p>{{ name }}</p>").render(name=${JSON.stringify(value)})))`;
  assert.deepEqual(pythonBoth('jinja2-autoescape', 'fix-false', harness('Ada & co')), { before: '<p>Ada & co</p>', after: '<p>Ada &amp; co</p>' });
  const attack = pythonBoth('jinja2-autoescape', 'fix-false', harness('<script>alert(1)</script>'));
  assert.equal(attack.before, '<p><script>alert(1)</script></p>');
  assert.equal(attack.after, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  const plain = pythonBoth('jinja2-autoescape', 'fix-false', harness('Ada'));
  assert.deepEqual(plain, { before: '<p>Ada</p>', after: '<p>Ada</p>' });
});

test('xxe-xml-input-factory: plain XML reads the same; an external entity no longer reads a local file', { skip: !java && 'javac/java missing' }, () => {
  const main = (xml: string): string =>
    `    try {\n      System.out.println(new Feed().text(new java.io.ByteArrayInputStream(${JSON.stringify(xml)}.getBytes())));\n    } catch (javax.xml.stream.XMLStreamException e) {\n      System.out.println("rejected");\n    }`;
  const plain = javaBoth('xxe-xml-input-factory', 'fix-reader', 'Feed', main('<a><b>hello</b> <c>world</c></a>'));
  assert.equal(plain.before.stdout.trim(), 'hello world', plain.before.stderr);
  assert.equal(plain.after.stdout.trim(), 'hello world', plain.after.stderr);
  const evil = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:evil.txt">]><a>&x;</a>';
  const attack = javaBoth('xxe-xml-input-factory', 'fix-reader', 'Feed', main(evil));
  assert.equal(attack.before.stdout.trim(), 'SECRET-FILE-CONTENT', attack.before.stderr);
  assert.equal(attack.after.stdout.trim(), 'rejected', attack.after.stderr);
});

// defusedxml and lxml are not in the standard library and PyPI is not reachable from this machine; `.ci/run`
// installs Debian's python3-defusedxml and python3-lxml, which live beside Debian's own /usr/bin/python3 rather
// than the python3 first on PATH. Each check uses the first interpreter that has its package, and is skipped
// (with the reason) where none has.
const pythonWith = (module: string): string | undefined =>
  ['python3', '/usr/bin/python3'].find((interpreter) => has(interpreter, ['-c', `import ${module}`]));
const pythonDefusedxml = pythonWith('defusedxml');
const pythonLxml = pythonWith('lxml.etree');

test('xxe-python-defusedxml: invoices parse the same; an entity bomb is refused', { skip: !pythonDefusedxml && 'defusedxml is not installed (not in the standard library; PyPI unreachable here)' }, () => {
  const harness = (body: string): string =>
    `import json\ntry:\n    print(json.dumps(invoice_total(${JSON.stringify(body)})))\nexcept Exception as e:\n    print(json.dumps(type(e).__name__))`;
  const plain = pythonBoth('xxe-python-defusedxml', 'fix-etree-alias', harness('<invoice><item price="2.5"/><item price="4"/></invoice>'), '', pythonDefusedxml);
  assert.deepEqual(plain, { before: 6.5, after: 6.5 });
  const bomb = '<!DOCTYPE i [<!ENTITY a "1"><!ENTITY b "&a;&a;">]><invoice><item price="&b;"/></invoice>';
  const attack = pythonBoth('xxe-python-defusedxml', 'fix-etree-alias', harness(bomb), '', pythonDefusedxml);
  assert.equal(attack.before, 11, 'the stdlib parser expands the declared entities');
  assert.equal(attack.after, 'EntitiesForbidden');
});

test('xxe-python-defusedxml: lxml parses plain XML the same; declared entities are no longer expanded', { skip: !pythonLxml && 'lxml is not installed (not in the standard library; PyPI unreachable here)' }, () => {
  const harness = [
    'import json',
    'doc = \'<!DOCTYPE a [<!ENTITY x "EXPANDED">]><a>&x;</a>\'',
    'print(json.dumps({"plain": quick("<a><b>hi</b></a>")[0].text, "load": load(doc).text, "quick": quick(doc).text}))',
  ].join('\n');
  const { before, after } = pythonBoth('xxe-python-defusedxml', 'fix-lxml', harness, '', pythonLxml);
  assert.deepEqual(before, { plain: 'hi', load: 'EXPANDED', quick: 'EXPANDED' });
  assert.deepEqual(after, { plain: 'hi', load: null, quick: null });
});

test('js-path-traversal-guard: a file inside the base reads the same; "../secret.txt" is refused instead of read', { skip: !node && 'node missing' }, () => {
  const harness = [
    "const { readDoc } = require('./mod.cjs');",
    'const attempt = (name) => new Promise((resolve) => {',
    "  try { readDoc(name, (err, text) => resolve(err ? `error ${err.code}` : text)); } catch (e) { resolve(`thrown: ${e.message.replace(process.cwd(), '<dir>')}`); }",
    '});',
    "(async () => console.log(JSON.stringify({ doc: await attempt('a.txt'), missing: await attempt('nope.txt'), escape: await attempt('../secret.txt') })))();",
  ].join('\n');
  const run = (which: string): unknown => {
    const files = { 'mod.cjs': fixture('js-path-traversal-guard', `fix-callback.${which}.js`), 'run.cjs': harness, 'docs/a.txt': 'hello', 'secret.txt': 'TOP-SECRET' };
    const result = runIn(files, 'node', ['run.cjs']);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim());
  };
  assert.deepEqual(run('input'), { doc: 'hello', missing: 'error ENOENT', escape: 'TOP-SECRET' });
  assert.deepEqual(run('output'), { doc: 'hello', missing: 'error ENOENT', escape: 'thrown: refusing to read outside <dir>/docs' });
});

test('sql-parameterize-jdbc: before and after compile against java.sql (running them needs a JDBC driver, which is not installed)', { skip: !java && 'javac/java missing' }, () => {
  for (const which of ['input', 'output']) {
    const result = runIn({ 'com/example/users/UserDao.java': fixture('sql-parameterize-jdbc', `fix-concat.${which}.java`) }, 'javac', ['-d', 'out', 'com/example/users/UserDao.java']);
    assert.equal(result.status, 0, `${which}: ${result.stderr}`);
  }
});

test('sql-parameterize-node: mysql2 on a real MariaDB stores quotes as text; a crafted value no longer adds rows or widens a DELETE', { timeout: 120_000 }, async (t) => {
  const { startMariaDb } = await import('./support/mariadb');
  const started = await startMariaDb('codemod_runtime');
  if ('skip' in started) {
    t.skip(started.skip);
    return;
  }
  const { server } = started;
  const admin = await server.connect();
  const opened: { destroy(): void }[] = [];
  t.after(async () => {
    for (const c of opened) c.destroy();
    await admin.end().catch(() => undefined);
    await server.stop();
  });
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  /** Loads a fixture with the real mysql2, only pointing its createConnection at the test server's connection. */
  type Rows = { comments: unknown; sessions: number[] };
  const load = async (which: string): Promise<{ addComment: Function; forget: Function; rows: () => Promise<Rows> }> => {
    await admin.query('DROP TABLE IF EXISTS comments, sessions');
    await admin.query('CREATE TABLE comments (post_id INT, author VARCHAR(50), body TEXT)');
    await admin.query('CREATE TABLE sessions (user_id INT)');
    await admin.query('INSERT INTO sessions VALUES (1), (2), (3)');
    // mysql2/promise wraps the callback-style connection the fixture expects; hand it that one.
    const connection = ((await server.connect()) as unknown as { connection: { destroy(): void } }).connection;
    opened.push(connection);
    const mysql2 = { ...(require('mysql2') as object), createConnection: () => connection };
    const m = { exports: {} as { addComment: Function; forget: Function } };
    new Function('require', 'module', fixture('sql-parameterize-node', `fix-mysql-insert.${which}.js`))((id: string) => (id === 'mysql2' ? mysql2 : require(id)), m);
    const rows = async (): Promise<Rows> => ({
      comments: (await admin.query('SELECT post_id, author, body FROM comments ORDER BY author'))[0],
      sessions: ((await admin.query('SELECT user_id FROM sessions ORDER BY user_id'))[0] as { user_id: number }[]).map((r) => r.user_id),
    });
    return { ...m.exports, rows };
  };
  const call = (fn: Function, ...args: unknown[]): Promise<string> => new Promise((resolve) => fn(...args, (err: Error | null) => resolve(err ? `error ${(err as { code?: string }).code ?? err.message}` : 'ok')));
  const scenario = async (which: string) => {
    const app = await load(which);
    const quoted = await call(app.addComment, 7, 'ada', "it's fine");
    const injected = await call(app.addComment, 7, 'eve', "x'), (7, 'mallory', 'spam");
    const plainForget = await call(app.forget, 2);
    const wideForget = await call(app.forget, '0) OR (1=1');
    return { quoted, injected, plainForget, wideForget, ...(await app.rows()) };
  };
  const before = await scenario('input');
  assert.equal(before.quoted, 'error ER_PARSE_ERROR', "before the fix a quote in the text breaks the INSERT");
  assert.deepEqual(before.comments, [{ post_id: 7, author: 'eve', body: 'x' }, { post_id: 7, author: 'mallory', body: 'spam' }], 'the crafted value added a row');
  assert.deepEqual(before.sessions, [], '"0) OR (1=1" deleted every session');
  const after = await scenario('output');
  assert.deepEqual([after.quoted, after.injected, after.plainForget, after.wideForget], ['ok', 'ok', 'ok', 'ok']);
  assert.deepEqual(after.comments, [{ post_id: 7, author: 'ada', body: "it's fine" }, { post_id: 7, author: 'eve', body: "x'), (7, 'mallory', 'spam" }]);
  assert.deepEqual(after.sessions, [1, 3], 'forget(2) removed user 2; "0) OR (1=1" is one (non-matching) value');
});

test('python-path-traversal-guard: files inside the upload folder read the same; ../ no longer reaches outside', { skip: !python && 'python3 missing' }, () => {
  const harness = [
    'import json',
    'os.makedirs(UPLOAD_DIR, exist_ok=True)',
    'open(os.path.join(UPLOAD_DIR, "a.txt"), "w").write("inside")',
    'open("secret.txt", "w").write("SECRET")',
    'def attempt(name):',
    '    try:',
    '        return read_upload(name).decode()',
    '    except PermissionError:',
    '        return "refused"',
    'print(json.dumps({"inside": attempt("a.txt"), "escape": attempt("../secret.txt"), "absolute": attempt(os.path.abspath("secret.txt"))}))',
  ].join('\n');
  const { before, after } = pythonBoth('python-path-traversal-guard', 'fix-upload', harness);
  assert.deepEqual(before, { inside: 'inside', escape: 'SECRET', absolute: 'SECRET' });
  assert.deepEqual(after, { inside: 'inside', escape: 'refused', absolute: 'refused' });
});

test('node-weak-tls: the client now reaches a TLS 1.2+ server and refuses a TLS 1.0-only one', { skip: !(node && has('openssl', ['version'])) && 'node or openssl missing' }, () => {
  // A loopback server with a throwaway certificate (trusted through NODE_EXTRA_CA_CERTS). This OpenSSL's default
  // security level already refuses TLS 1.0 for every client, so the run lowers it to show what the code itself asks for.
  const harness = [
    "const tls = require('tls'); const fs = require('fs');",
    "const { connect } = require('./mod.cjs');",
    "const key = fs.readFileSync('key.pem'); const cert = fs.readFileSync('cert.pem');",
    'const serve = (opts) => new Promise((resolve) => { const s = tls.createServer({ key, cert, ...opts }, (c) => c.end()); s.listen(0, () => resolve(s)); });',
    'const attempt = (server) => new Promise((resolve) => {',
    "  const c = connect('localhost', server.address().port);",
    "  c.on('secureConnect', () => { resolve(c.getProtocol()); c.destroy(); });",
    "  c.on('error', (e) => resolve('refused'));",
    '});',
    "(async () => { const modern = await serve({}); const legacy = await serve({ minVersion: 'TLSv1', maxVersion: 'TLSv1' });",
    '  const out = { modern: await attempt(modern), legacyOnly: await attempt(legacy) }; modern.close(); legacy.close(); console.log(JSON.stringify(out)); })();',
  ].join('\n');
  const certificate: [string, string[]] = ['openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']];
  const run = (which: string): unknown => {
    const result = runIn({ 'mod.cjs': fixture('node-weak-tls', `fix-secure-protocol.${which}.js`), 'run.cjs': harness }, 'sh', ['-c', 'NODE_EXTRA_CA_CERTS=cert.pem node --tls-cipher-list=DEFAULT@SECLEVEL=0 run.cjs'], [certificate]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim());
  };
  assert.deepEqual(run('input'), { modern: 'refused', legacyOnly: 'TLSv1' }, 'before: pinned to TLS 1.0');
  assert.deepEqual(run('output'), { modern: 'TLSv1.3', legacyOnly: 'refused' });
});

// Not run here, on purpose: django-debug-false and django-session-cookie-secure (Django is not installed, and reading
// the constant back from the settings module would only repeat the fixture diff), jwt-decode-verify-python (PyJWT is
// not installed) and jwt-decode-verify-js (jsonwebtoken is not installed): a stand-in for either library would have
// to re-implement the verification rules under test, so it could not fail for the right reasons. express-cookie-flags
// needs Express, which is not installed either; the Flask cookie check above covers the same header semantics.

test('java-weak-tls: still an SSLContext that builds a socket factory, now TLSv1.2 instead of TLSv1', { skip: !java && 'javac/java missing' }, () => {
  const main = '    javax.net.ssl.SSLContext ctx = Tls.legacy();\n    ctx.init(null, null, null);\n    System.out.println(ctx.getProtocol() + " " + (ctx.getSocketFactory() != null));';
  const { before, after } = javaBoth('java-weak-tls', 'fix-tlsv1', 'Tls', main, 'com.example.net');
  assert.equal(before.stdout.trim(), 'TLSv1 true', before.stderr);
  assert.equal(after.stdout.trim(), 'TLSv1.2 true', after.stderr);
});
