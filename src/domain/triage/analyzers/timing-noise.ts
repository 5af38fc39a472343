import { fileLine, statement, type CodeView } from '../code-view';
import { findFunction } from '../function-summaries';
import { words } from './value-use';
import { quote, ruleText, type AnalyzerInput, type DecisiveAnalyzer, type Decision } from './types';

/**
 * Timing-attack warnings where neither side of the comparison is a secret or a MAC, read from where
 * each side comes from:
 * - two values both typed at a prompt by the operator running the program (`password !== again`
 *   with both from `rl.question(…)`, `prompt(…)`, `getpass(…)`, `input(…)`): the person timing the
 *   comparison typed both;
 * - an unkeyed digest of content compared with the last digest the code itself saved
 *   (`hash === lastSavedHash.current`, where `lastSavedHash.current = hash`): a change check, no
 *   secret on either side.
 * A side that comes from the request, a stored or configured value, a MAC, or a name that says
 * token, secret, signature, key, … keeps the finding (the noisy rule's doubt, or the confirmation).
 */
const timingRule = /timing-attack|timing_attack|cwe-208\b/;
const comparison = /([\w$.]+)\s*(?:!==?|===?)\s*([\w$.]+)/;
const escapeName = (name: string): string => name.replace(/[$.]/g, '\\$&');
const secretWord = /\b(?:tokens?|secrets?|sig|signatures?|mac|hmac|otp|keys?|nonce|auth\w*|sessions?|api|csrf|pin|codes?|salt|credentials?|stored|expected|digest ?header)\b/i;

const notSecurity = (input: AnalyzerInput, id: string, detail: string, evidence: string): Decision => ({
  verdict: 'false_positive',
  category: 'not_security',
  base: 82,
  factor: { id: `not-security-${id}`, weight: 0, detail: `At ${input.where} ${detail} (\`${quote(evidence, 100)}\`).` },
  justification: `No security impact at ${input.where}: ${detail}; the deciding code is \`${quote(evidence, 100)}\`.`,
});

/** Every assignment of `name` (or `name.current`, a React ref) in view before the flagged line, with its value. */
function assignmentsOf(view: CodeView, name: string, upTo = view.lines.length): { line: number; value: string }[] {
  const assigned = new RegExp(String.raw`^\s*(?:(?:if\s*\(.*?\)|else)\s*)?(?:(?:const|let|var)\s+)?${escapeName(name)}\s*(?::[^=]+)?=(?!=)\s*(.+?);?\s*$`);
  return view.lines.slice(0, upTo).flatMap((text, i) => {
    const m = assigned.exec(text);
    return m ? [{ line: fileLine(view, i), value: (m[1] ?? '').trim() }] : [];
  });
}

const promptRead = /^(?:await\s+)?(?:[\w$]+\.)*(?:question|questionNewPassword|prompt|getpass|input|password)\s*\(/;

export const promptedValuesCompared: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !timingRule.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const m = comparison.exec(statement(view));
  if (!m) return undefined;
  const sides = [m[1] ?? '', m[2] ?? ''].map((side) => ({ side, last: assignmentsOf(view, side, view.flagged).pop() }));
  if (!sides.every(({ last }) => last && promptRead.test(last.value))) return undefined;
  const [a, b] = sides;
  return notSecurity(input, 'prompted-values',
    `it compares two values typed at a prompt by the person running the program (\`${a?.side}\`, line ${a?.last?.line}: \`${quote(a?.last?.value ?? '', 40)}\`; \`${b?.side}\`, line ${b?.last?.line}: \`${quote(b?.last?.value ?? '', 40)}\`), so the timing tells them nothing they did not type`,
    m[0]);
};

/** An unkeyed digest of content: `createHash(…)`, `hashlib.sha256(…)`, `crypto.subtle.digest(…)`, or a local helper whose body makes one (and no MAC). */
const unkeyedDigest = /\bcreateHash\(|\bhashlib\.\w+\(|\bsubtle\.digest\(|\bmd5\(|\bsha\d*\(/;
function digestOrigin(view: CodeView, value: string): string | undefined {
  if (/hmac|createHmac|sign\(/i.test(value) || secretWord.test(words(value)) || /passw/i.test(value)) return undefined;
  if (unkeyedDigest.test(value)) return value;
  const callee = /^(?:await\s+)?([A-Za-z_$][\w$]*)\s*\(/.exec(value)?.[1];
  const found = callee ? findFunction(callee, view.lines) : undefined;
  const body = [found?.expression ?? '', ...(found?.body ?? []).map((l) => l.text)].join('\n');
  return found && unkeyedDigest.test(body) && !/hmac|createHmac|importKey|\bkey\b/i.test(body) ? `${value} (\`${callee}\` computes an unkeyed digest)` : undefined;
}

export const savedDigestCompared: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !timingRule.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const text = statement(view);
  const m = comparison.exec(text);
  if (!m || secretWord.test(words(m[0])) || /passw/i.test(m[0])) return undefined;
  for (const [fresh, saved] of [[m[1] ?? '', m[2] ?? ''], [m[2] ?? '', m[1] ?? '']] as const) {
    const origin = assignmentsOf(view, fresh, view.flagged).pop();
    const digest = origin ? digestOrigin(view, origin.value) : undefined;
    if (!origin || !digest) continue;
    // The other side only ever holds this digest (or nothing yet): the last value the code saved.
    const stores = assignmentsOf(view, saved);
    const root = saved.replace(/\.current$/, '');
    const declared = root !== saved ? assignmentsOf(view, root) : [];
    const empty = /^(?:null|undefined|None|''|""|useRef(?:<[^>]*>)?\(\s*(?:null|undefined|''|"")?\s*\))$/;
    if (stores.length === 0 || !stores.every((s) => s.value === fresh || empty.test(s.value)) || !declared.every((d) => empty.test(d.value))) continue;
    const kept = stores.find((s) => s.value === fresh);
    if (!kept) continue;
    return notSecurity(input, 'saved-digest',
      `it compares a digest of content (\`${fresh}\`, line ${origin.line}: \`${quote(digest, 60)}\`) with the last one the code itself saved (\`${saved}\`, set only from it at line ${kept.line}): a check for a change, with no secret or MAC on either side`,
      m[0]);
  }
  return undefined;
};
