import type { NormalisedFinding } from '../finding';

/**
 * Weakness families: the unit the confidence priors are learned and shown for (see priors.ts).
 * A finding's family comes from the equivalence table's weakness when the normaliser set one
 * (`finding.weaknesses`), else from its CWEs, else from words of its rule id and name.
 */
export const families = [
  'injection', 'deserialisation', 'crypto', 'randomness', 'secrets', 'transport', 'configuration', 'dom-sinks', 'code-quality',
] as const;
export type Family = (typeof families)[number];

export const familyLabel: Record<Family, string> = {
  injection: 'injection',
  deserialisation: 'deserialisation',
  crypto: 'weak cryptography',
  randomness: 'insecure randomness',
  secrets: 'hard-coded secrets',
  transport: 'transport security',
  configuration: 'configuration',
  'dom-sinks': 'DOM and HTML sinks',
  'code-quality': 'code quality',
};

const byWeakness: Record<string, Family> = {
  'code-injection': 'injection', 'command-injection': 'injection', 'sql-injection': 'injection', 'nosql-injection': 'injection',
  'path-traversal': 'injection', xxe: 'injection', 'open-redirect': 'injection', ssrf: 'injection', 'regex-dos': 'injection',
  'regex-injection': 'injection', 'log-injection': 'injection', 'object-injection': 'injection', 'dynamic-require': 'injection',
  'unsafe-deserialization': 'deserialisation',
  'weak-hash': 'crypto', 'jwt-verification': 'crypto', 'timing-attack': 'crypto',
  'insecure-randomness': 'randomness',
  'hardcoded-credentials': 'secrets',
  'certificate-validation': 'transport', 'weak-tls': 'transport', 'cleartext-transport': 'transport',
  'insecure-cookie': 'configuration', 'x-powered-by': 'configuration', 'debug-mode': 'configuration', csrf: 'configuration',
  'bind-all-interfaces': 'configuration', 'template-autoescape': 'configuration', 'request-timeout': 'configuration',
  'insecure-temp-file': 'configuration',
  xss: 'dom-sinks',
};

const byCwe: [RegExp, Family][] = [
  [/^cwe-(502)$/, 'deserialisation'],
  [/^cwe-(79|80|116)$/, 'dom-sinks'],
  [/^cwe-(20|22|23|36|73|74|77|78|88|89|90|91|94|95|96|117|611|643|776|918|601|943|1333|1336|400|470|1321)$/, 'injection'],
  [/^cwe-(326|327|328|916|208|347|310)$/, 'crypto'],
  [/^cwe-(330|338|331)$/, 'randomness'],
  [/^cwe-(798|259|321|547|522)$/, 'secrets'],
  [/^cwe-(295|319|297|523|757)$/, 'transport'],
  [/^cwe-(16|489|614|1004|1275|352|200|209|215|377|379|605|693|1104|250|732)$/, 'configuration'],
  [/^cwe-(703|390|391|396|397|561|563|570|571|1164|710|676)$/, 'code-quality'],
];

const byWords: [RegExp, Family][] = [
  [/hardcoded-ip|ip-address/, 'configuration'],
  [/pickle|yaml|deserial|marshal|unserial/, 'deserialisation'],
  [/xss|innerhtml|inner-html|unsanitized|document-write|dangerouslysetinnerhtml|html-method/, 'dom-sinks'],
  [/inject|sqli|sql|eval|exec|command|shell|subprocess|traversal|redirect|ssrf|xxe|xml|regex|regexp|require/, 'injection'],
  [/md5|sha1|hash|cipher|crypto|des\b|ecb|jwt/, 'crypto'],
  [/random/, 'randomness'],
  [/secret|password|credential|hardcoded|hard-coded|token|api-?key/, 'secrets'],
  [/tls|ssl|https|insecure-url|certificate|verify/, 'transport'],
  [/cookie|csrf|debug|powered-by|cors|bind|interfaces|timeout|header|session|tmp|temp/, 'configuration'],
];

/** The family a finding is judged in; code quality when nothing security-specific is known of its rule. */
export function familyOf(finding: Pick<NormalisedFinding, 'ruleId' | 'ruleName' | 'cwes' | 'weaknesses'>): Family {
  for (const weakness of finding.weaknesses ?? []) {
    const family = byWeakness[weakness];
    if (family) return family;
  }
  for (const cwe of finding.cwes) {
    const id = cwe.toLowerCase().replace(/^(cwe-?)?/, 'cwe-');
    const hit = byCwe.find(([pattern]) => pattern.test(id));
    if (hit) return hit[1];
  }
  const words = `${finding.ruleId} ${finding.ruleName ?? ''}`.toLowerCase();
  return byWords.find(([pattern]) => pattern.test(words))?.[1] ?? 'code-quality';
}
