/** Is a node in code that makes secrets? Judged by the names around it: the enclosing function, the assigned variable. */
import type { Node } from 'web-tree-sitter';

/** Words (after splitting snake_case and camelCase) that mark a token, secret, password, key or identifier. */
const SENSITIVE = new Set(['token', 'tokens', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'pwd', 'nonce', 'salt', 'otp', 'totp', 'hotp', 'key', 'keys', 'apikey', 'session', 'sid', 'csrf', 'xsrf', 'uuid', 'guid', 'id', 'ids', 'code', 'pin', 'credential', 'credentials', 'auth', 'reset', 'invite', 'verification']);

export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

export function sensitiveName(name: string): boolean {
  return words(name).some((w) => SENSITIVE.has(w));
}

const FUNCTION_TYPES = new Set(['function_definition', 'function_declaration', 'method_definition', 'method_declaration', 'arrow_function', 'function_expression']);
const ASSIGN_TYPES = new Set(['assignment', 'augmented_assignment', 'variable_declarator', 'assignment_expression', 'pair', 'keyword_argument', 'return_statement']);

/** The names that say what the value is for: assignment targets and enclosing function names, nearest first. */
export function contextNames(node: Node): string[] {
  const names: string[] = [];
  for (let n: Node | null = node.parent; n !== null; n = n.parent) {
    if (ASSIGN_TYPES.has(n.type)) {
      const target = n.childForFieldName('left') ?? n.childForFieldName('name') ?? n.childForFieldName('key');
      if (target !== null) names.push(target.text);
    }
    if (FUNCTION_TYPES.has(n.type)) {
      const name = n.childForFieldName('name') ?? (n.parent?.type === 'variable_declarator' ? n.parent.childForFieldName('name') : null);
      if (name !== null) names.push(name.text);
    }
  }
  return names;
}

/** The first sensitive name around the node, if any. */
export function sensitiveContext(node: Node): string | undefined {
  return contextNames(node).find(sensitiveName);
}

/** Words that mark a password or other credential whose hash is stored and compared at login. */
const PASSWORD_WORDS = new Set(['password', 'passwords', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'credential', 'credentials']);
const NAME_TYPES = ['identifier', 'property_identifier', 'shorthand_property_identifier', 'field_identifier', 'string_content', 'string_fragment'];
const SCOPE_TYPES = new Set([...FUNCTION_TYPES, 'function_expression', 'function']);

function passwordWord(text: string): boolean {
  return text.length <= 60 && words(text).some((w) => PASSWORD_WORDS.has(w));
}

/**
 * The name that shows a hash is of a password, if any: an assignment target or function around the node
 * (`hash_password`, `user.password = …`), or a name or string key anywhere in the enclosing function
 * (`md5(request.POST['password'])`, `h.update(pwd)`), or in the statement at module level. Conservative on
 * purpose: a password hash must never be "upgraded" to another fast hash, which also breaks every stored login.
 */
export function passwordContext(node: Node): string | undefined {
  const named = contextNames(node).find(passwordWord);
  if (named !== undefined) return named;
  let scope: Node = node;
  for (let n: Node | null = node.parent; n !== null; n = n.parent) {
    scope = n;
    if (SCOPE_TYPES.has(n.type) || n.parent?.parent === null) break;
  }
  return scope.descendantsOfType(NAME_TYPES).find((n): n is Node => n !== null && passwordWord(n.text))?.text;
}

/** The refusal for a password hash, shared by the weak-hash codemods of every language. */
export function passwordHashReason(call: string, line: number, name: string): string {
  return `${call} on line ${line} hashes a password (${name}): another fast hash such as SHA-256 is no fix and would break every stored login; it needs a KDF and a migration of stored hashes (bcrypt, scrypt, Argon2 or PBKDF2, verifying the old hash at login and rehashing)`;
}
