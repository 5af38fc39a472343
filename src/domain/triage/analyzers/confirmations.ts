import type { TriageFactor } from '../../finding';
import { fileLine, openString, scopeBefore, statement } from '../code-view';
import { sinkCall, sinksByFamily } from '../expressions';
import { familyOf } from '../families';
import { boundFromRequest, requestParameters } from '../request-parameters';
import { closureScope, requestData, requestDataIn } from '../request-sources';
import { quote, ruleText, type AnalyzerInput, type DecisiveAnalyzer } from './types';
import { macHelperIn, traceCompared } from '../signature-trace';
import { configuredSecretIn } from '../configured-secrets';
import { checkedIn, testedHere } from '../value-checks';
import { storedSecretField } from '../stored-secrets';

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

/**
 * A route decorator of Flask/FastAPI/Starlette/Sanic (`@router.get("/due")`, `@app.route(…)`), or
 * Bottle's bare ones with a path (`@route("/hello/<name>")`, `@get("/x/<id>")`).
 */
const routeDecorator = /^\s*@\w+\.(?:get|post|put|patch|delete|route|api_route)\(|^\s*@(?:route|get|post|put|patch|delete)\(\s*["']\//;

/**
 * Parameters of a Python route handler the framework fills from the request (path, query or body):
 * every parameter but those given by dependency injection (`Depends(…)`), the request object itself,
 * `self`, and those typed as numbers, booleans, dates or UUIDs (value-flow.ts accounts for those).
 */
function routeParameters(view: NonNullable<AnalyzerInput['view']>): { names: Map<string, string>; line: number } | undefined {
  const scope = scopeBefore(view);
  const header = scope[0];
  if (!header || !/^\s*(?:async\s+)?def\s/.test(header.text)) return undefined;
  const index = header.line - view.startLine;
  let decorated = false;
  for (let i = index - 1; i >= 0 && /^\s*@/.test(view.lines[i] ?? ''); i -= 1) if (routeDecorator.test(view.lines[i] ?? '')) decorated = true;
  if (!decorated) return undefined;
  let signature = '';
  for (const { text } of scope) {
    signature += `${text}\n`;
    if (/\)\s*(?:->\s*[^:]+)?:\s*(?:#.*)?$/.test(text)) break;
  }
  const names = new Map<string, string>();
  const inner = /\(([\s\S]*)\)/.exec(signature)?.[1] ?? '';
  for (const parameter of inner.split(/,(?![^[(]*[\])])/)) {
    const m = /^\s*([a-z_]\w*)\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+))?\s*$/s.exec(parameter);
    if (!m) continue;
    const [, name = '', type = '', initial = ''] = m;
    if (['self', 'request', 'req', 'response', 'db', 'session'].includes(name) || /Depends\(|Security\(/.test(initial)) continue;
    if (/^(?:int|float|bool|date|datetime|UUID|uuid\.UUID|Decimal|Request|Response|Session|BackgroundTasks)\b/.test(type.trim())) continue;
    names.set(name, parameter.trim().replace(/\s+/g, ' '));
  }
  return { names, line: header.line };
}

/** Reduce a path to a file name; a request value passed through one no longer reaches the sink as it was sent. */
const pathSanitisers = String.raw`(?:os\.path\.|path\.)?basename|secure_filename`;

/**
 * A file-name rule (`detect-non-literal-fs-filename`, path injection) whose call's path argument
 * holds no request value while another argument does (`writeFile(path.join(dir, name),
 * request.payload.file)`: the request gives the content, not the name): the request data in the
 * statement says nothing about the path.
 */
function pathOnlyElsewhere(finding: AnalyzerInput['finding'], here: string, data: RegExp): boolean {
  if (!/path-injection|path-traversal|traversal|non-literal-fs|cwe-22\b|cwe-23\b|cwe-73\b/.test(`${ruleText(finding)} ${finding.cwes.join(' ').toLowerCase()}`)) return false;
  const call = sinkCall(here, sinksByFamily.path ?? []);
  return call !== undefined && !data.test(call.argument) && data.test(here);
}

export function taintedInput(input: AnalyzerInput): Confirmation | undefined {
  const { view, finding } = input;
  if (!view || !['injection', 'dom-sinks', 'deserialisation'].includes(familyOf(finding))) return undefined;
  const here = statement(view);
  const outer = closureScope(view);
  const data = requestDataIn(outer, view.lines);
  const direct = pathOnlyElsewhere(finding, here, data) ? undefined : data.exec(here)?.[0];
  const line = fileLine(view, view.flagged);
  if (direct) {
    return {
      factor: { id: 'request-data', weight: 10, detail: `\`${direct}\` (request data) is used in the flagged statement at line ${line}.` },
      evidence: `\`${direct}\` reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
      settlesNoise: true,
    };
  }
  // A taint-tracking scanner's own trace from a source to this sink (SARIF codeFlows).
  const source = finding.codeFlow && finding.codeFlow.length >= 2 ? finding.codeFlow[0] : undefined;
  if (source?.location) {
    const from = `${source.location.path}:${source.location.startLine}${source.message ? ` (${source.message.slice(0, 80)})` : ''}`;
    return {
      factor: { id: 'scanner-trace', weight: 5, detail: `The scanner traced a flow of ${finding.codeFlow?.length} steps from ${from} to the flagged line ${line}.` },
      evidence: `the scanner traced the value from ${from} to \`${quote(here, 90)}\` at line ${line}`,
    };
  }
  const route = routeParameters(view);
  for (const [name, declared] of route?.names ?? []) {
    if (!new RegExp(String.raw`(?<![\w.])${name}(?![\w])`).test(here.replace(/^\s*[\w.]+\s*=(?!=)/, ''))) continue;
    return {
      factor: { id: 'request-data', weight: 10, detail: `\`${name}\` is a parameter of the route handler at line ${route?.line} (\`${declared}\`), filled from the request, and is used in the flagged statement at line ${line}.` },
      evidence: `\`${name}\` (a request parameter of the route handler, line ${route?.line}: \`${declared}\`) reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
    };
  }
  // Parameters the framework binds from the request by decorator (`@Query('returnTo') returnTo`,
  // `@Param('file') file`, FastAPI `x = Header(...)`), used in the flagged statement or put as they
  // are into a variable it uses (`path = os.path.join(ROOT, name)`).
  // The whole request object (`@Req() req`) is read through requestData above (`req.body.x`), never as a whole.
  const bound = new Map([...[...requestParameters(view)].filter(([, declared]) => !/@(?:Req|Request)\(/.test(declared)), ...(route?.names ?? [])]);
  const scope = scopeBefore(view);
  for (const [name, declared] of bound) {
    const word = new RegExp(String.raw`(?<![\w.$])${name.replace(/\$/g, '\\$')}(?![\w$])`);
    const body = here.replace(/^\s*[\w.]+\s*=(?!=)/, '');
    if (word.test(body) && !route?.names.has(name)) {
      return {
        factor: { id: 'request-data', weight: 10, detail: `\`${name}\` is bound from the request (${declared}) and is used in the flagged statement at line ${line}.` },
        evidence: `\`${name}\` (bound from the request, ${declared}) reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
      };
    }
    for (const { line: at, text } of [...scope].reverse()) {
      const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)\s*(.*)$/.exec(text);
      if (!m || !word.test(m[2] ?? '') || !new RegExp(String.raw`(?<![\w.$])${m[1]}(?![\w$])`).test(body)) continue;
      // Converted or looked up first, it is another value.
      if (new RegExp(String.raw`(?:\bint|\bfloat|Number|parseInt|parseFloat|\bbool|uuid\.UUID|${pathSanitisers}|[A-Za-z_$][\w$]*\[|\.get)\(?\s*${name}\b`).test(m[2] ?? '')) break;
      return {
        factor: { id: 'request-data', weight: 10, detail: `\`${m[1]}\` is built from \`${name}\` (bound from the request, ${declared}) at line ${at} and is used in the flagged statement at line ${line}.` },
        evidence: `\`${name}\` (bound from the request, ${declared}) is put into \`${m[1]}\` (line ${at}), which reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
      };
    }
  }
  for (const { line: at, text } of [...outer].reverse()) {
    const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)\s*(.*)$/.exec(text);
    // Only a value that *is* the request data (`x = request.GET.get("x")`), not one computed from it
    // (`order = SORTABLE.get(request.GET.get("sort"), …)` is a lookup, not the request's value).
    const value = (m?.[2] ?? '').trim();
    const source = m ? data.exec(value)?.[0] : undefined;
    if (source && !value.startsWith(source)) continue;
    if (!m || !source || !new RegExp(String.raw`\b${m[1]}\b`).test(here)) continue;
    // The statement tests the value itself (`back.startsWith('/') && … ? back : '/'`): not as it was sent.
    if (testedHere(here, m[1] ?? '')) break;
    return {
      factor: { id: 'request-data', weight: 10, detail: `\`${m[1]}\` comes from \`${source}\` (line ${at}) and is used in the flagged statement at line ${line}.` },
      evidence: `\`${m[1]}\` (from \`${source}\`, line ${at}) reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
    };
  }
  const carried = carriedRequestData(outer, here, data);
  if (carried && !testedHere(here, carried.name)) {
    const via = carried.from === carried.source ? `\`${carried.source}\`` : `\`${carried.from}\` (from \`${carried.source}\`, line ${carried.sourceLine})`;
    return {
      factor: { id: 'request-data', weight: 10, detail: `\`${carried.name}\` is built from ${via} at line ${carried.line} and is used in the flagged statement at line ${line}.` },
      evidence: `${via} is put into \`${carried.name}\` (line ${carried.line}), which reaches \`${quote(here, 90)}\` at line ${line} with no sanitiser or check in between`,
      // Nothing in the function tests either name: the value reaches the sink as it was sent.
      settlesNoise: !checkedIn(outer, [carried.name, carried.from]),
    };
  }
  return undefined;
}

/**
 * Request data carried one step further: `customer = request.args.get("customer")`, then `query =
 * (… f"… '{customer}' …")` built over several lines, then `cur.execute(query)`; or `file =
 * path.join(ROOT, req.query.file)`. The request value must be put into the built value as it is
 * — not looked up in a table (`ORDER_BY[req.query.sort]`, `SORTABLE.get(…)`) or converted first
 * (`int(…)`, `Number(…)`), which make a different value.
 */
function carriedRequestData(scope: readonly { line: number; text: string }[], here: string, data: RegExp): { name: string; from: string; line: number; source: string; sourceLine: number } | undefined {
  const origins = new Map<string, { source: string; line: number }>();
  const transformed = (value: string, token: string): boolean =>
    new RegExp(String.raw`(?:\[[^\]]*|\.get\([^)]*|\b(?:int|float|Number|parseInt|parseFloat|bool|len|uuid\.UUID|Decimal|${pathSanitisers})\s*\([^)]*)${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(value);
  for (let i = 0; i < scope.length; i += 1) {
    const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?:\+|\|\||\?\?)?=(?!=)\s*(.*)$/.exec((scope[i]?.text ?? '').replace(/^\s*if\s*\(.*?\)\s*(?=[A-Za-z_$][\w$]*\s*\+=)/, ''));
    if (!m) continue;
    // The assigned value with its continuation lines (a parenthesised string built over several lines).
    let value = m[2] ?? '';
    const open = (text: string): number => (text.replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '').match(/[([{]/g) ?? []).length - (text.replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '').match(/[)\]}]/g) ?? []).length;
    for (let j = i + 1; j < scope.length && (open(value) > 0 || openString(value) || /[+,]\s*$/.test(value.trim())) && j < i + 8; j += 1) value += ` ${(scope[j]?.text ?? '').trim()}`;
    const name = m[1] ?? '';
    const used = new RegExp(String.raw`(?<![\w$.])${name}(?![\w$])`).test(here.replace(/^\s*(?:(?:const|let|var)\s+)?[\w$]+\s*=(?!=)/, ''));
    const direct = data.exec(value)?.[0];
    if (direct && !transformed(value, direct)) {
      origins.set(name, { source: direct, line: scope[i]?.line ?? 0 });
      if (used) return { name, from: direct, line: scope[i]?.line ?? 0, source: direct, sourceLine: scope[i]?.line ?? 0 };
      continue;
    }
    for (const [from, origin] of origins) {
      if (from === name || !new RegExp(String.raw`(?<![\w$.])${from}(?![\w$])`).test(value) || transformed(value, from)) continue;
      if (used) {
        return { name, from, line: scope[i]?.line ?? 0, source: origin.source, sourceLine: origin.line };
      }
    }
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

/** NestJS: a guard or interceptor reads the request from its execution context (`ctx.switchToHttp().getRequest().headers['x-token']`). */
const nestRequest = /\.switchToHttp\(\s*\)\.getRequest(?:<[\w$.]+>)?\(\s*\)\.(?:headers|body|query|params|cookies)\b/;
/** Values a request carries: a body/query/header member, or a header read through the framework's getter. */
const requestValue = new RegExp(String.raw`\b(?:req|request|ctx\.request|ctx)\.(?:body|query|params|cookies|headers|POST|GET|args|form|values|json|data|META)\b|\b(?:req|request|ctx)\.(?:get|header|headers\.get|get_header)\(\s*["'\`][^"'\`]+["'\`]\s*\)|${requestData.source}|${nestRequest.source}`);
/** Calls that compute a MAC, digest or signature; names that say the value is one (or a stored token). */
const computedSecret = /\b(?:createHmac|hmac\.new|hmac\.digest|HMAC|createHash|hashlib\.\w+|\.digest\(|\.hexdigest\(|\.sign\(|Mac\.getInstance|doFinal\()/;
/** A secret the operator configures (`process.env.API_TOKEN`, `config.get('WEBHOOK_SECRET')`, `settings.API_KEY`): compared with a request value, the same leak. */
/** Further back only a keyed MAC counts as the expected value: a plain digest of a value is no secret. */
const computedMac = /\b(?:createHmac|hmac\.new|hmac\.digest|HMAC|Mac\.getInstance)\b|\.sign\(/;
const configuredSecret = /(?:process\.env\.|\b(?:config|configService|configuration)\.(?:get|getOrThrow)(?:<[\w$.| ]+>)?\(\s*["'`]|\bsettings\.|os\.environ(?:\.get\(\s*|\[\s*)["']|getenv\(\s*["'])\w*(?:SECRET|TOKEN|API_?KEY|PASSWORD|PASSWD)\w*/i;

/** Where `name` comes from in the function before the flagged line: the assigning line, if any. */
function originOf(name: string, scope: readonly { line: number; text: string }[]): { line: number; text: string } | undefined {
  const assigned = new RegExp(String.raw`^\s*(?:(?:const|let|var|final|String)\s+)?${name.replace(/\$/g, '\\$')}\s*(?::[^=]+)?=(?!=)\s*(.+)$`);
  return [...scope].reverse().find(({ text }) => assigned.test(text));
}

/**
 * A timing-attack warning on a comparison of a computed MAC, digest or signature with a value the
 * request sent (`if (signature !== hash)` with `hash = createHmac(…).digest()` and `signature =
 * ctx.get('x-signature')`): the early exit of `!==`/`==` lets the sender learn the expected value
 * byte by byte. Both sides must be traced — one to a request value, the other to a MAC or digest
 * computed in the function — so two request values, or a hash compared with a constant, confirm nothing.
 */
export function secretComparedWithRequest(input: AnalyzerInput): Confirmation | undefined {
  const { view, finding } = input;
  if (!view || !/timing-attack|timing_attack|cwe-208\b/.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const here = statement(view);
  // A side may read a member of a call's result (`useRuntimeConfig(event).kilnWebhookToken`).
  // NestJS's `this.config.get<string>('SCALE_TOKEN')` carries a type argument.
  const m = /([\w$.]+(?:<[\w$.| ]+>)?(?:\([^()]*\))?(?:\.[\w$]+)*)\s*(?:!==?|===?)\s*([\w$.]+(?:<[\w$.| ]+>)?(?:\([^()]*\))?(?:\.[\w$]+)*)/.exec(here);
  if (!m) return undefined;
  const scope = scopeBefore(view);
  const bound = requestParameters(view);
  const trace = (side: string): { request?: string; computed?: string } => {
    if (requestValue.test(side)) return { request: side };
    const parameter = boundFromRequest(side, bound);
    if (parameter) return { request: `\`${side}\`, a request-bound parameter (${parameter})` };
    if (computedSecret.test(side) || configuredSecret.test(side)) return { computed: side };
    const configured = configuredSecretIn(side, view.lines.slice(0, view.flagged), scope);
    if (configured) return { computed: configured };
    const stored = storedSecretField(side, scope);
    if (stored) return { computed: stored };
    const origin = /^[A-Za-z_$][\w$]*$/.test(side) ? originOf(side, scope) : undefined;
    if (origin) {
      const code = `line ${origin.line}: \`${quote(origin.text, 80)}\``;
      // `expected = sign(req.body)`: the MAC of the request's body, not the request's value.
      const mac = macHelperIn(origin.text.replace(/^[^=]*=/, ''), view, finding.location?.path ?? '', input.repository?.modules);
      if (mac) return { computed: `${code}, ${mac}` };
      if (requestValue.test(origin.text)) return { request: code };
      if (computedSecret.test(origin.text) || configuredSecret.test(origin.text)) return { computed: code };
    }
    // Further back: through the values it is built from, a parameter its callers fill from the request, a local HMAC helper.
    return traceCompared(side, view, scope, requestValue, computedMac, finding.location?.path ?? '', input.repository?.modules);
  };
  const [left, right] = [trace(m[1] ?? ''), trace(m[2] ?? '')];
  const request = left.request ?? right.request;
  const computed = left.computed ?? right.computed;
  if (!request || !computed || (left.request && left.computed) || (left.request && right.request)) return undefined;
  const line = fileLine(view, view.flagged);
  return {
    factor: { id: 'secret-vs-request', weight: 25, detail: `\`${quote(m[0], 60)}\` at line ${line} compares a computed MAC or digest, or a configured secret, (${computed}) with a value from the request (${request}) with an early-exit comparison.` },
    evidence: `\`${quote(m[0], 60)}\` at line ${line} compares a computed MAC or digest, or a configured secret, (${computed}) with the request's value (${request}) using an early-exit comparison, so the sender can learn the expected value byte by byte; a constant-time comparison (\`timingSafeEqual\`, \`hmac.compare_digest\`) is needed`,
    settlesNoise: true,
  };
}

export const confirmations = [taintedInput, nestedQuantifier, secretComparedWithRequest];

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
