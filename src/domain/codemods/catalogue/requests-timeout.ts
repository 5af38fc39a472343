import { appendArgument, callsTo, keywordFlag } from '../python/args';
import { pythonBindings, resolveCallee } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const shown = resolveCallee(node, pythonBindings(ctx.root))?.qualified ?? 'requests call';
  const flag = keywordFlag(node, 'timeout');
  if (flag.kind === 'splat') return { unfixed: `${shown} on line ${line} passes **kwargs, which may carry a timeout; review it by hand` };
  if (flag.kind !== 'absent') {
    if (flag.value.type === 'none') return { unfixed: `${shown} on line ${line} asks for no timeout explicitly (timeout=None); review it by hand` };
    return { unfixed: `${shown} on line ${line} already passes a timeout; nothing to fix`, alreadySafe: true };
  }
  const edit = appendArgument(node, 'timeout=60', ctx.source);
  if (edit === undefined) return { unfixed: `${shown} on line ${line} has an argument list the codemod cannot extend` };
  return { edits: [edit], description: `Added timeout=60 to ${shown} on line ${line}, so a silent server cannot hang the caller forever.` };
}

export const requestsTimeout: Codemod = {
  id: 'requests-timeout',
  title: 'Add a timeout to requests calls',
  summary: 'Give requests calls a 60-second timeout',
  description: [
    'Without `timeout`, `requests` waits for a response forever: a slow or malicious server can hold the worker (and',
    'everything queued behind it) indefinitely. This change passes `timeout=60` seconds.',
    '',
    '```diff',
    '-resp = requests.get(url)',
    '+resp = requests.get(url, timeout=60)',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Calls that legitimately take longer than 60 seconds (large uploads, slow reports) will now raise Timeout.',
  languages: ['python'],
  cwes: ['CWE-400', 'CWE-1088'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Requests: Timeouts', url: 'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts' },
    { title: 'CWE-1088: Synchronous Access of Remote Resource without Timeout', url: 'https://cwe.mitre.org/data/definitions/1088.html' },
  ],
  ruleIds: {
    semgrep: ['python.requests.best-practice.use-timeout.use-timeout'],
    bandit: ['B113'],
  },
  target: 'requests call',
  candidates(root) {
    return callsTo(root, (q) => q.startsWith('requests.') && q.split('.').length === 2 && METHODS.has(q.slice(9)));
  },
  fix,
};
