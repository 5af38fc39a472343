import { enclosingFunction, scopeBefore, type CodeView } from './code-view';
import { topLevelArguments } from './expressions';
import { strictPattern } from './guards';
import { inside, joiFields, type ValidatedField, type ValidatedKind } from './route-options';

/**
 * Validation an Express or Fastify route declares where it is registered (`app.post('/x', …,
 * handler)`, `fastify.route({ …, handler })`), read from the registration line down to the handler:
 * - Fastify's route `schema` (JSON Schema: `type: 'integer'`, `enum`, an anchored `pattern` of
 *   harmless characters, `format: 'uuid'`/dates; `type: 'string'` or `format: 'email'` is a string),
 *   inline or a schema constant of the file; not with `attachValidation: true`, which hands a failed
 *   validation to the handler instead of answering 400;
 * - celebrate middleware (`celebrate({ [Segments.BODY]: Joi.object({ … }) })`), which rejects
 *   before the handler runs;
 * - express-validator chains (`param('id').isInt()`, `query('sort').isIn([…])`, `body('email')
 *   .isEmail()`, `matches(/^…$/)`), only when the handler checks `validationResult(req)` and leaves
 *   when it is not empty — the chains alone reject nothing.
 */
export type RequestPart = 'body' | 'query' | 'params';

