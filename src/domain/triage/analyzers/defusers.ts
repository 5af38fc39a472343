import type { Decision, DecisiveAnalyzer, AnalyzerInput } from './types';
import { quote, ruleText } from './types';

/**
 * Code evidence that the rule does not apply at the reported place. Each defuser names the rule
 * family it can answer (so a sanitiser for HTML never clears a SQL finding) and the code it saw.
 * `base` reflects how conclusive the evidence is on its own; all stay well below a person's 100.
 */
interface Defuser {
  id: string;
  /** Rule families (matched against id, name and CWEs) this evidence can answer; undefined = any. */
  family?: RegExp;
  base: number;
  /** Returns the deciding code (a short quote) when the evidence is present. */
  test: (input: AnalyzerInput) => string | undefined;
  detail: string;
}

const match = (pattern: RegExp, text: string): string | undefined => pattern.exec(text)?.[0];

const sqlOrExec = /sql|exec|command|subprocess|shell|os-command|cwe-78\b|cwe-88\b|cwe-89\b|cwe-94\b|cwe-95\b|code-injection|eval/;
const xss = /xss|cross-site-scripting|html|cwe-79\b|cwe-80\b|cwe-116\b/;
const shellFamily = /command|subprocess|shell|os-command|cwe-78\b|cwe-88\b/;

/**
 * The call's arguments are only string literals: no interpolation (`${`, f-strings, `%`, `.format`),
 * no concatenation with a name, no bare identifier argument. Only the flagged line is judged.
 */
