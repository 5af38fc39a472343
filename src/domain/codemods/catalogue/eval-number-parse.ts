import type { Node } from 'web-tree-sitter';
import { callArgs } from '../js/syntax';
import { cweEvalInjection, mdnNeverUseEval, replacesEvalCall } from '../js/eval-calls';
import type { Codemod, FixContext, FixOutcome } from '../types';

const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);
/** Calls that check a value as a number: the code that follows expects one. */
const NUMBER_CHECKS = new Set(['isNaN', 'Number.isNaN', 'isFinite', 'Number.isFinite']);
const LITERALS = new Set(['string', 'template_string', 'number']);

/** The function body (or the program) a declaration lives in: where its name can be read. */
function scopeOf(node: Node): Node {
  let n: Node = node;
  while (n.parent !== null && !FUNCTIONS.has(n.type)) n = n.parent;
  return n;
}

/** Is `id` the name in a declaration (a nested `const x`, a parameter), not a read? */
function declares(id: Node): boolean {
  const parent = id.parent;
  if (parent === null) return false;
  if (parent.type === 'variable_declarator' && parent.childForFieldName('name')?.equals(id) === true) return true;
  if (parent.type === 'formal_parameters' || parent.type === 'required_parameter' || parent.type === 'optional_parameter') return true;
  return (parent.type === 'function_declaration' || parent.type === 'class_declaration') && parent.childForFieldName('name')?.equals(id) === true;
}

/** Why a read of the variable shows it is not used only as a number; undefined when it is a number's use. */
function notNumeric(id: Node): string | undefined {
  const parent = id.parent;
  if (parent === null) return undefined;
  switch (parent.type) {
    case 'assignment_expression':
    case 'augmented_assignment_expression':
      return parent.childForFieldName('left')?.equals(id) === true ? 'it is assigned again' : undefined;
    case 'update_expression':
      return 'it is assigned again';
    case 'member_expression':
    case 'subscript_expression':
      return parent.childForFieldName('object')?.equals(id) === true ? 'its properties are read (an object, not a number)' : undefined;
    case 'call_expression':
    case 'new_expression':
      return parent.childForFieldName(parent.type === 'call_expression' ? 'function' : 'constructor')?.equals(id) === true ? 'it is called' : undefined;
    case 'unary_expression':
      return parent.childForFieldName('operator')?.text === 'typeof' ? 'its type is tested (typeof)' : undefined;
    case 'spread_element':
      return 'it is spread';
    default:
      return undefined;
  }
}

function isNumberCheck(id: Node): boolean {
  const args = id.parent;
  const call = args?.parent;
  return args?.type === 'arguments' && call?.type === 'call_expression' && NUMBER_CHECKS.has(call.childForFieldName('function')?.text ?? '');
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArgs(node);
  const [arg] = args;
  if (arg === undefined || args.length !== 1 || arg.type === 'spread_element') return { unfixed: `eval on line ${line} does not take exactly one argument` };
  if (LITERALS.has(arg.type)) return { unfixed: `eval on line ${line} runs literal code, not input; rewrite it by hand` };
  const declarator = node.parent;
  const name = declarator?.type === 'variable_declarator' && declarator.childForFieldName('value')?.equals(node) === true ? declarator.childForFieldName('name') : null;
  if (declarator === null || name?.type !== 'identifier') return { unfixed: `the result of eval on line ${line} is not kept in a variable, so how it is used cannot be read` };
  const scope = scopeOf(declarator);
  let checked = false;
  for (const id of scope.descendantsOfType(['identifier', 'shorthand_property_identifier'])) {
    if (id === null || id.text !== name.text || id.equals(name)) continue;
    if (declares(id)) return { unfixed: `${name.text} (eval on line ${line}) is declared again in the same function; review it by hand` };
    if (id.startIndex < declarator.endIndex) continue;
    const why = notNumeric(id);
    if (why !== undefined) return { unfixed: `${name.text} (eval on line ${line}) is not used only as a number: ${why}; review it by hand` };
    if (isNumberCheck(id)) checked = true;
  }
  if (!checked) {
    return { unfixed: `${name.text} (eval on line ${line}) is never checked as a number (isNaN, isFinite), so the code may expect eval to return something else; review it by hand` };
  }
  const fn = node.childForFieldName('function');
  if (fn === null) return { unfixed: `line ${line} holds no call to eval` };
  return {
    edits: [{ start: fn.startIndex, end: fn.endIndex, text: 'Number.parseFloat' }],
    description: `Replaced eval with Number.parseFloat on line ${line}: ${name.text} is checked and used as a number, so the input is now read as one and can no longer run code.`,
  };
}

export const evalNumberParse: Codemod = {
  id: 'eval-number-parse',
  title: 'Read numbers with Number.parseFloat instead of eval',
  summary: 'Replace eval of a number the code validates with Number.parseFloat',
  description: [
    '`eval(input)` runs `input` as JavaScript, so whoever sends it runs code in the process. Where the result is kept in',
    'a variable that the code checks as a number (`isNaN`, `isFinite`) and otherwise only computes with, compares or',
    'passes on, `Number.parseFloat` gives the same number for decimal input (`10`, `-2.5`, `1e3`, ` 7 `) and `NaN` for',
    'anything else: empty text stays invalid (eval gave `undefined`, which `isNaN` also rejected), and text that is not',
    'a number now reaches the code\'s own validation message where eval threw or ran it. It never throws where the',
    'original check would not. A result whose properties are read, that is called, reassigned, tested with `typeof` or',
    'never checked as a number is left alone.',
    '',
    '```diff',
    '-const amount = eval(req.body.amount);',
    '+const amount = Number.parseFloat(req.body.amount);',
    ' if (isNaN(amount) || amount < 0) return res.status(400).send("Invalid amount");',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Input written as a JavaScript expression rather than a decimal number (hex 0x1A, legacy octal 010, 2*3) is now rejected or read differently.',
  ...replacesEvalCall,
  references: [
    mdnNeverUseEval,
    { title: 'MDN: Number.parseFloat()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Number/parseFloat' },
    cweEvalInjection,
  ],
  fix,
};
