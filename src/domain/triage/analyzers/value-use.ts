import { enclosingFunction, fileLine, indentOf, statement, type CodeView } from '../code-view';

/**
 * What a weak hash or a non-cryptographic random value is used for, read from where the value goes
 * rather than from a file's name: the variable the flagged statement assigns, or — when it returns
 * the value — the calls of the enclosing helper elsewhere in the file (`function etagOf(body) {
 * return md5(body) }` whose caller sets `ETag`; `delayFor(attempt)` passed to `setTimeout`). One
 * hop: a variable that is itself returned makes the helper's callers its uses.
 *
 * It answers only when every use found is a non-security one (an ETag or cache header, a cache
 * key, a wait, a sample, a shard), and none names a password, token, session, signature, …
 */

/** `weakEtag` → `weak Etag`, `cache_key` → `cache key`: purpose words in names become words. */
export const words = (text: string): string => text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');

const harmlessUse = /\b(?:e-?tag|if-none-match|cache|caching|cache-control|memcache\w*|lru|checksum|fingerprint|dedup\w*|duplicates?|jitter|back-?off|retry|retries|set ?timeout|set ?interval|sleep|delay|wait|throttle|sampl\w*|shard\w*|bucket\w*|colou?r|avatar|shuffle|style|animat\w*|seen|exists|already|file_?name|os\.path\.join|path\.join)\b/i;
/** What a sampled block may do: record, not decide. */
const samplingUse = /\b(?:log(?:ger)?|debug|info|warn|metrics?|trace|tracing|telemetry|statsd|histogram|counter|profile\w*|record\w*)\b/i;
const sensitiveUse = /password|passwd|token|secret|otp|one-time|session|nonce|salt|auth|sign|crypt|credential|api[_-]?key|private|cookie|csrf|reset|verif/i;

interface Use { line: number; text: string; via?: string }

