import type { Node } from 'web-tree-sitter';
import { commandPieces } from '../js/child-process';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Characters that make literal text markup (a tag, an entity): then the code means HTML, not text. */
const MARKUP = /[<>&]/;

/** `el.innerHTML = …` (also `=` through `this.box.innerHTML`): the assignment's parts, or undefined. */
function innerHtmlAssignment(node: Node): { property: Node; value: Node; operator: string } | undefined {
  if (node.type !== 'assignment_expression' && node.type !== 'augmented_assignment_expression') return undefined;
  const left = node.childForFieldName('left');
  const property = left?.type === 'member_expression' ? left.childForFieldName('property') : null;
  const value = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.text ?? '=';
  if (property?.text !== 'innerHTML' || value === null) return undefined;
  return { property, value, operator };
}

function fix(ctx: FixContext): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const found = innerHtmlAssignment(node);
  if (found === undefined) return { unfixed: `line ${line} holds no innerHTML assignment` };
  const { property, value, operator } = found;
  const where = `innerHTML on line ${line}`;
  if (operator !== '=') return { unfixed: `${where} is appended to (${operator}), which keeps the markup already there; build the new part with textContent or createElement by hand` };
  const pieces = commandPieces(value, source);
  if (typeof pieces === 'string') return { unfixed: `${where}: ${pieces.replace('the command', 'the text')}; review it by hand` };
  if (pieces.every((p) => p.kind === 'text')) return { unfixed: `${where} is set to constant markup, so nothing from outside reaches it; nothing to fix`, alreadySafe: true };
  const markup = pieces.find((p) => p.kind === 'text' && MARKUP.test(p.text));
  if (markup !== undefined && markup.kind === 'text') {
    return { unfixed: `${where} builds markup (${JSON.stringify(markup.text.trim().slice(0, 20))}) around its values; escape each value or build the elements by hand` };
  }
  if (!pieces.some((p) => p.kind === 'text')) {
    return { unfixed: `${where} is set from ${value.text} alone, which may hold markup meant to render; use textContent, or sanitize it (DOMPurify), by hand` };
  }
  return {
    edits: [{ start: property.startIndex, end: property.endIndex, text: 'textContent' }],
    description: `Set textContent instead of innerHTML on line ${line}: the text around the values is plain, so the element shows the same words and a value can no longer add markup or scripts.`,
  };
}

export const domTextContent: Codemod = {
  id: 'dom-text-content',
  title: 'Set text with textContent instead of innerHTML',
  summary: 'Use textContent for plain text built from values instead of innerHTML',
  description: [
    '`el.innerHTML = …` parses what it is given as HTML, so a value holding `<img src=x onerror=…>` runs script in the',
    'page (DOM cross-site scripting). Where the literal text around the values is plain (no tags or entities), the',
    'code means text: `textContent` shows the same words and never parses them.',
    '',
    '```diff',
    "-status.innerHTML = 'Signed in as ' + user.name;",
    "+status.textContent = 'Signed in as ' + user.name;",
    '```',
    '',
    'Markup built around values, a value assigned alone (it may be meant to render) and `+=` are left for a person.',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'A value that held markup on purpose (an entity such as &amp;, a <b>) is now shown as written instead of rendered.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-79'],
  owasp: ['A03:2021'],
  references: [
    { title: 'MDN: Node.textContent (differences from innerHTML)', url: 'https://developer.mozilla.org/en-US/docs/Web/API/Node/textContent#differences_from_innerhtml' },
    { title: 'OWASP DOM based XSS Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/DOM_based_XSS_Prevention_Cheat_Sheet.html' },
  ],
  ruleIds: {
    codeql: ['js/xss-through-dom', 'js/xss'],
    semgrep: ['javascript.browser.security.insecure-document-method.insecure-document-method', 'javascript.browser.security.insecure-innerhtml.insecure-innerhtml'],
    eslint: ['no-unsanitized/property', '@microsoft/sdl/no-inner-html'],
    snyk: ['javascript/DOMXSS'],
  },
  target: 'innerHTML assignment',
  candidates(root) {
    return root.descendantsOfType(['assignment_expression', 'augmented_assignment_expression']).filter((n): n is Node => n !== null && innerHtmlAssignment(n) !== undefined);
  },
  fix,
};
