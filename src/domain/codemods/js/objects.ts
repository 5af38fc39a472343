/** JavaScript/TypeScript object literal helpers: keys, pairs, and adding properties in the literal's own layout. */
import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import type { TextEdit } from '../types';

/** `secure` for `secure: …`, `'secure': …`, `"secure": …` and shorthand `secure`; undefined for computed keys and non-pairs. */
export function pairKey(pair: Node): string | undefined {
  if (pair.type === 'shorthand_property_identifier') return pair.text;
  if (pair.type !== 'pair') return undefined;
  const key = pair.childForFieldName('key');
  if (key?.type === 'property_identifier') return key.text;
  if (key?.type === 'string' && !key.text.includes('\\')) return key.text.slice(1, -1);
  return undefined;
}

/** The properties of an object literal (pairs and shorthand); undefined when it spreads, computes keys or has methods (its keys are not all visible). */
export function objectPairs(object: Node): Node[] | undefined {
  if (object.type !== 'object') return undefined;
  const pairs: Node[] = [];
  for (const child of object.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    if (pairKey(child) === undefined) return undefined;
    pairs.push(child);
  }
  return pairs;
}

/** The pair named `key` in a list of pairs. */
export function findPair(pairs: readonly Node[], key: string): Node | undefined {
  return pairs.find((p) => pairKey(p) === key);
}

/**
 * Edits that append `key: value` properties to an object literal, following its layout: one line per
 * property (same indentation, trailing comma kept) when the pairs sit on their own lines, else inline.
 */
export function appendProperties(object: Node, pairs: readonly Node[], source: string, properties: readonly string[]): TextEdit[] {
  if (properties.length === 0) return [];
  const last = pairs[pairs.length - 1];
  if (last === undefined) {
    const inner = source.slice(object.startIndex + 1, object.endIndex - 1);
    if (inner.trim() !== '') return [];
    return [{ start: object.startIndex, end: object.endIndex, text: `{ ${properties.join(', ')} }` }];
  }
  const afterLast = /^\s*,/.exec(source.slice(last.endIndex, object.endIndex));
  const multiline = last.startPosition.row > object.startPosition.row;
  if (!multiline) {
    return [{ start: last.endIndex, end: last.endIndex, text: properties.map((p) => `, ${p}`).join('') }];
  }
  const eol = detectEol(source);
  const lineStart = source.lastIndexOf('\n', last.startIndex - 1) + 1;
  const indent = source.slice(lineStart, last.startIndex);
  if (!/^[ \t]*$/.test(indent)) return [{ start: last.endIndex, end: last.endIndex, text: properties.map((p) => `, ${p}`).join('') }];
  if (afterLast !== null) {
    const at = last.endIndex + afterLast[0].length;
    return [{ start: at, end: at, text: properties.map((p) => `${eol}${indent}${p},`).join('') }];
  }
  return [{ start: last.endIndex, end: last.endIndex, text: properties.map((p) => `,${eol}${indent}${p}`).join('') }];
}
