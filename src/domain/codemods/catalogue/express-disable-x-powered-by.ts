import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callArgs, dotted, jsBindings, jsString } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** The statement declaring `const app = express()`, with the app's name; express bound by import or require. */
function appDeclaration(statement: Node, expressNames: Set<string>): string | undefined {
  if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') return undefined;
  const declarators = statement.namedChildren.filter((c): c is Node => c?.type === 'variable_declarator');
  const [only] = declarators;
  if (declarators.length !== 1 || only === undefined) return undefined;
  const value = only.childForFieldName('value');
  const name = only.childForFieldName('name');
  if (value?.type !== 'call_expression' || name?.type !== 'identifier') return undefined;
  const fn = value.childForFieldName('function')?.text;
  return fn !== undefined && expressNames.has(fn) && callArgs(value).length === 0 ? name.text : undefined;
}

/** Does the file already turn the header off: app.disable('x-powered-by'), app.set('x-powered-by', false), helmet? */
function alreadyHidden(root: Node, app: string): boolean {
  return root.descendantsOfType('call_expression').some((call) => {
    if (call === null) return false;
    const fn = dotted(call.childForFieldName('function'));
    const [first, second] = callArgs(call);
    if (fn === `${app}.disable`) return jsString(first)?.toLowerCase() === 'x-powered-by';
    if (fn === `${app}.set`) return jsString(first)?.toLowerCase() === 'x-powered-by' && second?.type === 'false';
    if (fn === `${app}.use`) return first?.type === 'call_expression' && /^helmet(\.hidePoweredBy)?$/.test(first.childForFieldName('function')?.text ?? '');
    return false;
  });
}

function expressNames(root: Node): Set<string> {
  return new Set([...jsBindings(root)].filter(([, b]) => b.module === 'express' && (b.name === undefined || b.name === 'default')).map(([local]) => local));
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const app = appDeclaration(node, expressNames(root));
  if (app === undefined) return { unfixed: `line ${line} creates no Express app` };
  if (alreadyHidden(root, app)) return { unfixed: `${app} on line ${line} already hides the X-Powered-By header; nothing to fix`, alreadySafe: true };
  const lineStart = source.lastIndexOf('\n', node.startIndex - 1) + 1;
  const indent = source.slice(lineStart, node.startIndex);
  const rest = /^[ \t]*(\/\/[^\n]*)?(?=\r?\n|$)/.exec(source.slice(node.endIndex));
  if (!/^[ \t]*$/.test(indent) || rest === null) return { unfixed: `the Express app on line ${line} shares its line with other code; review it by hand` };
  const semi = node.text.trimEnd().endsWith(';') ? ';' : '';
  const quote = /require\(\s*"|from\s*"/.test(source) ? '"' : "'";
  const at = node.endIndex + rest[0].length;
  return {
    edits: [{ start: at, end: at, text: `${detectEol(source)}${indent}${app}.disable(${quote}x-powered-by${quote})${semi}` }],
    description: `Turned off the X-Powered-By header for the Express app created on line ${line}.`,
  };
}

export const expressDisableXPoweredBy: Codemod = {
  id: 'express-disable-x-powered-by',
  title: 'Hide the Express X-Powered-By header',
  summary: "Turn off Express's X-Powered-By header",
  description: [
    'Express answers every request with `X-Powered-By: Express`, telling scanners which framework (and so which',
    'known vulnerabilities) to try. This change calls `app.disable("x-powered-by")` right after the app is created.',
    '',
    '```diff',
    ' const app = express();',
    "+app.disable('x-powered-by');",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-without-review',
  reviewGuidanceReason: 'Only one informational response header goes away; no client relies on it.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-200'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Express security best practices', url: 'https://expressjs.com/en/advanced/best-practice-security.html' },
    { title: 'CWE-200: Exposure of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/200.html' },
  ],
  ruleIds: { codeql: ['js/insecure-helmet-configuration'], eslint: ['sonarjs/x-powered-by'], sonar: ['javascript:S5689'], snyk: ['javascript/DisablePoweredBy'] },
  target: 'Express app creation',
  candidates(root) {
    const names = expressNames(root);
    if (names.size === 0) return [];
    return root.descendantsOfType(['lexical_declaration', 'variable_declaration']).filter((s): s is Node => s !== null && appDeclaration(s, names) !== undefined);
  },
  fix,
};
