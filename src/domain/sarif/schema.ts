/**
 * zod schemas for the parts of SARIF 2.1.0 the ingester reads. Everything is a loose object:
 * unknown properties pass through untouched, and optional fields accept `null` (sloppy
 * serialisers emit it). A field we read that has the wrong JSON type is an `invalid_sarif`
 * error naming its JSON path; values of the right type but out of range are sanitised later.
 */
import { z } from 'zod';
import { AppError } from '../errors';

const optString = z.string().nullish();
const optNumber = z.number().nullish();

/** Top level: what `parseSarif` checks before anything is normalised. */
export const sarifLogSchema = z.looseObject({
  version: z.literal('2.1.0'),
  runs: z.array(
    z.looseObject({
      tool: z.looseObject({ driver: z.looseObject({ name: z.string().min(1) }) }),
      results: z.array(z.looseObject({})).nullish(),
    }),
  ),
});

/** A validated SARIF log: version 2.1.0, runs with a named driver, results that are objects. */
export type SarifLog = z.infer<typeof sarifLogSchema>;

/** What the normaliser needs of a log it is handed (it re-checks each run and result as it reads them). */
export const logRunsSchema = z.looseObject({ runs: z.array(z.unknown()) });

export const artifactLocationSchema = z.looseObject({ uri: optString, uriBaseId: optString, index: optNumber });
export type ArtifactLocationData = z.infer<typeof artifactLocationSchema>;

const multiformatSchema = z.looseObject({ text: optString, markdown: optString });
const messageStringsSchema = z.record(z.string(), multiformatSchema).nullish();

export const toolComponentSchema = z.looseObject({
  name: z.string().min(1),
  version: optString,
  semanticVersion: optString,
  /** Rules are validated one by one when a result first refers to them (see `ruleSchema`). */
  rules: z.array(z.unknown()).nullish(),
  globalMessageStrings: messageStringsSchema,
});

/** Run-level data read by the normaliser (results are validated one by one, see `resultSchema`). */
export const runSchema = z.looseObject({
  tool: z.looseObject({ driver: toolComponentSchema, extensions: z.array(toolComponentSchema).nullish() }),
  results: z.array(z.unknown()).nullish(),
  artifacts: z.array(z.looseObject({ location: artifactLocationSchema.nullish() })).nullish(),
  originalUriBaseIds: z.record(z.string(), artifactLocationSchema).nullish(),
  invocations: z.array(z.looseObject({ workingDirectory: z.looseObject({ uri: optString }).nullish() })).nullish(),
  properties: z.looseObject({}).nullish(),
});
export type RunData = z.infer<typeof runSchema>;

const propertyBagSchema = z.looseObject({ tags: z.array(z.unknown()).nullish() }).nullish();
const relationshipTargetSchema = z.looseObject({
  id: optString,
  toolComponent: z.looseObject({ name: optString }).nullish(),
});

export const ruleSchema = z.looseObject({
  id: optString,
  name: optString,
  shortDescription: multiformatSchema.nullish(),
  fullDescription: multiformatSchema.nullish(),
  help: multiformatSchema.nullish(),
  messageStrings: messageStringsSchema,
  defaultConfiguration: z.looseObject({ level: optString }).nullish(),
  relationships: z.array(z.looseObject({ target: relationshipTargetSchema.nullish() })).nullish(),
  properties: propertyBagSchema,
});
export type RuleData = z.infer<typeof ruleSchema>;

const regionSchema = z.looseObject({
  startLine: optNumber,
  startColumn: optNumber,
  endLine: optNumber,
  endColumn: optNumber,
  snippet: z.looseObject({ text: optString }).nullish(),
});

export const locationSchema = z.looseObject({
  physicalLocation: z.looseObject({ artifactLocation: artifactLocationSchema.nullish(), region: regionSchema.nullish() }).nullish(),
  logicalLocations: z.array(z.looseObject({ fullyQualifiedName: optString, name: optString })).nullish(),
});
export type LocationData = z.infer<typeof locationSchema>;

const messageSchema = z.looseObject({ text: optString, markdown: optString, id: optString, arguments: z.array(z.unknown()).nullish() });

/** A related location or a code-flow step's location: a location with its own message. Validated only when read. */
export const locatedMessageSchema = locationSchema.extend({ message: messageSchema.nullish() });
export type LocatedMessageData = z.infer<typeof locatedMessageSchema>;

/** `codeFlows[i]`, `threadFlows[j]` and `locations[k]` of a thread flow: each level is validated only where it is read. */
export const codeFlowSchema = z.looseObject({ threadFlows: z.array(z.unknown()).nullish() });
export const threadFlowSchema = z.looseObject({ locations: z.array(z.unknown()).nullish() });
export const threadFlowLocationSchema = z.looseObject({ location: z.unknown() });

export const resultSchema = z.looseObject({
  ruleId: optString,
  ruleIndex: optNumber,
  rule: z
    .looseObject({
      id: optString,
      index: optNumber,
      toolComponent: z.looseObject({ index: optNumber, name: optString }).nullish(),
    })
    .nullish(),
  kind: optString,
  level: optString,
  message: messageSchema.nullish(),
  locations: z.array(locationSchema).nullish(),
  /** Only the first few are read (and validated), see steps.ts. */
  relatedLocations: z.array(z.unknown()).nullish(),
  codeFlows: z.array(z.unknown()).nullish(),
  partialFingerprints: z.record(z.string(), z.unknown()).nullish(),
  suppressions: z.array(z.looseObject({ kind: optString, status: optString, justification: optString })).nullish(),
  taxa: z.array(relationshipTargetSchema).nullish(),
  properties: propertyBagSchema,
});
export type ResultData = z.infer<typeof resultSchema>;

export type JsonPath = readonly (string | number)[];

/** `runs[0].results[3].locations`; odd keys are quoted (`properties["security-severity"]`). */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || 'the SARIF log';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : `"${value}"`;
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

const withArticle = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined
        ? `expected ${withArticle(issue.expected)} but it is missing`
        : `expected ${withArticle(issue.expected)}, got ${describeValue(got)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${got === undefined ? 'nothing' : describeValue(got)}`;
    case 'too_small':
      return issue.origin === 'string' ? 'expected a non-empty string' : issue.message;
    default:
      return issue.message;
  }
}

/**
 * Validates `value` (found at `at` in the log) or throws `invalid_sarif`. On success it returns
 * `value` itself, typed: these schemas have no defaults or transforms, so zod's copy would be
 * equal, and copying every result of a large log doubles the garbage the ingest makes.
 */
export function checkShape<S extends z.ZodType>(schema: S, value: unknown, at: JsonPath): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as z.infer<S>;
  const issue = parsed.error.issues[0];
  if (!issue) throw new AppError('invalid_sarif', `${formatJsonPath(at)}: invalid`);
  throw new AppError('invalid_sarif', `${formatJsonPath([...at, ...issue.path])}: ${describeIssue(issue, value)}`, {
    path: formatJsonPath([...at, ...issue.path]),
  });
}
