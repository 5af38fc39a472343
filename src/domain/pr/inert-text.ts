/**
 * Scanner text (messages, rule ids and names, tool names, file paths) is written by whoever
 * controls the scanned code or the SARIF upload. Before it reaches anything Bitbucket renders as
 * the service account (pull request titles, descriptions and comments, commit messages, Code
 * Insights reports), it goes through `inert`, the one place these rules live:
 *
 * - **Mentions.** Every `@` becomes `＠` (U+FF20, FULLWIDTH COMMERCIAL AT): it reads the same, but
 *   Bitbucket makes no mention (`@name`, `@{account-id}`) or e-mail link of it, so the service
 *   account never notifies anyone on a scanner's say-so. Visible on purpose: an invisible
 *   separator would be one more hidden character, which the next rule forbids.
 * - **Hidden characters.** Bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) and
 *   zero-width ones (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E, soft hyphen) are removed, as are
 *   other control characters except tab and newline. They are removed first, so `@\u200Bname` or
 *   `<\u200B!--` cannot slip past the rules after them.
 * - **Links.** `scheme://` becomes `scheme[:]//` and `www.` becomes `www[.]` (the "defanged" form
 *   security reports use): still readable, never auto-linked.
 * - **Comments.** `<!--` becomes `< !--` and `-->` becomes `-- >`, so scanner text can neither hide
 *   part of a description nor pose as the app's hidden state marker.
 *
 * Markdown escaping is separate (`description.ts`): these rules hold in plain text and in code spans too.
 */

const HIDDEN = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function inert(text: string): string {
  return text
    .replace(HIDDEN, '')
    .replace(CONTROL, '')
    .replace(/@/g, '\uFF20')
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/\bwww\./gi, 'www[.]')
    .replace(/<!--/g, '< !--')
    .replace(/-->/g, '-- >');
}

/** Inert text in a Markdown code span (backticks cannot be escaped inside one, so they become quotes). */
export const inertCode = (text: string): string => `\`${inert(text).replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;

const WORD = /[A-Za-z0-9]/;

/**
 * Inert text inside Markdown running text: on one line, with Markdown's own characters escaped so
 * scanner text cannot break the layout or make links, and at most `max` characters. An underscore
 * between letters or digits (`config_loader.py`) cannot start emphasis and stays as it is, so
 * paths and identifiers read the same in the raw description.
 */
export const inertMarkdown = (text: string, max = 1000): string =>
  inert(text)
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*[\]<>|])/g, '\\$1')
    .replace(/_/g, (underscore, at: number, all: string) => (WORD.test(all[at - 1] ?? '') && WORD.test(all[at + 1] ?? '') ? underscore : '\\_'))
    .slice(0, max);

/** A repository path for a link target: each segment percent-encoded, parentheses too, so it cannot end the link. */
export const linkPath = (path: string): string =>
  path.split('/').map((segment) => encodeURIComponent(segment).replace(/\(/g, '%28').replace(/\)/g, '%29')).join('/');
