/**
 * What the resolvers return to the pages. The types live in `src/contracts/resolver-api.ts`, the
 * one contract the backend is also checked against; this file re-exports them type-only (esbuild
 * erases the import, so the bundles never pull in backend code) and adds the option lists the
 * pages iterate over. Add resolver fields there, not here.
 */
import type { FindingSort, FindingStatus, Grouping, Severity, Verdict } from '../../../src/contracts/resolver-api';

export type {
  CodemodInfo,
  ConnectionCheck,
  ConnectionResult,
  CreatePullRequestResult,
  DecisionEvent,
  FindingCounts,
  FindingDetail,
  FindingFilter,
  FindingGroup,
  FindingItem,
  FindingPage,
  FindingSort,
  FindingStatus,
  FixOutcomeView,
  FixOutcome,
  FixPreview,
  Grouping,
  LocatedStep,
  Policy,
  PullRequestItem,
  PullRequestLink,
  ResolverKey,
  ResolverMap,
  SaveSettingsPayload,
  ScanItem,
  Settings,
  Severity,
  Verdict,
  NoiseCategory,
} from '../../../src/contracts/resolver-api';

export const severities: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const verdicts: readonly Verdict[] = ['true_positive', 'false_positive', 'wont_fix', 'suspicious'];
export const findingStatuses: readonly FindingStatus[] = ['open', 'fix_proposed', 'fixed', 'dismissed', 'suppressed'];
export const groupings: readonly Grouping[] = ['per-codemod', 'per-file', 'per-finding'];
export const findingSorts: readonly FindingSort[] = ['severity', 'confidence', 'path', 'newest'];
