import type { Node } from 'web-tree-sitter';
import { contextNames, words } from '../context';
import { callArgs } from '../js/syntax';
import { cweEvalInjection, mdnNeverUseEval, replacesEvalCall } from '../js/eval-calls';
import type { Codemod, FixContext, FixOutcome } from '../types';

const JSON_WORDS = new Set(['json', 'body', 'payload', 'response', 'responsetext', 'text', 'data', 'raw', 'serialized']);

/** `'(' + x + ')'` → x: the old idiom for eval-ing a JSON object. */
function unwrapParens(arg: Node): Node | undefined {
  if (arg.type !== 'binary_expression' || arg.childForFieldName('operator')?.text !== '+') return undefined;
  const left = arg.childForFieldName('left');
  const right = arg.childForFieldName('right');
  if (left?.type !== 'binary_expression' || left.childForFieldName('operator')?.text !== '+' || right === null) return undefined;
  const open = left.childForFieldName('left');
  const inner = left.childForFieldName('right');
  const isLit = (n: Node | null, ch: string): boolean => n?.type === 'string' && n.text.slice(1, -1) === ch;
  return isLit(open, '(') && isLit(right, ')') && inner !== null ? inner : undefined;
}

const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function']);
/** Request input read directly: `req.body.x`, `request.query.y`, `ctx.request.body`. */
const REQUEST_INPUT = /^(req|request|ctx\.request)\.(body|query|params|cookies|headers)\b/;

/** Is the call inside the block of a `try` whose `catch` sees what it throws (within the same function)? */
function insideTry(node: Node): boolean {
  for (let n = node.parent; n !== null && !FUNCTIONS.has(n.type); n = n.parent) {
    if (n.type === 'statement_block' && n.parent?.type === 'try_statement' && n.parent.childForFieldName('body')?.equals(n) === true) {
      return n.parent.childForFieldName('handler') !== null;
    }
  }
  return false;
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArgs(node);
  const [arg] = args;
  if (arg === undefined || args.length !== 1 || arg.type === 'spread_element') return { unfixed: `eval on line ${line} does not take exactly one argument` };
  if (arg.type === 'string' || arg.type === 'template_string') return { unfixed: `eval on line ${line} runs literal code, not JSON text; rewrite it by hand` };
  const inner = unwrapParens(arg);
  const names = [arg.text, ...contextNames(node)];
  const jsonish = inner !== undefined || names.some((n) => words(n).some((w) => JSON_WORDS.has(w)));
  if (!jsonish) return { unfixed: `eval on line ${line} is not evidently parsing JSON text (${arg.text}); review it by hand` };
  // eval('') is undefined and eval('010') is 8, where JSON.parse throws: a handler that validated those values
  // (NodeGoat's contribution form) would answer with a 500 instead of its own message. The '(' + s + ')' idiom
  // already threw on those, and a try/catch around the call sees the same SyntaxError it saw from eval.
  if (inner === undefined && !insideTry(node) && REQUEST_INPUT.test(arg.text)) {
    return {
      unfixed: `eval on line ${line} reads request input (${arg.text}) outside a try/catch: JSON.parse throws on input eval accepted (empty text, 010, 'quoted'), which would turn the handler's own validation error into a 500; parse it by hand (a number parser, or JSON.parse in a try/catch answering 400)`,
    };
  }
  const fn = node.childForFieldName('function');
  if (fn === null) return { unfixed: `line ${line} holds no call to eval` };
  const value = inner ?? arg;
  return {
    edits: [
      { start: fn.startIndex, end: fn.endIndex, text: 'JSON.parse' },
      { start: arg.startIndex, end: arg.endIndex, text: value.text },
    ],
    description: `Replaced eval with JSON.parse on line ${line}: the text is parsed as data and can no longer run code.`,
  };
}

export const evalJsonParse: Codemod = {
  id: 'eval-json-parse',
  title: 'Parse JSON with JSON.parse instead of eval',
  summary: 'Replace eval of JSON text with JSON.parse',
  description: [
    '`eval(text)` runs `text` as JavaScript: if it comes from a request, a file or another service, whoever controls',
    'it runs code in the process. When the text is JSON, `JSON.parse` gives the same value and runs nothing.',
    'The change is made only where the code evidently parses JSON (`eval("(" + s + ")")`, or names like `json`, `body`).',
    'Both throw a `SyntaxError` on malformed text, so a `try/catch` around the call keeps working; request input read',
    'outside one is left alone, since `JSON.parse` throws on input `eval` accepted (empty text, `010`) and the handler',
    'would answer with a 500 where it showed its own validation message.',
    '',
    '```diff',
    "-const config = eval('(' + body + ')');",
    '+const config = JSON.parse(body);',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'JSON.parse rejects JavaScript-only syntax that eval accepted (single quotes, unquoted keys, comments, functions).',
  ...replacesEvalCall,
  references: [mdnNeverUseEval, cweEvalInjection],
  fix,
};
