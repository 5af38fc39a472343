import { fileLine, indentOf, scopeBefore, statement, type CodeView } from '../code-view';
import { quote, ruleText, type AnalyzerInput, type Decision, type DecisiveAnalyzer } from './types';
import { boundFromRequest, requestParameters } from '../request-parameters';
import { requestData } from '../request-sources';
import { findFunction } from '../function-summaries';

/**
 * Rules that have no security impact at the reported place, judged from the code:
 * - `try/except/pass` whose try block only fetches or decodes something, so a failure falls
 *   through to the ordinary path (fails closed); one whose block raises or runs a check is kept;
 * - a random number used as a small quantity or a pick from a list of literals (a made-up date, a
 *   demo percentage, captcha operands and operators, jitter) under a name that is no secret;
 * - a timing-attack warning on two values the client itself sent (a password and its confirmation);
 * - `require` of a module path chosen by the operator's environment (`process.env.NODE_ENV`);
 * - a bracket key that is one of the object's own keys (`Object.keys(db).forEach((name) => db[name]…)`).
 */

const notSecurity = (input: AnalyzerInput, id: string, detail: string, evidence: string, base = 82): Decision => ({
  verdict: 'false_positive',
  category: 'not_security',
  base,
  factor: { id: `not-security-${id}`, weight: 0, detail: `At ${input.where} ${detail} (\`${quote(evidence, 100)}\`).` },
  justification: `No security impact at ${input.where}: ${detail}; the deciding code is \`${quote(evidence, 100)}\`.`,
});

/** The `try:` block a flagged `except:` belongs to: its body lines, or undefined when not in view. */
function tryBody(view: CodeView): { start: number; body: string[] } | undefined {
  // Bandit flags the `except:` line; some scanners flag the `pass` under it.
  let at = view.flagged;
  if (/^\s*(pass|continue)\s*(#.*)?$/.test(view.lines[at] ?? '') && /^\s*except\b/.test(view.lines[at - 1] ?? '')) at -= 1;
  const indent = indentOf(view.lines[at] ?? '');
  for (let i = at - 1; i >= 0; i -= 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) > indent) continue;
    if (indentOf(line) < indent) return undefined;
    if (/^\s*try\s*:/.test(line)) return { start: i, body: view.lines.slice(i + 1, at).filter((l) => l.trim() !== '' && indentOf(l) > indent) };
    if (!/^\s*(except\b|else\s*:)/.test(line)) return undefined;
  }
  return undefined;
}

/**
 * A try block whose exception is itself the refusal: swallowing it lets the caller through (fails
 * open). A check is recognised by its name however it is written — `_check_role(…)`,
 * `self._authorize(…)`, `ensurePermission(…)`, `require_role(…)`: the word may follow an underscore,
 * a dot or start a camelCase name — or by its body when it is defined in the file (`refusingHelper`).
 */
