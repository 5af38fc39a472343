/**
 * Small, conservative readers of one statement's text: which call is the sink, what its first
 * argument is, and which variables that argument is built from. Python, JavaScript and Java share
 * enough surface syntax for this; anything these helpers cannot read yields "unknown", and the
 * analyzers then decide nothing.
 */
import { opens, walkBrackets } from './brackets';

/**
 * Calls whose first argument is what each injection family cares about (a query, a command, code,
 * a template, a path, HTML, a redirect target, a URL to fetch).
 */
export const sinksByFamily: Record<string, readonly string[]> = {
  sql: ['execute', 'executemany', 'executescript',
    // asyncpg: the first argument is the SQL text, the rest are bound parameters
    'fetch', 'fetchrow', 'fetchval', 'executeQuery', 'executeUpdate', 'prepareStatement', 'query', 'raw', 'createQuery', 'createNativeQuery', 'text',
    // query builders whose first argument is a raw SQL fragment (TypeORM, Knex, Sequelize literal)
    'orderBy', 'addOrderBy', 'orderByRaw', 'whereRaw', 'havingRaw', 'literal',
    // Prisma's unsafe raw queries: the first argument is the SQL text, the rest are bound parameters
    '$queryRawUnsafe', '$executeRawUnsafe',
    // Spring JdbcTemplate
    'update', 'batchUpdate', 'queryForList', 'queryForObject', 'queryForMap', 'queryForRowSet'],
  command: ['exec', 'execSync', 'system', 'popen', 'Popen', 'run', 'call', 'check_output', 'check_call', 'getoutput', 'getstatusoutput', 'spawn', 'spawnSync'],
  code: ['eval', 'exec', 'Function', 'setTimeout', 'setInterval', 'compile', 'runInNewContext', 'runInThisContext'],
  template: ['render_template_string', 'from_string', 'Template', 'compile', 'render'],
  path: ['send_file', 'send_from_directory', 'sendFile', 'open', 'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'readdir', 'readdirSync',
    'createReadStream', 'createWriteStream', 'unlink', 'unlinkSync', 'mkdir', 'mkdirSync', 'makedirs', 'appendFile', 'appendFileSync', 'existsSync', 'File', 'FileInputStream', 'FileOutputStream', 'FileReader', 'save', 'get',
    // java.nio.file.Files
    'readAllBytes', 'readString', 'readAllLines', 'newInputStream', 'newOutputStream', 'newBufferedReader', 'newBufferedWriter', 'delete', 'copy', 'move'],
  xss: ['send', 'write', 'println', 'print', 'end', 'html', 'append', 'Markup', 'mark_safe', 'SafeString', 'HttpResponse', 'make_response'],
  redirect: ['redirect', 'sendRedirect', 'HttpResponseRedirect', 'RedirectResponse'],
  ssrf: ['get', 'post', 'put', 'request', 'fetch', 'urlopen', 'Request', 'openConnection'],
  regexp: ['RegExp', 'compile'],
};

export interface SinkCall {
  name: string;
  /** The call's first argument, as written. */
  argument: string;
  /** Every argument, as written. */
  arguments: string[];
}

/** Index just past the bracket closing the one opened at `open` (strings skipped), or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  let end = -1;
  walkBrackets(
    text,
    (bracket, index) => {
      depth += opens(bracket) ? 1 : -1;
      if (depth === 0) end = index + 1;
      return depth === 0;
    },
    { from: open },
  );
  return end;
}

/** Splits at commas outside brackets and strings. */
export function topLevelArguments(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < args.length; i += 1) {
    const ch = args[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch)) depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(args.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

/** The first call in the statement named in `sinks`, and its first argument. */
export function sinkCall(statement: string, sinks: readonly string[]): SinkCall | undefined {
  for (const m of statement.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1] ?? '';
    if (!sinks.includes(name)) continue;
    const open = (m.index ?? 0) + m[0].length - 1;
    // A call left open on the statement's last line (a callback follows) is read to the end.
    const end = closing(statement, open);
    const args = topLevelArguments(end < 0 ? statement.slice(open + 1) : statement.slice(open + 1, end - 1));
    const first = args[0];
    return first === undefined ? undefined : { name, argument: first, arguments: args };
  }
  return undefined;
}

