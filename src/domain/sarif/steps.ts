/**
 * A result's related locations and its code flow (the first thread flow of the first code flow),
 * bounded so a stored finding stays small. Paths follow the primary location's rules; messages are
 * resolved like result messages. Only the entries kept are read, so only those are validated.
 */
import type { LocatedMessage } from '../finding';
import { isLocation } from './fast-shape';
import { formatMessage, type MessageStrings } from './message';
import { checkShape, codeFlowSchema, locatedMessageSchema, threadFlowLocationSchema, threadFlowSchema, type JsonPath, type LocatedMessageData, type ResultData } from './schema';

export const MAX_RELATED_LOCATIONS = 10;
/** Code-flow entries kept, including the marker that stands for the steps left out. */
export const MAX_CODE_FLOW_STEPS = 30;
export const MAX_STEP_MESSAGE_CHARS = 300;
/** Kept from the start of a long flow (the source side); the rest of the room goes to the end (the sink). */
const HEAD_STEPS = 14;

export interface StepContext {
  ruleStrings: MessageStrings;
  globalStrings: MessageStrings;
  /** Called when a step message is cut at MAX_STEP_MESSAGE_CHARS. */
  onCut?: () => void;
  /** The result's JSON path, built only when an error must name it. */
  at: () => JsonPath;
  /** Place of a location: the same resolution as the result's primary location. */
  place(location: LocatedMessageData): Pick<LocatedMessage, 'location' | 'absoluteLocation'>;
}

function located(raw: unknown, path: () => JsonPath, context: StepContext): LocatedMessage | undefined {
  const data = isLocation(raw, true) ? (raw as LocatedMessageData) : checkShape(locatedMessageSchema, raw, path());
  const step: LocatedMessage = { ...context.place(data) };
  const message = formatMessage(data.message, context.ruleStrings, context.globalStrings, MAX_STEP_MESSAGE_CHARS, context.onCut);
  if (message) step.message = message;
  return step.location || step.absoluteLocation || step.message ? step : undefined;
}

/** `relatedLocations`, the first ten with a place or a message; a marker `{omitted}` ends a longer list. */
export function relatedLocationsOf(result: ResultData, context: StepContext): LocatedMessage[] | undefined {
  const raw = result.relatedLocations;
  if (!raw || raw.length === 0) return undefined;
  const out: LocatedMessage[] = [];
  const kept = Math.min(raw.length, MAX_RELATED_LOCATIONS);
  for (let i = 0; i < kept; i++) {
    const step = located(raw[i], () => [...context.at(), 'relatedLocations', i], context);
    if (step) out.push(step);
  }
  if (raw.length > kept) out.push({ omitted: raw.length - kept });
  return out.length > 0 ? out : undefined;
}

/**
 * The first thread flow of the first code flow, source to sink. A flow longer than
 * MAX_CODE_FLOW_STEPS keeps its first and last steps around a marker `{omitted: n}`.
 */
export function codeFlowOf(result: ResultData, context: StepContext): LocatedMessage[] | undefined {
  const flows = result.codeFlows;
  if (!flows || flows.length === 0) return undefined;
  const flowPath = (): JsonPath => [...context.at(), 'codeFlows', 0];
  const flow = checkShape(codeFlowSchema, flows[0], flowPath());
  const threadPath = (): JsonPath => [...flowPath(), 'threadFlows', 0];
  const thread = flow.threadFlows?.[0] === undefined ? undefined : checkShape(threadFlowSchema, flow.threadFlows[0], threadPath());
  const steps = thread?.locations;
  if (!steps || steps.length === 0) return undefined;

  const stepAt = (k: number): LocatedMessage | undefined => {
    const path = (): JsonPath => [...threadPath(), 'locations', k];
    const entry = checkShape(threadFlowLocationSchema, steps[k], path());
    return entry.location === undefined || entry.location === null ? undefined : located(entry.location, () => [...path(), 'location'], context);
  };
  const out: LocatedMessage[] = [];
  const push = (k: number) => {
    const step = stepAt(k);
    if (step) out.push(step);
  };
  if (steps.length <= MAX_CODE_FLOW_STEPS) {
    for (let k = 0; k < steps.length; k++) push(k);
  } else {
    const tail = MAX_CODE_FLOW_STEPS - 1 - HEAD_STEPS;
    for (let k = 0; k < HEAD_STEPS; k++) push(k);
    out.push({ omitted: steps.length - HEAD_STEPS - tail });
    for (let k = steps.length - tail; k < steps.length; k++) push(k);
  }
  return out.some((step) => step.omitted === undefined) ? out : undefined;
}
