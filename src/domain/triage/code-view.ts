/**
 * Line-level views of the code around a finding, shared by the code-aware analyzers: the flagged
 * statement (continuation lines included), the enclosing function's lines before it, and the
 * comment or docstring that describes that function. Heuristic and language-agnostic (Python,
 * JavaScript/TypeScript, Java): it never parses, it only reads indentation and brackets, so every
 * analyzer built on it must fail safe (no decision) when a view is missing.
 */
import { opens, walkBrackets } from './brackets';
export interface CodeView {
  lines: string[];
  /** File line number of `lines[0]`. */
  startLine: number;
  /** Index in `lines` of the reported start and end lines. */
  flagged: number;
  flaggedEnd: number;
}

export interface NumberedLine {
  line: number;
  text: string;
}

/** Statements spanning more lines than this are cut: the analyzers only need the call's arguments. */
const MAX_STATEMENT_LINES = 12;

export function makeView(code: string, codeStartLine: number, startLine: number, endLine = startLine): CodeView | undefined {
  const lines = code.split('\n');
  const flagged = startLine - codeStartLine;
  if (flagged < 0 || flagged >= lines.length) return undefined;
  const flaggedEnd = Math.min(lines.length - 1, Math.max(flagged, endLine - codeStartLine));
  return { lines, startLine: codeStartLine, flagged, flaggedEnd };
}

export const fileLine = (view: CodeView, index: number): number => view.startLine + index;

export const indentOf = (line: string): number => line.length - line.trimStart().length;

/** Bracket balance of a line, ignoring brackets inside string literals and after a line comment. */
function bracketDelta(line: string): number {
  let depth = 0;
  walkBrackets(line, (bracket) => void (depth += opens(bracket) ? 1 : -1), { stopAtLineComment: true });
  return depth;
}

