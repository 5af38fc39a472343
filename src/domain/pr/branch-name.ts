import { createHash } from 'node:crypto';

const MAX_PART = 80;

/** Lower-case, git-safe; a part too long keeps its start and gains a short hash so two long paths never share a branch. */
function safe(part: string): string {
  const cleaned = part.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  if (cleaned.length <= MAX_PART) return cleaned;
  const hash = createHash('sha256').update(part).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, MAX_PART - 9).replace(/-+$/, '')}-${hash}`;
}

/**
 * Stable branch names are the dedupe key for remediation pull requests: one per codemod (and key).
 * A pull request's own fixes use the prefix `remediate/pr-{id}/` (see `pull-request-scan.ts`).
 */
export function remediationBranch(codemodId: string, key?: string, prefix = 'remediate/'): string {
  return key ? `${prefix}${safe(codemodId)}/${safe(key)}` : `${prefix}${safe(codemodId)}`;
}