const enforcesSomething = /\braise\b|\babort\s*\(|(?<![A-Za-z0-9])(check|verify|validate|authori[sz]e|authenticate|require|ensure|assert|enforce|permit)\w*\s*\(|has_perm|PermissionDenied|Forbidden|Unauthori[sz]ed|AccessDenied|NotAuthori[sz]ed|is_(admin|staff|superuser)|permission/i;
/** What a refusal raises or throws: a permission, forbidden or authentication error, or a 401/403. */
const refusal = /\b(?:raise|throw)\b[^\n]*(?:Forbidden|PermissionDenied|Unauthori[sz]ed|AccessDenied|NotAuthori[sz]ed|Permission\w*Error|Auth\w*Error|\b40[13]\b)|\babort\(\s*40[13]\b/;

/**
 * A function the try block calls, defined in the file, whose body raises a permission or forbidden
 * error (`def _gate(staff, roles): … raise web.HTTPForbidden(…)`): called there, it is a check
 * whatever its name. Returns the call and the refusing line.
 */
function refusingHelper(view: CodeView, body: readonly string[]): { call: string; refuses: string } | undefined {
  for (const line of body) {
    for (const m of line.matchAll(/(?:\bself\.|\bthis\.)?([A-Za-z_$][\w$]*)\s*\(/g)) {
      const name = m[1] ?? '';
      if (/^(?:if|for|while|print|len|str|int|await|return)$/.test(name)) continue;
      const found = findFunction(name, view.lines);
      const refuses = found?.body.find((l) => refusal.test(l.text));
      if (refuses) return { call: line.trim(), refuses: `${name} raises at line ${fileLine(view, refuses.line - 1)}: \`${quote(refuses.text, 70)}\`` };
    }
  }
  return undefined;
}

/**
 * `claims = _verify(cookie)` in the try block and, after the except, `if not claims: abort(401)`:
 * the check's result is kept and tested after the handler, so a swallowed exception is still
 * refused (fails closed). The test must be among the first lines after the handler and refuse.
 */
function resultTestedAfter(view: CodeView, tryIndex: number, enforcing: string): { line: number; text: string } | undefined {
  const kept = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=(?!=)/.exec(enforcing)?.[1];
  if (!kept) return undefined;
  const indent = indentOf(view.lines[tryIndex] ?? '');
  let i = tryIndex + 1;
  // Past the try body and its handlers (deeper lines, and `except`/`else`/`finally` at the try's indent).
  for (; i < view.lines.length; i += 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) > indent || /^\s*(?:except\b|else\s*:|finally\s*:)/.test(line)) continue;
    break;
  }
  if (indentOf(view.lines[i] ?? '') < indent) return undefined;
  const test = new RegExp(String.raw`^\s*if\s*\(?\s*(?:not\s+|!\s*)${kept}\b|^\s*if\s*\(?\s*${kept}\s+is\s+None\b|^\s*if\s*\(?\s*${kept}\s*===?\s*(?:null|undefined|None)\b`);
  const line = view.lines[i] ?? '';
  const refuses = /\b(?:abort|raise|throw|return)\b/;
  if (test.test(line) && (refuses.test(line.replace(/^[^:]*:/, '')) || refuses.test(view.lines[i + 1] ?? ''))) return { line: fileLine(view, i), text: line.trim() };
  return undefined;
}

export const swallowedException: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !/try_except_(pass|continue)|\bb11[02]\b|try-except-pass|empty-except|cwe-703/.test(`${ruleText(finding)} ${finding.ruleName ?? ''}`.toLowerCase())) return undefined;
  const block = tryBody(view);
  if (!block || block.body.length === 0) return undefined;
  const helper = refusingHelper(view, block.body);
  const enforcing = block.body.find((line) => enforcesSomething.test(line)) ?? (helper ? `${helper.call} (${helper.refuses})` : undefined);
  const tryLine = fileLine(view, block.start);
  const retested = enforcing ? resultTestedAfter(view, block.start, enforcing) : undefined;
  if (retested) {
    return notSecurity(input, 'fails-closed',
      `the try block at line ${tryLine} keeps the check's result (\`${quote(enforcing ?? '', 60)}\`), and line ${retested.line} refuses when it is missing (\`${quote(retested.text, 60)}\`), so a swallowed failure is still refused`,
      retested.text);
  }
  if (enforcing) {
    return {
      verdict: 'true_positive',
      base: 80,
      factor: { id: 'fails-open', weight: 0, detail: `The try block at line ${tryLine} enforces something (\`${quote(enforcing, 90)}\`); swallowing its exception skips that check.` },
      justification: `At ${input.where} the except/pass swallows the exception of a check in the try block at line ${tryLine} (\`${quote(enforcing, 90)}\`), so a failing check lets execution continue: it fails open.`,
    };
  }
  return notSecurity(input, 'fails-closed',
    `the except/pass only ignores a failure of the try block at line ${tryLine} (${block.body.length} line${block.body.length > 1 ? 's' : ''}, no check or raise), and execution continues on the ordinary path`,
    block.body[0] ?? '');
};

