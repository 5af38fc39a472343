import type { NumberedLine } from './code-view';
import { topLevelArguments } from './expressions';
import { block, dominates, escape, isFixedCollection, reject, strictPattern } from './guards';

/**
 * Checks as real code writes them, read from one condition: what makes a value pass (an anchored
 * pattern of harmless characters — literal, a module constant, `re.fullmatch(PATTERN, x)` —, a
 * fixed allow-list, a signature the server computes, a local predicate judged by its body), and the
 * `if` lines that reject a value unless it passes (`if (typeof ref !== 'string' || !REF.test(ref))
 * throw …`, `if expires < now or not hmac.compare_digest(given, sign(name)): raise`). Used by the
 * function summaries (`function-summaries.ts`) and by value-flow at the sink.
 */
export type Guarantee = 'escaped' | 'number' | 'basename' | 'pattern' | 'allow-list' | 'signed' | 'local-path';

export interface Check {
  guarantee: Guarantee;
  /** The pattern, for a pattern check: a path needs one that lets no `.` or `/` through. */
  pattern?: string;
  how: string;
}

/** What a callee of the code guarantees (`function-summaries.ts`), looked up by the name it is called by. */
export interface HelperSummary {
  name: string;
  where: string;
  returns?: Check;
  asserts?: Check & { param: number };
  accepts?: Check & { param: number };
  mac?: boolean;
  /** An `async` function: its throw only stops a caller that awaits it. */
  async?: boolean;
}

export interface CheckContext {
  /** The module's lines (for module-level patterns and collections). */
  module: readonly string[];
  /** A callee's summary, when the code defines it (same file or a module it imports). */
  helper: (callee: string) => HelperSummary | undefined;
  /** Lines before the check (for a MAC kept in a variable). */
  scope?: readonly NumberedLine[];
  /** The text of a constant the file imports (`const { REF } = require('./patterns')`, `patterns.REF`), as a module's lines and the name there. */
  imported?: (name: string) => { lines: readonly string[]; name: string } | undefined;
}

/** A pattern constant of the file, or of the repository module it is imported from. */
function patternNamed(name: string, context: CheckContext): string | undefined {
  const own = /^[A-Za-z_$][\w$]*$/.test(name) ? namedPattern(name, context.module) : undefined;
  const from = own === undefined ? context.imported?.(name) : undefined;
  return own ?? (from ? namedPattern(from.name, from.lines) : undefined);
}

const stripParens = (text: string): string => {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && topLevelArguments(t.slice(1, -1)).length === 1 && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
};
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth += 1;
    else if (ch === ')' && (depth -= 1) < 0) return false;
  }
  return depth === 0;
}

