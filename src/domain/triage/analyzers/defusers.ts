import type { NoiseCategory } from '../../finding';
import type { Decision, DecisiveAnalyzer, AnalyzerInput } from './types';
import { notACredentialRule, quote, ruleText } from './types';
import { statement } from '../code-view';
import { codeEvidence } from './code-evidence';
import { frameworkGuarantees } from './framework-guarantees';
import { nonSecretValues } from './non-secret-values';
import { sessionCookieEvidence } from './session-cookie';
import { readOnlyExemptView, signedExemptView } from './exempt-views';
import { vueSanitisedHtml } from './vue-sanitised';
import { jinjaSanitisedHtml } from './jinja-sanitised';

/**
 * Code evidence that the rule does not apply at the reported place. Each defuser names the rule
 * family it can answer (so a sanitiser for HTML never clears a SQL finding) and the code it saw.
 * `base` reflects how conclusive the evidence is on its own; all stay well below a person's 100.
 */
export interface Defuser {
  id: string;
  /** Rule families (matched against id, name and CWEs) this evidence can answer; undefined = any. */
  family?: RegExp;
  /** Rules the family pattern catches by name but this evidence cannot answer. */
  exclude?: RegExp;
  base: number;
  /** `defused` when the input is made safe; `not_security` when the rule has no security impact at that place. */
  category: NoiseCategory;
  /** Returns the deciding code (a short quote) when the evidence is present. */
  test: (input: AnalyzerInput) => string | undefined;
  detail: string;
}

const match = (pattern: RegExp, text: string): string | undefined => pattern.exec(text)?.[0];

/**
 * `yaml.load(f, Loader=_LOADER)` where every binding of `_LOADER` in the file is a top-level
 * assignment (or import alias) of safe loaders only: `yaml.SafeLoader`, `yaml.CSafeLoader`,
 * `getattr(yaml, "CSafeLoader", yaml.SafeLoader)`, `yaml.CSafeLoader if … else yaml.SafeLoader`,
 * `from yaml import CSafeLoader as _LOADER`. A name bound inside a function (a parameter, say), or
 * bound once to any other loader, decides nothing.
 */
