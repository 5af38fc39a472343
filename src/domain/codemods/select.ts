/**
 * Picks the one node a finding is about. A finding is fixed only when exactly one candidate of the
 * codemod's shape starts inside its region; zero or several give a reason instead. Never guess.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../finding';

export type Region = Pick<SourceLocation, 'startLine' | 'endLine' | 'startColumn' | 'endColumn'>;

export type Selection = { node: Node } | { reason: string; matches: number };

function lines(region: Region): [number, number] {
  const end = region.endLine ?? region.startLine;
  return [region.startLine, Math.max(end, region.startLine)];
}

function describeLines(region: Region): string {
  const [first, last] = lines(region);
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

/** Does the node cover the 1-based (line, column)? Columns are UTF-16 code units, as SARIF's default. */
function covers(node: Node, line: number, column: number | undefined): boolean {
  const row = line - 1;
  const { startPosition: s, endPosition: e } = node;
  if (column === undefined) return s.row < row && e.row >= row;
  const col = column - 1;
  const afterStart = s.row < row || (s.row === row && s.column <= col);
  const beforeEnd = e.row > row || (e.row === row && e.column > col);
  return afterStart && beforeEnd;
}

export function selectTarget(candidates: readonly Node[], region: Region, target: string): Selection {
  const [first, last] = lines(region);
  const where = describeLines(region);
  const inLines = candidates.filter((n) => n.startPosition.row + 1 >= first && n.startPosition.row + 1 <= last);
  let pool = inLines;
  if (pool.length > 1 && region.startColumn !== undefined) {
    // A column that lands inside exactly one candidate names it; otherwise the column does not help.
    const atColumn = pool.filter((n) => covers(n, region.startLine, region.startColumn));
    if (atColumn.length >= 1) pool = atColumn;
  }
  if (pool.length === 0) {
    // The region may point inside a candidate that starts earlier (CodeQL marks the argument, not the call).
    pool = candidates.filter((n) => covers(n, region.startLine, region.startColumn));
  }
  const [only] = pool;
  if (pool.length === 1 && only !== undefined) return { node: only };
  if (pool.length === 0) return { reason: `no ${target} on ${where}`, matches: 0 };
  return { reason: `${pool.length} candidates (${target}) on ${where}; refusing to guess`, matches: pool.length };
}