const sensitiveName = /otp|pin(code)?\b|token|secret|pass|salt|nonce|session|uuid|guid|reset|verif|auth|key|code|ticket|coupon|voucher|invite|cipher|iv\b|seed|sign|\bid\b|_id\b|Id\b/i;
const randomCall = /\b(Math\.random\(\)|random\.(random|randint|randrange|choice|uniform|shuffle|sample|choices)\s*\(|(?<![\w.])(randint|randrange|choice|uniform)\s*\()/;

/** `OPERATORS = ["+", "-", "x"]` written at the top level of the file: a list of a few short literals. */
const fewLiterals = /^[[("'](\s*(["'][^"']{0,3}["']|-?\d+)\s*,?)*\s*[\])"']?$/;
function constantLiterals(view: CodeView, name: string): string | undefined {
  const assignment = new RegExp(String.raw`^(?:(?:export\s+)?(?:const|let|var)\s+)?${name}\s*(?::[^=]+)?=\s*(\[[^\]]*\]|\([^)]*\))\s*;?\s*(#.*|\/\/.*)?$`);
  const found = view.lines.map((line) => assignment.exec(line)).find((m) => m && fewLiterals.test(m[1] ?? ''));
  return found?.[0].trim();
}

/**
 * `TIPS = [` … `]` at the top level of the file over several lines, every item a string literal
 * (a sentence, a greeting, a colour): one pick of it is one of the texts anyone can read in the
 * source, never a secret. Only a single pick (no `join`, no loop: several picks make a passphrase),
 * and no item or the enclosing function naming a secret.
 */
function literalList(view: CodeView, name: string, text: string): string | undefined {
  if (/\bjoin\b|\bfor\b|\brange\(|\+=/.test(text)) return undefined;
  const header = view.lines.findIndex((line) => new RegExp(String.raw`^${name}\s*(?::[^=]+)?=\s*[[(]\s*$`).test(line));
  if (header < 0) return undefined;
  const items: string[] = [];
  for (let i = header + 1; i < view.lines.length; i += 1) {
    const line = (view.lines[i] ?? '').trim();
    if (/^[\])]/.test(line)) break;
    if (!/^(["'])(?:(?!\1)[^\\]|\\.)*\1,?\s*(?:#.*)?$/.test(line)) return undefined;
    items.push(line);
  }
  if (items.length === 0 || items.length > 1000 || items.some((item) => /passw|secret|token|api[_-]?key/i.test(item))) return undefined;
  const fn = scopeBefore(view)[0]?.text ?? '';
  const fnName = /\bdef\s+(\w+)|\bfunction\s+([\w$]+)/.exec(fn);
  if (fnName && sensitiveName.test((fnName[1] ?? fnName[2] ?? '').replace(/_/g, ' '))) return undefined;
  return `${name}, a list of ${items.length} string literals at line ${fileLine(view, header)}`;
}

/** Words that make a shuffle a draw (who wins, which card, which seat), not a display order. */
const drawWords = /card|deck|lotter|draw|winner|prize|raffle|ticket|seat|shift|assign|token|secret|key|password|otp|pin\b/i;

/**
 * The index step of an in-place Fisher–Yates shuffle: a random index below the loop's counter
 * (`Math.floor(Math.random() * (i + 1))`) inside a loop counting down an array, whose next lines
 * swap two of its elements. Only a reordering of that array; not when the array, the loop or the
 * lines around name a draw (cards, winners, tickets, seats) or a secret.
 */
function fisherYates(text: string, view: CodeView): string | undefined {
  const index = /\bconst\s+|\blet\s+|\bvar\s+/.test(text) ? /(?:Math\.floor\(\s*)?Math\.random\(\)\s*\*\s*\(\s*([a-z_$][\w$]*)\s*\+\s*1\s*\)\s*\)?/.exec(text) : null;
  if (!index) return undefined;
  const counter = index[1] ?? '';
  const before = view.lines.slice(Math.max(0, view.flagged - 3), view.flagged);
  const loop = before.map((line) => new RegExp(String.raw`\bfor\s*\(\s*let\s+${counter}\s*=\s*([\w$.]+)\.length\s*-\s*1\s*;\s*${counter}\s*>\s*0\s*;\s*${counter}\s*--\s*\)`).exec(line)).find(Boolean);
  if (!loop) return undefined;
  const array = (loop[1] ?? '').replace(/[$.]/g, '\\$&');
  const after = view.lines.slice(view.flagged + 1, view.flagged + 4).join('\n');
  if (!new RegExp(String.raw`\[\s*${array}\[${counter}\]\s*,\s*${array}\[\w+\]\s*\]\s*=\s*\[`).test(after)) return undefined;
  if (drawWords.test([...before, text, after].join('\n'))) return undefined;
  return `${loop[0]} … ${index[0]} (a shuffle of ${loop[1]})`;
}

function smallRandom(text: string, view?: CodeView): string | undefined {
  const scaled = /Math\.random\(\)\s*\*\s*(\d+(?:\.\d+)?(?:e\d+)?)(?![\w.])/i.exec(text);
  if (scaled && Number(scaled[1]) <= 1000) return scaled[0];
  const bounded = /\b(?:random\.)?(?:randint|randrange|uniform)\s*\(\s*(-?\d+(?:\.\d+)?)\s*(?:,\s*(-?\d+(?:\.\d+)?))?\s*\)/.exec(text);
  if (bounded) {
    const span = bounded[2] === undefined ? Number(bounded[1]) : Number(bounded[2]) - Number(bounded[1]);
    if (Math.abs(span) <= 1000) return bounded[0];
  }
  const pick = /\b(?:random\.)?choice\s*\(\s*(\[[^\]]*\]|\([^)]*\)|["'][^"']*["'])\s*\)/.exec(text);
  if (pick && fewLiterals.test(pick[1] ?? '')) return pick[0];
  // A pick from a list named at the top level of the file (`random.choice(OPERATORS)`).
  const named = /\b(?:random\.)?choice\s*\(\s*([A-Za-z_$][\w$]*)\s*\)/.exec(text);
  const list = named && view ? constantLiterals(view, named[1] ?? '') ?? literalList(view, named[1] ?? '', text) : undefined;
  if (named && list) return `${named[0]}, ${list}`;
  // Reordering a list in place for display (`random.shuffle(questions)`, `items.sort(() => Math.random() - 0.5)`), not a draw.
  const shuffled = /\brandom\.shuffle\(\s*([\w.]+)\s*\)|([\w.]+)\.sort\(\s*\(\)\s*=>\s*Math\.random\(\)\s*-\s*0?\.5\s*\)/.exec(text);
  if (shuffled && !/card|deck|lotter|draw|winner|prize|raffle|ticket|seat|shift|assign/i.test(text)) return shuffled[0];
  // A Fisher–Yates shuffle for display: `for (let i = rows.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [rows[i], rows[j]] = [rows[j], rows[i]]; }`.
  const swap = view ? fisherYates(text, view) : undefined;
  if (swap) return swap;
  // Jitter: an unscaled random fraction added to a wait.
  const fraction = /Math\.random\(\)|random\.random\(\)/.exec(text);
  if (fraction && /sleep|delay|timeout|setTimeout|back-?off|jitter|retry|wait/i.test(text)) return fraction[0];
  // An index pick of a list (`rows[Math.floor(Math.random() * rows.length)]`), unless the lines name a draw.
  if (/Math\.random\(\)\s*\*\s*\w+\.length/.test(text) && /\[[^\]]*Math\.random/.test(text) && !drawWords.test(text)) return /\w+\s*\[[^\]]*Math\.random[^\]]*\]/.exec(text)?.[0];
  return undefined;
}

export const harmlessRandom: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !/random|cwe-330\b|cwe-338\b|\bb311\b/.test(ruleText(finding))) return undefined;
  const text = statement(view);
  if (!randomCall.test(text) || sensitiveName.test(text)) return undefined;
  const small = smallRandom(text, view);
  if (!small) return undefined;
  const name = /^\s*(?:(?:const|let|var)\s+)?([\w$.]+)\s*[:=]/.exec(text)?.[1];
  return notSecurity(input, 'small-random',
    `the random value is ${/choice/.test(small) ? 'a pick among a few literals' : /shuffle|\.sort\(/.test(small) ? 'only a reordering of a list' : 'a small number'} (\`${small}\`)${name ? ` stored as \`${name}\`` : ''}; nothing secret, such as a token, key, code or password, is made from it`,
    text, 80);
};

const requestSource = new RegExp(String.raw`\b(req|request|ctx\.request)\.(body|query|params|cookies|headers|POST|GET|args|form|values|json|data)\b|${requestData.source}`);

/**
 * Names bound from the request in the function (`const { password, verify } = req.body`, `x =
 * req.body.x`): the value must *be* the request's (`stored = db.token_for(req.body.user)` is a
 * stored secret looked up with a request value, not a value the client sent).
 */
function requestNames(view: CodeView): Map<string, string> {
  const names = new Map<string, string>();
  for (const { line, text } of scopeBefore(view)) {
    if (!requestSource.test(text)) continue;
    const destructured = /\{([^}]*)\}\s*=\s*(?:req|request|ctx\.request)\./.exec(text)?.[1];
    for (const name of (destructured ?? '').split(',').map((n) => n.split(':').pop()?.trim() ?? '').filter(Boolean)) names.set(name, `line ${line}: ${text.trim()}`);
    const assigned = /^\s*(?:(?:const|let|var)\s+)?([\w$]+)\s*(?::\s*[\w$.<>[\]]+\s*)?=(?!=)\s*(?:await\s+)?(.*?);?\s*$/.exec(text);
    // `body = Register.parse(await readBody(event))`: a schema's parse of the request's data is still what the client sent.
    const value = (assigned?.[2] ?? '').replace(/^[A-Za-z_$][\w$.]*\.parse\(\s*(?:await\s+)?([\s\S]*)\)$/, '$1');
    if (assigned && requestSource.exec(value)?.index === 0) names.set(assigned[1] ?? '', `line ${line}: ${text.trim()}`);
  }
  return names;
}

export const clientValuesCompared: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !/timing-attack|timing_attack|cwe-208\b/.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const text = statement(view);
  const m = /([\w$.]+)\s*(?:!==?|===?)\s*([\w$.]+)/.exec(text);
  if (!m) return undefined;
  const [left, right] = [m[1] ?? '', m[2] ?? ''];
  const fromRequest = requestNames(view);
  const bound = requestParameters(view);
  // A member of a value the client sent (`body.password` after `body = await readBody(event)`) is the client's too.
  const origin = (name: string): string | undefined => (requestSource.test(name) ? name : fromRequest.get(name) ?? fromRequest.get(/^[\w$]+(?=\.)/.exec(name)?.[0] ?? '') ?? boundFromRequest(name, bound));
  if (!origin(left) || !origin(right)) return undefined;
  return notSecurity(input, 'client-values',
    `it compares two values the client sent (\`${left}\` and \`${right}\`, both from the request: ${origin(left)}), not a stored secret, so the timing leaks nothing the client does not already know`,
    m[0]);
};

export const environmentRequire: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !/non-literal-require|dynamic-require/.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const text = statement(view);
  const argument = /\brequire\s*\(([\s\S]*)\)/.exec(text)?.[1];
  if (!argument) return undefined;
  const names = [...argument.replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '').matchAll(/[A-Za-z_$][\w$]*/g)].map((n) => n[0]);
  const builtins = new Set(['path', 'resolve', 'join', '__dirname', 'toLowerCase', 'toUpperCase', 'trim', 'process', 'env']);
  const variables = [...new Set(names.filter((n) => !builtins.has(n)))];
  const before = view.lines.slice(0, view.flagged);
  const origins = variables.map((name) => before.map((l, i) => ({ l, i })).reverse()
    .find(({ l }) => new RegExp(String.raw`\b${name}\s*=\s*process\.env\.\w+`).test(l)));
  if (variables.length === 0 || origins.some((o) => !o)) return undefined;
  const first = origins[0]!;
  return notSecurity(input, 'environment-require',
    `the module path is built from the environment the operator starts the app with (line ${fileLine(view, first.i)}: \`${quote(first.l, 80)}\`), never from a request`,
    text, 80);
};

