import type { Node } from 'web-tree-sitter';
import { importsModule } from '../python/args';
import { plainString } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Flask session cookie settings and the value that keeps the cookie to HTTPS, away from scripts, same-site. */
const SAFE: Record<string, { unsafe: string[]; safe: string }> = {
  SESSION_COOKIE_SECURE: { unsafe: ['False'], safe: 'True' },
  SESSION_COOKIE_HTTPONLY: { unsafe: ['False'], safe: 'True' },
  SESSION_COOKIE_SAMESITE: { unsafe: ['None'], safe: "'Lax'" },
};

/** `x.config['NAME'] = v` and `NAME=v` inside `x.config.update(…)`: the setting name and its value node. */
function setting(node: Node): { name: string; value: Node } | undefined {
  if (node.type === 'assignment') {
    const left = node.childForFieldName('left');
    const value = node.childForFieldName('right');
    const key = left?.type === 'subscript' ? left.childForFieldName('subscript') : null;
    const name = key == null ? undefined : plainString(key)?.value;
    if (value === null || name === undefined || !/\.config$|^config$/.test(left?.childForFieldName('value')?.text ?? '')) return undefined;
    return Object.hasOwn(SAFE, name) ? { name, value } : undefined;
  }
  if (node.type === 'keyword_argument') {
    const call = node.parent?.parent;
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (call?.type !== 'call' || !/\.config\.update$/.test(call.childForFieldName('function')?.text ?? '') || name === undefined || value === null) return undefined;
    return Object.hasOwn(SAFE, name) ? { name, value } : undefined;
  }
  return undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const line = ctx.node.startPosition.row + 1;
  const found = setting(ctx.node);
  const rule = found === undefined ? undefined : SAFE[found.name];
  if (found === undefined || rule === undefined) return { unfixed: `line ${line} holds no Flask session cookie setting` };
  const { name, value } = found;
  if (!rule.unsafe.includes(value.text)) {
    const literal = ['True', 'False', 'None'].includes(value.text) || plainString(value) !== undefined;
    return literal ? { unfixed: `${name} on line ${line} is ${value.text}; nothing to fix`, alreadySafe: true } : { unfixed: `${name} on line ${line} is set from an expression (${value.text}); review it by hand` };
  }
  if (!importsModule(ctx.root, 'flask')) return { unfixed: `${ctx.path} does not import flask, so ${name} there may not be Flask's setting` };
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: rule.safe }],
    description: `Set ${name} to ${rule.safe} on line ${line}, so the session cookie is ${name.endsWith('SECURE') ? 'only sent over HTTPS' : name.endsWith('HTTPONLY') ? 'out of reach of page scripts' : 'not sent on cross-site requests'}.`,
  };
}

export const flaskSessionCookieFlags: Codemod = {
  id: 'flask-session-cookie-flags',
  title: 'Harden the Flask session cookie',
  summary: 'Turn the Flask session cookie flags back on (Secure, HttpOnly, SameSite)',
  description: [
    "Flask's session cookie carries the signed session. `SESSION_COOKIE_SECURE = False` lets it travel over plain",
    'HTTP, `SESSION_COOKIE_HTTPONLY = False` lets any script in the page read it, and `SESSION_COOKIE_SAMESITE = None`',
    'sends it with cross-site requests. This change sets them to `True`, `True` and `Lax` where the app turned them off.',
    '',
    '```diff',
    "-app.config['SESSION_COOKIE_HTTPONLY'] = False",
    "+app.config['SESSION_COOKIE_HTTPONLY'] = True",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Sessions stop working over plain HTTP (a local server without TLS), and page scripts that read the session cookie no longer can.',
  languages: ['python'],
  cwes: ['CWE-614', 'CWE-1004'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Flask configuration: SESSION_COOKIE_SECURE', url: 'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SECURE' },
    { title: 'Flask security considerations: set-cookie options', url: 'https://flask.palletsprojects.com/en/stable/web-security/#set-cookie-options' },
  ],
  ruleIds: {
    sonar: ['python:S2092', 'python:S3330'],
    generic: ['secure-flask-session-configuration'],
  },
  target: 'Flask session cookie setting',
  candidates(root) {
    return root.descendantsOfType(['assignment', 'keyword_argument']).filter((n): n is Node => n !== null && setting(n) !== undefined);
  },
  fix,
};
