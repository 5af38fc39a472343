import { z } from 'zod';
import { decisionActions, findingStatuses, noiseCategories, severities, verdicts } from '../domain/finding';

/** Schemas for JSON the app stored itself: a row written by an older version still parses or fails loudly. */

const location = z.object({
  path: z.string(),
  startLine: z.number(),
  startColumn: z.number().optional(),
  endLine: z.number().optional(),
  endColumn: z.number().optional(),
});

const absoluteLocation = z.object({
  absolutePath: z.string(),
  startLine: z.number(),
  startColumn: z.number().optional(),
  endLine: z.number().optional(),
  endColumn: z.number().optional(),
  unmapped: z.string().optional(),
  lineHash: z.string().optional(),
  occurrence: z.number().optional(),
});

/** A related location or code-flow step (`LocatedMessage`); `omitted` marks where a long flow was cut. */
const locatedMessage = z.object({
  location: location.optional(),
  message: z.string().optional(),
  absoluteLocation: absoluteLocation.optional(),
  omitted: z.number().optional(),
});

export const normalisedFindingSchema = z.object({
  fingerprint: z.string(),
  ruleId: z.string(),
  ruleName: z.string().optional(),
  tools: z.array(z.object({ name: z.string(), version: z.string().optional() })),
  severity: z.enum(severities),
  cwes: z.array(z.string()),
  message: z.string(),
  location: location.optional(),
  absoluteLocation: absoluteLocation.optional(),
  snippet: z.string().optional(),
  relatedLocations: z.array(locatedMessage).optional(),
  codeFlow: z.array(locatedMessage).optional(),
  suppression: z.object({ kind: z.string(), justification: z.string().optional() }).optional(),
  securitySeverity: z.number().optional(),
  precision: z.string().optional(),
  ruleHelp: z.string().optional(),
  reports: z.array(z.object({ tool: z.string(), ruleId: z.string(), analysis: z.string() })).optional(),
  weaknesses: z.array(z.string()).optional(),
  aliases: z.array(z.string()).optional(),
  prScope: z.number().optional(),
  introduced: z.boolean().optional(),
});

const factor = z.object({ id: z.string(), weight: z.number(), detail: z.string() });

export const findingDataSchema = normalisedFindingSchema.extend({
  commit: z.string(),
  verdict: z.enum(verdicts),
  status: z.enum(findingStatuses),
  confidence: z.number(),
  justification: z.string(),
  factors: z.array(factor),
  category: z.enum(noiseCategories).optional(),
  fix: z.object({ codemodId: z.string(), title: z.string(), description: z.string(), diff: z.string() }).optional(),
  fixOutcome: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('fixed'), codemodId: z.string(), commit: z.string(), description: z.string() }),
      z.object({
        kind: z.literal('not-fixed'),
        commit: z.string(),
        reason: z.string(),
        tried: z.array(z.object({ codemodId: z.string(), reason: z.string(), matched: z.boolean() })),
      }),
      z.object({ kind: z.literal('not-tried'), reason: z.string(), codemods: z.array(z.string()), deferred: z.boolean().optional() }),
    ])
    .optional(),
  pullRequest: z
    .object({
      id: z.number(),
      url: z.string(),
      state: z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']),
      branch: z.string(),
    })
    .optional(),
  fixDeclined: z.object({ pullRequestId: z.number(), codemodId: z.string().optional(), at: z.string() }).optional(),
  dismissal: z
    .object({
      verdict: z.enum(verdicts), reason: z.string(), by: z.string(), at: z.string(),
      before: z.object({ status: z.enum(findingStatuses), verdict: z.enum(verdicts), confidence: z.number(), justification: z.string(), factors: z.array(factor) }),
    })
    .optional(),
  history: z
    .array(z.object({
      action: z.enum(decisionActions), by: z.string(), at: z.string(), reason: z.string().optional(),
      verdict: z.enum(verdicts).optional(), pullRequestId: z.number().optional(),
    }))
    .optional(),
  /** A person's decision (dismissal) that re-triage must never override. */
  humanDecision: z
    .object({ verdict: z.enum(verdicts), reason: z.string(), by: z.string(), at: z.string() })
    .optional(),
});

export type FindingData = z.infer<typeof findingDataSchema>;

export function parseStoredJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`Stored ${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`Stored ${what} does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
