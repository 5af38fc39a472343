/** Java tree helpers: does a type or class name refer to a given JDK class, given the file's imports? */
import type { Node } from 'web-tree-sitter';
import { javaImported, javaImports } from './imports';

/** `Random` (imported as java.util.Random or java.util.*, and no other Random imported) or `java.util.Random`. */
export function refersTo(name: Node | null, root: Node, qualified: string): boolean {
  if (name === null) return false;
  const text = name.text.replace(/\s+/g, '');
  if (text === qualified) return true;
  const simple = qualified.slice(qualified.lastIndexOf('.') + 1);
  if (text !== simple) return false;
  const clash = javaImports(root).some((i) => i.path.endsWith(`.${simple}`) && i.path !== qualified);
  return !clash && javaImported(root, qualified);
}

/** A call's (or object creation's) arguments, comments left out. */
export function javaArguments(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'line_comment' && a.type !== 'block_comment') ?? [];
}

/** The Java string literal's text when it has no escapes. */
export function javaString(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string_literal') return undefined;
  const inner = node.text.slice(1, -1);
  return node.text.startsWith('"""') || inner.includes('\\') ? undefined : inner;
}

/** Does an exception of one of these simple names get thrown out of, or caught around, the node? */
export function checkedExceptionHandled(node: Node, names: readonly string[]): boolean {
  const matches = (t: string): boolean => names.includes(t.replace(/^.*\./, ''));
  for (let n: Node | null = node; n !== null; n = n.parent) {
    const parent = n.parent;
    if (parent?.type === 'try_statement' || parent?.type === 'try_with_resources_statement') {
      const inBody = parent.childForFieldName('body')?.id === n.id;
      const caught = parent.namedChildren.some(
        (c) => c?.type === 'catch_clause' && (c.descendantsOfType('catch_type')[0]?.namedChildren ?? []).some((t) => t !== null && matches(t.text)),
      );
      if (inBody && caught) return true;
    }
    if (n.type === 'method_declaration' || n.type === 'constructor_declaration') {
      const throwsClause = n.namedChildren.find((c) => c?.type === 'throws');
      return throwsClause != null && throwsClause.namedChildren.some((t) => t !== null && matches(t.text));
    }
    if (n.type === 'lambda_expression' || n.type === 'class_body') return false;
  }
  return false;
}

/** An edit putting `text` (one line, or several) on its own line(s) after a statement that stands alone on its line(s), same indent. */
export function lineAfter(statement: Node, source: string, text: string | readonly string[], eol: string): { start: number; end: number; text: string } | undefined {
  const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = source.slice(lineStart, statement.startIndex);
  const rest = /^[ \t]*(\/\/[^\n]*)?(?=\r?\n|$)/.exec(source.slice(statement.endIndex));
  if (!/^[ \t]*$/.test(indent) || rest === null) return undefined;
  const at = statement.endIndex + rest[0].length;
  const lines = typeof text === 'string' ? [text] : text;
  return { start: at, end: at, text: lines.map((line) => `${eol}${indent}${line}`).join('') };
}

/** `Type name = <creation>;` as a local variable: the parts a fix that adds a call on `name` needs. */
export interface LocalDeclaration {
  statement: Node;
  block: Node;
  name: Node;
}

/** The local variable `creation` initialises, or undefined when it is not `Type name = creation;` in a block. */
export function localDeclarationOf(creation: Node): LocalDeclaration | undefined {
  const declarator = creation.parent;
  const statement = declarator?.parent;
  const block = statement?.parent;
  const name = declarator?.childForFieldName('name');
  if (declarator?.type !== 'variable_declarator' || statement?.type !== 'local_variable_declaration' || block == null || name == null) {
    return undefined;
  }
  return { statement, block, name };
}