/**
 * A redirect's target when it is not the call's first argument: after a leading status code
 * (SvelteKit `redirect(303, target)`, Express `res.redirect(301, target)`) or after h3's event
 * (`sendRedirect(event, target, code)`; Java's `sendRedirect(url)` has one argument).
 */
export function redirectTarget(call: SinkCall): { expression: string; label: string } | undefined {
  // Starlette's `RedirectResponse(url=target)`: the keyword names the target.
  const keyword = call.arguments.map((a) => /^\s*url\s*=(?!=)\s*([\s\S]+)$/.exec(a)?.[1]).find(Boolean);
  if (keyword) return { expression: keyword.trim(), label: `the url given to ${call.name}()` };
  const statusFirst = /^\d{3}$/.test(call.argument.trim());
  const eventFirst = call.name === 'sendRedirect' && call.arguments.length >= 2;
  const target = statusFirst || eventFirst ? call.arguments[1] : undefined;
  return target === undefined ? undefined : { expression: target, label: `the target given to ${call.name}() after its ${statusFirst ? 'status code' : 'event'}` };
}

/** `el.innerHTML = value` and friends: the assigned value is the sink's input. */
export function assignedToSink(statement: string): string | undefined {
  const m = /\.(innerHTML|outerHTML|href|src|srcdoc)\s*=(?!=)\s*/.exec(statement);
  if (!m) return undefined;
  // Up to the first `;` outside a string (`&nbsp;` inside a template literal is text).
  const rest = statement.slice((m.index ?? 0) + m[0].length);
  let quote: string | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const ch = rest[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === ';') return rest.slice(0, i).trim() || undefined;
  }
  return rest.trim() || undefined;
}

/** The keys of bracket accesses (`obj[key]`), for object-injection rules. */
export function bracketKeys(statement: string): string[] {
  return [...statement.matchAll(/[\w$\])]\s*\[([^\]\n]+)\]/g)].map((m) => (m[1] ?? '').trim());
}

/** A string literal (no interpolation), a number, a boolean/null, or a list/tuple of those. */
export function isLiteral(expression: string): boolean {
  const text = expression.trim();
  const atom = /^(?:[rbuRBU]?"(?:[^"\\]|\\.)*"|[rbuRBU]?'(?:[^'\\]|\\.)*'|`[^`$]*`|-?\d[\d_.]*|True|False|None|true|false|null|undefined)$/;
  if (atom.test(text)) return true;
  const list = /^(?:new\s+String\s*\[\]\s*)?[[({]([\s\S]*)[\])}]$/.exec(text);
  if (!list || /^\{[\s\S]*:/.test(text)) return false;
  const items = topLevelArguments(list[1] ?? '');
  return items.length > 0 && items.every((item) => atom.test(item));
}

/** Module and namespace roots (`os.path.join`, `path.basename`, `Math.floor`): code, not data. Capitalised names (classes, constants) are skipped too. */
const modules = new Set(['os', 'path', 'posixpath', 'ntpath', 'shlex', 'html', 'json', 're', 'urllib', 'parse', 'math', 'crypto', 'fs', 'util', 'markupsafe', 'bleach', 'werkzeug', 'flask', 'subprocess']);

/** Bare calls whose result carries no more than their arguments. Any other bare call's result is unknown. */
const harmlessCalls = new Set(['str', 'String', 'len', 'bool', 'Boolean', 'new', 'if', 'for', 'while', 'return', 'await', 'typeof', 'not', 'and', 'or', 'in']);

/** `.config.get`, `.configService.getOrThrow`, `.settings.get`: the deployment's settings, read by name. */
const configurationRead = /^\.(?:config|configService|settings|options)\.(?:get|getOrThrow)$/i;

const keywords = new Set([
  'True', 'False', 'None', 'true', 'false', 'null', 'undefined', 'this', 'self', 'new', 'await', 'return', 'typeof', 'in', 'not', 'and', 'or', 'is',
  'lambda', 'if', 'else', 'const', 'let', 'var', 'void', 'instanceof', 'of',
]);