export const ownKeys: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !/object-injection|cwe-915\b/.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const keys = [...statement(view).matchAll(/([\w$.]+)\s*\[\s*([A-Za-z_$][\w$]*)\s*\]/g)];
  if (keys.length === 0) return undefined;
  const scope = scopeBefore(view);
  const header = scope[0]?.text ?? '';
  for (const [, object, key] of keys) {
    const own = new RegExp(String.raw`Object\.keys\(\s*${(object ?? '').replace(/[$.]/g, '\\$&')}\s*\)\.(forEach|map|filter|some|every)\(\s*(?:function\s*)?\(?\s*${key}\b`);
    const loop = new RegExp(String.raw`for\s*\(\s*(?:const|let|var)\s+${key}\s+(?:in\s+${(object ?? '').replace(/[$.]/g, '\\$&')}|of\s+Object\.keys\(\s*${(object ?? '').replace(/[$.]/g, '\\$&')}\s*\))`);
    if (!own.test(header) && !scope.some((l) => loop.test(l.text))) return undefined;
  }
  return {
    verdict: 'false_positive',
    category: 'defused',
    base: 84,
    factor: { id: 'defused-own-keys', weight: 0, detail: `At ${input.where} every key is one of the object's own keys (\`${quote(header, 90)}\`), so no outside input chooses it.` },
    justification: `Not exploitable as reported: at ${input.where} the key comes from the object's own keys (\`${quote(header, 90)}\`), not from outside input.`,
  };
};
