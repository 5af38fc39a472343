import { scopeBefore, statement } from '../code-view';
import { familyOf } from '../families';
import { requestDataIn } from '../request-sources';
import { fastifyRefusesProto, hapiRefusesProto, hapiValidated, type ValidatedField } from '../route-options';
import { registeredValidation, type RequestPart } from '../route-schemas';
import type { Defuser } from './defusers';
import { ruleText, type AnalyzerInput } from './types';

/**
 * What a web framework guarantees before the handler runs, read from the route around the flagged
 * line (`route-options.ts`):
 * - hapi's payload parser refuses a `__proto__` key (`protoAction` `'error'` by default), so a
 *   one-level write keyed by the payload's own keys (`for (const f of Object.keys(request.payload))
 *   doc[f] = …`) cannot reach a prototype; not when the application sets `protoAction: 'ignore'` or
 *   parses the body itself, and never for a nested write (`a[k1][k2] = …`);
 * - a request field the route validates — hapi `options.validate.payload: Joi.object({ … })`, a
 *   Fastify route `schema`, celebrate, express-validator chains with `validationResult` checked
 *   (`route-schemas.ts`): an integer, a GUID, a boolean or date, one of listed values or an anchored pattern of harmless
 *   characters is harmless to any injection sink; any Joi string (an e-mail) is at least a string,
 *   never a query-operator object, which answers NoSQL-injection rules only.
 */

const nosql = /nosql|cwe-943\b|mongo/;

/**
 * One-level write keyed by the parsed body's own keys, on a route whose parser refuses `__proto__`:
 * hapi's `request.payload`, Fastify's `request.body` (each read only in its own framework's route).
 */
function payloadKeyWrite(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const here = statement(view);
  const write = /^\s*[A-Za-z_$][\w$.]*\[\s*([A-Za-z_$][\w$]*)\s*\]\s*=(?![=>])/.exec(here);
  // The protection turned off anywhere the repository was read (a server-wide `routes.payload.protoAction: 'ignore'`).
  if (!write || input.repository?.protections?.get('proto-allowed')) return undefined;
  const key = write[1] ?? '';
  const scope = scopeBefore(view);
  for (const [member, refusing] of [['payload', hapiRefusesProto], ['body', fastifyRefusesProto]] as const) {
    const holders = new Set([`request.${member}`]);
    for (const { text } of scope) {
      const held = new RegExp(String.raw`^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*request\.${member}\s*;?\s*$`).exec(text);
      if (held) holders.add(held[1] ?? '');
    }
    const source = [...holders].map((h) => h.replace(/[.$]/g, '\\$&')).join('|');
    const keyed = new RegExp(String.raw`\bfor\s*\(\s*(?:const|let|var)\s+${key}\s+of\s+Object\.keys\(\s*(?:${source})\s*\)|\bfor\s*\(\s*(?:const|let|var)\s+${key}\s+in\s+(?:${source})\s*\)|\bfor\s*\(\s*(?:const|let|var)\s+\[\s*${key}\s*,[^\]]*\]\s+of\s+Object\.entries\(\s*(?:${source})\s*\)|Object\.keys\(\s*(?:${source})\s*\)\.forEach\(\s*(?:\(\s*${key}\s*\)|${key})\s*=>`);
    const loop = scope.find(({ text }) => keyed.test(text));
    const refuses = loop ? refusing(view) : undefined;
    if (loop && refuses) return `${here.trim().slice(0, 60)} — line ${loop.line}: ${loop.text.trim().slice(0, 60)} — ${refuses}`;
  }
  return undefined;
}

/** hapi calls the body the payload. */
const partOf = (member: string | undefined): RequestPart => (member === 'payload' || member === 'body' ? 'body' : member === 'query' ? 'query' : 'params');

