/**
 * Whether the code tests a request value before it reaches a sink, for the `request-data`
 * confirmation (`analyzers/confirmations.ts`): a value that is tested is not said to arrive as it
 * was sent, and its confirmation does not settle a noisy rule's doubt.
 */
/** Whether a line of `scope` tests one of `names` (an `if`, a pattern, a membership or prefix check, an assertion). */
export function checkedIn(scope: readonly { text: string }[], names: readonly string[]): boolean {
  // A ternary's `?` (not `??` nor `?.`).
  return scope.some(({ text }) => /\b(?:if|assert|while)\b|(?<!\?)\?(?![?.])|\.(?:test|match|fullmatch|includes|has|startsWith|startswith)\(/.test(text)
    && names.some((name) => new RegExp(String.raw`(?<![\w$])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\w$])`).test(presenceTestsOut(text, name))));
}

/**
 * The line without string literals and without tests that only ask whether `name` is there or is
 * text (`!file`, `not name`, `typeof file !== 'string'`, `file === ''`, `x is None`): those refuse a
 * missing value, not a hostile one, so they limit nothing.
 */
function presenceTestsOut(text: string, name: string): string {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text
    .replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '""')
    .replace(new RegExp(String.raw`typeof\s+${n}\s*[!=]==?\s*""|(?:!\s*|\bnot\s+)${n}(?![\w$.(\[])|${n}\s*[!=]==?\s*(?:""|null|undefined|None)|${n}\s+is\s+(?:not\s+)?None`, 'g'), ' ');
}

/** The flagged statement itself tests `name` (a pattern, prefix or membership test, a ternary on it). */
export const testedHere = (here: string, name: string): boolean =>
  new RegExp(String.raw`(?<![\w$.])${name.replace(/\$/g, '\\$')}\.(?:startsWith|startswith|endsWith|match|includes)\(|\.(?:test|match|fullmatch|has|includes)\(\s*${name.replace(/\$/g, '\\$')}\s*\)[^;]*\?`).test(here);
