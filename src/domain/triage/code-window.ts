/**
 * The part of a source file triage looks at: from a few dozen lines above the finding (enough to
 * reach the start of the enclosing function in ordinary code) to a few lines below it (a call's
 * continuation lines). Bounded so a minified one-line file or a huge file costs little.
 */
export interface CodeWindow {
  code: string;
  /** File line number of the first line of `code`. */
  codeStartLine: number;
}

export const LINES_BEFORE = 150;
export const LINES_AFTER = 60;
/** Longer lines are cut: minified code says nothing useful to a line-based analyzer. */
const MAX_LINE_CHARS = 400;

/** `content` may be given already split into lines (a file with many findings is split once). */
export function codeWindow(content: string | readonly string[], startLine: number, endLine = startLine): CodeWindow | undefined {
  const lines = typeof content === 'string' ? content.split('\n') : content;
  if (startLine < 1 || startLine > lines.length) return undefined;
  const first = Math.max(1, startLine - LINES_BEFORE);
  const last = Math.min(lines.length, Math.max(startLine, endLine) + LINES_AFTER);
  const code = lines
    .slice(first - 1, last)
    .map((line) => (line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line.replace(/\r$/, '')))
    .join('\n');
  return { code, codeStartLine: first };
}
