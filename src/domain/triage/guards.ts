import { indentOf, type NumberedLine } from './code-view';

/**
 * Checks earlier in the same function that only let known values of a variable through:
 * - an allow-list: `if x not in ALLOWED: raise|return|abort|x = "default"`, `if x in ALLOWED:` with
 *   the flagged line inside the block, `if (!ALLOWED.includes(x)) return|throw …`,
 *   `if (!ALLOWED.contains(x)) { throw … }`, `ALLOWED.indexOf(x) === -1` / `< 0`;
 * - a strict pattern: `if (!/^[a-z0-9.-]+$/.test(x)) return …`, `if not re.fullmatch(r"[\w-]+", x): abort(400)`,
 *   `if (!x.matches("[0-9]+")) throw …`, anchored and made only of characters that mean nothing to
 *   a shell, SQL, HTML or a path (letters, digits, `_`, `-`, `.`).
 * The collection must look fixed: an UPPER_CASE constant, a name saying allow/white/permit/valid/
 * safe/known/trusted, or a literal list.
 */
export interface Guard {
  kind: 'allow-list' | 'pattern';
  line: number;
  code: string;
}

const fixedCollection = String.raw`(?:[A-Z][A-Z0-9_]*|[\w$.]*(?:allow|white|permit|valid|safe|known|trusted)[\w$]*|\([^()]*\)|\[[^\]]*\]|\{[^{}]*\})`;
// SvelteKit 2's `error(404, …)` and `redirect(303, …)` throw by themselves (a bare call with a status code first).
export const reject = /\b(raise|return|abort\s*\(|throw|continue|sys\.exit)\b|(?<![\w$.])(?:error\s*\(\s*[45]\d\d|redirect\s*\(\s*30[1278])\s*,/;
/** A variable or member expression (`name`, `req.params.name`, `request.args["f"]`) as a regular expression. */
export const escape = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An anchored pattern made only of harmless characters. */
export function strictPattern(pattern: string): boolean {
  let body = pattern;
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$')) body = body.slice(0, -1);
  const piece = String.raw`(?:\[(?:[A-Za-z0-9_.]|\\[dw.\-]|-)+\]|\\[dw]|[A-Za-z0-9_-])(?:[+*?]|\{\d+(?:,\d*)?\})?`;
  return body.length > 0 && new RegExp(`^(?:${piece})+$`).test(body);
}

/** The lines after `index` that belong to the `if` on it (same line after `:` or `)`, or the indented block). */
export function block(lines: readonly NumberedLine[], index: number): string {
  const head = lines[index]?.text ?? '';
  const indent = indentOf(head);
  const body = [head.replace(/^[^:)]*[:)]/, '')];
  for (let i = index + 1; i < lines.length; i += 1) {
    const text = lines[i]?.text ?? '';
    if (text.trim() === '' || text.trim() === '}') continue;
    if (indentOf(text) <= indent) break;
    body.push(text);
  }
  return body.join('\n');
}

/**
 * Whether the check on `scope[index]` guards the flagged line: a rejecting check (`if x not in A:
 * abort()`) must sit in the flagged line's block or one enclosing it, with no line after it leaving
 * that block before the flagged line; a positive check (`if x in A:`) must hold the flagged line in
 * its block. Either way `name` must not be assigned again between the check and the flagged line.
 */
export function dominates(scope: readonly NumberedLine[], index: number, flaggedIndent: number, name: string, positive = false): boolean {
  const guardIndent = indentOf(scope[index]?.text ?? '');
  if (positive ? flaggedIndent <= guardIndent : flaggedIndent < guardIndent) return false;
  const assigned = new RegExp(String.raw`(?:^|[^\w$.])${escape(name)}\s*(?:[-+*/|&]|\?\?)?=(?![=>])`);
  let i = index + 1;
  // A rejecting check's own block may reset the value (`x = "default"`); it ends before the flagged line.
  if (!positive) while (i < scope.length && ((scope[i]?.text ?? '').trim() === '' || indentOf(scope[i]?.text ?? '') > guardIndent)) i += 1;
  for (; i < scope.length; i += 1) {
    const text = scope[i]?.text ?? '';
    if (text.trim() === '') continue;
    if (positive ? indentOf(text) <= guardIndent : indentOf(text) < guardIndent) return false;
    if (assigned.test(text)) return false;
  }
  return true;
}

/**
 * A collection that looks fixed by the code: an UPPER_CASE constant, a name saying allow/white/
 * permit/valid/safe/known/trusted, a literal, or a name the file assigns at its top level to a
 * literal set, list, tuple or frozenset (`allowed_formats = {"csv", "pdf"}`,
 * `const formats = new Set(['csv', 'pdf'])`).
 */
function fixedByModule(collection: string, module: readonly string[]): boolean {
  if (!/^[a-z_$][\w$]*$/.test(collection) || /^[A-Z]/.test(collection)) return false;
  const literalItems = String.raw`\s*(?:["'][^"'\n]*["']|-?\d+)(?:\s*,\s*(?:["'][^"'\n]*["']|-?\d+))*\s*,?\s*`;
  const literal = new RegExp(String.raw`^(?:(?:export\s+)?(?:const|let|var)\s+)?${escape(collection)}\s*(?::[^=]+)?=\s*(?:new\s+Set\(\s*\[${literalItems}\]\s*\)|(?:frozenset|set|tuple)\(\s*[[({]${literalItems}[\])}]\s*\)|Object\.freeze\(\s*\[${literalItems}\]\s*\)|[[({]${literalItems}[\])}])(?:\s+as\s+const)?\s*;?\s*(?:#.*|\/\/.*)?$`);
  return module.some((line) => literal.test(line));
}

/** A collection the code fixes: an UPPER_CASE constant, an allow-list name, a literal, or a module-level literal collection. */
export function isFixedCollection(collection: string, module: readonly string[]): boolean {
  return new RegExp(`^${fixedCollection}$`).test(collection) || fixedByModule(collection, module);
}

export function guardOn(name: string, scope: readonly NumberedLine[], flaggedIndent: number, module: readonly string[] = []): Guard | undefined {
  const n = escape(name);
  const collection = String.raw`(${fixedCollection}|[a-z_$][\w$]*)`;
  const negatedChecks = [
    new RegExp(String.raw`^\s*if\s+${n}\s+not\s+in\s+${collection}\s*:`),
    new RegExp(String.raw`^\s*if\s+not\s+${n}\s+in\s+${collection}\s*:`),
    new RegExp(String.raw`\bif\s*\(\s*!\s*${collection}\.(?:includes|has|contains)\(\s*${n}\s*\)\s*\)`),
    new RegExp(String.raw`\bif\s*\(\s*${collection}\.indexOf\(\s*${n}\s*\)\s*(?:===?\s*-1|<\s*0)\s*\)`),
    // `if (!(name in TEMPLATES))`, `if (!Object.hasOwn(TEMPLATES, name))`, `…hasOwnProperty.call(TEMPLATES, name)`
    new RegExp(String.raw`\bif\s*\(\s*!\s*\(\s*${n}\s+in\s+${collection}\s*\)\s*\)`),
    new RegExp(String.raw`\bif\s*\(\s*!\s*(?:Object\.hasOwn|Object\.prototype\.hasOwnProperty\.call)\(\s*${collection}\s*,\s*${n}\s*\)\s*\)`),
  ];
  // A pattern compiled once at the top of the file: `const SLUG = /^[a-z0-9-]+$/;`, `SLUG = re.compile(r"[a-z0-9-]+")`.
  const named = (name: string): string => {
    const js = new RegExp(String.raw`^(?:export\s+)?(?:const|let|var)\s+${escape(name)}\s*=\s*/((?:[^/\\\n]|\\.)+)/[a-z]*\s*;?\s*$`);
    const py = new RegExp(String.raw`^${escape(name)}\s*=\s*re\.compile\(\s*[rR]?["']([^"']+)["']\s*(?:,[^)]*)?\)\s*$`);
    for (const line of module) {
      const m = js.exec(line) ?? py.exec(line);
      if (m) return m[1] ?? '';
    }
    return '';
  };
  const patternChecks: { check: RegExp; pattern: (m: RegExpExecArray) => string; anchored: 'both' | 'implicit' | 'start' }[] = [
    { check: new RegExp(String.raw`\bif\s*\(\s*!\s*/((?:[^/\\\n]|\\.)+)/[a-z]*\.test\(\s*${n}\s*\)\s*\)`), pattern: (m) => m[1] ?? '', anchored: 'both' },
    { check: new RegExp(String.raw`^\s*if\s+not\s+re\.fullmatch\(\s*[rR]?["']([^"']+)["']\s*,\s*${n}\s*\)\s*:`), pattern: (m) => m[1] ?? '', anchored: 'implicit' },
    // `re.match` anchors only at the start: the pattern must end with `$`.
    { check: new RegExp(String.raw`^\s*if\s+not\s+re\.match\(\s*[rR]?["']([^"']+)["']\s*,\s*${n}\s*\)\s*:`), pattern: (m) => m[1] ?? '', anchored: 'start' },
    { check: new RegExp(String.raw`\bif\s*\(\s*!\s*${n}\.matches\(\s*"([^"]+)"\s*\)\s*\)`), pattern: (m) => m[1] ?? '', anchored: 'implicit' },
    { check: new RegExp(String.raw`\bif\s*\(\s*!\s*([A-Za-z_$][\w$]*)\.test\(\s*${n}\s*\)\s*\)`), pattern: (m) => named(m[1] ?? ''), anchored: 'both' },
    { check: new RegExp(String.raw`^\s*if\s+not\s+([A-Za-z_]\w*)\.fullmatch\(\s*${n}\s*\)\s*:`), pattern: (m) => named(m[1] ?? ''), anchored: 'implicit' },
    { check: new RegExp(String.raw`^\s*if\s+not\s+([A-Za-z_]\w*)\.match\(\s*${n}\s*\)\s*:`), pattern: (m) => named(m[1] ?? ''), anchored: 'start' },
  ];
  const positives = [
    new RegExp(String.raw`^\s*if\s+${n}\s+in\s+${collection}\s*:`),
    new RegExp(String.raw`\bif\s*\(\s*${collection}\.(?:includes|has|contains)\(\s*${n}\s*\)\s*\)\s*\{?\s*$`),
  ];
  const fixed = (m: RegExpExecArray | null): boolean => m !== null && isFixedCollection(m[1] ?? '', module);
  // Python's character-class predicates: digits or letters and digits only.
  const classCheck = new RegExp(String.raw`^\s*if\s+not\s+${n}\.(?:isdigit|isdecimal|isnumeric|isalnum)\(\)\s*:`);
  const resets = new RegExp(String.raw`^\s*${n}\s*=\s*["'\d]`, 'm');

  for (const [index, { line, text }] of scope.entries()) {
    const code = text.trim();
    if (positives.some((p) => fixed(p.exec(text))) && dominates(scope, index, flaggedIndent, name, true)) return { kind: 'allow-list', line, code };
    const body = () => block(scope, index);
    const guards = () => dominates(scope, index, flaggedIndent, name);
    if (negatedChecks.some((check) => fixed(check.exec(text))) && (reject.test(body()) || resets.test(body())) && guards()) return { kind: 'allow-list', line, code };
    if (classCheck.test(text) && reject.test(body()) && guards()) return { kind: 'pattern', line, code };
    for (const { check, pattern: patternOf, anchored } of patternChecks) {
      const m = check.exec(text);
      if (!m) continue;
      const pattern = patternOf(m);
      // Java's `matches` and Python's `fullmatch` are anchored by definition; `re.match` only at the start.
      const whole = anchored === 'implicit' ? `^${pattern.replace(/^\^/, '').replace(/\$$/, '')}$` : anchored === 'start' ? `^${pattern.replace(/^\^/, '')}` : pattern;
      if (pattern && whole.startsWith('^') && whole.endsWith('$') && strictPattern(whole) && reject.test(body()) && guards()) return { kind: 'pattern', line, code };
    }
  }
  return undefined;
}

/**
 * Member expressions a check in the function names (`req.params.name`, `request.args["kind"]`):
 * candidates for `guardOn` when the sink uses the expression itself rather than a variable.
 */
export function checkedExpressions(scope: readonly NumberedLine[]): string[] {
  const expression = String.raw`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\s*["'][^"'\]]+["']\s*\])+)`;
  const forms = [
    new RegExp(String.raw`^\s*if\s+(?:not\s+)?${expression}\s+(?:not\s+)?in\s`),
    new RegExp(String.raw`\.(?:includes|has|contains|indexOf)\(\s*${expression}\s*\)`),
    new RegExp(String.raw`\.test\(\s*${expression}\s*\)`),
    new RegExp(String.raw`re\.(?:fullmatch|match)\([^,]+,\s*${expression}\s*\)`),
  ];
  const found = new Set<string>();
  for (const { text } of scope) for (const form of forms) {
    const m = form.exec(text);
    if (m?.[1]) found.add(m[1]);
  }
  return [...found];
}
