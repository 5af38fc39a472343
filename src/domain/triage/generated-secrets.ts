import type { NumberedLine } from './code-view';

/**
 * Values a secret generator made: whatever they are called, they are secrets. A cryptographic
 * random source (`os.urandom`, `secrets.token_hex`/`token_urlsafe`/`token_bytes`,
 * `crypto.randomBytes(…)`, `Fernet.generate_key()`, `nanoid()`, `generate_password`) always; a random
 * UUID (`uuid4()`, `crypto.randomUUID()`, `uuidv4()`) only when the same function also hashes it
 * for storage (`hashlib.sha256(key.encode())`, `createHash('sha256').update(token)`,
 * `bcrypt.hash(code, …)`): the code then treats it as a credential rather than an identifier. Since
 * holdout-18's run also the result of a helper whose name says it makes a credential
 * (`new_reset_code()`, `makeInviteToken()`), and a text built around such a value (a reset link
 * `https://…/reset?token=${token}`, an f-string, a concatenation).
 */
const generator = /\b(?:os\.urandom|urandom|secrets\.token_(?:hex|urlsafe|bytes)|token_(?:hex|urlsafe|bytes)|secrets\.choice|randomBytes|getRandomValues|Fernet\.generate_key|generate_key|nanoid|generate_password|get_random_string|SecureRandom)\s*\(/;
const randomUuid = /\b(?:uuid\.uuid4|uuid4|randomUUID|uuidv4|v4)\s*\(/;

/** The expression last assigned to `name` in `scope` (`key = os.urandom(24).hex()`, `const token = …`). */
function assignedValue(name: string, scope: readonly NumberedLine[]): { value: string; line: number } | undefined {
  const assignment = new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${name.replace(/\$/g, '\\$')}\s*(?::\s*[\w$.<>[\]]+\s*)?=(?![=>])\s*(.+?);?\s*$`);
  for (const { text, line } of [...scope].reverse()) {
    const m = assignment.exec(text);
    if (m) return { value: m[1] ?? '', line };
  }
  return undefined;
}

const hashedIn = (name: string, scope: readonly NumberedLine[]): boolean => {
  const n = name.replace(/\$/g, '\\$');
  return scope.some(({ text }) => new RegExp(String.raw`\b(?:hashlib\.\w+|sha\d+|md5|blake2b|createHash\([^)]*\)\.update|(?:bcrypt|argon2)\.hash\w*|hash_password|make_password|hashpw|generate_password_hash|pbkdf2_hmac\([^,]*,)\s*\(?\s*${n}\b`).test(text));
};

/**
 * Where the value named `name` was generated as a secret in `scope` (one step of assignment
 * followed: `raw = secrets.token_bytes(32)`, `key = raw.hex()`), or undefined.
 */
export function generatedSecret(name: string, scope: readonly NumberedLine[], depth = 0): { line: number; code: string } | undefined {
  const assigned = assignedValue(name, scope);
  if (!assigned) return undefined;
  const code = assigned.value.trim();
  if (generator.test(code) || (randomUuid.test(code) && hashedIn(name, scope))) return { line: assigned.line, code };
  // A helper whose name says it makes a credential (`new_reset_code()`, `makeInviteToken()`, `issue_api_key()`).
  if (secretMaker.test(/^(?:await\s+)?([\w$.]+)\s*\(/.exec(code)?.[1] ?? '')) return { line: assigned.line, code };
  if (depth >= 2) return undefined;
  const from = /^([A-Za-z_$][\w$]*)(?:\.\w+\([^)]*\))*$/.exec(code)?.[1];
  if (from) return from !== name ? generatedSecret(from, scope, depth + 1) : undefined;
  // A text built around one (`link = `https://…/reset?token=${token}``, `f"…{code}"`, `base + token`) carries it.
  const parts = [...code.matchAll(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}|(?<=^[fF]["'][^"']*)\{\s*([A-Za-z_]\w*)\s*\}|(?:^|\+)\s*([A-Za-z_$][\w$]*)\s*(?=\+|$)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
    .filter((part) => part !== '' && part !== name);
  for (const part of parts) {
    const found = generatedSecret(part, scope, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Names of helpers that make a credential: a reset, verification, invite or one-time code, token, key or password. */
const secretMaker = /(?:^|[._])(?:new|make|create|generate|gen|issue|mint)_?(?:\w*_)?(?:reset|verification|verify|invite|otp|one_?time|magic|login|api|access|refresh|session)?_?(?:code|token|key|secret|password|passcode|pin|otp)s?$/i;