/** Top-level parts of a condition joined by `||`/`or` (or `&&`/`and`), outside brackets and strings. */
export function splitTop(expression: string, op: 'or' | 'and'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  const token = op === 'or' ? /^(?:\|\||\s+or\s+)/ : /^(?:&&|\s+and\s+)/;
  for (let i = 0; i < expression.length; i += 1) {
    const ch = expression[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '/' && /[(!,=&|]\s*$/.test(expression.slice(0, i))) {
      // A regular expression literal: skip to its closing slash.
      for (i += 1; i < expression.length && expression[i] !== '/'; i += expression[i] === '\\' ? 2 : 1);
    } else if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch)) depth -= 1;
    else if (depth === 0) {
      const m = token.exec(expression.slice(i));
      if (m) {
        parts.push(expression.slice(start, i).trim());
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter(Boolean);
}

/** A pattern the module holds in a constant: `const REF = /^…$/;`, `REF = re.compile(r"^…$")`, `REF = r"^…$"`. */
export function namedPattern(name: string, module: readonly string[]): string | undefined {
  const js = new RegExp(String.raw`^(?:export\s+)?(?:const|let|var)\s+${escape(name)}\s*=\s*/((?:[^/\\\n]|\\.)+)/[a-z]*\s*;?\s*$`);
  const py = new RegExp(String.raw`^${escape(name)}\s*(?::\s*[\w.[\]]+\s*)?=\s*(?:re\.compile\(\s*)?[rR]?(["'])((?:(?!\1).)+)\1\s*(?:,[^)]*)?\)?\s*(?:#.*)?$`);
  for (const line of module) {
    const m = js.exec(line);
    if (m) return m[1];
    const p = py.exec(line);
    if (p) return p[2];
  }
  return undefined;
}

function patternCheck(pattern: string | undefined, anchored: 'both' | 'implicit' | 'start'): Check | undefined {
  if (!pattern) return undefined;
  const whole = anchored === 'implicit' ? `^${pattern.replace(/^\^/, '').replace(/\$$/, '')}$` : anchored === 'start' ? `^${pattern.replace(/^\^/, '')}` : pattern;
  if (!whole.startsWith('^') || !whole.endsWith('$') || !strictPattern(whole)) return undefined;
  return { guarantee: 'pattern', pattern: whole, how: `matched against the anchored pattern \`${whole}\`` };
}

/** A pattern lets no `.` or `/` through, so a path segment it admits cannot be `..` (one literal `\.` cannot make two). */
export function noDots(check: Check): boolean {
  if (!check.pattern) return true;
  const classes = /\[((?:[^\]\\]|\\.)*)\]/g;
  if ([...check.pattern.matchAll(classes)].some((m) => /\.|\//.test(m[1] ?? ''))) return false;
  const outside = check.pattern.replace(classes, 'x');
  return !/\\\.(?:[+*{]|.*\\\.)|\//.test(outside);
}

/** Names of the values a MAC expression signs, when it is one: a MAC helper's call, `hmac.new(KEY, msg…)`, `createHmac(alg, KEY).update(msg)`. */
function signedBy(expression: string, context: CheckContext, depth = 0): string | undefined {
  const e = stripParens(expression.replace(/^Buffer\.from\(([\s\S]*)\)$/, '$1').replace(/\.encode\(\)$/, ''));
  const call = /^([A-Za-z_$][\w$.]*)\(([\s\S]*)\)(?:\.(?:hexdigest|digest)\([^()]*\))?$/.exec(e);
  if (call && context.helper(call[1] ?? '')?.mac) return call[2];
  const inline = /\bhmac\.new\(\s*([^,]+),\s*([^,)]+)/.exec(e) ?? /\bcreateHmac\(\s*[^,]+,\s*([^)]+)\)\s*\.update\(([^)]*)\)/.exec(e);
  if (inline && !/\b(?:req|request|params|query|body|args)\b/.test(inline[1] ?? '')) return inline[2];
  if (depth === 0 && /^[A-Za-z_$][\w$]*$/.test(e)) {
    const assigned = [...(context.scope ?? [])].reverse().map((l) => new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${escape(e)}\s*=\s*(.+?);?\s*$`).exec(l.text)).find(Boolean);
    if (assigned) return signedBy(assigned[1] ?? '', context, 1);
  }
  return undefined;
}

const mentions = (text: string, name: string): boolean => new RegExp(String.raw`(?<![\w$.])${escape(name)}(?![\w$])`).test(text);

/** A condition that holds only when `name` passes a check. */
export function passedCheck(condition: string, name: string, context: CheckContext): Check | undefined {
  const n = escape(name);
  let c = stripParens(condition);
  c = c.replace(/^(?:bool|Boolean)\(([\s\S]*)\)$/, '$1').replace(/^!!/, '').replace(/\s+is\s+not\s+None$|\s*!==?\s*(?:null|undefined)$/, '');
  c = stripParens(c);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(String.raw`^/((?:[^/\\\n]|\\.)+)/[a-z]*\.test\(\s*(?:String\()?${n}\)?\s*\)$`).exec(c))) return patternCheck(m[1], 'both');
  if ((m = new RegExp(String.raw`^([A-Za-z_$][\w$.]*)\.test\(\s*(?:String\()?${n}\)?\s*\)$`).exec(c))) return patternCheck(patternNamed(m[1] ?? '', context), 'both');
  if ((m = new RegExp(String.raw`^${n}\.match\(\s*/((?:[^/\\\n]|\\.)+)/[a-z]*\s*\)$`).exec(c))) return patternCheck(m[1], 'both');
  if ((m = new RegExp(String.raw`^re\.(fullmatch|match)\(\s*(?:[rR]?(["'])((?:(?!\2).)+)\2|([A-Za-z_]\w*))\s*,\s*${n}\s*(?:,[^)]*)?\)$`).exec(c))) {
    return patternCheck(m[3] ?? patternNamed(m[4] ?? '', context), m[1] === 'fullmatch' ? 'implicit' : 'start');
  }
  if ((m = new RegExp(String.raw`^([A-Za-z_]\w*)\.(fullmatch|match)\(\s*${n}\s*\)$`).exec(c))) return patternCheck(patternNamed(m[1] ?? '', context), m[2] === 'fullmatch' ? 'implicit' : 'start');
  if ((m = new RegExp(String.raw`^${n}\.matches\(\s*"([^"]+)"\s*\)$`).exec(c))) return patternCheck(m[1], 'implicit');
  if (new RegExp(String.raw`^${n}\.(?:isdigit|isdecimal|isnumeric)\(\)$`).test(c)) return { guarantee: 'pattern', pattern: '^\\d+$', how: 'made of digits only' };
  if (new RegExp(String.raw`^${n}\.isalnum\(\)$`).test(c)) return { guarantee: 'pattern', pattern: '^[A-Za-z0-9]+$', how: 'made of letters and digits only' };
  const member = new RegExp(String.raw`^${n}\s+in\s+(\S+)$`).exec(c) ?? new RegExp(String.raw`^(\S+)\.(?:includes|has|contains)\(\s*${n}\s*\)$`).exec(c);
  if (member && isFixedCollection(member[1] ?? '', context.module)) return { guarantee: 'allow-list', how: `a member of \`${member[1]}\`` };
  const compare = /^(?:hmac\.compare_digest|secrets\.compare_digest|crypto\.timingSafeEqual|timingSafeEqual|MessageDigest\.isEqual)\(([\s\S]*)\)$/.exec(c);
  const sides = compare ? topLevelArguments(compare[1] ?? '') : /^([^=!]+?)\s*===?\s*([^=]+)$/.exec(c)?.slice(1, 3) ?? [];
  if (sides.length === 2 && sides.some((side) => mentions(signedBy(side, context) ?? '', name))) {
    return { guarantee: 'signed', how: 'carrying a signature the server computes with its own key and compares' };
  }
  // A predicate of the code judged by its body: `isValidRef(ref)`, `is_safe_name(name)`.
  const call = /^([A-Za-z_$][\w$.]*)\(([\s\S]*)\)$/.exec(c);
  if (call) {
    const summary = context.helper(call[1] ?? '');
    const args = topLevelArguments(call[2] ?? '');
    if (summary?.accepts && args[summary.accepts.param]?.trim() === name) return { ...summary.accepts, how: `accepted by \`${call[1]}\` (${summary.where}), which returns true only when it is ${summary.accepts.how}` };
  }
  return undefined;
}

/** A condition that holds whenever `name` fails a check: `!CHECK`, `not CHECK`, `x not in C`, `C.indexOf(x) === -1`. */
export function failedCheck(condition: string, name: string, context: CheckContext): Check | undefined {
  const c = stripParens(condition);
  const negated = /^!\s*([\s\S]+)$/.exec(c) ?? /^not\s+([\s\S]+)$/.exec(c) ?? /^([\s\S]+?)\s+is\s+None$/.exec(c) ?? /^([\s\S]+?)\s*===?\s*(?:null|undefined|false|False)$/.exec(c);
  if (negated) return passedCheck(negated[1] ?? '', name, context);
  // Any character outside a harmless class: `if (/[^\w-]/.test(name))`, `if re.search(r"[^a-z0-9-]", name):`.
  const outside = new RegExp(String.raw`^(?:/\[\^((?:[^\]\\/]|\\.)+)\]/[a-z]*\.test\(\s*${escape(name)}\s*\)|re\.search\(\s*[rR]?(["'])\[\^((?:[^\]\\"']|\\.)+)\]\2\s*,\s*${escape(name)}\s*\))$`).exec(c);
  if (outside) {
    const check = patternCheck(`^[${outside[1] ?? outside[3] ?? ''}]*$`.replace(/\*\$$/, '+$'), 'both');
    if (check) return check;
  }
  const notIn = new RegExp(String.raw`^${escape(name)}\s+not\s+in\s+(\S+)$`).exec(c) ?? new RegExp(String.raw`^(\S+)\.indexOf\(\s*${escape(name)}\s*\)\s*(?:===?\s*-1|<\s*0)$`).exec(c);
  if (notIn && isFixedCollection(notIn[1] ?? '', context.module)) return { guarantee: 'allow-list', how: `a member of \`${notIn[1]}\`` };
  const differs = /^([^=!]+?)\s*!==?\s*([^=]+)$/.exec(c);
  if (differs && [differs[1] ?? '', differs[2] ?? ''].some((side) => mentions(signedBy(side, context) ?? '', name))) {
    return { guarantee: 'signed', how: 'carrying a signature the server computes with its own key and compares' };
  }
  return undefined;
}

/** The condition of an `if` on the line (JS: inside its parentheses; Python: up to the colon). */
export function ifCondition(text: string): string | undefined {
  const js = /^\s*(?:\}\s*else\s+)?if\s*\(/.exec(text);
  if (js) {
    let depth = 0;
    for (let i = js[0].length - 1; i < text.length; i += 1) {
      if (text[i] === '(') depth += 1;
      else if (text[i] === ')' && (depth -= 1) === 0) return text.slice(js[0].length, i);
    }
    return undefined;
  }
  return /^\s*(?:el)?if\s+(.+?):\s*(?:#.*)?$/.exec(text)?.[1] ?? /^\s*if\s+(.+?):\s*\S/.exec(text)?.[1];
}

const throws = /\b(?:raise|throw|abort\s*\(|sys\.exit|process\.exit)\b/;

/**
 * A check in `scope` that leaves unless `name` passes it and dominates the line at `indent`: an `if`
 * one of whose `||`/`or` parts fails when the check fails, its block leaving (`throwsOnly`: raising,
 * not returning), or a call of a helper that throws unless its argument passes (`assertRef(ref)`).
 */
export function rejectingCheck(name: string, scope: readonly NumberedLine[], indent: number, context: CheckContext, throwsOnly = false): (Check & { line: number; code: string }) | undefined {
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const { line, text } = scope[i] ?? { line: 0, text: '' };
    if (!mentions(text, name)) continue;
    const condition = ifCondition(text);
    if (condition !== undefined) {
      const body = block(scope, i);
      if (!(throwsOnly ? throws : reject).test(body) || !dominates(scope, i, indent, name)) continue;
      const local = { ...context, scope: scope.slice(0, i) };
      for (const part of splitTop(condition, 'or')) {
        const check = failedCheck(part, name, local);
        if (check) return { ...check, line, code: text.trim() };
      }
      continue;
    }
    const call = /^\s*(?:await\s+)?([A-Za-z_$][\w$.]*)\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*;?\s*$/.exec(text);
    const summary = call ? context.helper(call[1] ?? '') : undefined;
    const awaited = !summary?.async || /^\s*await\b/.test(text);
    if (call && summary?.asserts && awaited && topLevelArguments(call[2] ?? '')[summary.asserts.param]?.trim() === name && dominates(scope, i, indent, name)) {
      return { ...summary.asserts, how: `refused by \`${call[1]}\` (${summary.where}) unless it is ${summary.asserts.how}`, line, code: text.trim() };
    }
  }
  return undefined;
}

/** `if (isRef(ref)) {` / `if REF.fullmatch(ref):` holding the line at `indent` in its block. */
export function admittingCheck(name: string, scope: readonly NumberedLine[], indent: number, context: CheckContext): (Check & { line: number; code: string }) | undefined {
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const { line, text } = scope[i] ?? { line: 0, text: '' };
    const condition = mentions(text, name) ? ifCondition(text) : undefined;
    if (condition === undefined || !/[:{]\s*$/.test(text) || !dominates(scope, i, indent, name, true)) continue;
    for (const part of splitTop(condition, 'and')) {
      const check = passedCheck(part, name, { ...context, scope: scope.slice(0, i) });
      if (check) return { ...check, line, code: text.trim() };
    }
  }
  return undefined;
}