function constantCall(flagged: string): string | undefined {
  const call = /\b(execute|executemany|exec|execSync|execFile|spawn|spawnSync|system|popen|Popen|run|call|check_output|query|raw|executeQuery|executeUpdate|prepareStatement|eval)\s*\(([^()]*)\)/.exec(flagged);
  if (!call) return undefined;
  const args = (call[2] ?? '').trim();
  if (args.length === 0) return undefined;
  const literal = /^(\s*(?:"(?:[^"\\$]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$]*`)\s*,?)+$/;
  if (!literal.test(args)) return undefined;
  if (/\bf["']|%\s*[(\w]|\.format\(|\+/.test(flagged)) return undefined;
  return call[0];
}

/** An allow-list check on a name that also appears on the flagged line. */
function allowListCheck({ code, flagged }: AnalyzerInput): string | undefined {
  const names = new Set(flagged.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const checks = [
    /\bif\s+\(?\s*([A-Za-z_$][\w$.]*)\s+in\s+([\w$.]*(?:allow|white|permit|valid|safe|known)[\w$]*)/gi,
    /([\w$.]*(?:allow|white|permit|valid|safe|known)[\w$]*)\.(?:includes|has|contains|indexOf)\(\s*([A-Za-z_$][\w$]*)\s*\)/gi,
  ];
  for (const [index, pattern] of checks.entries()) {
    for (const m of code.matchAll(pattern)) {
      const name = (index === 0 ? m[1] : m[2]) ?? '';
      const before = code.slice(Math.max(0, (m.index ?? 0) - 3), m.index ?? 0);
      // `if x not in ALLOWED` guards the reject branch; the positive `in` is what makes it a check.
      if (/not\s+in/.test(m[0]) || before.endsWith('!')) continue;
      if (names.has(name.split('.').pop() ?? name)) return m[0].trim();
    }
  }
  return undefined;
}

const defusers: Defuser[] = [
  { id: 'usedforsecurity', base: 92, detail: 'the hash is created with usedforsecurity=False, so it is not used for security',
    test: ({ code }) => match(/usedforsecurity\s*=\s*False/, code) },
  { id: 'yaml-safe-loader', family: /yaml|deserial|cwe-502\b/, base: 92, detail: 'YAML is loaded with SafeLoader, which cannot build arbitrary objects',
    test: ({ flagged }) => match(/Loader\s*=\s*(yaml\.)?C?SafeLoader/, flagged) },
  { id: 'reviewed-comment', base: 88, detail: 'the line carries a reviewed suppression comment',
    test: ({ flagged }) => match(/#\s*nosec\b|NOSONAR|eslint-disable-next-line\s+security[\w/-]*|nosemgrep/, flagged) },
  { id: 'constant-argument', family: sqlOrExec, base: 90, detail: 'the call only receives string literals, so no outside input reaches it',
    test: ({ flagged }) => constantCall(flagged) },
  { id: 'allow-list', base: 82, detail: 'the value is checked against an allow-list before use',
    test: allowListCheck },
  { id: 'html-sanitiser', family: xss, base: 86, detail: 'the value is escaped or sanitised for HTML where it is used',
    test: ({ flagged }) => match(/\b(html\.escape|markupsafe\.escape|escape|escapeHtml|DOMPurify\.sanitize|sanitizeHtml|bleach\.clean|StringEscapeUtils\.escapeHtml4?|Encode\.forHtml\w*|encodeURIComponent)\s*\(/, flagged) },
  { id: 'shell-quote', family: shellFamily, base: 88, detail: 'the value is quoted for the shell where it is used',
    test: ({ flagged }) => match(/\b(shlex\.quote|pipes\.quote|shellescape|shell-quote\.quote)\s*\(/, flagged) },
  // Semgrep's missing-integrity reports the element; if that element carries an integrity hash the
  // remote resource is pinned.
  { id: 'integrity-present', family: /missing-integrity|cwe-353\b/, base: 84, detail: 'the remote resource is pinned with an integrity hash',
    test: ({ flagged }) => match(/integrity\s*=\s*["']sha(256|384|512)-[A-Za-z0-9+/=]+["']/, flagged) },
  // Serialising is harmless; the risk is loading attacker bytes, reported separately where it happens.
  { id: 'pickle-dumps-only', family: /pickle|cwe-502\b/, base: 82, detail: 'the code only serialises (pickle.dumps); nothing is deserialised here',
    test: ({ flagged }) => (/\bpickle\.dumps?\(/.test(flagged) && !/\.loads?\(/.test(flagged) ? match(/pickle\.dumps?\([^)]*\)/, flagged) : undefined) },
  // A CSRF exemption only matters on a view that acts on request data or changes state.
  { id: 'csrf-exempt-readonly', family: /csrf/, base: 82, detail: 'the exempted view reads no request data and changes nothing, so a forged request achieves nothing',
    test: ({ flagged }) => (/@csrf_exempt/.test(flagged) && !flagged.includes('…') && !/request\.(POST|GET|body|FILES|COOKIES|META|data)|\.(save|update|delete|create|set_cookie|write)\(/.test(flagged)
      ? quote(flagged.replace(/@csrf_exempt\s*/, '')) : undefined) },
  // Mongoose casts findById's argument to an ObjectId, so a request value cannot carry operators.
  { id: 'cast-by-id', family: /nosql|cwe-943\b/, base: 80, detail: 'the value reaches findById, which casts it to an ObjectId and cannot carry query operators',
    test: ({ finding }) => match(/\bflows into findById\b/, finding.message) },
  // "username"/"password" as the literal value is a placeholder (e.g. SQLite ignores credentials).
  { id: 'placeholder-credential', family: /hardcoded|hard-coded|password|credential|cwe-798\b|cwe-259\b/, base: 80, detail: 'the hard-coded value is a placeholder word, not a secret',
    test: ({ finding }) => match(/hard-coded value "(username|user|password|passwd|placeholder|example|dummy|changeit|xxx+)" is used/i, finding.message) },
];

export const defused: DecisiveAnalyzer = (input): Decision | undefined => {
  const text = ruleText(input.finding);
  for (const defuser of defusers) {
    if (defuser.family && !defuser.family.test(text)) continue;
    const evidence = defuser.test(input);
    if (evidence === undefined) continue;
    const shown = quote(evidence);
    return {
      verdict: 'false_positive',
      base: defuser.base,
      factor: { id: `defused-${defuser.id}`, weight: 0, detail: `At ${input.where} ${defuser.detail} (\`${shown}\`).` },
      justification: `Not exploitable as reported: at ${input.where} ${defuser.detail}; the deciding code is \`${shown}\`.`,
    };
  }
  return undefined;
};
