import type { Node } from 'web-tree-sitter';
import { importsModule, keywordFlag } from '../python/args';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** `<x>.run(...)` passing `debug=` in a file that imports flask. */
function isRunWithDebug(call: Node): boolean {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'run' && keywordFlag(call, 'debug').kind !== 'absent';
}

function fix(ctx: FixContext): FixOutcome {
  const line = ctx.node.startPosition.row + 1;
  const flag = keywordFlag(ctx.node, 'debug');
  if (flag.kind === 'false') return { unfixed: `app.run on line ${line} already passes debug=False; nothing to fix`, alreadySafe: true };
  if (flag.kind === 'other') return { unfixed: `app.run on line ${line} sets debug from an expression (${flag.value.text}); review it by hand` };
  if (flag.kind !== 'true') return { unfixed: `line ${line} holds no app.run(debug=True)` };
  return {
    edits: [{ start: flag.value.startIndex, end: flag.value.endIndex, text: 'False' }],
    description: `Turned off the Flask debugger in app.run on line ${line} (debug=False).`,
  };
}

export const flaskDebugFalse: Codemod = {
  id: 'flask-debug-false',
  title: 'Run Flask without the debugger',
  summary: 'Turn off the Flask debugger in app.run (debug=False)',
  description: [
    '`app.run(debug=True)` starts the Werkzeug debugger, which lets anyone who can reach the app and trigger an',
    'error run Python code in the server process. This change passes `debug=False`.',
    '',
    '```diff',
    '-app.run(host="0.0.0.0", debug=True)',
    '+app.run(host="0.0.0.0", debug=False)',
    '```',
    '',
    'For local development, turn debugging on with `flask run --debug` or the `FLASK_DEBUG` environment variable.',
  ].join('\n'),
  reviewGuidance: 'merge-without-review',
  reviewGuidanceReason: 'Only the interactive debugger and auto-reloader go away; request handling is unchanged.',
  languages: ['python'],
  cwes: ['CWE-489', 'CWE-215'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Flask: Debug Mode', url: 'https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode' },
    { title: 'CWE-489: Active Debug Code', url: 'https://cwe.mitre.org/data/definitions/489.html' },
  ],
  ruleIds: {
    codeql: ['py/flask-debug'],
    semgrep: ['python.flask.security.audit.debug-enabled.debug-enabled'],
    bandit: ['B201'],
    sonar: ['python:S4507'],
  },
  target: 'app.run call passing debug=',
  candidates(root) {
    if (!importsModule(root, 'flask')) return [];
    return root.descendantsOfType('call').filter((c): c is Node => c !== null && isRunWithDebug(c));
  },
  fix,
};
