/** Checks for the policy form's free-text fields, kept apart so they can be unit-tested. */

export function wholeNumberError(text: string, min: number, max: number): string | undefined {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    return `Enter a whole number from ${min} to ${max}.`;
  }
  return undefined;
}

/** Trimmed lines, without blank ones and duplicates. */
function lines(text: string): string[] {
  return [...new Set(text.split('\n').map((line) => line.trim()).filter((line) => line !== ''))];
}

/** One glob per line; blank lines and duplicates dropped. The backend allows 100 of up to 200 characters. */
export function parsePathExcludes(text: string): { patterns: string[]; error?: string } {
  const patterns = lines(text);
  const long = patterns.find((pattern) => pattern.length > 200);
  if (long) return { patterns, error: `"${long.slice(0, 40)}…" is longer than 200 characters.` };
  if (patterns.length > 100) return { patterns, error: `At most 100 patterns (there are ${patterns.length}).` };
  const absolute = patterns.find((pattern) => pattern.startsWith('/'));
  if (absolute) return { patterns, error: `"${absolute}" starts with /: paths are relative to the repository root, e.g. vendor/**.` };
  return { patterns };
}

/** Rule ids to ignore, one per line: the backend allows 200 of up to 300 characters. */
export function parseIgnoreRules(text: string): { values: string[]; error?: string } {
  const values = lines(text);
  const long = values.find((value) => value.length > 300);
  if (long) return { values, error: `"${long.slice(0, 40)}…" is longer than 300 characters.` };
  if (values.length > 200) return { values, error: `At most 200 rules (there are ${values.length}).` };
  return { values };
}

/** CWEs to ignore, one per line or separated by commas, as `CWE-79` or `79`; stored as `CWE-79`. */
export function parseIgnoreCwes(text: string): { values: string[]; error?: string } {
  const raw = lines(text.replace(/,/g, '\n'));
  const bad = raw.find((value) => !/^(CWE-?)?\d{1,5}$/i.test(value));
  if (bad) return { values: [], error: `"${bad.slice(0, 40)}" is not a CWE: write it as CWE-79 or 79.` };
  const values = [...new Set(raw.map((value) => `CWE-${value.replace(/^CWE-?/i, '')}`))];
  if (values.length > 200) return { values, error: `At most 200 CWEs (there are ${values.length}).` };
  return { values };
}
