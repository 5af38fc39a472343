import type { Node } from 'web-tree-sitter';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** One piece of a regular expression's source, as far as nesting and quantifiers go. */
interface Token {
  text: string;
  start: number;
  kind: 'open' | 'close' | 'quant' | 'atom' | 'other';
}

/** An atom that matches exactly one character: a class, `.`, `\d`-like escapes, an escaped punctuation mark, a plain character. */
const SINGLE_CHAR = /^(\[(\\.|[^\]\\])*\]|\.|\\[dDwWsS]|\\[^A-Za-z0-9]|[^\\()[\]|+*?{}^$])$/;

function tokens(pattern: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    const start = i;
    if (ch === '\\') {
      out.push({ text: pattern.slice(i, i + 2), start, kind: 'atom' });
      i += 2;
    } else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) return undefined;
      out.push({ text: pattern.slice(i, j + 1), start, kind: 'atom' });
      i = j + 1;
    } else if (ch === '(') {
      const head = /^\((\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(pattern.slice(i))?.[0] ?? '(';
      out.push({ text: head, start, kind: 'open' });
      i += head.length;
    } else if (ch === ')') {
      out.push({ text: ch, start, kind: 'close' });
      i += 1;
    } else if (ch === '+' || ch === '*' || ch === '?') {
      out.push({ text: ch, start, kind: 'quant' });
      i += 1;
    } else if (ch === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      const text = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i))?.[0] ?? ch;
      out.push({ text, start, kind: 'quant' });
      i += text.length;
    } else {
      out.push({ text: ch, start, kind: ch === '|' || ch === '^' || ch === '$' ? 'other' : 'atom' });
      i += 1;
    }
  }
  return out;
}

const repeats = (t: Token | undefined): boolean => t?.kind === 'quant' && (t.text === '+' || t.text === '*' || /^\{\d+,\d*\}$/.test(t.text));

