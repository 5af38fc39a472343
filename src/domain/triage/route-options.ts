import { insideBrackets } from './brackets';
import { enclosingFunction, type CodeView } from './code-view';
import { topLevelArguments } from './expressions';
import { joiKind, type FieldKind } from './declared-fields';

/**
 * What a hapi route declares around its handler (`{ method, path, options: { validate, payload },
 * handler }`), read from the lines above the handler in the same route object: the Joi schemas of
 * `options.validate.{payload,query,params}` (inline `Joi.object({…})`, or a schema constant of the
 * file) and the payload parser's settings. Line-based like the rest of triage: a route written
 * another way is not read, and then nothing is decided.
 */
export type ValidatedKind = FieldKind | 'string';
export interface ValidatedField {
  kind: ValidatedKind;
  evidence: string;
}

/** The route object's text from its `method:`/`path:` line down to the handler, with the handler's line number. */
export function routeObject(view: CodeView): { text: string; firstLine: number } | undefined {
  const header = enclosingFunction(view);
  if (header === undefined || !/\bhandler\s*:|^\s*(?:async\s+)?handler\s*\(/.test(view.lines[header] ?? '')) return undefined;
  for (let i = header - 1; i >= 0 && i >= header - 30; i -= 1) {
    const line = view.lines[i] ?? '';
    // Another handler above: the route object is not the one read.
    if (/\bhandler\s*:/.test(line)) return undefined;
    if (/^\s*(?:method|path)\s*:/.test(line) && /^\s*\{\s*$|^\s*(?:server\.route\(|\[)?\s*\{\s*$/.test(view.lines[i - 1] ?? '')) {
      return { text: view.lines.slice(i, header + 1).join('\n'), firstLine: view.startLine + i };
    }
  }
  return undefined;
}

/** The text inside the bracket opening at `open` (strings skipped), or undefined when it does not close. */
export const inside = insideBrackets;

/** Joi field definitions of a `Joi.object({ … })` body, by name, with what each lets through. */
export function joiFields(body: string, where: string): Map<string, ValidatedField> {
  const fields = new Map<string, ValidatedField>();
  for (const part of topLevelArguments(body)) {
    const m = /^["']?([A-Za-z_$][\w$]*)["']?\s*:\s*(Joi\.[\s\S]+)$/.exec(part.trim());
    if (!m) continue;
    const definition = (m[2] ?? '').replace(/\s+/g, '');
    const kind: ValidatedKind | undefined = joiKind(definition) ?? (/^Joi\.string\(\)/.test(definition) ? 'string' : undefined);
    if (kind) fields.set(m[1] ?? '', { kind, evidence: `${where}: ${m[1]}: ${quoteShort(m[2] ?? '')}` });
  }
  return fields;
}

const quoteShort = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 80);

/**
 * The fields hapi validates with Joi before the handler runs, for one part of the request
 * (`payload`, `query`, `params`), when the route declares them and does not let a failed
 * validation through (`failAction: 'log'`/`'ignore'`).
 */
export function hapiValidated(view: CodeView, part: 'payload' | 'query' | 'params' | 'headers'): Map<string, ValidatedField> | undefined {
  const route = routeObject(view);
  if (!route) return undefined;
  const at = /\bvalidate\s*:\s*\{/.exec(route.text);
  const validate = at ? inside(route.text, (at.index ?? 0) + at[0].length - 1) : undefined;
  if (!validate || /failAction\s*:\s*["'](?:log|ignore)["']/.test(validate)) return undefined;
  const line = route.firstLine + route.text.slice(0, at?.index ?? 0).split('\n').length - 1;
  const inline = new RegExp(String.raw`\b${part}\s*:\s*Joi\.object\(\s*\{`).exec(validate);
  if (inline) {
    const body = inside(validate, (inline.index ?? 0) + inline[0].length - 1);
    return body === undefined ? undefined : joiFields(body, `line ${line}`);
  }
  // `payload: LoginSchema`, with `const LoginSchema = Joi.object({` … `})` in the file.
  const named = new RegExp(String.raw`\b${part}\s*:\s*([A-Z][\w$]*)\s*(?:[,}]|$)`).exec(validate)?.[1];
  if (!named) return undefined;
  const all = view.lines.join('\n');
  const declaration = new RegExp(String.raw`^\s*(?:export\s+)?(?:const|let|var)\s+${named}\s*=\s*Joi\.object\(\s*\{`, 'm').exec(all);
  if (!declaration) return undefined;
  const body = inside(all, (declaration.index ?? 0) + declaration[0].length - 1);
  const declaredAt = view.startLine + all.slice(0, declaration.index ?? 0).split('\n').length - 1;
  return body === undefined ? undefined : joiFields(body, `the schema ${named}, line ${declaredAt}`);
}

/**
 * hapi parses a JSON payload with @hapi/bourne and answers 400 to one holding a `__proto__` key
 * (`route.options.payload.protoAction`, default `'error'`); only `'ignore'` turns that off (`'remove'`
 * strips the key). Undefined when the route or the file sets `protoAction: 'ignore'`, or parses the
 * payload itself (`parse: false`, `output: 'stream'`).
 */
export function hapiRefusesProto(view: CodeView): string | undefined {
  const route = routeObject(view);
  if (!route) return undefined;
  const all = view.lines.join('\n');
  if (/protoAction\s*:\s*["']ignore["']/.test(all) || /\bparse\s*:\s*(?:false|["']gunzip["'])|output\s*:\s*["'](?:stream|file)["']/.test(route.text)) return undefined;
  return `hapi route at line ${route.firstLine}, payload.protoAction left at its default 'error'`;
}

/**
 * Fastify parses JSON bodies with secure-json-parse and answers 400 to a `__proto__` key
 * (`onProtoPoisoning`, default `'error'`; `constructor.prototype` likewise). Only for a file that
 * is a Fastify application (it imports `fastify` or registers the route on `fastify.`) and a
 * handler taking `(request, reply)`; `request.body` of Express has no such parser.
 */
export function fastifyRefusesProto(view: CodeView): string | undefined {
  const header = enclosingFunction(view);
  const all = view.lines.join('\n');
  if (header === undefined || !/\(\s*request\s*(?::[^,]+)?,\s*reply\b/.test(view.lines[header] ?? '')) return undefined;
  if (!/require\(\s*["']fastify["']\s*\)|from\s+["']fastify["']|\bfastify\.(?:get|post|put|patch|delete|route)\(/.test(all)) return undefined;
  if (/onProtoPoisoning\s*:\s*["']ignore["']|addContentTypeParser\(/.test(all)) return undefined;
  return `Fastify route at line ${view.startLine + header}, onProtoPoisoning left at its default 'error'`;
}
