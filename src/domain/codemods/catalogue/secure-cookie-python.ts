import type { Node } from 'web-tree-sitter';
import { appendArgument, importsModule } from '../python/args';
import { callArguments, keywordValue } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome, TextEdit } from '../types';

/** The flags and the value each gets when missing or False. `samesite` is only added, never changed. */
const FLAGS: [string, string][] = [
  ['secure', 'True'],
  ['httponly', 'True'],
  ['samesite', "'Lax'"],
];

function isSetCookie(call: Node): boolean {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'set_cookie';
}

function fix(ctx: FixContext): FixOutcome {
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const args = callArguments(node);
  if (args === undefined) return { unfixed: `line ${line} holds no set_cookie call` };
  if (args.splat) return { unfixed: `set_cookie on line ${line} passes *args/**kwargs, so its flags cannot be known` };
  if (args.positional.length > 2) return { unfixed: `set_cookie on line ${line} passes cookie options positionally; review it by hand` };
  const edits: TextEdit[] = [];
  const added: string[] = [];
  const missing: string[] = [];
  for (const [flag, safe] of FLAGS) {
    const keyword = args.keywords.get(flag);
    const value = keyword === undefined ? null : keywordValue(keyword);
    if (value === null) missing.push(`${flag}=${safe}`);
    else if (value.type === 'false' || value.type === 'none') {
      if (flag === 'samesite') continue;
      edits.push({ start: value.startIndex, end: value.endIndex, text: safe });
      added.push(`${flag}=${safe}`);
    } else if (value.type !== 'true' && flag !== 'samesite') {
      return { unfixed: `set_cookie on line ${line} sets ${flag} from an expression (${value.text}); review it by hand` };
    }
  }
  if (missing.length > 0) {
    const edit = appendArgument(node, missing.join(', '), source);
    if (edit === undefined) return { unfixed: `set_cookie on line ${line} has an argument list the codemod cannot extend` };
    edits.push(edit);
  }
  if (edits.length === 0) return { unfixed: `set_cookie on line ${line} already sets secure, httponly and samesite; nothing to fix`, alreadySafe: true };
  return { edits, description: `Set ${[...added, ...missing].join(', ')} on the cookie set on line ${line}.` };
}

export const secureCookiePython: Codemod = {
  id: 'secure-cookie-python',
  title: 'Set Secure, HttpOnly and SameSite on Flask/Django cookies',
  summary: 'Add secure, httponly and samesite flags to set_cookie',
  description: [
    'A cookie without `Secure` is also sent over plain HTTP; without `HttpOnly` any script on the page (an XSS) can',
    'read it; without `SameSite` it rides along on cross-site requests (CSRF). This change adds the missing flags',
    "to `response.set_cookie(...)` (Flask, Django), turns `False` into `True`, and keeps an existing `samesite`.",
    '',
    '```diff',
    '-resp.set_cookie("session", token)',
    "+resp.set_cookie(\"session\", token, secure=True, httponly=True, samesite='Lax')",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'The cookie stops working over plain HTTP, becomes invisible to page scripts, and is no longer sent on cross-site POSTs.',
  languages: ['python'],
  cwes: ['CWE-614', 'CWE-1004'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Flask: Response.set_cookie', url: 'https://flask.palletsprojects.com/en/stable/api/#flask.Response.set_cookie' },
    { title: 'OWASP Session Management Cheat Sheet: Cookies', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies' },
  ],
  ruleIds: {
    semgrep: ['python.flask.security.audit.secure-set-cookie.secure-set-cookie', 'python.django.security.audit.secure-cookies.django-secure-set-cookie'],
    sonar: ['python:S2092', 'python:S3330'],
  },
  target: 'set_cookie call',
  candidates(root) {
    if (!importsModule(root, 'flask') && !importsModule(root, 'django') && !importsModule(root, 'werkzeug')) return [];
    return root.descendantsOfType('call').filter((c): c is Node => c !== null && isSetCookie(c));
  },
  fix,
};
