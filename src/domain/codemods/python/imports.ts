/**
 * Adds Python imports a fix relies on, once, in the file's style: a name joins an existing
 * `from module import …` line; otherwise a new line goes after the import block at the top (or after
 * the module docstring and leading comments), with the file's own line ending.
 */
import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import type { ImportRequest, TextEdit } from '../types';
import { pythonBindings } from './syntax';

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

function topLevel(root: Node): Node[] {
  return root.namedChildren.filter((c): c is Node => c !== null);
}

/** Offset just past the line holding `offset` (after its line ending), or the end of the source. */
function nextLineStart(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline + 1;
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** An import, or a `try:` whose body only imports (`try: import ujson as json` / `except ImportError: …`). */
function isImportBlock(statement: Node): boolean {
  if (IMPORT_TYPES.has(statement.type)) return true;
  if (statement.type !== 'try_statement') return false;
  const body = statement.childForFieldName('body')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  return body.length > 0 && body.every((c) => IMPORT_TYPES.has(c.type));
}

/**
 * The file's import block: the imports at the top of the module (after its docstring and comments), up to the
 * first other statement. An import further down (a late `from .signals import *` at line 1,087) is not part of it:
 * a new import goes where a reader looks for it, and before any module-level code that may use it.
 */
function leadingImports(root: Node): Node[] {
  const block: Node[] = [];
  for (const [i, s] of topLevel(root).entries()) {
    if (s.type === 'comment' || (i === 0 && s.type === 'expression_statement' && s.namedChild(0)?.type === 'string')) continue;
    if (!isImportBlock(s)) break;
    block.push(s);
  }
  return block;
}

/** Where a new import line goes: after the file's import block, else after docstring and comments. */
function insertionPoint(root: Node, source: string): number {
  const statements = topLevel(root);
  const imports = leadingImports(root);
  const lastImport = imports[imports.length - 1];
  if (lastImport !== undefined) return nextLineStart(source, lastImport.endIndex);
  const code = statements.filter((s) => s.type !== 'comment');
  const [first, second] = code;
  const isDocstring = first?.type === 'expression_statement' && first.namedChild(0)?.type === 'string';
  if (isDocstring && first !== undefined) return second === undefined ? nextLineStart(source, first.endIndex) : lineStart(source, second.startIndex);
  return first === undefined ? source.length : lineStart(source, first.startIndex);
}

function existingFromImport(root: Node, module: string): Node | undefined {
  return topLevel(root).find((s) => {
    if (s.type !== 'import_from_statement') return false;
    if (s.childForFieldName('module_name')?.text !== module) return false;
    return !s.children.some((c) => c?.type === 'wildcard_import');
  });
}

/** Is `import a.b` (exactly that dotted module, no alias) a top-level import of the file? */
function importsDotted(root: Node, module: string): boolean {
  return topLevel(root).some((s) => s.type === 'import_statement' && s.childrenForFieldName('name').some((n) => n?.type === 'dotted_name' && n.text === module));
}

/** Edits that make every requested import available; empty when all already are. */
export function pythonImportEdits(root: Node, source: string, requests: readonly ImportRequest[]): TextEdit[] {
  const bindings = pythonBindings(root);
  const eol = detectEol(source);
  const appendTo = new Map<Node, string[]>();
  const newFrom = new Map<string, string[]>();
  const newPlain: string[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    const key = `${request.module}:${request.name ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (request.name === undefined) {
      if (bindings.modules.get(request.module) !== request.module && !importsDotted(root, request.module)) newPlain.push(request.module);
      continue;
    }
    const bound = bindings.names.get(request.name);
    if (bound?.module === request.module && bound.name === request.name) continue;
    const existing = existingFromImport(root, request.module);
    if (existing !== undefined) appendTo.set(existing, [...(appendTo.get(existing) ?? []), request.name]);
    else newFrom.set(request.module, [...(newFrom.get(request.module) ?? []), request.name]);
  }
  const edits: TextEdit[] = [];
  for (const [stmt, names] of appendTo) {
    const imported = stmt.childrenForFieldName('name').filter((c): c is Node => c !== null);
    const last = imported[imported.length - 1];
    if (last !== undefined) edits.push({ start: last.endIndex, end: last.endIndex, text: names.map((n) => `, ${n}`).join('') });
  }
  const lines = [
    ...newPlain.map((m) => `import ${m}`),
    ...[...newFrom].map(([module, names]) => `from ${module} import ${names.join(', ')}`),
  ];
  if (lines.length > 0) {
    const at = insertionPoint(root, source);
    const needsLeadingEol = at === source.length && at > 0 && !source.endsWith('\n');
    const text = lines.map((l) => l + eol).join('');
    edits.push({ start: at, end: at, text: needsLeadingEol ? eol + text : text });
  }
  return edits;
}
