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
  codeInsights: z.boolean(),
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
  codeInsights: true,
};
