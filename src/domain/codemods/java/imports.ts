/**
 * Adds Java single-type imports a fix relies on, once: nothing when the class is already imported
 * (by name or by `pkg.*`); otherwise `import pkg.Name;` after the last import, or after the package line.
 */
import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import type { ImportRequest, TextEdit } from '../types';

function nextLineStart(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline + 1;
}

/** The imported paths (`java.util.Random`, `java.util.*`), static imports left out. */
export function javaImports(root: Node): { path: string; node: Node }[] {
  return root.namedChildren
    .filter((c): c is Node => c?.type === 'import_declaration' && !/^import\s+static\b/.test(c.text))
    .map((node) => ({ node, path: node.text.replace(/^import\s+/, '').replace(/\s*;$/, '').replace(/\s+/g, '') }));
}

/** Is `pkg.Name` usable as `Name` in this file (imported by name or wildcard)? */
export function javaImported(root: Node, qualified: string): boolean {
  const pkg = qualified.slice(0, qualified.lastIndexOf('.'));
  return javaImports(root).some((i) => i.path === qualified || i.path === `${pkg}.*`);
}

export function javaImportEdits(root: Node, source: string, requests: readonly ImportRequest[]): TextEdit[] | string {
  const eol = detectEol(source);
  const imports = javaImports(root);
  const wanted: string[] = [];
  for (const { module, name } of requests) {
    if (name === undefined) return 'Java imports need a class name';
    const qualified = `${module}.${name}`;
    if (javaImported(root, qualified) || wanted.includes(qualified)) continue;
    if (imports.some((i) => i.path.endsWith(`.${name}`))) return `another class named ${name} is already imported`;
    wanted.push(qualified);
  }
  if (wanted.length === 0) return [];
  const text = wanted.map((q) => `import ${q};${eol}`).join('');
  const last = imports[imports.length - 1];
  if (last !== undefined) {
    const at = nextLineStart(source, last.node.endIndex);
    return [{ start: at, end: at, text: at === source.length && !source.endsWith('\n') ? eol + text : text }];
  }
  const pkg = root.namedChildren.find((c) => c?.type === 'package_declaration');
  if (pkg != null) {
    const at = nextLineStart(source, pkg.endIndex);
    return [{ start: at, end: at, text: `${eol}${text}` }];
  }
  return [{ start: 0, end: 0, text: `${text}${eol}` }];
}