/** Does a quantified group hold a quantifier of its own (the shape behind catastrophic backtracking)? */
function hasNestedQuantifier(list: readonly Token[]): boolean {
  const stack: boolean[] = [];
  for (let i = 0; i < list.length; i += 1) {
    const t = list[i];
    if (t?.kind === 'open') stack.push(false);
    else if (t?.kind === 'quant' && stack.length > 0 && repeats(t)) stack[stack.length - 1] = true;
    else if (t?.kind === 'close') {
      const inner = stack.pop() ?? false;
      if (inner && repeats(list[i + 1])) return true;
      if (inner && stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return false;
}

/** `(X+)+` → `(X+)`, `(X*)+` → `(X*)`, `(X+)*` → `(X+)?` with X one character: the same strings, without the exponential search. */
function simplify(pattern: string, list: readonly Token[]): { pattern: string; count: number } {
  let out = '';
  let at = 0;
  let count = 0;
  for (let i = 0; i + 4 < list.length; i += 1) {
    const [open, atom, inner, close, outer] = [list[i], list[i + 1], list[i + 2], list[i + 3], list[i + 4]];
    if (open?.kind !== 'open' || (open.text !== '(' && open.text !== '(?:' && !/^\(\?<[A-Za-z_$]/.test(open.text))) continue;
    if (atom?.kind !== 'atom' || !SINGLE_CHAR.test(atom.text) || close?.kind !== 'close' || outer?.kind !== 'quant') continue;
    if (inner?.kind !== 'quant' || (inner.text !== '+' && inner.text !== '*')) continue;
    if (outer.text !== '+' && outer.text !== '*') continue;
    const next = list[i + 5];
    if (next?.kind === 'quant') continue; // lazy or possessive-looking: leave it
    if (inner.text === '*' && outer.text === '*') continue; // `(a*)*` captures undefined on empty input, `(a*)` captures ''
    out += pattern.slice(at, outer.start) + (inner.text === '+' && outer.text === '*' ? '?' : '');
    at = outer.start + 1;
    count += 1;
  }
  return { pattern: out + pattern.slice(at), count };
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const patternNode = node.childForFieldName('pattern');
  if (patternNode === null) return { unfixed: `the regular expression on line ${line} has no pattern` };
  const pattern = patternNode.text;
  // The v flag nests character classes ([[a-z]--[aeiou]]), which this reading of the pattern does not follow.
  if ((node.childForFieldName('flags')?.text ?? '').includes('v')) return { unfixed: `the regular expression on line ${line} uses the v flag (nested classes), which this codemod does not read; rewriting it needs its intended language` };
  const list = tokens(pattern);
  if (list === undefined) return { unfixed: `the regular expression on line ${line} could not be read (an unclosed character class)` };
  if (!hasNestedQuantifier(list)) return { unfixed: `the regular expression on line ${line} repeats no quantified group; nothing to fix`, alreadySafe: true };
  // A back-reference reads what a group captured, and a lone group's capture can differ once its repetition goes.
  if (/\\[1-9]|\\k</.test(pattern)) return { unfixed: `the regular expression on line ${line} refers back to a group (\\1, \\k<…>); rewriting it needs its intended language` };
  const simpler = simplify(pattern, list);
  const rest = tokens(simpler.pattern);
  if (simpler.count === 0 || rest === undefined || hasNestedQuantifier(rest)) {
    return { unfixed: `the regular expression on line ${line} nests quantifiers in a form other than (X+)+ over one character (alternatives or several atoms in the group); rewriting it needs its intended language` };
  }
  return {
    edits: [{ start: patternNode.startIndex, end: patternNode.endIndex, text: simpler.pattern }],
    description: `Dropped the redundant repetition of a repeated group in the regular expression on line ${line} (/${pattern}/ → /${simpler.pattern}/): it matches the same text without the exponential backtracking.`,
  };
}

export const regexNestedQuantifier: Codemod = {
  id: 'regex-nested-quantifier',
  title: 'Remove redundant nested quantifiers from regular expressions (ReDoS)',
  summary: 'Drop the repeated quantifier around a repeated group in a regex',
  description: [
    'A group that repeats a repeated character, such as `([0-9]+)+`, matches a run of digits in exponentially many ways;',
    'on input that almost matches (`111…1x`) the engine tries them all and the event loop stalls (ReDoS). When the group',
    'holds one character (a class, `.`, `\\d`, a literal) the outer quantifier adds nothing: `(X+)+` matches exactly what',
    '`(X+)` matches, `(X*)+` what `(X*)` does, and `(X+)*` what `(X+)?` does, and the group captures the same text.',
    'Expressions with back-references, alternatives or several atoms inside the group are left alone.',
    '',
    '```diff',
    '-const pattern = /^([0-9]+)+#$/;',
    '+const pattern = /^([0-9]+)#$/;',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'The expression matches the same strings; a reviewer checks that the simplified pattern reads as intended.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-1333'],
  owasp: ['A05:2021'],
  references: [
    { title: 'OWASP: Regular expression Denial of Service (ReDoS)', url: 'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS' },
    { title: 'CWE-1333: Inefficient Regular Expression Complexity', url: 'https://cwe.mitre.org/data/definitions/1333.html' },
    { title: 'eslint-plugin-security: detect-unsafe-regex', url: 'https://github.com/eslint-community/eslint-plugin-security/blob/main/docs/rules/detect-unsafe-regex.md' },
  ],
  ruleIds: {
    codeql: ['js/redos'],
    eslint: ['detect-unsafe-regex', 'security/detect-unsafe-regex', 'sonarjs/slow-regex'],
    sonar: ['javascript:S5852'],
  },
  target: 'regular expression literal',
  candidates(root) {
    return root.descendantsOfType('regex').filter((r): r is Node => {
      const list = r === null ? undefined : tokens(r.childForFieldName('pattern')?.text ?? '');
      return list !== undefined && hasNestedQuantifier(list);
    });
  },
  fix,
};
