/**
 * Adds JavaScript/TypeScript named imports a fix relies on, once, in the file's style: a name joins an
 * existing `import { … } from 'm'` or `const { … } = require('m')`; otherwise a new `import`/`require`
 * line goes at the end of the import block at the top (or at the top, after a shebang and 'use strict').
 */
import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import type { ImportRequest, TextEdit } from '../types';
import { fileQuote, jsBindings, jsString, moduleStyle, requireDeclarators, sameModule } from './syntax';

function nextLineStart(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline + 1;
}

/**
 * After the file's import block: the imports and requires at the top of the file (after a shebang, comments and
 * 'use strict'), up to the first other statement. A require further down (line 1,087 of a large module) is not part
 * of it, and a CommonJS binding added there would come after module-level code that may use it.
 */
function insertionPoint(root: Node, source: string): number {
  const statements = root.namedChildren.filter((c): c is Node => c !== null);
  const requires = new Set(requireDeclarators(root).map((r) => r.statement.id));
  const isImport = (s: Node): boolean => s.type === 'import_statement' || requires.has(s.id);
  const isPreamble = (s: Node, i: number): boolean =>
    s.type === 'comment' || s.type === 'hash_bang_line' || (s.type === 'expression_statement' && s.namedChild(0)?.type === 'string' && statements.slice(0, i).every((p) => p.type === 'comment' || p.type === 'hash_bang_line' || p.type === 'expression_statement'));
  const block: Node[] = [];
  for (const [i, s] of statements.entries()) {
    if (isImport(s)) block.push(s);
    else if (!isPreamble(s, i)) break;
  }
  const last = block.pop();
  if (last !== undefined) return nextLineStart(source, last.endIndex);
  let at = source.startsWith('#!') ? nextLineStart(source, 0) : 0;
  const first = statements.find((s) => s.type !== 'comment' && s.type !== 'hash_bang_line');
  const directive = first?.type === 'expression_statement' && first.namedChild(0)?.type === 'string' ? first : undefined;
  if (directive !== undefined) at = nextLineStart(source, directive.endIndex);
  return at;
}

/** The `{ … }` an existing import or require of the module destructures into, to append names to. */
function namedList(root: Node, module: string): Node | undefined {
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_statement' || statement.text.startsWith('import type')) continue;
    const from = jsString(statement.childForFieldName('source'));
    const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
    const named = clause?.namedChildren.find((c) => c?.type === 'named_imports');
    if (from !== undefined && sameModule(from, module) && named != null) return named;
  }
  for (const { declarator, module: from } of requireDeclarators(root)) {
    const pattern = declarator.childForFieldName('name');
    if (sameModule(from, module) && pattern?.type === 'object_pattern') return pattern;
  }
  return undefined;
}

/** Follow the file: the first import/require statement, else whether any top-level statement ends in `;`. */
function usesSemicolons(root: Node): boolean {
  const requires = new Set(requireDeclarators(root).map((r) => r.statement.id));
  const statements = root.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const first = statements.find((s) => s.type === 'import_statement' || requires.has(s.id));
  if (first !== undefined) return first.text.trimEnd().endsWith(';');
  return statements.length === 0 || statements.some((s) => s.text.trimEnd().endsWith(';'));
}

/** Edits that bind every requested name, or the reason they cannot be added. */
export function jsImportEdits(root: Node, source: string, path: string, requests: readonly ImportRequest[]): TextEdit[] | string {
  const bindings = jsBindings(root);
  const eol = detectEol(source);
  const edits: TextEdit[] = [];
  const lines = new Map<string, string[]>();
  const appended = new Map<Node, string[]>();
  for (const { module, name } of requests) {
    if (name === undefined) return 'the fix needs a namespace import, which the engine does not add to JavaScript';
    const bound = bindings.get(name);
    if (bound !== undefined) {
      if (bound.name === name && sameModule(bound.module, module)) continue;
      return `${name} is already bound to something else in this file`;
    }
    const list = namedList(root, module);
    if (list !== undefined) {
      const names = appended.get(list) ?? [];
      if (!names.includes(name)) appended.set(list, [...names, name]);
    } else {
      const names = lines.get(module) ?? [];
      if (!names.includes(name)) lines.set(module, [...names, name]);
    }
  }
  for (const [list, names] of appended) {
    const items = list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const lastItem = items[items.length - 1];
    if (lastItem === undefined) edits.push({ start: list.startIndex + 1, end: list.startIndex + 1, text: ` ${names.join(', ')} ` });
    else edits.push({ start: lastItem.endIndex, end: lastItem.endIndex, text: names.map((n) => `, ${n}`).join('') });
  }
  if (lines.size > 0) {
    const style = moduleStyle(root, path);
    if (style === undefined) return 'cannot tell whether the file is an ES module or CommonJS, so no import can be added';
    const quote = fileQuote(source);
    const semi = usesSemicolons(root) ? ';' : '';
    const text = [...lines]
      .map(([module, names]) =>
        style === 'esm'
          ? `import { ${names.join(', ')} } from ${quote}${module}${quote}${semi}${eol}`
          : `const { ${names.join(', ')} } = require(${quote}${module}${quote})${semi}${eol}`,
      )
      .join('');
    const at = insertionPoint(root, source);
    edits.push({ start: at, end: at, text: at === source.length && at > 0 && !source.endsWith('\n') ? eol + text : text });
  }
  return edits;
}
