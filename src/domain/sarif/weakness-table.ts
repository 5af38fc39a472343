/**
 * The maintained equivalence table: which scanner rules name the same weakness. Two results at the
 * same place (same file, overlapping lines) whose rules share a weakness here become one finding,
 * even when the scanners give no CWE (ESLint's SARIF carries none) or different ones (Bandit's B506
 * is CWE-20, Semgrep's avoid-pyyaml-load CWE-502).
 *
 * Keys are matched the way the codemod registry matches rule ids (`ruleKeys`: lower-case, Semgrep's
 * last segment, Bandit's code, the part after a Sonar repository's colon), plus the rule's display
 * name for scanners whose ids are opaque (Checkmarx writes numeric hashes and names its queries
 * `SQL_Injection`). sonarjs's Sonar key (`javascript:S5689`) comes from the rule's `helpUri`.
 *
 * Covered: CodeQL, Semgrep registry, Bandit, ESLint core, eslint-plugin-security, no-unsanitized,
 * @microsoft/eslint-plugin-sdl, eslint-plugin-sonarjs (names and Sonar keys), Snyk Code, Checkmarx
 * and Trivy/KICS misconfiguration ids where they name a code weakness. Add a rule by adding its id
 * to the weakness it names; a rule belongs to at most one weakness.
 */
import { ruleKeys } from '../codemods/rule-ids';

