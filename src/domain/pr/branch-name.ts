/** Stable branch names are the dedupe key for remediation pull requests: one per codemod (and key). */
export function remediationBranch(codemodId: string, key?: string): string {
  const safe = (part: string): string => part.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return key ? `remediate/${safe(codemodId)}/${safe(key)}` : `remediate/${safe(codemodId)}`;
}