/**
 * The variables an expression is built from, after removing string literals (keeping what is
 * interpolated into f-strings and template literals), called functions' names, property names,
 * keyword-argument and object-key names. `wrapped` lists calls whose result is safe by themselves
 * (sanitisers, numeric conversions): their arguments are not counted, and each match is reported.
 */
export function variablesOf(expression: string, wrapped: RegExp): { names: string[]; wrappers: string[]; calls: string[] } {
  const wrappers: string[] = [];
  const calls: string[] = [];
  let text = expression;
  // Safe wrappers first, innermost content and all: `int(days)`, `escape(name)`, `n | 0`.
  for (;;) {
    const m = new RegExp(`(?:^|[^\\w$.])(${wrapped.source})\\s*\\(`, wrapped.flags.replace('g', '')).exec(text);
    if (!m) break;
    const start = (m.index ?? 0) + m[0].indexOf(m[1] ?? '');
    const end = closing(text, (m.index ?? 0) + m[0].length - 1);
    if (end < 0) break;
    wrappers.push(text.slice(start, end));
    text = `${text.slice(0, start)} 0 ${text.slice(end)}`;
  }
  text = text.replace(/([A-Za-z_$][\w$]*)\s*\|\s*0\b/g, (all) => {
    wrappers.push(all);
    return ' 0 ';
  });
  // Interpolations survive, the literal text does not.
  // Python triple-quoted strings first (an f-string keeps what it interpolates), so their quotes are not read as empty strings.
  text = text
    .replace(/\b(?:[rR][fF]|[fF][rR]?)("""[\s\S]*?"""|'''[\s\S]*?''')/g, (_all, body: string) => ` ${[...body.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).join(' ')} `)
    .replace(/[rbuRBU]?(?:"""[\s\S]*?"""|'''[\s\S]*?''')/g, ' "" ');
  text = text
    .replace(/`((?:[^`\\]|\\.)*)`/g, (_all, body: string) => ` ${[...body.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).join(' ')} `)
    .replace(/\b[fF][rR]?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g, (_all, body: string) => ` ${[...body.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).join(' ')} `)
    .replace(/[rbuRBU]?"(?:[^"\\]|\\.)*"|[rbuRBU]?'(?:[^'\\]|\\.)*'/g, ' "" ');
  text = text
    .replace(/\(\s*[\w$,\s]*\)\s*=>/g, ' ') // arrow-function parameters are not inputs
    .replace(/\b[A-Za-z_]\w*\s*=(?![=>])/g, ' ') // keyword arguments
    .replace(/[A-Za-z_$][\w$]*\s*:(?!:)/g, ' ') // object keys
    // `obj.prop.method(` keeps `obj` (it is data); a bare `fn(` is a function, not data.
    .replace(/([A-Za-z_$][\w$]*)((?:\s*\.\s*[A-Za-z_$][\w$]*)*)(\s*\()?/g, (_all, root: string, chain: string, call: string | undefined) =>
    {
      if (!chain && call && !harmlessCalls.has(root)) calls.push(root);
      // `self.get_argument("src")`, `this.readParam('url')`: a method of the object itself returns
      // what the method returns — a request parameter as often as not — so it is an unknown call,
      // not the literal its arguments are (dropping `self`/`this` as a keyword lost it). A read of the
      // object's configuration (`this.config.get('DOCS_DIR')`) is fixed by the deployment, not the caller.
      const member = chain.replace(/\s+/g, '');
      if (call && (root === 'self' || root === 'this') && member && !configurationRead.test(member)) calls.push(`${root}${member}`);
      // A module only as the root of a dotted name (`path.join(`); a variable may be called `path`.
      if (chain) return modules.has(root) ? ` ${call ? '(' : ''}` : ` ${root} ${call ? '(' : ''}`;
      return call ? ' (' : ` ${root} `;
    });
  const names = [...new Set([...text.matchAll(/(?<![\w$])[A-Za-z_$][\w$]*/g)].map((m) => m[0]))]
    .filter((name) => !keywords.has(name) && !/^[A-Z]/.test(name));
  return { names, wrappers, calls };
}