/** Where each local name of the handler came from in the request: `const { email } = request.payload`, `const q = request.query.q`. */
function requestOrigins(scope: readonly { text: string }[]): Map<string, { part: RequestPart; field: string }> {
  const origins = new Map<string, { part: RequestPart; field: string }>();
  for (const { text } of scope) {
    const destructured = /^\s*(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:req|request)\.(payload|body|query|params)\s*;?\s*$/.exec(text);
    for (const piece of destructured?.[1]?.split(',') ?? []) {
      const m = /^\s*([A-Za-z_$][\w$]*)\s*(?::\s*([A-Za-z_$][\w$]*))?\s*$/.exec(piece);
      if (m) origins.set(m[2] ?? m[1] ?? '', { part: partOf(destructured?.[2]), field: m[1] ?? '' });
    }
    const member = /^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:req|request)\.(payload|body|query|params)\.([A-Za-z_$][\w$]*)\s*;?\s*$/.exec(text);
    if (member) origins.set(member[1] ?? '', { part: partOf(member[2]), field: member[3] ?? '' });
  }
  return origins;
}

/** Every request value in the flagged statement is a field the hapi route validates strictly enough for the rule. */
function routeValidated(input: AnalyzerInput): string | undefined {
  const { view, finding } = input;
  if (!view || familyOf(finding) !== 'injection') return undefined;
  const anyString = nosql.test(`${ruleText(finding)} ${finding.cwes.join(' ').toLowerCase()}`);
  const here = statement(view);
  const scope = scopeBefore(view);
  const data = new RegExp(requestDataIn(scope).source, 'g');
  const origins = requestOrigins(scope);
  const schemas = new Map<RequestPart, Map<string, ValidatedField> | undefined>();
  const schemaOf = (part: RequestPart) => {
    if (!schemas.has(part)) schemas.set(part, hapiValidated(view, part === 'body' ? 'payload' : part) ?? registeredValidation(view, part));
    return schemas.get(part);
  };
  const found = new Set<string>();
  for (const m of here.matchAll(data)) {
    const used = m[0];
    const direct = /^(?:req|request)\.(payload|body|query|params)\.([A-Za-z_$][\w$]*)$/.exec(used.replace(/\.(?:toLowerCase|toUpperCase|trim)$/, ''));
    const origin = direct ? { part: partOf(direct[1]), field: direct[2] ?? '' } : origins.get(used);
    if (!origin) return undefined;
    const field = schemaOf(origin.part)?.get(origin.field);
    if (!field || (field.kind === 'string' && !anyString)) return undefined;
    found.add(`${used}: ${origin.part}.${origin.field} is ${field.kind === 'string' ? 'a string' : field.kind === 'number' ? 'a number' : field.kind === 'typed' ? 'a typed value' : 'one of known harmless values'} (${field.evidence})`);
  }
  if (found.size === 0) return undefined;
  // Another local name in the statement taken from the request some other way, directly or through
  // other names (`const a = request.payload.x; const b = a.trim()`): not accounted for.
  const tainted = new Set<string>();
  for (const { text } of scope) {
    const assigned = /^\s*(?:(?:const|let|var)\s+)?(?:\{([^}]*)\}|\[([^\]]*)\]|([A-Za-z_$][\w$]*))\s*(?::[^=]+)?=(?![=>])(.*)$/.exec(text);
    if (!assigned) continue;
    const value = assigned[4] ?? '';
    const fromRequest = /\b(?:request|req|ctx|payload|query|params|body)\b/.test(value) || [...tainted].some((t) => new RegExp(String.raw`(?<![\w$.])${t.replace(/\$/g, '\\$')}(?![\w$])`).test(value));
    if (!fromRequest) continue;
    for (const name of (assigned[1] ?? assigned[2] ?? assigned[3] ?? '').split(',').map((n) => n.split(':').pop()?.replace(/=.*/, '').trim() ?? '')) if (name) tainted.add(name);
  }
  for (const word of new Set(here.match(/(?<![\w$.])[A-Za-z_$][\w$]*(?![\w$])/g) ?? [])) {
    if (tainted.has(word) && !origins.has(word)) return undefined;
  }
  return `${here.trim().slice(0, 80)} — ${[...found].join('; ')}`;
}

export const frameworkGuarantees: Defuser[] = [
  { id: 'parser-refuses-proto', category: 'defused', family: /object-injection|prototype-poll|remote-property-injection|cwe-915\b|cwe-1321\b/, base: 80,
    detail: 'the key written is one of the request payload\'s own keys, and the framework\'s payload parser refuses a `__proto__` key, so the write reaches no prototype',
    test: payloadKeyWrite },
  { id: 'route-validated', category: 'defused', base: 82,
    detail: 'every request value in the statement is a field the route validates before the handler runs, to a type or set of values the injection cannot use',
    test: routeValidated },
];
