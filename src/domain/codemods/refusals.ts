/**
 * Weaknesses no deterministic change can fix safely, and why: a finding with one of these rule ids (and no codemod)
 * is left unfixed with this reason instead of "no codemod handles rule …", so a reviewer sees what a fix needs.
 * They are not codemods: no detector runs, and nothing here ever counts as "fix available".
 */
import { ruleKeys } from './rule-ids';

export interface KnownRefusal {
  /** Rule ids as scanners write them (matched in every spelling, as the registry matches codemods). */
  ruleIds: string[];
  reason: string;
}

export const KNOWN_REFUSALS: readonly KnownRefusal[] = [
  {
    ruleIds: ['B301', 'B403', 'python.lang.security.deserialization.pickle.avoid-pickle'],
    reason:
      'pickle runs code chosen by whoever wrote the data; no change keeps existing pickled data readable and safe: move to a data format (JSON) or sign the data (hmac) by hand',
  },
  {
    ruleIds: [
      'B105',
      'B106',
      'B107',
      'sonarjs/hardcoded-secret-signatures',
      'sonarjs/no-hardcoded-passwords',
      'sonarjs/no-hardcoded-secrets',
      'java/HardcodedPassword',
      'js/hardcoded-credentials',
      'js/password-in-configuration-file',
      'javascript/NoHardcodedPasswords',
      'javascript/NoHardcodedCredentials',
      'javascript/HardcodedNonCryptoSecret',
      'javascript:S6437',
      'javascript:S2068',
      'python:S2068',
      'java:S2068',
    ],
    reason:
      'a hard-coded secret is already in the repository history: it must be rotated and read from configuration, and an automatic change can neither rotate it nor know where the deployment keeps secrets',
  },
  {
    ruleIds: ['@microsoft/sdl/no-angular-bypass-sanitizer', 'sonarjs/no-angular-bypass-sanitization', 'javascript:S6268'],
    reason:
      "bypassSecurityTrust* tells Angular a value is safe HTML, style, URL or script; whether the value needs its markup is not in the code: sanitize it with DomSanitizer.sanitize or remove the bypass by hand",
  },
  {
    ruleIds: ['@microsoft/sdl/no-document-write'],
    reason: 'document.write inserts HTML while the page is being parsed; no DOM call does the same, so rewrite it with createElement and textContent by hand',
  },
  {
    ruleIds: ['B404', 'B406', 'B408', 'B409', 'B410', 'B411'],
    reason: 'the finding is an import of the module, not a use of it: the calls are reported (and fixed) on their own lines',
  },
  {
    ruleIds: ['B603'],
    reason: 'the subprocess call runs without a shell already, so there is nothing for a shell=False fix to change; whether its arguments come from trusted input is a question for a reviewer',
  },
  {
    ruleIds: ['B108'],
    reason: 'a fixed path in a shared temporary directory: which file the code means, and who else may create it first, is not in the code; use tempfile.mkstemp or a private directory by hand',
  },
  {
    ruleIds: ['js/insufficient-password-hash', 'java/weak-password-hash'],
    reason: 'a password hash needs a KDF and a migration of stored hashes (bcrypt, scrypt, Argon2 or PBKDF2, verifying the old hash at login and rehashing)',
  },
];

const byKey = new Map<string, string>();
for (const refusal of KNOWN_REFUSALS) for (const id of refusal.ruleIds) for (const key of ruleKeys(id)) byKey.set(key, refusal.reason);

/** Why no safe automatic fix exists for findings of this rule, when that is known. */
export function refusalFor(ruleId: string): string | undefined {
  for (const key of ruleKeys(ruleId)) {
    const reason = byKey.get(key);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
