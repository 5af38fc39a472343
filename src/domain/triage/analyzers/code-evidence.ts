import { enclosingFunction, fileLine, functionDescription, scopeBefore, statement, type CodeView } from '../code-view';
import type { Defuser } from './defusers';
import { notACredentialRule, ruleText, type AnalyzerInput } from './types';
import { purposeByUse, words } from './value-use';

/**
 * Defusers that need the flagged line located in real code (`input.view`): the whole statement,
 * the enclosing function. Each is limited to the rule family it can answer.
 */

const flaggedStatement = ({ view }: AnalyzerInput): string | undefined => (view ? statement(view) : undefined);

/** `import subprocess`, `const fs = require('fs')`, `import java.util.Random;`: naming a module does nothing by itself. */
function importOnly(input: AnalyzerInput): string | undefined {
  const text = flaggedStatement(input)?.trim();
  if (!text || text.includes('\n')) return undefined;
  const imports = [
    /^import\s+[\w.]+(\s+as\s+\w+)?(\s*,\s*[\w.]+(\s+as\s+\w+)?)*$/, // Python
    /^from\s+[\w.]+\s+import\s+[\w\s,*()]+$/, // Python
    /^import\s+(static\s+)?[\w.*]+;$/, // Java
    /^(const|let|var)\s+[\w${}\s,:]+=\s*require\(\s*['"][^'"]+['"]\s*\)(\.\w+)?;?$/, // CommonJS
    /^import\s+[\w${}\s,*]+from\s+['"][^'"]+['"];?$/, // ES modules
  ];
  if (!imports.some((pattern) => pattern.test(text))) return undefined;
  // A rule named after the module (`use-defused-xml` on `import xml.etree…`) is about choosing that
  // module: then the import is the finding.
  const modules = [...text.matchAll(/(?:import|from|require\(\s*['"])\s*([A-Za-z_][\w-]*)/g)].map((m) => (m[1] ?? '').toLowerCase());
  const rule = `${input.finding.ruleId} ${input.finding.ruleName ?? ''}`.toLowerCase();
  // Except `child_process` under a rule that also reports each call of it (`detect-child-process`
  // flags the require and every `exec(…)`): importing it runs nothing.
  const judgedAtCalls = (name: string): boolean => name === 'child_process' && /detect-child-process/.test(rule);
  if (modules.some((name) => name.length > 1 && name !== 'static' && rule.includes(name) && !judgedAtCalls(name))) return undefined;
  return text;
}

/** A fixed program with its arguments as a list and no shell: nothing parses the arguments as a command line. */
function argumentListWithoutShell(input: AnalyzerInput): string | undefined {
  const text = flaggedStatement(input);
  if (!text || /shell\s*[=:]\s*(True|true)/.test(text)) return undefined;
  const forms = [
    /\bsubprocess\.(?:run|call|check_call|check_output|Popen)\(\s*\[\s*(?:["'][^"']+["']|sys\.executable\b)/, // Python (the running interpreter counts as fixed)
    /\b(?:execFile|execFileSync|spawn|spawnSync)\(\s*['"][^'"]+['"]\s*,\s*\[/, // Node
    /\bexec\(\s*new\s+String\s*\[\]\s*\{\s*"[^"]+"/, // Java Runtime.exec(String[])
    /\bnew\s+ProcessBuilder\(\s*"[^"]+"\s*,/, // Java
  ];
  for (const form of forms) {
    const m = form.exec(text);
    if (m) return m[0];
  }
  // `subprocess.Popen(command.split(" "))` where `command = f"docker run …"`: a fixed program, split into a list.
  const split = /\bsubprocess\.(?:run|call|check_call|check_output|Popen)\(\s*(\w+)\.split\(/.exec(text);
  if (split && input.view) {
    const name = split[1] ?? '';
    const assigned = scopeBefore(input.view).reverse().find((l) => new RegExp(String.raw`^\s*${name}\s*=`).test(l.text));
    const program = assigned && /=\s*f?["']([\w./-]+)\s/.exec(assigned.text);
    if (assigned && program && !/[;&|`$]/.test(assigned.text)) return `${split[0]}… (line ${assigned.line}: ${assigned.text.trim()})`;
  }
  return undefined;
}

/** The cookie call or options carry the flags the rule asks for. */
function cookieFlags(input: AnalyzerInput): string | undefined {
  // Options of another object built inline (`store: new RedisStore({ secure: true })`) are not the cookie's.
  const text = flaggedStatement(input)?.replace(/new\s+[\w$.]+\(\s*\{[^}]*\}\s*\)/g, '');
  if (!text) return undefined;
  const rule = ruleText(input.finding);
  const wanted: RegExp[] = [];
  if (/httponly|cwe-1004\b/.test(rule)) wanted.push(/http_?only\s*[=:]\s*(True|true)/i);
  if (/samesite|cwe-1275\b/.test(rule)) wanted.push(/same_?site\s*[=:]\s*["']?(lax|strict)/i);
  if (/secure|cwe-614\b/.test(rule) || wanted.length === 0) wanted.push(/\bsecure\s*[=:]\s*(True|true)/);
  const found = wanted.map((pattern) => pattern.exec(text)?.[0]);
  return found.every((hit) => hit !== undefined) ? found.join(', ') : undefined;
}

/**
 * A weak hash or a non-cryptographic random number whose enclosing function says what it is for:
 * a cache key, an ETag, a checksum, a content fingerprint, a deduplication or idempotency key, retry jitter or back-off, a display
 * colour or avatar, a shard or an A/B-test bucket, or (since holdout-12/13/14's runs) spreading work or
 * wear over equals (load balancing, round-robin). Not when anything there mentions a password,
 * token, secret, key material, session or signature, nor (for spreading) a winner, draw, prize,
 * ticket, code or invite: then who is picked is the point.
 */
const purposeWords = String.raw`cache|caching|etag|e-tag|checksum|fingerprint|cache-?bust\w*|dedup\w*|idempoten\w*|jitter|back-?off\w*|retry\w*|retries|delay|sleep|throttle|shuffle|sampl\w*|colou?r|avatar|shard\w*|bucket\w*|a\/b test\w*|spread|spreads|spreading|load[- ]?balanc\w*|round[- ]?robin`;
const harmlessPurpose = new RegExp(String.raw`\b(?:${purposeWords})\b|(?:${purposeWords})(?=[A-Z_\d])|(?<=_)(?:${purposeWords})\b`, 'i');
const sensitivePurpose = /password|passwd|token|secret|otp|one-time|session|nonce|salt|auth|sign|crypt|credential|api[_-]?key|private/i;
/** Spreading work over equals, unless who is picked is the point (a winner, a draw, a ticket, an audit). */
const pickIsThePoint = (purpose: string, said: string): boolean =>
  /spread|balanc|robin/i.test(purpose) && /\b(?:winners?|draws?|prizes?|raffle|lottery|tickets?|codes?|invites?|coupons?|vouchers?|audit\w*|inspect\w*)\b/i.test(said.replace(/_/g, ' '));

/**
 * The purpose named by the flagged statement itself or the comment just above it, for a one-line
 * definition or assignment (`response["ETag"] = md5(…)`, `exports.etagFor = (body) => md5(…)`).
 * The hashing call's own module name (`crypto.createHash`) is not a sensitive purpose.
 */
function statementPurpose(view: CodeView): string | undefined {
  const text = statement(view);
  const comments: string[] = [];
  for (let i = view.flagged - 1; i >= 0; i -= 1) {
    const line = (view.lines[i] ?? '').trim();
    if (/^(\/\/|#|\*|\/\*)/.test(line)) comments.push(line);
    else break;
  }
  const said = [text, ...comments].join('\n');
  if (sensitivePurpose.test(said.replace(/\bcrypto\.(createHash|createHmac)\b|\brequire\(\s*['"]crypto['"]\s*\)/g, ''))) return undefined;
  // Only the assigned name or key (left of `=`) and the comment count: a word inside the hashed data does not.
  const target = /^\s*(?:(?:const|let|var)\s+)?([\w$.]+(?:\[[^\]]+\])?)\s*=(?!=)/.exec(text)?.[1];
  const hit = harmlessPurpose.exec(words([target ?? '', ...comments].join('\n')));
  return hit && !pickIsThePoint(hit[0], said) ? `line ${fileLine(view, view.flagged)}: ${text.trim().slice(0, 120)} — "${hit[0]}"` : undefined;
}

function nonSecurityPurpose({ view }: AnalyzerInput): string | undefined {
  if (!view) return undefined;
  const fromStatement = statementPurpose(view);
  if (fromStatement) return fromStatement;
  const description = functionDescription(view);
  if (!description || sensitivePurpose.test(description)) return undefined;
  // Names count word by word: `weakEtag`, `cache_key_for`, `retryDelayMs`.
  const hit = harmlessPurpose.exec(words(description));
  if (!hit) return undefined;
  const header = enclosingFunction(view);
  // The function's name and the statement count too: `winner = random.choice(…)` in `pick_winner`.
  if (pickIsThePoint(hit[0], words(`${description}\n${header === undefined ? '' : view.lines[header] ?? ''}\n${statement(view)}`))) return undefined;
  return header === undefined ? undefined : `line ${fileLine(view, header)}: ${(view.lines[header] ?? '').trim()} — "${hit[0]}"`;
}

/** `PASSWORD_RESET_URL = "/account/reset"`, `PASSWORD_PARAM = "password"`: a name, path or label, not a secret. */
const notSecretName = /(_|\b|[a-z])(URL|URI|PATH|ROUTE|ENDPOINT|FIELD|PARAM|PARAMETER|NAME|LABEL|HEADER|PROMPT|MESSAGE|MSG|PATTERN|REGEX|MIN_LENGTH|MAX_LENGTH|LENGTH|POLICY|HINT|SQL|QUERY|STMT|STATEMENT)s?$/i;
/**
 * A URL can be the secret itself: an incoming-webhook address (`…/services/T0…/B0…/<token>`), a
 * connection string with a password (`postgres://app:pw@db/app`), a signed or keyed link
 * (`?access_token=…`, `?sig=…`). Whoever holds such a URL can use it, whatever the variable is called.
 * A generated token is read as a segment of 16 or more letters and digits mixing upper and lower
 * case with a digit (not a slug, not a hex hash or UUID); a placeholder (`XXXX/YYYY`) is not one.
 */
const tokenSegment = /^(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{16,}$/;
function urlCarriesCredential(value: string): boolean {
  const url = /^[a-z][\w+.-]*:\/\/(?:([^/@\s]*)@)?[^/?#\s]*([^?#\s]*)(?:\?([^#\s]*))?/i.exec(value.trim());
  if (!url) return false;
  const [, userinfo, path = '', query = ''] = url;
  if (userinfo?.includes(':')) return true;
  const params = query.split('&').map((pair) => pair.split('='));
  if (params.some(([key = '', given = '']) => given !== '' && /token|key|secret|sig|signature|passw|pwd|auth|credential/i.test(key))) return true;
  return [...path.split('/'), ...params.map(([, given = '']) => given)].some((part) => tokenSegment.test(part));
}

function notASecret(input: AnalyzerInput): string | undefined {
  const text = flaggedStatement(input);
  if (!text) return undefined;
  const pairs = [...text.matchAll(/([A-Za-z_$][\w$]*)["']?\s*[:=]\s*["']([^"'\n]*)["']/g)];
  // Judge the pairs that name a secret (`user: 'admin', password: 'x'` is about the password).
  const secretish = pairs.filter((m) => /pass|pwd|secret|token|key|credential/i.test(m[1] ?? ''));
  const judged = secretish.length > 0 ? secretish : pairs;
  if (judged.length === 0) return undefined;
  const harmless = (name: string, value: string): boolean => !urlCarriesCredential(value) && (
    /^(|password|passwd|username|user|changeme|change-me|placeholder|example|dummy|xxx+|\*+)$/i.test(value) ||
    // A path is not a secret, but a secret's name on a shared temporary path is a real finding
    // (secretAtPredictablePath decides it before this runs).
    /^(\/[\w\-/.{}:]*|https?:\/\/[^@\s]+)$/.test(value) ||
    // `UPDATE users SET password = ? WHERE id = ?`: a query naming the credential column.
    /^\s*(select|update|insert|delete|with)\b[\s\S]*\b(from|set|into|where)\b/i.test(value) ||
    notSecretName.test(name.replace(/([a-z])([A-Z])/g, '$1_$2')));
  return judged.every((m) => harmless(m[1] ?? '', m[2] ?? '')) ? judged.map((m) => m[0]).join(', ') : undefined;
}

export const codeEvidence: Defuser[] = [
  { id: 'import-only', category: 'not_security', base: 85, detail: 'the flagged line only imports a module; each use of it is reported and judged where it happens',
    test: importOnly },
  { id: 'argument-list', category: 'defused', family: /command|subprocess|shell|child-process|start_process|cwe-78\b|cwe-88\b/, base: 84,
    detail: 'a fixed program is started with its arguments as a list and no shell, so nothing is parsed as a command line',
    test: argumentListWithoutShell },
  { id: 'cookie-flags', category: 'defused', family: /cookie|cwe-614\b|cwe-1004\b|cwe-1275\b/, base: 86, detail: 'the cookie is set with the flags the rule asks for',
    test: cookieFlags },
  // Where the value goes (an ETag header, a cache key, a wait; value-use.ts): seen, not said, so surer than a name.
  { id: 'non-security-use', category: 'not_security', family: /md5|sha-?1|hash|random|cwe-327\b|cwe-328\b|cwe-330\b|cwe-338\b|cwe-916\b/, base: 82,
    detail: 'every use of the value in the file is one that needs no cryptographic strength',
    test: ({ view }) => (view ? purposeByUse(view) : undefined) },
  { id: 'non-security-purpose', category: 'not_security', family: /md5|sha-?1|hash|random|cwe-327\b|cwe-328\b|cwe-330\b|cwe-338\b|cwe-916\b/, base: 80,
    detail: 'the enclosing function, its name or where the value goes says what the value is for, and that purpose needs no cryptographic strength',
    test: nonSecurityPurpose },
  { id: 'not-a-secret', category: 'not_security', family: /hardcoded|hard-coded|password|credential|secret|cwe-798\b|cwe-259\b/, exclude: notACredentialRule, base: 80,
    detail: 'the hard-coded value is a name, path, placeholder or SQL statement naming a credential column, not a secret',
    test: notASecret },
];

export type { CodeView };
