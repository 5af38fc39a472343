import type { Node } from 'web-tree-sitter';
import { callArgs, dotted, jsBindings, type JsBinding } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const SESSION_MODULES = new Set(['express-session', 'cookie-session']);
/** Calls on the app that only configure it: moving a middleware across them changes nothing a request sees. */
const CONFIGURING = new Set(['set', 'engine', 'disable', 'enable']);

/** `express.static(…)` (express bound by require or import) or `serveStatic(…)` from serve-static. */
function isStatic(arg: Node | undefined, bindings: ReadonlyMap<string, JsBinding>): boolean {
  if (arg?.type !== 'call_expression') return false;
  const fn = arg.childForFieldName('function');
  const name = dotted(fn);
  if (name === undefined) return false;
  const [head, member, ...more] = name.split('.');
  const binding = bindings.get(head ?? '');
  if (binding === undefined) return false;
  if (binding.module === 'serve-static') return member === undefined && binding.name === undefined;
  if (binding.module !== 'express') return false;
  return (member === 'static' && more.length === 0 && binding.name === undefined) || (member === undefined && binding.name === 'static');
}

/** `session({…})` from express-session or cookie-session. */
function isSession(arg: Node | undefined, bindings: ReadonlyMap<string, JsBinding>): boolean {
  if (arg?.type !== 'call_expression') return false;
  const fn = arg.childForFieldName('function');
  const binding = fn?.type === 'identifier' ? bindings.get(fn.text) : undefined;
  return binding !== undefined && SESSION_MODULES.has(binding.module) && binding.name === undefined;
}

/** `app.use(…)` as a whole statement: the app's name and the call's arguments. */
function useStatement(statement: Node | null): { app: string; args: Node[]; call: Node } | undefined {
  if (statement?.type !== 'expression_statement') return undefined;
  const call = statement.namedChildren[0];
  if (call?.type !== 'call_expression') return undefined;
  const fn = dotted(call.childForFieldName('function'));
  if (fn === undefined || !fn.endsWith('.use')) return undefined;
  return { app: fn.slice(0, -'.use'.length), args: callArgs(call), call };
}

