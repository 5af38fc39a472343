/**
 * One file's root node as the codemods see it: `root.descendantsOfType(types)` walks the tree once per
 * type list and hands every later caller a copy of the same answer. Fourteen Python detectors each ask
 * for every `call` in the file; without this each of them walks the whole tree again (the walk costs
 * about a third of a parse on real files). Everything else is the real node, reached through the prototype.
 */
import type { Node, Point } from 'web-tree-sitter';

export function sharedRoot(root: Node): Node {
  const cache = new Map<string, Node[]>();
  const walk = root.descendantsOfType.bind(root);
  const shared = Object.create(root) as Node;
  Object.defineProperty(shared, 'descendantsOfType', {
    value(types: string | string[], startPosition?: Point, endPosition?: Point): (Node | null)[] {
      if (startPosition !== undefined || endPosition !== undefined) return walk(types, startPosition, endPosition);
      const key = Array.isArray(types) ? types.join('\u0000') : types;
      let found = cache.get(key);
      if (found === undefined) {
        found = walk(types).filter((n): n is Node => n !== null);
        cache.set(key, found);
      }
      return found.slice();
    },
  });
  return shared;
}
