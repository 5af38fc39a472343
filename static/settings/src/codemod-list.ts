import type { CodemodInfo } from '../../shared/src/api-types';

/** Pure helpers of the codemod switches, kept apart so they can be unit-tested. */

const languageNames: Record<string, string> = {
  python: 'Python',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  tsx: 'TSX',
  java: 'Java',
};

export const languageLabel = (language: string): string => languageNames[language] ?? language;

/** By first language, then title, so a person finds a fix for their stack together. */
export function sortCodemods(items: readonly CodemodInfo[]): CodemodInfo[] {
  const key = (c: CodemodInfo) => languageLabel(c.languages[0] ?? '');
  return [...items].sort((a, b) => key(a).localeCompare(key(b)) || a.title.localeCompare(b.title));
}

/** The new `disabledCodemods` after one switch changes: sorted, without duplicates. */
export function toggleCodemod(disabled: readonly string[], id: string, on: boolean): string[] {
  const next = new Set(disabled);
  if (on) next.delete(id);
  else next.add(id);
  return [...next].sort();
}

/** The codemods whose title, summary, id or CWE contain `text` (case-insensitive) and that handle `language` ('' for any). */
export function filterCodemods(items: readonly CodemodInfo[], text: string, language: string): CodemodInfo[] {
  const needle = text.trim().toLowerCase();
  return items.filter((c) =>
    (language === '' || c.languages.includes(language))
    && (needle === '' || [c.title, c.summary, c.id, ...c.cwes].some((field) => field.toLowerCase().includes(needle))));
}

/** Every language of the catalogue, in the order of their labels. */
export const catalogueLanguages = (items: readonly CodemodInfo[]): string[] =>
  [...new Set(items.flatMap((c) => c.languages))].sort((a, b) => languageLabel(a).localeCompare(languageLabel(b)));
