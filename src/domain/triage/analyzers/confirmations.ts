import type { TriageFactor } from '../../finding';
import { fileLine, scopeBefore, statement } from '../code-view';
import { familyOf } from '../families';
import { quote, ruleText, type AnalyzerInput, type DecisiveAnalyzer } from './types';

/**
 * Code evidence that the scanner is right, named so the justification can quote it:
 * - request data in the flagged statement, or a variable the function took from the request;
 * - a regular expression with a nested quantifier (`(a+)+`), the shape that backtracks
 *   catastrophically (this overrides the "noisy rule" doubt of `detect-unsafe-regex`).
 * And one decisive case: a secret written to or read from a predictable, shared path (`/tmp/…`).
 */
export interface Confirmation {
  factor: TriageFactor;
  /** One sentence for the justification. */
  evidence: string;
  /** True when the evidence answers the doubt a noisy rule raises. */
  settlesNoise?: boolean;
}

const requestData = /\b(?:req|request|ctx\.request|ctx)\.(?:body|query|params|cookies|headers|POST|GET|args|form|values|json|data|files|FILES|COOKIES|META)\b(?:\.[\w$]+|\[[^\]]+\]|\.get\([^)]*\))*/;

export function taintedInput(input: AnalyzerInput): Confirmation | undefined {
  const { view, finding } = input;
  if (!view || !['injection', 'dom-sinks', 'deserialisation'].includes(familyOf(finding))) return undefined;
  const here = statement(view);
  const direct = requestData.exec(here)?.[0];
  const line = fileLine(view, view.flagged);
  if (direct) {
    return {
      factor: { id: 'request-data', weight: 10, detail: `\`${direct}\` (request data) is used in the flagged statement at line ${line}.` },
      evidence: `\`${direct}\` reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
    };
  }
  for (const { line: at, text } of [...scopeBefore(view)].reverse()) {
    const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)\s*(.*)$/.exec(text);
    // Only a value that *is* the request data (`x = request.GET.get("x")`), not one computed from it
    // (`order = SORTABLE.get(request.GET.get("sort"), …)` is a lookup, not the request's value).
    const value = (m?.[2] ?? '').trim();
    const source = m ? requestData.exec(value)?.[0] : undefined;
    if (source && !value.startsWith(source)) continue;
    if (!m || !source || !new RegExp(String.raw`\b${m[1]}\b`).test(here)) continue;
    return {
      factor: { id: 'request-data', weight: 10, detail: `\`${m[1]}\` comes from \`${source}\` (line ${at}) and is used in the flagged statement at line ${line}.` },
      evidence: `\`${m[1]}\` (from \`${source}\`, line ${at}) reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
    };
  }
  return undefined;
}

export function nestedQuantifier(input: AnalyzerInput): Confirmation | undefined {
  const { view, finding } = input;
  if (!view || !/unsafe-regex|regex-dos|redos|cwe-1333\b/.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const here = statement(view);
  const nested = /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/.exec(here)?.[0];
  if (!nested) return undefined;
  return {
    factor: { id: 'nested-quantifier', weight: 25, detail: `The pattern repeats a group that itself repeats (\`${nested}\`), which backtracks exponentially on a near-match.` },
    evidence: `the pattern at line ${fileLine(view, view.flagged)} nests quantifiers (\`${nested}\`), which backtracks catastrophically on crafted input`,
    settlesNoise: true,
  };
}

export const confirmations = [taintedInput, nestedQuantifier];

const predictablePath = /["'`]((?:\/tmp|\/var\/tmp|\/dev\/shm)\/[^"'`]*)["'`]/;
const secretWords = /token|secret|api[_-]?key|apikey|password|passwd|credential|private[_-]?key|session/i;

/** A secret kept at a predictable path any local user can read or plant: the finding is real. */
export const secretAtPredictablePath: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !['secrets', 'configuration'].includes(familyOf(finding)) && !/tmp|temp/.test(ruleText(finding))) return undefined;
  const here = statement(view);
  const path = predictablePath.exec(here)?.[1];
  if (!path || !secretWords.test(here)) return undefined;
  return {
    verdict: 'true_positive',
    base: 85,
    factor: { id: 'secret-predictable-path', weight: 0, detail: `A secret is kept at \`${path}\`, a fixed path in a directory every local user can read and write.` },
    justification: `At ${input.where} a secret is stored at the predictable path \`${path}\` (\`${quote(here, 90)}\`): another local user or process can read it, or plant a file there first.`,
  };
};
