import { indentOf, type NumberedLine } from './code-view';
import { isLiteral, topLevelArguments } from './expressions';
import { escape } from './guards';
import { admittingCheck, passedCheck, rejectingCheck, splitTop, type Check, type CheckContext, type HelperSummary } from './helper-checks';
import { localPathCondition } from './local-paths';
import { sameSiteHelper } from './same-site';

/**
 * A function of the application judged by its body, never its name: what it guarantees about the
 * value it returns (HTML-escaped, a number, a basename, an argument that passed an anchored pattern
 * or an allow-list, a deployment setting), about an argument (it throws unless the argument passes
 * a check; it returns true only when it does), whether it computes a MAC with a key of its own, and
 * whether it is a `required(name, devDefault)` helper that returns `process.env[name]` and throws in
 * production before it would return the fallback. Line-based like the rest of triage: a body it
 * cannot read guarantees nothing.
 */
export interface FunctionSummary extends HelperSummary {
  params: string[];
  /** 1-based line of the header in its file. */
  line: number;
  header: string;
  /** `required('COOKIE_PASSWORD', 'dev-default')`: which argument is the variable's name and which the development fallback. */
  requiredEnv?: { nameParam: number; fallbackParam: number; how: string };
}

interface Found {
  name: string;
  params: string[];
  index: number;
  body: NumberedLine[];
  /** An arrow function's expression body. */
  expression?: string;
}