function safeLoaderVariable({ view }: AnalyzerInput): string | undefined {
  if (!view) return undefined;
  const name = /\bLoader\s*=\s*([A-Za-z_][\w]*)\s*[,)]/.exec(statement(view))?.[1];
  if (!name || /^C?SafeLoader$/.test(name)) return undefined;
  const bound = new RegExp(String.raw`^(\s*)${name}\s*(?::[^=]+)?=(?!=)\s*(.+?)\s*(?:#.*)?$|\bimport\b.*\bas\s+${name}\b|\bdef\s+\w+\([^)]*\b${name}\b|\bfor\s+${name}\b|\bglobal\s+${name}\b`);
  const bindings = view.lines.map((line, i) => ({ i, line, m: bound.exec(line) })).filter((b) => b.m);
  if (bindings.length === 0) return undefined;
  const safe = /^(?:(?:yaml\.)?C?SafeLoader|getattr\(\s*yaml\s*,\s*["']C?SafeLoader["']\s*,\s*(?:yaml\.)?C?SafeLoader\s*\))$/;
  const allSafe = bindings.every(({ line, m }) => {
    if (/\bimport\b/.test(line)) return /^\s*from\s+yaml\s+import\s+C?SafeLoader\s+as\s+/.test(line);
    if (m?.[1] !== '' || m[2] === undefined) return false;
    return m[2].split(/\s+if\s+.+?\s+else\s+/).every((part) => safe.test(part.trim()));
  });
  const first = bindings[0]!;
  return allSafe ? `line ${view.startLine + first.i}: ${first.line.trim()}` : undefined;
}

const defusers: Defuser[] = [
  { id: 'usedforsecurity', category: 'not_security', base: 92, detail: 'the hash is created with usedforsecurity=False, so it is not used for security',
    test: ({ flagged, view }) => match(/usedforsecurity\s*=\s*False/, view ? statement(view) : flagged) },
  { id: 'yaml-safe-loader', category: 'defused', family: /yaml|deserial|cwe-502\b/, base: 92, detail: 'YAML is loaded with SafeLoader, which cannot build arbitrary objects',
    test: ({ flagged, view }) => match(/Loader\s*=\s*(yaml\.)?C?SafeLoader/, view ? statement(view) : flagged) },
  // `Loader=_LOADER` where the module assigns `_LOADER` only safe loaders (`getattr(yaml, "CSafeLoader", yaml.SafeLoader)`).
  { id: 'yaml-safe-loader-variable', category: 'defused', family: /yaml|deserial|cwe-502\b/, base: 88, detail: 'YAML is loaded with a loader the module sets only to SafeLoader or CSafeLoader, which cannot build arbitrary objects',
    test: safeLoaderVariable },
  // Semgrep's missing-integrity reports the element; if that element carries an integrity hash the
  // remote resource is pinned.
  { id: 'integrity-present', category: 'defused', family: /missing-integrity|cwe-353\b/, base: 84, detail: 'the remote resource is pinned with an integrity hash',
    test: ({ flagged }) => match(/integrity\s*=\s*["']sha(256|384|512)-[A-Za-z0-9+/=]+["']/, flagged) },
  // Serialising is harmless; the risk is loading attacker bytes, reported separately where it happens.
  { id: 'pickle-dumps-only', category: 'not_security', family: /pickle|cwe-502\b/, base: 82, detail: 'the code only serialises (pickle.dumps); nothing is deserialised here',
    test: ({ flagged }) => (/\bpickle\.dumps?\(/.test(flagged) && !/\.loads?\(/.test(flagged) ? match(/pickle\.dumps?\([^)]*\)/, flagged) : undefined) },
  // A CSRF exemption only matters on a view that acts on request data or changes state.
  // The view's body is found through any decorators stacked with it; when it is not all in view, nothing is decided.
  { id: 'csrf-exempt-readonly', category: 'not_security', family: /csrf/, base: 82, detail: 'the exempted view reads no request data and changes nothing, so a forged request achieves nothing',
    test: readOnlyExemptView },
  { id: 'csrf-exempt-signed', category: 'defused', family: /csrf/, base: 84, detail: 'the exempted view refuses any request whose body does not carry a valid HMAC signature (checked with compare_digest before anything is done), which a forged cross-site request cannot produce',
    test: signedExemptView },
  // Mongoose casts findById's argument to an ObjectId, so a request value cannot carry operators.
  { id: 'cast-by-id', category: 'defused', family: /nosql|cwe-943\b/, base: 80, detail: 'the value reaches findById, which casts it to an ObjectId and cannot carry query operators',
    test: ({ finding }) => match(/\bflows into findById\b/, finding.message) },
  // "username"/"password" as the literal value is a placeholder (e.g. SQLite ignores credentials).
  { id: 'placeholder-credential', category: 'not_security', family: /hardcoded|hard-coded|password|credential|cwe-798\b|cwe-259\b/, exclude: notACredentialRule, base: 80, detail: 'the hard-coded value is a placeholder word, not a secret',
    test: ({ finding }) => match(/hard-coded value "(username|user|password|passwd|placeholder|example|dummy|changeit|xxx+)" is used/i, finding.message) },
];

export const defused: DecisiveAnalyzer = (input): Decision | undefined => {
  const text = ruleText(input.finding);
  for (const defuser of [...defusers, ...codeEvidence, sessionCookieEvidence, ...nonSecretValues, ...frameworkGuarantees, vueSanitisedHtml, jinjaSanitisedHtml]) {
    if (defuser.family && !defuser.family.test(text)) continue;
    if (defuser.exclude?.test(text)) continue;
    const evidence = defuser.test(input);
    if (evidence === undefined) continue;
    const shown = quote(evidence, 200);
    return {
      verdict: 'false_positive',
      category: defuser.category,
      base: defuser.base,
      factor: { id: `defused-${defuser.id}`, weight: 0, detail: `At ${input.where} ${defuser.detail} (\`${shown}\`).` },
      justification: `Not exploitable as reported: at ${input.where} ${defuser.detail}; the deciding code is \`${shown}\`.`,
    };
  }
  return undefined;
};
