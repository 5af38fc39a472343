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
const reject = /\b(raise|return|abort\s*\(|throw|continue|sys\.exit)\b/;
const escape = (name: string): string => name.replace(/[$]/g, '\\$');

/** An anchored pattern made only of harmless characters. */
export function strictPattern(pattern: string): boolean {
  let body = pattern;
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$')) body = body.slice(0, -1);
  const piece = String.raw`(?:\[(?:[A-Za-z0-9_.]|\\[dw.\-]|-)+\]|\\[dw]|[A-Za-z0-9_-])(?:[+*?]|\{\d+(?:,\d*)?\})?`;
  return body.length > 0 && new RegExp(`^(?:${piece})+$`).test(body);
}

/** The lines after `index` that belong to the `if` on it (same line after `:` or `)`, or the indented block). */
function block(lines: readonly NumberedLine[], index: number): string {
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
 * A path made absolute (`path.resolve(BASE, x)`, `BASE.resolve(x).normalize()`, `realpath`,
 * `getCanonicalPath`) and then required to start with the base directory, else rejected.
 */
export function containmentCheck(name: string, scope: readonly NumberedLine[]): Guard | undefined {
  const n = escape(name);
  const resolved = scope.some(({ text }) =>
    new RegExp(String.raw`\b${n}\s*=(?!=).*(?:path\.resolve\(|\.normalize\(\)|realpath\(|getCanonicalPath\(|toRealPath\()`).test(text));
  if (!resolved) return undefined;
  const check = new RegExp(String.raw`\bif\s*\(?\s*(?:!|not\s+)\s*${n}\.(?:startsWith|startswith)\(`);
  for (const [index, { line, text }] of scope.entries()) {
    if (check.test(text) && reject.test(block(scope, index))) return { kind: 'pattern', line, code: text.trim() };
  }
  return undefined;
}

export function guardOn(name: string, scope: readonly NumberedLine[], flaggedIndent: number): Guard | undefined {
  const n = escape(name);
  const negatedChecks = [
    new RegExp(String.raw`^\s*if\s+${n}\s+not\s+in\s+${fixedCollection}\s*:`),
    new RegExp(String.raw`\bif\s*\(\s*!\s*${fixedCollection}\.(?:includes|has|contains)\(\s*${n}\s*\)\s*\)`),
    new RegExp(String.raw`\bif\s*\(\s*${fixedCollection}\.indexOf\(\s*${n}\s*\)\s*(?:===?\s*-1|<\s*0)\s*\)`),
  ];
  const patternChecks = [
    new RegExp(String.raw`\bif\s*\(\s*!\s*/((?:[^/\\\n]|\\.)+)/[a-z]*\.test\(\s*${n}\s*\)\s*\)`),
    new RegExp(String.raw`^\s*if\s+not\s+re\.(?:fullmatch|match)\(\s*[rR]?["']([^"']+)["']\s*,\s*${n}\s*\)\s*:`),
    new RegExp(String.raw`\bif\s*\(\s*!\s*${n}\.matches\(\s*"([^"]+)"\s*\)\s*\)`),
  ];
  const positive = new RegExp(String.raw`^\s*if\s+${n}\s+in\s+${fixedCollection}\s*:`);
  // Python's character-class predicates: digits or letters and digits only.
  const classCheck = new RegExp(String.raw`^\s*if\s+not\s+${n}\.(?:isdigit|isdecimal|isnumeric|isalnum)\(\)\s*:`);
  const resets = new RegExp(String.raw`^\s*${n}\s*=\s*["'\d]`, 'm');

  for (const [index, { line, text }] of scope.entries()) {
    const code = text.trim();
    if (positive.test(text) && flaggedIndent > indentOf(text)) return { kind: 'allow-list', line, code };
    const body = () => block(scope, index);
    if (negatedChecks.some((check) => check.test(text)) && (reject.test(body()) || resets.test(body()))) return { kind: 'allow-list', line, code };
    if (classCheck.test(text) && reject.test(body())) return { kind: 'pattern', line, code };
    for (const check of patternChecks) {
      const m = check.exec(text);
      // Java's `matches` is anchored by definition.
      const pattern = m?.[1] ?? '';
      if (m && strictPattern(check === patternChecks[2] ? `^${pattern}$` : pattern) && (check === patternChecks[0] ? pattern.startsWith('^') && pattern.endsWith('$') : true) && reject.test(body())) {
        return { kind: 'pattern', line, code };
      }
    }
  }
  return undefined;
}
