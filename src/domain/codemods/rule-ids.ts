/**
 * Rule-id and CWE normalisation. Scanners spell the same rule many ways: Semgrep prefixes the rule
 * with its config path (`python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load`,
 * or `rules.avoid-pyyaml-load` for a local config), Bandit may add the test name (`B506:yaml_load`),
 * Sonar prefixes the repository (`pythonsecurity:S5135`), CodeQL may prefix the pack. Two ids match
 * when their key sets share a member; the language filter in the registry keeps short keys honest.
 */

/** Every key an id can be matched by, lower-case. */
export function ruleKeys(ruleId: string): string[] {
  const id = ruleId.trim().toLowerCase();
  if (id === '') return [];
  const keys = new Set<string>([id]);
  const bandit = /^(b\d{3})(?![0-9a-z])/.exec(id);
  if (bandit?.[1] !== undefined) keys.add(bandit[1]);
  const colon = id.lastIndexOf(':');
  const afterColon = colon >= 0 ? id.slice(colon + 1) : id;
  if (afterColon !== '' && bandit === null) keys.add(afterColon);
  // Semgrep: dotted path, the rule's own id is the last segment. CodeQL ids have `/`, never dots.
  if (afterColon.includes('.') && !afterColon.includes('/')) {
    const last = afterColon.slice(afterColon.lastIndexOf('.') + 1);
    if (last !== '') keys.add(last);
  }
  return [...keys];
}

/** `CWE-502` from `CWE-502`, `cwe-502`, `external/cwe/cwe-502` or `502`; undefined when no number. */
export function normaliseCwe(cwe: string): string | undefined {
  const match = /(\d+)\s*$/.exec(cwe.trim());
  return match?.[1] === undefined ? undefined : `CWE-${Number(match[1])}`;
}

/**
 * The Sonar rule key a rule's `helpUri` names, as a Sonar rule id: ESLint's sonarjs plugin reports
 * `sonarjs/x-powered-by` with `https://sonarsource.github.io/rspec/#/rspec/S5689/javascript` → `javascript:S5689`.
 * Undefined for any other address. A finding whose own rule id maps to nothing can be looked up by this key.
 */
export function sonarKeyFromHelpUri(helpUri: string | undefined): string | undefined {
  const match = /\/rspec\/(S\d+)\/(javascript|typescript|python|java)\b/i.exec(helpUri ?? '');
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const language = match[2].toLowerCase() === 'typescript' ? 'javascript' : match[2].toLowerCase();
  return `${language}:${match[1].toUpperCase()}`;
}
