import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import { callArgs, dotted, jsBindings, sameModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Does the statement sit in an `if` that already tests the environment (`NODE_ENV`, `app.get('env')`)? */
function guarded(statement: Node): boolean {
  for (let n = statement.parent; n !== null; n = n.parent) {
    if (n.type === 'if_statement' && /NODE_ENV|\.get\(\s*['"]env['"]\s*\)|\benv\b/.test(n.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** `app.use(errorHandler())` where errorHandler is the errorhandler package: the `use` call's receiver. */
function errorHandlerUse(call: Node, bindings: ReturnType<typeof jsBindings>): Node | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'member_expression' || callee.childForFieldName('property')?.text !== 'use') return undefined;
  const [arg, ...rest] = callArgs(call);
  if (arg?.type !== 'call_expression' || rest.length > 0) return undefined;
  const name = dotted(arg.childForFieldName('function'));
  const bound = name === undefined ? undefined : bindings.get(name);
  if (bound === undefined || !sameModule(bound.module, 'errorhandler')) return undefined;
  return callee.childForFieldName('object') ?? undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const app = errorHandlerUse(node, jsBindings(root));
  if (app === undefined) return { unfixed: `line ${line} holds no app.use(errorhandler())` };
  const statement = node.parent;
  if (statement?.type !== 'expression_statement') return { unfixed: `app.use(errorhandler()) on line ${line} is part of a larger expression; guard it by hand` };
  if (guarded(statement)) return { unfixed: `app.use(errorhandler()) on line ${line} already runs only for one environment; nothing to fix`, alreadySafe: true };
  const lineStart = source.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = source.slice(lineStart, statement.startIndex);
  const rest = /^[ \t]*(\/\/[^\n]*)?(?=\r?\n|$)/.exec(source.slice(statement.endIndex));
  if (!/^[ \t]*$/.test(indent) || rest === null) return { unfixed: `app.use(errorhandler()) on line ${line} shares its line with other code; guard it by hand` };
  const step = indent.includes('\t') ? '\t' : indent.length > 0 && indent.length % 4 === 0 ? '    ' : '  ';
  const eol = detectEol(source);
  const quote = /'/.test(source) || !/"/.test(source) ? "'" : '"';
  const text = `if (${app.text}.get(${quote}env${quote}) === ${quote}development${quote}) {${eol}${indent}${step}${statement.text}${eol}${indent}}`;
  return {
    edits: [{ start: statement.startIndex, end: statement.endIndex, text }],
    description: `Mounted errorhandler on line ${line} only when the app runs in development, so production errors no longer send stack traces and source paths to the client.`,
  };
}

export const expressErrorhandlerDevOnly: Codemod = {
  id: 'express-errorhandler-dev-only',
  title: 'Use errorhandler only in development',
  summary: 'Mount the errorhandler middleware only in development',
  description: [
    'The `errorhandler` middleware answers every error with its stack trace: file paths, module versions and often',
    'the data being processed. Its own documentation says to use it only in development. This change mounts it',
    "only when `app.get('env')` is `development` (Express's reading of `NODE_ENV`, `development` when unset); in",
    "production Express's own handler answers with a bare status.",
    '',
    '```diff',
    '-app.use(errorHandler());',
    "+if (app.get('env') === 'development') {",
    '+  app.use(errorHandler());',
    '+}',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: "A deployment that relies on NODE_ENV being unset still gets the handler (Express treats unset as development): set NODE_ENV=production there.",
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-489', 'CWE-209'],
  owasp: ['A05:2021'],
  references: [
    { title: 'errorhandler: use in development only', url: 'https://github.com/expressjs/errorhandler#readme' },
    { title: 'Express: error handling in production', url: 'https://expressjs.com/en/guide/error-handling.html' },
  ],
  ruleIds: {
    codeql: ['js/stack-trace-exposure'],
    eslint: ['sonarjs/production-debug'],
    sonar: ['javascript:S4507'],
  },
  target: 'app.use(errorhandler()) call',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && errorHandlerUse(c, bindings) !== undefined);
  },
  fix,
};
