import type { Node } from 'web-tree-sitter';
import { callArguments, keywordValue, pythonBindings, resolveCallee, type PythonBindings } from '../python/syntax';
import type { Codemod, FixContext, FixOutcome } from '../types';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'send']);
const CLIENTS = new Set(['httpx.Client', 'httpx.AsyncClient']);
const LIBRARIES = ['requests', 'httpx'];

/** The call's name when it is an HTTP call from requests or httpx, or a method call on a session of theirs. */
function httpCallName(call: Node, bindings: PythonBindings): string | undefined {
  const callee = resolveCallee(call, bindings);
  if (callee !== undefined) {
    const [library] = callee.qualified.split('.');
    const method = callee.qualified.slice(callee.qualified.lastIndexOf('.') + 1);
    if (CLIENTS.has(callee.qualified)) return callee.qualified;
    if (library !== undefined && LIBRARIES.includes(library) && METHODS.has(method)) return callee.qualified;
  }
  // session.get(...), requests.Session().get(...): any HTTP-verb method, when the file uses one of the libraries.
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  const usesLibrary = [...bindings.modules.values(), ...[...bindings.names.values()].map((n) => n.module)].some((m) => LIBRARIES.includes(m.split('.')[0] ?? m));
  return method !== undefined && METHODS.has(method) && usesLibrary ? `${fn?.text ?? method}` : undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const name = httpCallName(node, pythonBindings(root));
  const verify = callArguments(node)?.keywords.get('verify');
  const value = verify === undefined ? null : keywordValue(verify);
  if (name === undefined || value === null) return { unfixed: `line ${line} holds no HTTP call passing verify=` };
  if (value.type === 'true') return { unfixed: `${name} on line ${line} already verifies certificates; nothing to fix`, alreadySafe: true };
  if (value.type === 'string') {
    return { unfixed: `${name} on line ${line} verifies against a CA bundle (${value.text}); nothing to fix`, alreadySafe: true };
  }
  if (value.type !== 'false') return { unfixed: `${name} on line ${line} sets verify from an expression (${value.text}); review it by hand` };
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: 'True' }],
    description: `Turned TLS certificate verification back on for ${name} on line ${line} (verify=True).`,
  };
}

export const requestsVerifyTrue: Codemod = {
  id: 'requests-verify-true',
  title: 'Verify TLS certificates in requests and httpx',
  summary: 'Turn TLS certificate verification back on for HTTP requests',
  description: [
    '`verify=False` tells `requests` (or `httpx`) to accept any certificate, so anyone on the network path can',
    'impersonate the server and read or change the traffic. This change sets `verify=True`.',
    '',
    '```diff',
    '-requests.get(url, verify=False)',
    '+requests.get(url, verify=True)',
    '```',
    '',
    'If the server uses a private CA, pass its bundle instead: `verify="/path/to/ca.pem"`.',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Calls to hosts with self-signed or private-CA certificates will start failing until their CA bundle is passed.',
  languages: ['python'],
  cwes: ['CWE-295'],
  owasp: ['A07:2021'],
  references: [
    { title: 'Requests: SSL Cert Verification', url: 'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification' },
    { title: 'CWE-295: Improper Certificate Validation', url: 'https://cwe.mitre.org/data/definitions/295.html' },
  ],
  ruleIds: {
    codeql: ['py/request-without-cert-validation'],
    semgrep: ['python.requests.security.disabled-cert-validation.disabled-cert-validation'],
    bandit: ['B501'],
    sonar: ['python:S4830'],
  },
  target: 'HTTP call passing verify=',
  candidates(root) {
    const bindings = pythonBindings(root);
    return root.descendantsOfType('call').filter((c): c is Node => {
      if (c === null || callArguments(c)?.keywords.has('verify') !== true) return false;
      return httpCallName(c, bindings) !== undefined;
    });
  },
  fix,
};
