import type { Node } from 'web-tree-sitter';
import type { Codemod, FixContext, FixOutcome } from '../types';

const KEY = 'rejectUnauthorized';

function keyName(key: Node | null): string | undefined {
  if (key === null) return undefined;
  if (key.type === 'property_identifier') return key.text;
  if (key.type === 'string') return key.text.slice(1, -1);
  return undefined;
}

/** The value node of `rejectUnauthorized: v` or `x.rejectUnauthorized = v`; undefined for any other node. */
function settingValue(node: Node): Node | null | undefined {
  if (node.type === 'pair') return keyName(node.childForFieldName('key')) === KEY ? node.childForFieldName('value') : undefined;
  if (node.type === 'assignment_expression') {
    const left = node.childForFieldName('left');
    if (left?.type !== 'member_expression' || left.childForFieldName('property')?.text !== KEY) return undefined;
    return node.childForFieldName('right');
  }
  return undefined;
}

function fix(ctx: FixContext): FixOutcome {
  const line = ctx.node.startPosition.row + 1;
  const value = settingValue(ctx.node);
  if (value === undefined || value === null) return { unfixed: `line ${line} holds no ${KEY} setting` };
  if (value.type === 'true') return { unfixed: `${KEY} on line ${line} is already true; nothing to fix`, alreadySafe: true };
  if (value.type !== 'false') return { unfixed: `${KEY} on line ${line} is set from an expression (${value.text}); review it by hand` };
  return {
    edits: [{ start: value.startIndex, end: value.endIndex, text: 'true' }],
    description: `Set ${KEY} to true on line ${line}, so TLS connections check the server's certificate.`,
  };
}

export const nodeTlsRejectUnauthorized: Codemod = {
  id: 'node-tls-reject-unauthorized',
  title: 'Reject unauthorized TLS certificates',
  summary: 'Turn TLS certificate verification back on (rejectUnauthorized: true)',
  description: [
    '`rejectUnauthorized: false` makes Node accept any TLS certificate, so anyone on the network path can',
    'impersonate the server and read or change the traffic. This change sets it to `true`, the default.',
    '',
    '```diff',
    '-const agent = new https.Agent({ rejectUnauthorized: false });',
    '+const agent = new https.Agent({ rejectUnauthorized: true });',
    '```',
    '',
    'If the server uses a private CA, pass it with the `ca` option instead of turning verification off.',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Connections to hosts with self-signed or private-CA certificates will fail until their CA is passed in `ca`.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-295'],
  owasp: ['A07:2021'],
  references: [
    { title: 'Node.js tls.connect options', url: 'https://nodejs.org/api/tls.html#tlsconnectoptions-callback' },
    { title: 'CWE-295: Improper Certificate Validation', url: 'https://cwe.mitre.org/data/definitions/295.html' },
  ],
  ruleIds: {
    codeql: ['js/disabling-certificate-validation'],
    semgrep: ['problem-based-packs.insecure-transport.js-node.bypass-tls-verification.bypass-tls-verification'],
    eslint: ['sonarjs/unverified-certificate'],
    sonar: ['javascript:S4830'],
  },
  target: `${KEY} setting`,
  candidates(root) {
    return root
      .descendantsOfType(['pair', 'assignment_expression'])
      .filter((n): n is Node => n !== null && settingValue(n) !== undefined);
  },
  fix,
};