export const weaknessTable: Readonly<Record<string, readonly string[]>> = {
  'code-injection': [
    'js/code-injection', 'js/unsafe-code-construction', 'py/code-injection', 'java/groovy-injection',
    'no-eval', 'no-implied-eval', 'no-new-func', 'security/detect-eval-with-expression',
    'sonarjs/code-eval', 'javascript:s1523', 'python:s1523',
    'eval-detected', 'exec-detected', 'eval-injection', 'code-string-concat', 'user-eval', 'user-exec',
    'b307', 'b102',
    'javascript/codeinjection', 'python/codeinjection', 'java/codeinjection',
    'code_injection',
  ],
  'command-injection': [
    'js/command-line-injection', 'js/shell-command-injection-from-environment', 'js/shell-command-constructed-from-input',
    'js/indirect-command-line-injection', 'py/command-line-injection', 'java/command-line-injection',
    'security/detect-child-process', 'sonarjs/os-command', 'javascript:s4721', 'python:s4721', 'javascript:s2076',
    'detect-child-process', 'subprocess-shell-true', 'dangerous-subprocess-use', 'dangerous-system-call', 'spawn-shell-true',
    'b602', 'b603', 'b604', 'b605', 'b606', 'b607', 'b609',
    'javascript/commandinjection', 'python/commandinjection', 'java/commandinjection',
    'command_injection', 'os_command_injection',
  ],
  'sql-injection': [
    'js/sql-injection', 'js/ml-powered/sql-injection', 'py/sql-injection', 'java/sql-injection', 'java/concatenated-sql-query',
    'sonarjs/sql-queries', 'javascript:s2077', 'python:s2077', 'java:s2077', 'javascript:s3649', 'python:s3649',
    'tainted-sql-string', 'avoid-raw-sql', 'formatted-sql-query', 'sqlalchemy-execute-raw-query', 'node-sqli-injection',
    'sequelize-injection-express', 'knex-sqli', 'jdbc-sqli', 'django-raw-used',
    'b608', 'b610', 'b611',
    'javascript/sqli', 'python/sqli', 'java/sqli',
    'sql_injection', 'second_order_sql_injection',
  ],
  'nosql-injection': ['js/ml-powered/nosql-injection', 'javascript/nosqli', 'javascript:s5147', 'nosql_injection'],
  'xss': [
    'js/xss', 'js/reflected-xss', 'js/stored-xss', 'js/ml-powered/xss', 'js/xss-through-dom', 'js/html-constructed-from-input',
    'py/reflective-xss', 'java/xss',
    'no-unsanitized/method', 'no-unsanitized/property', '@microsoft/sdl/no-inner-html', '@microsoft/sdl/no-document-write',
    '@microsoft/sdl/no-html-method', 'javascript:s5131', 'python:s5131',
    'direct-use-of-httpresponse', 'raw-html-format', 'insecure-document-method', 'var-in-href',
    'b308', 'b703',
    'javascript/xss', 'python/xss', 'java/xss',
    'reflected_xss', 'stored_xss', 'dom_xss', 'reflected_xss_all_clients', 'stored_xss_all_clients',
  ],
  'path-traversal': [
    'js/path-injection', 'js/zipslip', 'py/path-injection', 'java/path-injection', 'java/zipslip',
    'security/detect-non-literal-fs-filename', 'javascript:s6096', 'javascript:s2083', 'python:s2083',
    'path-traversal-join', 'path-traversal-open', 'express-path-join-resolve-traversal', 'path-join-resolve-traversal',
    'javascript/pt', 'python/pt', 'java/pt',
    'path_traversal', 'relative_path_traversal', 'absolute_path_traversal',
  ],
  'xxe': [
    'js/xxe', 'py/xxe', 'java/xxe', 'sonarjs/xml-parser-xxe', 'javascript:s2755', 'java:s2755', 'python:s2755',
    'use-defused-xml', 'use-defused-xml-parse', 'documentbuilderfactory-disallow-doctype-decl-missing',
    'b313', 'b314', 'b315', 'b316', 'b317', 'b318', 'b319', 'b320',
    'javascript/xxe', 'python/xxe', 'java/xxe',
    'xxe',
  ],
  'unsafe-deserialization': [
    'js/unsafe-deserialization', 'py/unsafe-deserialization', 'java/unsafe-deserialization',
    'avoid-pyyaml-load', 'avoid-pickle', 'avoid-insecure-deserialization', 'avoid-cpickle', 'avoid-dill', 'avoid-shelve',
    'b301', 'b302', 'b506',
    'javascript/deserialization', 'python/deserialization', 'java/deserialization',
    'deserialization_of_untrusted_data',
  ],
  'weak-hash': [
    'js/weak-cryptographic-algorithm', 'js/insufficient-password-hash', 'py/weak-sensitive-data-hashing',
    'py/weak-cryptographic-algorithm', 'java/weak-cryptographic-algorithm', 'java/potentially-weak-cryptographic-algorithm',
    'sonarjs/hashing', 'javascript:s4790', 'python:s4790', 'java:s4790',
    'insecure-hash-algorithm-md5', 'insecure-hash-algorithm-sha1', 'md5-used-as-password', 'insecure-hash-function',
    'b303', 'b324',
    'javascript/insecurehash', 'python/insecurehash', 'java/insecurehash',
    'use_of_broken_or_risky_cryptographic_algorithm', 'weak_hashing',
  ],
  'insecure-randomness': [
    'js/insecure-randomness', 'java/insecure-randomness', 'sonarjs/pseudo-random', 'javascript:s2245', 'python:s2245', 'java:s2245',
    '@microsoft/sdl/no-insecure-random', 'b311',
    'javascript/insecurelygeneratedpassword', 'javascript/hardcodedseed',
    'use_of_cryptographically_weak_prng', 'insufficiently_random_values',
  ],
  'hardcoded-credentials': [
    'js/hardcoded-credentials', 'py/hardcoded-credentials', 'java/hardcoded-credential-api-call', 'js/password-in-configuration-file',
    'sonarjs/no-hardcoded-passwords', 'sonarjs/hardcoded-secret-signatures', 'sonarjs/no-hardcoded-secrets',
    'javascript:s2068', 'javascript:s6418', 'python:s2068', 'python:s6418', 'java:s2068',
    'b105', 'b106', 'b107',
    'javascript/nohardcodedpasswords', 'javascript/nohardcodedcredentials', 'javascript/hardcodednoncryptosecret',
    'python/nohardcodedpasswords', 'python/nohardcodedcredentials', 'java/nohardcodedpasswords',
    'hardcoded_password', 'hardcoded_password_in_connection_string', 'use_of_hardcoded_password',
  ],
  'certificate-validation': [
    'js/disabling-certificate-validation', 'py/request-without-cert-validation', 'java/insecure-trustmanager',
    'sonarjs/unverified-certificate', 'sonarjs/unverified-hostname', 'javascript:s4830', 'javascript:s5527', 'python:s4830',
    'disallow-old-tls-versions', 'bypass-tls-verification', 'disabled-cert-validation', 'request-with-no-cert-validation',
    'b501',
    'javascript/toopermissivetrustmanager', 'python/toopermissivetrustmanager', 'java/toopermissivetrustmanager',
  ],
  'weak-tls': [
    'py/insecure-protocol', 'js/insecure-tls', 'java/insecure-tls', 'sonarjs/weak-ssl', 'javascript:s4423', 'python:s4423', 'java:s4423',
    'b502', 'b503', 'b504',
    'javascript/insecuretls', 'python/insecuretls', 'java/insecuretls',
  ],
  'insecure-cookie': [
    'js/clear-text-cookie', 'java/insecure-cookie', 'java/cleartext-storage-in-cookie', 'py/insecure-cookie', 'py/client-exposed-cookie',
    'sonarjs/insecure-cookie', 'sonarjs/cookie-no-httponly', 'javascript:s2092', 'javascript:s3330', 'python:s2092', 'java:s2092',
    'django-secure-set-cookie', 'express-cookie-session-default-name', 'express-cookie-session-no-secure', 'express-cookie-session-no-httponly',
    'javascript/webcookiesecuredisabledbydefault', 'javascript/webcookiehttponlydisabledbydefault', 'python/webcookiesecuredisabledbydefault',
    'insecure_cookie', 'httponlycookies',
  ],
  'x-powered-by': ['sonarjs/x-powered-by', 'javascript:s5689', 'javascript/disablepoweredby', 'express-check-csurf-middleware-usage-x-powered-by'],
  'debug-mode': [
    'py/flask-debug', 'b201', 'debug-enabled', 'django-debug', 'avoid_app_run_with_bad_host', 'python:s4507', 'javascript:s4507',
    'sonarjs/production-debug',
  ],
  'open-redirect': ['js/server-side-unvalidated-url-redirection', 'js/client-side-unvalidated-url-redirection', 'py/url-redirection', 'java/unvalidated-url-redirection', 'javascript/or', 'python/or', 'open_redirect'],
  'ssrf': ['js/request-forgery', 'py/full-ssrf', 'py/partial-ssrf', 'java/ssrf', 'javascript/ssrf', 'python/ssrf', 'ssrf'],
  'regex-dos': ['js/polynomial-redos', 'js/redos', 'py/polynomial-redos', 'py/redos', 'java/polynomial-redos', 'security/detect-unsafe-regex', 'sonarjs/slow-regex', 'javascript:s5852', 'javascript/redos'],
  'regex-injection': ['js/regex-injection', 'py/regex-injection', 'java/regex-injection', 'security/detect-non-literal-regexp', 'javascript/regexinjection'],
  'insecure-temp-file': ['py/insecure-temporary-file', 'b306', 'b108', 'sonarjs/publicly-writable-directories', 'javascript:s5443', 'python:s5443', 'tempfile-insecure'],
  'jwt-verification': ['js/jwt-missing-verification', 'py/jwt-missing-verification', 'java/missing-jwt-signature-check', 'sonarjs/insecure-jwt-token', 'javascript:s5659', 'python:s5659', 'jwt-python-none-alg', 'unverified-jwt-decode'],
  'timing-attack': ['security/detect-possible-timing-attacks', 'js/possible-timing-attack', 'javascript/timingattack'],
  'cleartext-transport': ['@microsoft/sdl/no-insecure-url', 'sonarjs/no-clear-text-protocols', 'javascript:s5332', 'python:s5332', 'javascript/httptohttps', 'python/httptohttps', 'b309', 'b321', 'b312'],
  'csrf': ['js/missing-token-validation', 'py/csrf-protection-disabled', 'java/spring-disabled-csrf-protection', 'sonarjs/csrf', 'javascript:s4502', 'python:s4502', 'no-csrf-exempt', 'javascript/usecsurfforexpress', 'csrf'],
  'object-injection': ['security/detect-object-injection', 'js/remote-property-injection', 'js/prototype-polluting-assignment', 'js/prototype-pollution-utility', 'javascript/prototypepollution'],
  'dynamic-require': ['security/detect-non-literal-require', 'js/unsafe-dynamic-method-access', '@microsoft/sdl/no-non-literal-require'],
  'bind-all-interfaces': ['b104', 'py/bind-socket-all-network-interfaces', 'avoid-bind-to-all-interfaces'],
  'template-autoescape': ['b701', 'b702', 'py/jinja2/autoescape-false', 'jinja2-autoescape-false', 'sonarjs/disabled-auto-escaping', 'javascript:s5247'],
  'request-timeout': ['b113', 'py/request-without-timeout', 'request-without-timeout'],
  'log-injection': ['js/log-injection', 'py/log-injection', 'java/log-injection'],
};