function registration(view: CodeView): string | undefined {
  const header = enclosingFunction(view);
  if (header === undefined) return undefined;
  for (let i = header; i >= 0 && i >= header - 40; i -= 1) {
    if (/\b[\w$]+\.(?:get|post|put|patch|delete|all|route)\(\s*(?:["'`]|\{\s*$)/.test(view.lines[i] ?? '')) return view.lines.slice(i, header + 1).join('\n');
  }
  return undefined;
}

/** The object literal after `key:` (or a constant of the file named there), as text. */
function objectAfter(text: string, key: RegExp, all: string): string | undefined {
  const m = new RegExp(String.raw`${key.source}\s*:\s*(\{|[A-Za-z_$][\w$]*)`).exec(text) ?? (key.source === 'schema' ? /[{,]\s*(schema)\s*[,}]/.exec(text) : null);
  if (!m) return undefined;
  const value = m[1] ?? '';
  if (value === '{') return inside(text, (m.index ?? 0) + m[0].length - 1);
  const declaration = new RegExp(String.raw`^\s*(?:export\s+)?(?:const|let|var)\s+${value.replace(/\$/g, '\\$')}\s*=\s*\{`, 'm').exec(all);
  return declaration ? inside(all, (declaration.index ?? 0) + declaration[0].length - 1) : undefined;
}

function jsonSchemaKind(definition: string): ValidatedKind | undefined {
  if (/\benum\s*:\s*\[\s*(?:(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*,\s*)*(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*,?\s*\]/.test(definition) || /\bconst\s*:\s*(?:"[^"]*"|'[^']*'|-?\d+)/.test(definition)) return 'checked';
  if (/\btype\s*:\s*["'](?:integer|number)["']/.test(definition)) return 'number';
  if (/\btype\s*:\s*["']boolean["']/.test(definition) || /\bformat\s*:\s*["'](?:uuid|date|date-time|time)["']/.test(definition)) return 'typed';
  const pattern = /\bpattern\s*:\s*(["'])((?:(?!\1).)+)\1/.exec(definition)?.[2]?.replace(/\\\\/g, '\\');
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  if (/\btype\s*:\s*["']string["']/.test(definition)) return 'string';
  return undefined;
}

function fastifyFields(route: string, all: string, part: RequestPart): Map<string, ValidatedField> | undefined {
  const schema = objectAfter(route, /schema/, all);
  if (!schema || /attachValidation\s*:\s*true/.test(route)) return undefined;
  const key = { body: /\bbody/, query: /\b(?:querystring|query)/, params: /\bparams/ }[part];
  const partSchema = objectAfter(schema, key, all);
  const properties = partSchema ? objectAfter(partSchema, /\bproperties/, all) : undefined;
  if (properties === undefined) return undefined;
  const fields = new Map<string, ValidatedField>();
  for (const entry of topLevelArguments(properties)) {
    const m = /^["']?([A-Za-z_$][\w$]*)["']?\s*:\s*\{([\s\S]*)\}$/.exec(entry.trim());
    const kind = m ? jsonSchemaKind(m[2] ?? '') : undefined;
    if (m && kind) fields.set(m[1] ?? '', { kind, evidence: `the route's schema: ${m[1]}: {${(m[2] ?? '').replace(/\s+/g, ' ').trim().slice(0, 70)}}` });
  }
  return fields;
}

function celebrateFields(route: string, part: RequestPart): Map<string, ValidatedField> | undefined {
  const call = /\bcelebrate\(\s*\{/.exec(route);
  const body = call ? inside(route, (call.index ?? 0) + call[0].length - 1) : undefined;
  if (!body) return undefined;
  const key = { body: 'BODY|body', query: 'QUERY|query', params: 'PARAMS|params' }[part];
  const joi = new RegExp(String.raw`(?:\[\s*Segments\.(?:${key})\s*\]|\b(?:${key}))\s*:\s*Joi\.object\(\s*\)\.keys\(\s*\{|(?:\[\s*Segments\.(?:${key})\s*\]|\b(?:${key}))\s*:\s*Joi\.object\(\s*\{`).exec(body);
  const fields = joi ? inside(body, (joi.index ?? 0) + joi[0].length - 1) : undefined;
  return fields === undefined ? undefined : joiFields(fields, 'the celebrate schema on the route');
}

function validatorKind(chain: string): ValidatedKind | undefined {
  if (/\.not\(\)|\.custom\(|\.if\(/.test(chain)) return undefined;
  if (/\.isIn\(\s*\[\s*(?:(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*,\s*)*(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*\]\s*\)|\.isAlphanumeric\(\)/.test(chain)) return 'checked';
  const pattern = /\.matches\(\s*\/((?:[^/\\\n]|\\.)+)\/\w*\s*\)/.exec(chain)?.[1];
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  if (/\.(?:isInt|isFloat|isNumeric|isDecimal|toInt|toFloat)\(/.test(chain)) return 'number';
  if (/\.(?:isUUID|isBoolean|isISO8601|isDate|toBoolean|toDate|isMongoId)\(/.test(chain)) return 'typed';
  if (/\.(?:isEmail|isString)\(/.test(chain)) return 'string';
  return undefined;
}

function expressValidatorFields(view: CodeView, route: string, part: RequestPart): Map<string, ValidatedField> | undefined {
  // The chains reject nothing unless the handler reads validationResult and leaves when it is not empty.
  const scope = scopeBefore(view).map((l) => l.text).join('\n');
  if (!/validationResult\(\s*(?:req|request)\s*\)/.test(scope) || !/isEmpty\(\)[\s\S]{0,80}\b(?:return|throw)\b/.test(scope)) return undefined;
  const location = { body: 'body', query: 'query', params: 'param' }[part];
  const fields = new Map<string, ValidatedField>();
  for (const m of route.matchAll(new RegExp(String.raw`\b(${location}|check)\(\s*["']([\w$]+)["']\s*\)((?:\s*\.\w+\((?:[^()]|\([^()]*\))*\))+)`, 'g'))) {
    const kind = validatorKind(m[3] ?? '');
    if (kind) fields.set(m[2] ?? '', { kind, evidence: `the route's validator: ${m[0].replace(/\s+/g, ' ').slice(0, 80)}, with validationResult checked` });
  }
  return fields;
}

/** The fields an Express or Fastify route validates for one part of the request, when it declares any. */
export function registeredValidation(view: CodeView, part: RequestPart): Map<string, ValidatedField> | undefined {
  const route = registration(view);
  if (!route) return undefined;
  const all = view.lines.join('\n');
  const found = [fastifyFields(route, all, part), celebrateFields(route, part), expressValidatorFields(view, route, part)].filter((f) => f !== undefined);
  if (found.length === 0) return undefined;
  return new Map(found.flatMap((f) => [...f]));
}
