import { enclosingFunction, fileLine, indentOf, statement, type CodeView } from './code-view';
import { words } from './analyzers/value-use';

/**
 * Whether a random value or a weak hash is a credential, read from the code: the statement, the
 * variable it assigns or the function making it names a token, an invite, a reset or verification
 * code, a secret, a password, a session or an API key (`newInviteToken()`, `reset_code = …`), or the
 * value is put in a link that grants access (`` `${base}/join?invite=${token}` ``). A reason that
 * says otherwise ("only has to be unique") does not hold then: whoever guesses the value holds the
 * credential. An element id, a React key or a cache key names none of these.
 */
const credentialWords = /\b(?:tokens?|secrets?|passw\w*|passphrase|otp|one ?time|nonce|salt|sessions?|sid|api ?keys?|apikey|invites?|invitations?|reset|verif\w*|credentials?|auth|authn|authenticat\w*|authori[sz]\w*|csrf|xsrf|magic ?links?|signup|activation|activate|confirm(?:ation)? ?code|access ?code|login ?code|pin|signing|signature)\b/i;

const withoutComment = (line: string): string => line.replace(/\s(?:\/\/|#).*$|^\s*(?:\/\/|#|\*|\/\*).*$/, '');

/** Rules about a non-cryptographic random value or a weak hash: what a credential must not be made with. */
export const guessableValueRule = /random|pseudo-random|cwe-330\b|cwe-338\b|\bb311\b|md5|sha-?1\b|weak-hash|insecure-hash|\bb303\b|\bb324\b|cwe-327\b|cwe-328\b|cwe-916\b/;

export function credentialUse(view: CodeView): string | undefined {
  const text = statement(view).split('\n').map(withoutComment).join('\n');
  const line = fileLine(view, view.flagged);
  const named = credentialWords.exec(words(text))?.[0];
  if (named) return `the value made at line ${line} is named as a credential ("${named}" in \`${text.trim().slice(0, 80)}\`)`;
  const header = enclosingFunction(view);
  const headerText = header === undefined ? '' : view.lines[header] ?? '';
  const fn = /\b(?:def|function)\s+([\w$]+)|(?:const|let|var)\s+([\w$]+)\s*=/.exec(headerText);
  const fnName = fn?.[1] ?? fn?.[2];
  const inFn = fnName ? credentialWords.exec(words(fnName))?.[0] : undefined;
  if (fnName && inFn) return `the value is made by \`${fnName}\` (line ${fileLine(view, header ?? 0)}), named for a credential ("${inFn}")`;
  // The assigned variable's later uses in the function: a link with a query parameter that carries it.
  const assigned = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]+)?\+?=(?!=)/.exec(text)?.[1];
  if (!assigned) return undefined;
  const floor = header === undefined ? -1 : indentOf(headerText);
  const read = new RegExp(String.raw`(?<![\w$.])${assigned.replace(/\$/g, '\\$')}(?![\w$])`);
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const next = view.lines[i] ?? '';
    if (next.trim() === '') continue;
    if (header !== undefined && indentOf(next) <= floor) break;
    if (!read.test(next)) continue;
    const link = /[?&][\w-]+=\$?\{?\s*["'`]?\s*\+?\s*$|[?&][\w-]+=\$\{|[?&][\w-]+=["'`]\s*\+|[?&][\w-]+=\{/.test(next) || /https?:\/\/|\/\w+\?\w+=/.test(next) && /[?&][\w-]+=/.test(next);
    if (link) return `the value made at line ${line} is put in a link at line ${fileLine(view, i)} (\`${next.trim().slice(0, 80)}\`), which grants whoever holds it access`;
    const usedAs = credentialWords.exec(words(withoutComment(next)))?.[0];
    if (usedAs) return `the value made at line ${line} is used as a credential at line ${fileLine(view, i)} ("${usedAs}" in \`${next.trim().slice(0, 80)}\`)`;
  }
  return undefined;
}
