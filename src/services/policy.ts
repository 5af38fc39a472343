import { z } from 'zod';
import { severities } from '../domain/finding';

/** What an admin decides about automatic fixes. Defaults are what a cautious team would pick. */
export const policySchema = z.object({
  autoPullRequests: z.boolean(),
  minSeverity: z.enum(severities),
  minConfidence: z.number().int().min(0).max(100),
  grouping: z.enum(['per-codemod', 'per-file', 'per-finding']),
  maxOpenPullRequests: z.number().int().min(1).max(100),
  maxNewPullRequestsPerScan: z.number().int().min(1).max(50),
  pathExcludes: z.array(z.string().min(1).max(200)).max(100),
  /** Rule ids whose findings are triaged won't-fix ("ignored by workspace policy") and never auto-fixed. */
  ignoreRules: z.array(z.string().min(1).max(300)).max(200),
  /** CWEs (`CWE-79` or `79`) treated the same way. */
  ignoreCwes: z.array(z.string().regex(/^(CWE-?)?\d{1,5}$/i)).max(200),
  /** Codemod ids turned off for the workspace. A list of what is off, so codemods added later start on. */
  disabledCodemods: z.array(z.string().min(1).max(100)).max(200),
  codeInsights: z.boolean(),
  /** The Remediate merge check fails a pull request that introduces an open finding at or above this severity. */
  mergeCheckMinSeverity: z.enum(severities),
  /** What the merge check answers when no scan of the pull request's latest commit has been received. */
  mergeCheckWithoutScan: z.enum(['pass', 'fail']),
});

export type Policy = z.infer<typeof policySchema>;

export const defaultPolicy: Policy = {
  autoPullRequests: true,
  minSeverity: 'medium',
  minConfidence: 60,
  grouping: 'per-codemod',
  maxOpenPullRequests: 10,
  maxNewPullRequestsPerScan: 5,
  pathExcludes: [],
  ignoreRules: [],
  ignoreCwes: [],
  disabledCodemods: [],
  codeInsights: true,
  mergeCheckMinSeverity: 'high',
  mergeCheckWithoutScan: 'pass',
};