const cryptoModule = /\bcrypto\.(createHash|createHmac)\b|\brequire\(\s*['"]crypto['"]\s*\)|\bimport\s+crypto\b/g;
/** A response header set by a literal name that only caching reads (`res.set('ETag', …)`, `res.setHeader("Cache-Key", …)`). */
const headerSet = /^\s*[\w$.]+\.(?:set|setHeader|header|append)\(\s*['"](?:ETag|If-None-Match|X-Cache-Key|Cache-Key)['"]\s*,/i;

const escapeName = (name: string): string => name.replace(/[$]/g, '\\$');

/** Later lines of the function that read `name` (not the statement itself). */
function variableUses(view: CodeView, name: string): Use[] {
  const header = enclosingFunction(view);
  const floor = header === undefined ? 0 : indentOf(view.lines[header] ?? '');
  const read = new RegExp(String.raw`(?<![\w$.])${escapeName(name)}(?![\w$])`);
  const uses: Use[] = [];
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const text = view.lines[i] ?? '';
    if (text.trim() === '') continue;
    if (header !== undefined && indentOf(text) <= floor) break;
    if (read.test(text)) uses.push({ line: fileLine(view, i), text });
  }
  return uses;
}

/** The enclosing helper's name, when its header shows one. */
function helperName(view: CodeView): string | undefined {
  const header = enclosingFunction(view);
  if (header === undefined) return undefined;
  const text = view.lines[header] ?? '';
  return /\bdef\s+(\w+)/.exec(text)?.[1] ??
    /\bfunction\s+([\w$]+)/.exec(text)?.[1] ??
    /(?:const|let|var)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:function\b|\()/.exec(text)?.[1] ??
    /exports\.([\w$]+)\s*=/.exec(text)?.[1] ??
    /^\s*(?:async\s+)?([\w$]+)\s*\([^)]*\)\s*\{\s*$/.exec(text)?.[1];
}

/**
 * Calls of `name(` in the file other than its own definition. A call that stores the result
 * (`const tag = digestOf(body)`) is replaced by the later lines of its block that read it.
 */
function callerUses(view: CodeView, name: string): Use[] {
  const header = enclosingFunction(view);
  const call = new RegExp(String.raw`(?<![\w$])${escapeName(name)}\s*\(`);
  return view.lines.flatMap((text, i): Use[] => {
    if (i === header || !call.test(text) || /\b(?:def|function)\s/.test(text)) return [];
    const stored = new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=\s*(?:await\s+)?${escapeName(name)}\s*\(`).exec(text)?.[1];
    if (!stored) return [{ line: fileLine(view, i), text }];
    const read = new RegExp(String.raw`(?<![\w$.])${escapeName(stored)}(?![\w$])`);
    const uses: Use[] = [];
    for (let j = i + 1; j < view.lines.length; j += 1) {
      const next = view.lines[j] ?? '';
      if (next.trim() === '') continue;
      if (indentOf(next) < indentOf(text)) break;
      if (read.test(next)) uses.push({ line: fileLine(view, j), text: next, via: `line ${fileLine(view, i)}: ${text.trim().slice(0, 50)}` });
    }
    // Stored and never read in view: nothing is known of its use.
    return uses.length > 0 ? uses : [{ line: fileLine(view, i), text }];
  });
}

/** `if (Math.random() < 0.05) {` / `if random.random() < RATE:`: a coin flip; its block is the use. */
function sampledBlock(view: CodeView, text: string): Use[] | undefined {
  if (!/^\s*if\s*\(?\s*(?:Math\.random\(\)|random\.random\(\))\s*[<>]=?\s*[\w.]+\s*\)?\s*(?::|\{)?\s*$/.test(text)) return undefined;
  const indent = indentOf(view.lines[view.flagged] ?? '');
  const uses: Use[] = [];
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '' || line.trim() === '}') continue;
    if (indentOf(line) <= indent) break;
    uses.push({ line: fileLine(view, i), text: line });
  }
  return uses;
}

export function purposeByUse(view: CodeView): string | undefined {
  const text = statement(view);
  const sampled = sampledBlock(view, text);
  if (sampled) return describeUses(sampled, samplingUse);
  // The value's own statement must not be about a secret (`md5(password)`); the hashing module's name does not count.
  if (sensitiveUse.test(text.replace(cryptoModule, ''))) return undefined;
  const assigned = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(text)?.[1];
  let uses: Use[] = [];
  // `colour=random.choice(CHIP_COLOURS),` inside a call or literal over several lines: the field
  // the value is given as is its one use (`Booking(…, colour=…)`, `{ color: … }`).
  const line = view.lines[view.flagged] ?? '';
  const field = text.trim() !== line.trim() ? /^\s*["']?([A-Za-z_$][\w$]*)["']?\s*[:=](?!=)\s*(.*?)\s*,?\s*$/.exec(line) : null;
  if (field && /\brandom\b|Math\.random|\bchoice\(|\brandint\(/.test(field[2] ?? '') && !/^\s*(?:const|let|var)\s/.test(line)) {
    return describeUses([{ line: fileLine(view, view.flagged), text: `${field[1]}=` }]);
  }
  if (/^\s*return\b/.test(text)) {
    const helper = helperName(view);
    uses = helper ? callerUses(view, helper) : [];
  } else if (headerSet.test(text)) {
    // `res.set('ETag', crypto.createHash('md5').update(body).digest('hex'))`: the statement is its own
    // one use, and the header is named by a literal (the hashing module's name is not a purpose).
    uses = [{ line: fileLine(view, view.flagged), text: text.replace(cryptoModule, '') }];
  } else if (assigned) {
    uses = variableUses(view, assigned);
    // `return render_template(…, featured=featured)` hands the value to a page; it does not return
    // it. So does a view whose framework renders what it returns (`templateContext`).
    const context = templateContext(view);
    if (context) uses = uses.map((u) => (/^\s*return\s+(?:\{|dict\()/.test(u.text) ? { ...u, text: `${u.text} (rendered by ${context})` } : u));
    const returned = uses.filter((u) => /^\s*return\b/.test(u.text) && !/\(rendered by |^\s*return\s+\(?\s*</.test(u.text) && !/^\s*return\s+(?:await\s+)?(?:render_template|render_to_response|TemplateResponse|render|res\.render)\s*\(/.test(u.text));
    if (returned.length > 0) {
      const helper = helperName(view);
      uses = [...uses.filter((u) => !returned.includes(u)), ...(helper ? callerUses(view, helper) : [])];
      if (!helper) return undefined;
    }
  }
  return describeUses(uses) ?? (pickedForDisplay(text) ? describeUses(uses, displayUse) : undefined);
}

/**
 * A random pick of one item of a collection (`featured = random.choice(listings)`,
 * `items[Math.floor(Math.random() * items.length)]`) — not of characters, and naming no code,
 * ticket, prize or draw — whose every use hands it to a page template: which item is shown first is
 * no secret.
 */
const displayUse = /\b(?:render|rendered|Template ?Response)\b|^\s*(?:return\s+\(?\s*)?<[A-Za-z][\w.]*\b[^>]*\b[A-Za-z]\w*=\{|^\s*[A-Za-z]\w*=\{[^}]*\}\s*\/?>?\s*$/;

/**
 * The decorator above the enclosing function that makes its framework render what it returns into
 * a template: Pyramid `@view_config(…, renderer="home.jinja2")`, aiohttp-jinja2 `@template("x.html")`,
 * bottle `@view("x")`, `@render_to("x.html")`, Flask-Classful/others `@templated("x.html")`.
 * A JSON renderer is no template.
 */
function templateContext(view: CodeView): string | undefined {
  const header = enclosingFunction(view);
  if (header === undefined) return undefined;
  for (let i = header - 1; i >= 0 && /^\s*@/.test(view.lines[i] ?? ''); i -= 1) {
    const line = (view.lines[i] ?? '').trim();
    const renderer = /\brenderer\s*=\s*["']([^"']+)["']/.exec(line)?.[1];
    if (renderer && !/^(?:json|jsonp|string)$/.test(renderer)) return `\`${line.slice(0, 70)}\``;
    if (/^@(?:[\w.]+\.)?(?:template|view|render_to|templated|jinja2_view|mako_view)\(\s*["'][^"']+["']/.test(line)) return `\`${line.slice(0, 70)}\``;
  }
  return undefined;
}
const drawWords = /alphabet|chars?|characters|letters|digits|charset|symbols|string\.|code|pin|otp|ticket|winner|prize|draw|lottery|raffle|coupon|voucher|promo|key|password|seat|card|deck/i;
function pickedForDisplay(text: string): boolean {
  const picked = /\brandom\.(?:choice|sample)\(\s*([A-Za-z_][\w.]*)\s*[,)]/.exec(text)?.[1] ??
    /([A-Za-z_$][\w$]*)\s*\[\s*Math\.floor\(\s*Math\.random\(\)\s*\*\s*\1\.length\s*\)\s*\]/.exec(text)?.[1];
  return picked !== undefined && !drawWords.test(text) && !/\bjoin\b|\bfor\b/.test(text);
}

function describeUses(uses: Use[], allowed = harmlessUse): string | undefined {
  if (uses.length === 0) return undefined;
  if (uses.some((u) => sensitiveUse.test(u.text))) return undefined;
  const purposes = uses.map((u) => allowed.exec(words(u.text))?.[0]);
  if (purposes.some((p) => p === undefined)) return undefined;
  const first = uses[0]!;
  const via = first.via ? `${first.via} → ` : '';
  return `${via}line ${first.line}: ${first.text.trim().slice(0, 60)} — "${purposes[0]}"${uses.length > 1 ? ` (and ${uses.length - 1} more use${uses.length > 2 ? 's' : ''} alike)` : ''}`;
}
