/** Text edits on the original source: applying, overlap checks, offset mapping, syntax-error counts. */
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from './types';

export function detectEol(source: string): '\r\n' | '\n' {
  return source.includes('\r\n') ? '\r\n' : '\n';
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

/** Two edits conflict when their ranges intersect, or both insert at the same point. */
export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Drops exact duplicates; returns the edits sorted by position. */
export function normaliseEdits(edits: readonly TextEdit[]): TextEdit[] {
  const unique: TextEdit[] = [];
  for (const edit of edits) if (!unique.some((u) => sameEdit(u, edit))) unique.push(edit);
  return unique.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function findOverlap(edits: readonly TextEdit[]): [TextEdit, TextEdit] | undefined {
  const sorted = normaliseEdits(edits);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i];
      const b = sorted[j];
      if (a !== undefined && b !== undefined && overlaps(a, b)) return [a, b];
    }
  }
  return undefined;
}

/** Applies non-overlapping edits (check with `findOverlap` first). */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = normaliseEdits(edits).reverse();
  let out = source;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/**
 * Where an original offset lands after the edits. Text inserted exactly at the offset lands before it;
 * an offset inside a replaced range maps to the replacement's start (`side: 'start'`) or end.
 */
export function mapOffset(offset: number, edits: readonly TextEdit[], side: 'start' | 'end'): number {
  let shift = 0;
  for (const edit of normaliseEdits(edits)) {
    const delta = edit.text.length - (edit.end - edit.start);
    if (edit.end <= offset) {
      shift += delta;
    } else if (edit.start < offset && offset < edit.end) {
      return side === 'start' ? edit.start + shift : edit.start + shift + edit.text.length;
    }
  }
  return offset + shift;
}

/** ERROR and MISSING nodes in a tree; a fix may never add one. */
export function countSyntaxErrors(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The line (1-based) an offset sits on. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
