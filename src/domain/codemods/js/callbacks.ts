/** Telling a Node-style callback argument from an options/values argument when only its shape or name shows it. */
import type { Node } from 'web-tree-sitter';

const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function']);
/** Names that say "this is the callback": `cb`, `done`, `next`, `onResult`, `saveCallback`, … */
const CALLBACK_NAME = /^(cb|callback|done|next|resolve|reject|handler|on[A-Z]\w*)$|(Callback|Handler)$/;

/** A function literal, or an identifier whose name says it is the callback. */
export function looksLikeCallback(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type) || (node.type === 'identifier' && CALLBACK_NAME.test(node.text));
}

export function isFunctionLiteral(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type);
}
