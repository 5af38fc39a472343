import { ruleText, type DecisiveAnalyzer } from './types';
import type { ProtectionKind } from '../global-protections';
import { withinProject } from '../text-readers';

/**
 * A rule that asks for a protection the application already applies to every route (a global
 * throttler guard for a missing-rate-limit rule, global CSRF middleware for a missing-CSRF rule) is
 * answered where the protection is registered. Not when the flagged code opts out of it in view
 * (`@SkipThrottle()`, `@csrf.exempt`, `csrf_exempt`) or the repository shows no global registration.
 */
const asks: [ProtectionKind, RegExp, RegExp][] = [
  ['rate-limit', /rate-?limit|ratelimiting|no-?rate|brute-?force|throttl/i, /@SkipThrottle\b|skip_throttle|limiter\.exempt/],
  ['csrf', /csrf|cwe-352\b/i, /csrf_exempt|csrf\.exempt|@SkipCsrf|ignoreMethods\s*:\s*\[[^\]]*POST/],
  ['powered-by', /powered-?by|x-powered|disablepoweredby|helmet/i, /\bapp\.enable\(\s*["']x-powered-by["']/],
];

export const globalProtection: DecisiveAnalyzer = ({ finding, where, repository, code }) => {
  const protections = repository?.protections;
  if (!protections || protections.size === 0) return undefined;
  const text = `${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`;
  for (const [kind, rule, optOut] of asks) {
    // Only a registration in the finding's own application (a repository may hold several).
    const registered = (protections.get(kind) ?? []).find((r) => withinProject(finding.location?.path ?? '', r.root))?.at;
    if (!registered || !rule.test(text) || optOut.test(code)) continue;
    const what = kind === 'rate-limit' ? 'rate limit' : kind === 'csrf' ? 'CSRF protection' : 'removal of the X-Powered-By header';
    return {
      verdict: 'false_positive',
      category: 'defused',
      base: 84,
      factor: { id: `global-${kind}`, weight: 0, detail: `The application applies a ${what} to every route (${registered}), and nothing in the code read opts this route out.` },
      justification: `${where} already has the ${what} the rule asks for: it is registered for every route at ${registered}, and nothing in the code read opts this route out.`,
    };
  }
  return undefined;
};