/** Why a statement between the session and the static middleware must stay after the static one moves; undefined when it may. */
function blocksMove(statement: Node, app: string, staticNames: ReadonlySet<string>): string | undefined {
  if (statement.type === 'comment' || statement.type === 'empty_statement') return undefined;
  const call = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
  const fn = call?.type === 'call_expression' ? dotted(call.childForFieldName('function')) : undefined;
  if (fn !== undefined && fn.startsWith(`${app}.`) && CONFIGURING.has(fn.slice(app.length + 1))) return undefined;
  const declared = statement.descendantsOfType(['variable_declarator', 'function_declaration', 'class_declaration'])
    .map((d) => d?.childForFieldName('name')?.text)
    .filter((n): n is string => n !== undefined);
  if (declared.some((name) => staticNames.has(name))) return `line ${statement.startPosition.row + 1} declares ${declared.find((n) => staticNames.has(n))}, which the static middleware reads`;
  return `line ${statement.startPosition.row + 1} (${statement.text.split('\n')[0]?.trim().slice(0, 40)}) runs between them; static files would no longer pass through it`;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root, source } = ctx;
  const line = node.startPosition.row + 1;
  const bindings = jsBindings(root);
  const statement = node.parent;
  const use = useStatement(statement);
  if (statement === null || use === undefined || !use.call.equals(node)) return { unfixed: `the static middleware on line ${line} is not registered by a statement of its own` };
  const staticArg = use.args.find((a) => isStatic(a, bindings));
  if (staticArg === undefined) return { unfixed: `line ${line} registers no static middleware` };
  const block = statement.parent;
  const siblings = block?.namedChildren.filter((c): c is Node => c !== null) ?? [];
  const at = siblings.findIndex((s) => s.equals(statement));
  const sessionAt = siblings.findIndex((s, i) => i < at && useStatement(s)?.app === use.app && useStatement(s)?.args.some((a) => isSession(a, bindings)) === true);
  if (sessionAt < 0) return { unfixed: `the static middleware on line ${line} is not registered after a session middleware of ${use.app} in this block; nothing to fix`, alreadySafe: true };
  const reads = new Set(statement.descendantsOfType('identifier').map((id) => id?.text).filter((n): n is string => n !== undefined));
  for (const between of siblings.slice(sessionAt + 1, at)) {
    const why = blocksMove(between, use.app, reads);
    if (why !== undefined) return { unfixed: `moving the static middleware on line ${line} above the session middleware: ${why}; reorder them by hand` };
  }
  const session = siblings[sessionAt];
  if (session === undefined) return { unfixed: `line ${line}: the session middleware could not be read` };
  const lineStart = (offset: number): number => source.lastIndexOf('\n', offset - 1) + 1;
  const start = lineStart(statement.startIndex);
  const endOfLine = source.indexOf('\n', statement.endIndex);
  if (!/^[ \t]*$/.test(source.slice(start, statement.startIndex)) || !/^[ \t]*\r?$/.test(source.slice(statement.endIndex, endOfLine < 0 ? source.length : endOfLine))) {
    return { unfixed: `the static middleware on line ${line} shares its line with other code; reorder it by hand` };
  }
  const sessionStart = lineStart(session.startIndex);
  if (!/^[ \t]*$/.test(source.slice(sessionStart, session.startIndex))) return { unfixed: `the session middleware shares its line with other code; reorder it by hand` };
  const end = endOfLine < 0 ? source.length : endOfLine + 1;
  // Line comments right above the static middleware are about it: they move with it.
  let from = start;
  while (from > sessionStart) {
    const previous = lineStart(from - 1);
    if (!/^[ \t]*\/\/[^\n]*\n$/.test(source.slice(previous, from))) break;
    from = previous;
  }
  if (from <= session.endIndex) from = start;
  const moved = source.slice(from, end);
  // Two blank lines would be left where it was: take one of them along.
  const blankAfter = /^[ \t]*\r?\n/.exec(source.slice(end))?.[0];
  const blankBefore = from > 0 && /^[ \t]*\r?\n$/.test(source.slice(lineStart(from - 1), from));
  const removeEnd = blankAfter !== undefined && blankBefore ? end + blankAfter.length : end;
  // Line comments right above the session middleware stay with it: the static one goes above them.
  let insertAt = sessionStart;
  while (insertAt > 0) {
    const previous = lineStart(insertAt - 1);
    if (!/^[ \t]*\/\/[^\n]*\n$/.test(source.slice(previous, insertAt))) break;
    insertAt = previous;
  }
  return {
    edits: [
      { start: insertAt, end: insertAt, text: moved.endsWith('\n') ? moved : `${moved}\n` },
      { start: from, end: removeEnd, text: '' },
    ],
    description: `Registered the static middleware of line ${line} before the session middleware (line ${session.startPosition.row + 1}): static files are served without reading or creating a session, so no session cookie is sent with them.`,
  };
}

export const expressStaticBeforeSession: Codemod = {
  id: 'express-static-before-session',
  title: 'Serve static files before the session middleware',
  summary: 'Register express.static before the session middleware',
  description: [
    'When `app.use(express.static(…))` comes after `app.use(session(…))`, every request for an image, script or',
    'stylesheet loads (and, with `saveUninitialized`, creates) a session and answers with the session cookie: cookies',
    'travel with public, often cached, responses, and each asset costs a session-store lookup. Registering the static',
    'middleware first serves those files without a session. The move is made only when the statements between the two',
    'only configure the app (`app.set`, `app.engine`, `app.disable`/`enable`) or are comments, so no other middleware or',
    'route changes place relative to the static files.',
    '',
    '```diff',
    "+app.use(express.static(path.join(__dirname, 'public')));",
    ' app.use(session({ secret, resave: false, saveUninitialized: false }));',
    " app.set('view engine', 'html');",
    "-app.use(express.static(path.join(__dirname, 'public')));",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Static files stop seeing req.session; a reviewer checks no static path was meant to be gated by the session.',
  languages: ['javascript', 'typescript', 'tsx'],
  // A session cookie on a cacheable public response can end up in a shared cache.
  cwes: ['CWE-524'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Sonar javascript:S8441: session cookies should not be set on static assets', url: 'https://sonarsource.github.io/rspec/#/rspec/S8441/javascript' },
    { title: 'Express: serving static files', url: 'https://expressjs.com/en/starter/static-files.html' },
    { title: 'express-session: saveUninitialized', url: 'https://github.com/expressjs/session#saveuninitialized' },
  ],
  ruleIds: {
    eslint: ['sonarjs/no-session-cookies-on-static-assets'],
    sonar: ['javascript:S8441'],
  },
  target: 'static middleware registration',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && useStatement(c.parent)?.call.equals(c) === true && callArgs(c).some((a) => isStatic(a, bindings)));
  },
  fix,
};