/** A line that opens a block (function body, `if`, callback) rather than continuing an expression. */
const opensBlock = (line: string): boolean => /(=>\s*\{|\)\s*\{|\belse\s*\{|:)\s*$/.test(withoutComment(line));

/** The line without a trailing `#` or `//` comment (a `//` or `#` inside a string literal is kept). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '#' || (ch === '/' && line[i + 1] === '/')) return line.slice(0, i).trimEnd();
  }
  return line;
}

/** Lines above the flagged one searched for the call it continues. */
const MAX_CONTINUED_LINES = 8;

/**
 * The line where the statement holding the flagged line starts: the flagged line itself, or — when
 * the scanner reports an argument on a continuation line (`["convert", "--days", str(days)],` under
 * `subprocess.run(`) — the line that opened the call or literal still open at the flagged line. A
 * line that opens a block (a function body, a callback) ends the search: the flagged line is then
 * a statement of that block.
 */
export function statementStart(view: CodeView): number {
  let depth = 0;
  for (let i = view.flagged - 1; i >= Math.max(0, view.flagged - MAX_CONTINUED_LINES); i -= 1) {
    const line = withoutComment(view.lines[i] ?? '');
    // A statement that ended (`;`) or a block header (`if x:`) above: the flagged line starts its own.
    if (depth === 0 && /(;|:)\s*$/.test(line)) return view.flagged;
    const objectLiteral = /(?:[=(,:[]|\breturn)\s*\{\s*$/.test(line);
    if (opensBlock(line) || (/\{\s*$/.test(line) && !objectLiteral)) return view.flagged;
    depth += bracketDelta(line);
    // Only a call or a list continues onto the flagged line; an object literal's property is its own statement.
    if (depth > 0) return /[([]$/.test(unclosed(line)) ? i : view.flagged;
  }
  return view.flagged;
}

/** The brackets a line leaves open, in order (strings and a trailing comment skipped). */
function unclosed(line: string): string {
  const stack: string[] = [];
  walkBrackets(line, (bracket) => void (opens(bracket) ? stack.push(bracket) : stack.pop()), { stopAtLineComment: true });
  return stack.join('');
}

/**
 * The reported lines plus the continuation lines of a call or literal left open on the last of
 * them (a multi-line `yaml.load(` or `session({ … })`), bounded. A line that opens a block is not
 * continued: its body is not part of the statement.
 */
export function statement(view: CodeView): string {
  const taken = view.lines.slice(statementStart(view), view.flaggedEnd + 1);
  let depth = taken.reduce((sum, line) => sum + bracketDelta(line), 0);
  let index = view.flaggedEnd;
  if (opensBlock(taken[taken.length - 1] ?? '') && !openString(taken.join('\n'))) return taken.join('\n');
  // A Python triple-quoted string or a JavaScript template literal left open goes on too: the SQL
  // text of `sql = f"""` is on the lines below it, and so is what is interpolated into it.
  while ((depth > 0 || openString(taken.join('\n')) || continues(taken[taken.length - 1] ?? '', view.lines[index + 1])) && index + 1 < view.lines.length && taken.length < MAX_STATEMENT_LINES) {
    index += 1;
    const line = view.lines[index] ?? '';
    taken.push(line);
    depth += bracketDelta(line);
  }
  return taken.join('\n');
}

/**
 * Whether an expression goes on past the end of `line`: a Python `\` line continuation, a
 * trailing binary operator (`"… '" +`), or a next line that starts with one (`+ name + "'"`,
 * `.join(…)`). Without this, `query = "SELECT … '" \` would be read as the literal alone.
 */
export function continues(line: string, next: string | undefined): boolean {
  const code = withoutComment(line).trimEnd();
  if (code === '' || opensBlock(code)) return false;
  if (/\\$/.test(code) || /(?:(?<!\+)\+|%|\?|\|\||&&|(?<![=!<>])=)$/.test(code)) return true;
  return next !== undefined && /^\s*(?:\+(?!\+)|\.(?!\.)|\|\||&&|\?\?|%\s)/.test(next);
}

/**
 * Whether `text` ends inside a string that may span lines: a Python `"""`/`'''` string or a
 * JavaScript template literal. Ordinary quotes end at the end of their line. A statement cut while
 * such a string is open is incomplete, and analyzers reading its value must decide nothing.
 */
export function openString(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (quote.length === 3 ? text.startsWith(quote, i) : ch === quote) {
        i += quote.length - 1;
        quote = undefined;
      } else if (ch === '\n' && quote !== '`' && quote.length === 1) quote = undefined;
      continue;
    }
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      quote = text.slice(i, i + 3);
      i += 2;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i += 1;
    }
  }
  return quote !== undefined && (quote === '`' || quote.length === 3);
}

const functionHeader = new RegExp([
  /^\s*(?:async\s+)?def\s+\w+/.source, // Python
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\b/.source, // JS function declaration
  /=>\s*\{\s*$/.source, // JS arrow function with a body (route handlers, callbacks)
  /\bfunction\s*\([^)]*\)\s*\{\s*$/.source, // JS function expression
  /^\s*(?:(?:public|private|protected|static|final|synchronized|abstract)\s+)+(?:[\w[\].?]|<[^()]*>)+\s+\w+\s*\(/.source, // Java method (generic return types included)
  // JS/TS class method (`async list(query: Dto): Promise<X> {`, `receive(@Body() body, @Headers('x') sig) {`):
  // indented, a bare name, its parameters, an optional return type, then the body; never a keyword.
  /^\s+(?:(?:public|private|protected|static|async|override)\s+)*(?!(?:if|for|while|switch|catch|with|return|function|else|do|try)\b)[A-Za-z_$][\w$]*\s*(?:<[^>]*>)?\s*\(.*\)\s*(?::\s*[^{;=]+)?\{\s*$/.source,
].join('|'));

/**
 * Index of the header of the function enclosing the flagged line, if one is in view. Walks up to
 * the nearest less-indented function header; a less-indented line at column 0 that is not one
 * (a class, a module statement) means the flagged line is not inside a function we can see.
 */
export function enclosingFunction(view: CodeView): number | undefined {
  const flaggedIndent = indentOf(view.lines[view.flagged] ?? '');
  if (flaggedIndent === 0) return undefined;
  for (let i = view.flagged - 1; i >= 0; i -= 1) {
    const line = view.lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || indentOf(line) >= flaggedIndent) continue;
    if (functionHeader.test(line)) return i;
    if (indentOf(line) === 0 && !/^([})\]]|@|#|\/\/|\/\*|\*)/.test(trimmed)) return undefined;
  }
  return undefined;
}

/** The enclosing function's lines before the flagged line (empty at module level or when the header is out of view). */
export function scopeBefore(view: CodeView): NumberedLine[] {
  const header = enclosingFunction(view);
  if (header === undefined) return [];
  return view.lines.slice(header, view.flagged).map((text, i) => ({ line: fileLine(view, header + i), text }));
}

/**
 * The enclosing function's name, the comment block above it and (Python) its docstring: what a
 * reviewer reads to learn what the code is for.
 */
export function functionDescription(view: CodeView): string | undefined {
  const header = enclosingFunction(view);
  if (header === undefined) return undefined;
  const parts = [view.lines[header] ?? ''];
  for (let i = header - 1; i >= 0; i -= 1) {
    const line = (view.lines[i] ?? '').trim();
    if (/^(\/\*\*?|\*|\/\/|#|@)/.test(line) || line.endsWith('*/')) parts.push(line);
    else break;
  }
  const next = (view.lines[header + 1] ?? '').trim();
  if (/^[rbu]?("""|''')/.test(next)) parts.push(next);
  return parts.join('\n');
}

/**
 * The line of the `if __name__ == "__main__":` block that holds the flagged line (Python), or
 * undefined when the flagged line is at the top level or under another top-level statement.
 */
export function mainGuardAbove(view: CodeView): number | undefined {
  if (indentOf(view.lines[view.flagged] ?? '') === 0) return undefined;
  for (let i = view.flagged - 1; i >= 0; i -= 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) > 0) continue;
    return /^if\s+__name__\s*==\s*["']__main__["']\s*:/.test(line) ? i : undefined;
  }
  return undefined;
}
