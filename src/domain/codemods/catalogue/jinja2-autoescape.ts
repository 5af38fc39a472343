import type { Node } from 'web-tree-sitter';
import { appendArgument, callsTo, keywordFlag } from '../python/args';
import { pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Calls that create a Jinja2 environment: aiohttp_jinja2.setup passes its keyword arguments on to jinja2.Environment. */
const ENVIRONMENTS = new Set(['jinja2.Environment', 'jinja2.environment.Environment', 'jinja2.Template', 'aiohttp_jinja2.setup']);

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const shown = resolveCallee(node, pythonBindings(ctx.root))?.qualified ?? 'jinja2.Environment';
  const flag = keywordFlag(node, 'autoescape');
  if (flag.kind === 'true') return { unfixed: `${shown} on line ${line} already autoescapes; nothing to fix`, alreadySafe: true };
  if (flag.kind === 'other') {
    const value = flag.value;
    const selector = value.type === 'call' && /(^|\.)select_autoescape$/.test(value.childForFieldName('function')?.text ?? '');
    if (selector) return { unfixed: `${shown} on line ${line} autoescapes with select_autoescape; nothing to fix`, alreadySafe: true };
    return { unfixed: `${shown} on line ${line} sets autoescape from an expression (${value.text}); review it by hand` };
  }
  if (flag.kind === 'splat') return { unfixed: `${shown} on line ${line} passes **kwargs, so autoescape cannot be known` };
  if (flag.kind === 'false') {
    return {
      edits: [{ start: flag.value.startIndex, end: flag.value.endIndex, text: 'True' }],
      description: `Turned on HTML autoescaping for ${shown} on line ${line} (autoescape=True).`,
    };
  }
  const edit = appendArgument(node, 'autoescape=True', ctx.source);
  if (edit === undefined) return { unfixed: `${shown} on line ${line} has an argument list the codemod cannot extend` };
  return { edits: [edit], description: `Turned on HTML autoescaping for ${shown} on line ${line} (autoescape=True).` };
}

export const jinja2Autoescape: Codemod = {
  id: 'jinja2-autoescape',
  title: 'Turn on Jinja2 autoescaping',
  summary: 'Create Jinja2 environments with autoescape=True',
  description: [
    'Jinja2 does not escape variables by default, so a template rendering user input into HTML lets that input add',
    'markup and scripts (cross-site scripting). This change passes `autoescape=True` (or replaces `autoescape=False`).',
    '',
    '```diff',
    '-env = jinja2.Environment(loader=loader)',
    '+env = jinja2.Environment(loader=loader, autoescape=True)',
    '```',
    '',
    'Values that are meant to be HTML must then be marked with `markupsafe.Markup` or the `|safe` filter.',
  ].join('\n'),
  reviewGuidance: 'merge-after-review',
  reviewGuidanceReason: 'Templates that build HTML from trusted variables, or render non-HTML text, will now show escaped entities.',
  languages: ['python'],
  cwes: ['CWE-79'],
  owasp: ['A03:2021'],
  references: [
    { title: 'Jinja2 API: Autoescaping', url: 'https://jinja.palletsprojects.com/en/stable/api/#autoescaping' },
    { title: 'CWE-79: Cross-site Scripting', url: 'https://cwe.mitre.org/data/definitions/79.html' },
  ],
  ruleIds: {
    codeql: ['py/jinja2-autoescape-false'],
    semgrep: ['python.flask.security.xss.audit.direct-use-of-jinja2.direct-use-of-jinja2'],
    bandit: ['B701'],
    sonar: ['python:S5247'],
  },
  target: 'jinja2.Environment call',
  candidates(root) {
    return callsTo(root, (q) => ENVIRONMENTS.has(q));
  },
  fix,
};
