import type { Node } from 'web-tree-sitter';
import { jsBindings, jsString, sameModule } from '../js/syntax';
import { objectPairs, pairKey } from '../js/objects';
import type { Codemod, FixContext, FixOutcome } from '../types';

/** Modules whose options take `secureProtocol` / `minVersion`. */
const TLS_MODULES = ['tls', 'https', 'http2'];
/** Protocol methods that pin SSLv3, TLS 1.0 or TLS 1.1 (plain, _client_ and _server_ variants). */
const WEAK_METHOD = /^(SSLv3|TLSv1|TLSv1_1)(_client|_server)?_method$/;
/** Methods that negotiate from Node's default minimum (TLS 1.2) or pin 1.2/1.3. */
const SAFE_METHOD = /^(TLS|SSLv23|TLSv1_2|TLSv1_3)(_client|_server)?_method$/;
const WEAK_VERSIONS = new Set(['TLSv1', 'TLSv1.1', 'SSLv3']);
const SAFE_VERSIONS = new Set(['TLSv1.2', 'TLSv1.3']);

function usesTls(root: Node): boolean {
  return [...jsBindings(root).values()].some((b) => TLS_MODULES.some((m) => sameModule(b.module, m)));
}

function fix(ctx: FixContext): FixOutcome {
  const { node } = ctx;
  const line = node.startPosition.row + 1;
  const key = pairKey(node);
  const value = node.childForFieldName('value');
  const text = jsString(value);
  if (value === null || text === undefined) return { unfixed: `${key} on line ${line} is set from an expression (${value?.text ?? ''}); review it by hand` };
  const quote = value.text[0] ?? "'";
  if (key === 'minVersion') {
    if (SAFE_VERSIONS.has(text)) return { unfixed: `minVersion on line ${line} is already ${text}; nothing to fix`, alreadySafe: true };
    if (!WEAK_VERSIONS.has(text)) return { unfixed: `minVersion on line ${line} is ${text}, which this fix does not know; review it by hand` };
    return {
      edits: [{ start: value.startIndex, end: value.endIndex, text: `${quote}TLSv1.2${quote}` }],
      description: `Raised minVersion on line ${line} from ${text} to TLSv1.2, so connections no longer fall back to broken protocol versions.`,
    };
  }
  if (SAFE_METHOD.test(text)) return { unfixed: `secureProtocol on line ${line} (${text}) does not pin an old protocol; nothing to fix`, alreadySafe: true };
  if (!WEAK_METHOD.test(text)) return { unfixed: `secureProtocol on line ${line} is ${text}, which this fix does not know; review it by hand` };
  const siblings = node.parent === null ? [] : objectPairs(node.parent);
  if (siblings === undefined) return { unfixed: `the options holding secureProtocol on line ${line} spread other options; review it by hand` };
  const clash = siblings.find((p) => p.id !== node.id && ['minVersion', 'maxVersion'].includes(pairKey(p) ?? ''));
  if (clash !== undefined) return { unfixed: `the options on line ${line} also set ${pairKey(clash) ?? ''}; choose the versions by hand` };
  return {
    edits: [{ start: node.startIndex, end: node.endIndex, text: `minVersion: ${quote}TLSv1.2${quote}` }],
    description: `Replaced secureProtocol ${text} on line ${line} with minVersion TLSv1.2: TLS 1.2 and 1.3 are negotiated, older versions refused.`,
  };
}

export const nodeWeakTls: Codemod = {
  id: 'node-weak-tls',
  title: 'Require TLS 1.2 or later',
  summary: 'Require TLS 1.2 or later instead of SSLv3, TLS 1.0 or TLS 1.1',
  description: [
    'SSLv3, TLS 1.0 and TLS 1.1 have known attacks (POODLE, BEAST) and are deprecated by RFC 8996. Pinning one of',
    'them with `secureProtocol`, or allowing it with `minVersion`, lets a connection use it. This change sets',
    '`minVersion: \'TLSv1.2\'`, so TLS 1.2 and 1.3 are negotiated and nothing older.',
    '',
    '```diff',
    "-const socket = tls.connect({ host, port, secureProtocol: 'TLSv1_method' });",
    "+const socket = tls.connect({ host, port, minVersion: 'TLSv1.2' });",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'A peer that only speaks TLS 1.0/1.1 (very old servers, embedded devices) can no longer connect.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-327', 'CWE-326'],
  owasp: ['A02:2021'],
  references: [
    { title: 'Node.js tls.createSecureContext options', url: 'https://nodejs.org/api/tls.html#tlscreatesecurecontextoptions' },
    { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
    { title: 'CWE-327: Use of a Broken or Risky Cryptographic Algorithm', url: 'https://cwe.mitre.org/data/definitions/327.html' },
  ],
  ruleIds: {
    semgrep: ['problem-based-packs.insecure-transport.js-node.disallow-old-tls-versions2.disallow-old-tls-versions2'],
    eslint: ['sonarjs/weak-ssl'],
    sonar: ['javascript:S4423'],
    snyk: ['javascript/InsecureTLSConfig'],
  },
  target: 'secureProtocol or minVersion option',
  candidates(root) {
    if (!usesTls(root)) return [];
    return root.descendantsOfType('pair').filter((p): p is Node => p !== null && ['secureProtocol', 'minVersion'].includes(pairKey(p) ?? ''));
  },
  fix,
};