/** Rule key (see `ruleKeys`) or lower-cased display name → the weakness it names. */
const byKey: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [weakness, ids] of Object.entries(weaknessTable)) {
    for (const id of ids) {
      if (map.has(id) && map.get(id) !== weakness) throw new Error(`rule "${id}" is listed under two weaknesses`);
      map.set(id, weakness);
    }
  }
  return map;
})();

/** `javascript:S5689` from a sonarjs `helpUri` such as `https://sonarsource.github.io/rspec/#/rspec/S5689/javascript`. */
export function sonarKeyOf(helpUri: string | undefined): string | undefined {
  if (!helpUri) return undefined;
  const match = /rspec\/(S\d{3,5})\/(javascript|typescript|python|java)/i.exec(helpUri) ?? /(javascript|typescript|python|java):(S\d{3,5})/i.exec(helpUri);
  if (!match) return undefined;
  const [rule, language] = match[1]!.toUpperCase().startsWith('S') ? [match[1]!, match[2]!] : [match[2]!, match[1]!];
  return `${language.toLowerCase() === 'typescript' ? 'javascript' : language.toLowerCase()}:${rule.toUpperCase()}`;
}

/**
 * The weakness a rule names by the table, from its id (any spelling), its Sonar key, or its
 * display name; undefined when the table does not know it (CWEs still fold it).
 */
export function weaknessOf(rule: { ruleId: string; ruleName?: string | undefined; helpUri?: string | undefined }): string | undefined {
  for (const key of ruleKeys(rule.ruleId)) {
    const found = byKey.get(key);
    if (found) return found;
  }
  const sonar = sonarKeyOf(rule.helpUri);
  if (sonar) {
    const found = byKey.get(sonar.toLowerCase());
    if (found) return found;
  }
  const name = rule.ruleName?.trim().toLowerCase().replace(/\s+/g, '_');
  return name ? byKey.get(name) : undefined;
}