const headers: RegExp[] = [
  /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\((.*)\)\s*(?:->\s*[^:]+)?:\s*(?:#.*)?()$/,
  /^(\s*)(?:export\s+(?:default\s+)?)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^)]*)\)\s*(?::\s*[^{]+)?\{\s*()$/,
  /^(\s*)(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?function\s*[\w$]*\s*\(([^)]*)\)\s*(?::\s*[^{]+)?\{\s*()$/,
  /^(\s*)(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?\(([^)]*)\)\s*(?::\s*[^=]+)?=>\s*(.*)$/,
  /^(\s*)(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>\s*(.*)$/,
  /^(\s*)(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?function\s*[\w$]*\s*\(([^)]*)\)\s*\{\s*()$/,
  /^(\s*)(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?\(([^)]*)\)\s*=>\s*(.*)$/,
  // A class or object-literal method: `sanitize(name) {`, `escape: function (s) {`, `toId: (x) => …`.
  /^(\s+)(?:(?:static|async|public|private|protected)\s+)*(?!(?:if|for|while|switch|catch|function|return)\b)([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*(?::\s*[^{]+)?\{\s*()$/,
  /^(\s+)([A-Za-z_$][\w$]*)\s*:\s*(?:async\s+)?function\s*[\w$]*\s*\(([^)]*)\)\s*\{\s*()$/,
  /^(\s+)([A-Za-z_$][\w$]*)\s*:\s*(?:async\s+)?\(([^)]*)\)\s*=>\s*(.*?),?$/,
];

/** A header whose parameters run over several lines (`def required(\n    name: str,\n    default: str,\n) -> str:`), joined. */
function headerAt(lines: readonly string[], index: number, name: string): { text: string; last: number } {
  const first = lines[index] ?? '';
  if (!new RegExp(String.raw`(?:def|function)\s+${escape(name)}\s*\([^)]*$|${escape(name)}\s*=\s*(?:async\s+)?(?:function\s*[\w$]*\s*)?\([^)]*$`).test(first)) return { text: first, last: index };
  let text = first;
  for (let i = index + 1; i < Math.min(lines.length, index + 10); i += 1) {
    text = `${text} ${(lines[i] ?? '').trim()}`.replace(/,\s*\)/, ')');
    if (/\)\s*(?:->\s*[^:]+)?:\s*$|\)\s*(?::\s*[^{=]+)?(?:\{|=>.*)\s*$/.test(text)) return { text, last: i };
  }
  return { text: first, last: index };
}

const MAX_BODY_LINES = 60;

function paramsOf(list: string): string[] {
  return topLevelArguments(list).map((p) => /^(?:\.\.\.|\*{1,2})?([A-Za-z_$][\w$]*)/.exec(p.trim())?.[1] ?? '').filter((p) => p && p !== 'self' && p !== 'cls');
}

/** The function `name` defined in `lines` (a def, a function declaration, an arrow or function expression, `exports.name =`). */
export function findFunction(name: string, lines: readonly string[]): Found | undefined {
  for (let index = 0; index < lines.length; index += 1) {
    if (!(lines[index] ?? '').includes(name)) continue;
    const { text, last } = headerAt(lines, index, name);
    for (const header of headers) {
      const m = header.exec(text);
      if (!m || m[2] !== name) continue;
      const indent = (m[1] ?? '').length;
      const rest = (m[4] ?? '').trim();
      const body: NumberedLine[] = [];
      for (let i = last + 1; i < lines.length && body.length < MAX_BODY_LINES; i += 1) {
        const line = lines[i] ?? '';
        if (line.trim() === '') continue;
        if (indentOf(line) <= indent) break;
        body.push({ line: i + 1, text: line });
      }
      if (rest && rest !== '{') {
        // An arrow's expression body, with any chained lines below it (`.replace(…)` on each).
        const expression = [rest, ...body.map((l) => l.text.trim())].join(' ').replace(/;\s*$/, '');
        return { name, params: paramsOf(m[3] ?? ''), index, body: [], expression };
      }
      return { name, params: paramsOf(m[3] ?? ''), index, body };
    }
  }
  return undefined;
}

/** Each `return` of the body with its expression (chained lines below it joined), and its index in the body. */
function returnsOf(found: Found): { at: number; expression: string }[] {
  if (found.expression !== undefined) return [{ at: 0, expression: found.expression }];
  const out: { at: number; expression: string }[] = [];
  found.body.forEach(({ text }, at) => {
    const m = /\breturn\b\s*(.*?)\s*;?\s*$/.exec(text);
    if (!m) return;
    let expression = m[1] ?? '';
    for (let j = at + 1; j < found.body.length && /^\s*\./.test(found.body[j]?.text ?? ''); j += 1) expression += (found.body[j]?.text ?? '').trim();
    out.push({ at, expression: expression.replace(/;\s*$/, '') });
  });
  return out;
}

const numberCall = /^(?:int|float|Number|parseInt|parseFloat|Number\.parseInt|Number\.parseFloat|Math\.(?:floor|round|ceil|trunc|abs)|Integer\.parseInt|Long\.parseLong|len)\s*\(/;
const basenameCall = /^(?:os\.path\.basename|path\.basename|posixpath\.basename|basename|secure_filename|werkzeug\.utils\.secure_filename|FilenameUtils\.getName)\s*\(|^Path\([^()]*\)\.name$|^path\.parse\([^()]*\)\.base$/;
const escaperCall = /^(?:html\.escape\((?![\s\S]*quote\s*=\s*False)|markupsafe\.escape\(|_\.escape\(|lodash\.escape\(|he\.(?:encode|escape)\(|validator\.escape\()/;
const plainReturn = (expression: string, param: string): boolean =>
  new RegExp(String.raw`^${escape(param)}(?:\.(?:trim|strip|lower|upper|toLowerCase|toUpperCase)\(\))?$`).test(expression.trim());

/** What every returned expression is, read through a variable the body assigns once. */
function everyReturn(found: Found, ok: (expression: string) => boolean): boolean {
  const returns = returnsOf(found);
  const assigned = (name: string): string | undefined => found.body.map((l) => new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${escape(name)}\s*(?::[^=]+)?=(?!=)\s*(.+?);?\s*$`).exec(l.text)?.[1]).find(Boolean);
  return returns.length > 0 && returns.every(({ expression }) => {
    const e = expression.trim();
    if (ok(e)) return true;
    const value = /^[A-Za-z_$][\w$]*$/.test(e) ? assigned(e) : undefined;
    return value !== undefined && ok(value.trim());
  });
}

function summarise(found: Found, lines: readonly string[], where: string, firstLine: number, helper: CheckContext['helper']): FunctionSummary {
  const header = (lines[found.index] ?? '').trim();
  const summary: FunctionSummary = { name: found.name, where, params: found.params, line: firstLine + found.index, header, ...(/\basync\b/.test(header) ? { async: true } : {}) };
  const context: CheckContext = { module: lines, helper };
  const text = [found.expression ?? '', ...found.body.map((l) => l.text)].join('\n');
  const bodyIndent = found.body[0] ? indentOf(found.body[0].text) : 0;
  const returns = returnsOf(found);
  const falsy = (e: string): boolean => /^(?:false|False|None|null|undefined|)$/.test(e.trim());
  // Returned values.
  if (['&amp;', '&lt;', '&gt;', '&quot;'].every((entity) => text.includes(entity)) && /&#0?39;|&#x27;|&apos;/.test(text) && /\breplace(?:All)?\(|\btranslate\(|\bsub\(/.test(text)
    && !returns.some((r) => found.params.some((p) => plainReturn(r.expression, p)))) {
    summary.returns = { guarantee: 'escaped', how: 'HTML-escaped (its body replaces `&`, `<`, `>`, `"` and `\'` with entities)' };
  } else if (everyReturn(found, (e) => escaperCall.test(e))) summary.returns = { guarantee: 'escaped', how: 'HTML-escaped by the library escaper it returns' };
  else if (everyReturn(found, (e) => numberCall.test(e) || /^-?\d+(?:\.\d+)?$/.test(e))) summary.returns = { guarantee: 'number', how: 'converted to a number' };
  // `(pence / 100).toFixed(2)`: Number's formatter writes digits, a sign and a point (or throws on a non-number).
  else if (everyReturn(found, (e) => /^(?:\([^()]*\)|[A-Za-z_$][\w$.]*)\.toFixed\(\s*\d*\s*\)$/.test(e))) summary.returns = { guarantee: 'number', how: 'a number formatted by `toFixed` (digits, a sign and a point only)' };
  else if (everyReturn(found, (e) => basenameCall.test(e))) summary.returns = { guarantee: 'basename', how: 'reduced to a base name' };
  const scope = found.body;
  for (const [k, param] of found.params.entries()) {
    // Returned only after a check: `if (!REF.test(ref)) throw …; return ref;`, `return x if x in ALLOWED else "csv"`.
    if (!summary.returns && returns.length > 0) {
      const checks = returns.map(({ at, expression }): Check | undefined => {
        const e = expression.trim();
        if (isLiteral(e) || falsy(e)) return { guarantee: 'allow-list', how: 'a literal' };
        const ternary = /^(.+?)\s*\?\s*(.+?)\s*:\s*(.+)$/.exec(e) ?? /^(.+?)\s+if\s+(.+?)\s+else\s+(.+)$/.exec(e);
        if (ternary) {
          const [cond, value, other] = e.includes('?') ? [ternary[1], ternary[2], ternary[3]] : [ternary[2], ternary[1], ternary[3]];
          if (plainReturn(value ?? '', param) && isLiteral(other ?? '')) return splitTop(cond ?? '', 'and').map((c) => passedCheck(c, param, context)).find(Boolean);
        }
        if (!plainReturn(e, param)) return undefined;
        const before = scope.slice(0, at);
        const indent = indentOf(scope[at]?.text ?? '');
        return rejectingCheck(param, before, indent, context) ?? admittingCheck(param, before, indent, context);
      });
      const real = checks.filter((c) => c && c.how !== 'a literal');
      if (checks.every(Boolean) && real.length > 0) summary.returns = { ...(real[0] as Check), how: `only when ${(real[0] as Check).how}` };
    }
    // Throws unless the argument passes: `if not REF.fullmatch(ref): raise ValueError(…)` at the top of the body.
    const asserted = rejectingCheck(param, scope, bodyIndent, context, true);
    if (asserted && !summary.asserts) summary.asserts = { ...asserted, param: k };
    // A predicate: true only when the argument passes.
    if (!summary.accepts) {
      const truthy = returns.filter((r) => !falsy(r.expression));
      const accepted = truthy.length > 0 && truthy.every((r) => /^(?:true|True)$/.test(r.expression.trim()))
        ? truthy.map((r) => rejectingCheck(param, scope.slice(0, r.at), indentOf(scope[r.at]?.text ?? ''), context)).every(Boolean) ? rejectingCheck(param, scope.slice(0, truthy[0]?.at ?? 0), indentOf(scope[truthy[0]?.at ?? 0]?.text ?? ''), context) : undefined
        : truthy.length === 1 ? splitTop(truthy[0]?.expression ?? '', 'and').map((c) => passedCheck(c, param, context)).find(Boolean) : undefined;
      if (accepted) summary.accepts = { ...accepted, param: k };
    }
  }
  // `return t.startsWith('/') && !t.startsWith('//') && !t.startsWith('/\\')`: true only for a path on this site.
  const only = returns.filter((r) => !falsy(r.expression));
  const localParam = only.length === 1 ? found.params.findIndex((p) => localPathCondition(only[0]?.expression ?? '', p)) : -1;
  if (!summary.accepts && localParam >= 0) summary.accepts = { guarantee: 'local-path', param: localParam, how: 'a path on this site (it must start with `/` and with neither `//` nor `/\\`)' };
  if (!summary.accepts && found.params.length > 0 && sameSiteHelper(found.name, lines)) {
    summary.accepts = { guarantee: 'local-path', param: 0, how: 'a path on this site (its body parses the URL and refuses a scheme, a host and a `//` prefix)' };
  }
  // A MAC of its arguments under a key that is not one of them.
  const key = /\bhmac\.new\(\s*([^,]+),/.exec(text)?.[1] ?? /\bcreateHmac\(\s*[^,]+,\s*([^)]+)\)/.exec(text)?.[1];
  if (key !== undefined && returns.length > 0 && !found.params.some((p) => new RegExp(String.raw`(?<![\w$.])${escape(p)}(?![\w$])`).test(key))) summary.mac = true;
  const required = requiredEnvironment(found, firstLine);
  if (required) summary.requiredEnv = required;
  return summary;
}

/**
 * `required(name, devDefault)`: reads `process.env[name]` (`os.environ.get(name)`), and throws, raises
 * or exits in production before any `return devDefault` — or returns it only under a condition that
 * says it is not production. A helper that merely warns, or returns the fallback first, is not one.
 */
function requiredEnvironment(found: Found, firstLine: number): FunctionSummary['requiredEnv'] {
  const nameParam = found.params.findIndex((p) => found.body.some((l) => new RegExp(String.raw`process\.env\[\s*${escape(p)}\s*\]|os\.environ(?:\.get)?[[(]\s*${escape(p)}\s*[\])]|os\.getenv\(\s*${escape(p)}\b`).test(l.text)));
  if (nameParam < 0) return undefined;
  const production = /prod(uction)?\b/i;
  for (const [fallbackParam, fallback] of found.params.entries()) {
    if (fallbackParam === nameParam) continue;
    const gives = new RegExp(String.raw`\breturn\b[^;]*(?<![\w$.])${escape(fallback)}(?![\w$])`);
    let refused: string | undefined;
    let ok = false;
    for (const [i, { line, text }] of found.body.entries()) {
      if (/^\s*(?:if|elif)\b|\bif\s*\(/.test(text) && production.test(text) && /\braise\b|\bthrow\b|sys\.exit|process\.exit/.test(found.body.slice(i, i + 3).map((l) => l.text).join('\n'))) {
        refused ??= `line ${firstLine + line - 1}: \`${text.trim().slice(0, 90)}\``;
      }
      if (!gives.test(text)) continue;
      const underDevelopment = /(?:!\s*\w*prod\w*|not\s+\w*prod\w*|!==?\s*["']prod(?:uction)?["']|!=\s*["']prod(?:uction)?["'])/i.test(text) || /(?:!\s*\w*prod\w*|not\s+\w*prod\w*|!==?\s*["']prod(?:uction)?["'])/i.test(found.body[i - 1]?.text ?? '');
      ok = refused !== undefined || underDevelopment;
      if (!ok) return undefined;
    }
    if (ok) return { nameParam, fallbackParam, how: `\`${found.name}\` (line ${firstLine + found.index}) returns the environment's value and refuses a missing one in production (${refused ?? 'its fallback is returned only outside production'})` };
  }
  return undefined;
}

/** Summaries of functions of one file, computed once per name when asked; `resolve` finds a callee the file imports. */
export function functionSummaries(lines: readonly string[], path: string, firstLine = 1, resolve: (callee: string) => FunctionSummary | undefined = () => undefined): (name: string) => FunctionSummary | undefined {
  const memo = new Map<string, FunctionSummary | undefined>();
  const lookup = (name: string): FunctionSummary | undefined => {
    if (memo.has(name)) return memo.get(name);
    memo.set(name, undefined);
    const found = /^[A-Za-z_$][\w$]*$/.test(name) ? findFunction(name, lines) : undefined;
    const summary = found ? summarise(found, lines, `${path}:${firstLine + found.index}`, firstLine, (callee) => lookup(callee) ?? resolve(callee)) : resolve(name);
    memo.set(name, summary);
    return summary;
  };
  return lookup;
}
