/**
 * Walks the brackets of a line or expression of code, skipping string literals (with their escapes)
 * and, when asked, what follows a line comment (`#` or `//`). `visit` sees each bracket and its
 * index; returning true stops the walk.
 */
export function walkBrackets(
  text: string,
  visit: (bracket: string, index: number) => boolean | void,
  options: { from?: number; stopAtLineComment?: boolean } = {},
): void {
  let quote: string | undefined;
  for (let i = options.from ?? 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (options.stopAtLineComment && (ch === '#' || (ch === '/' && text[i + 1] === '/'))) return;
    else if ('([{)]}'.includes(ch) && visit(ch, i) === true) return;
  }
}

export const opens = (bracket: string): boolean => '([{'.includes(bracket);

/** Index of the bracket closing the one at `open` (every kind counts toward the depth; strings skipped), or -1. */
export function closingBracket(text: string, open: number): number {
  let depth = 0;
  let end = -1;
  walkBrackets(text, (bracket, index) => {
    depth += opens(bracket) ? 1 : -1;
    if (depth > 0) return false;
    end = index;
    return true;
  }, { from: open });
  return end;
}

/** The text inside the bracket opening at `open` (strings skipped), or undefined when it does not close. */
export function insideBrackets(text: string, open: number): string | undefined {
  const end = closingBracket(text, open);
  return end < 0 ? undefined : text.slice(open + 1, end);
}
