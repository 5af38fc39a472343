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
