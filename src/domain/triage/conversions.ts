import type { NumberedLine } from './code-view';
import { escape } from './guards';

/**
 * Values made safe by a type before they reach a sink, besides the numeric conversions
 * value-flow.ts lists (`int(x)`, `parseInt`, `Number`): what is left is digits, a UUID's hex and
 * dashes, `True`/`False`, or one of an enum's members — nothing a shell, SQL or a path parses.
 */

/** Calls whose result holds no text of the caller's choosing: a UUID (parsed or generated), a decimal, a date, a boolean. */
export const typedConversions = String.raw`uuid\.UUID|uuid\.uuid[1-5]|uuid[14]|UUID\.fromString|UUID\.randomUUID|crypto\.randomUUID|UUID|decimal\.Decimal|Decimal|(?:datetime\.)?(?:date|datetime)\.fromisoformat|(?:datetime\.)?datetime\.strptime|bool|Boolean`;

/**
 * A request read the framework converts before handing it over: werkzeug's
 * `request.args.get("page", 1, type=int)` (the value, the default, or the conversion's failure
 * gives the default), Falcon's `req.get_param_as_int("n")` (and `_float`; `_bool`, `_uuid`,
 * `_datetime`, `_date` give typed values) which answers 400 to anything else.
 */
export function frameworkTypedRead(value: string): 'number' | 'typed' | undefined {
  const v = value.trim();
  const werkzeug = /^(?:flask\.)?request\.(?:args|form|values|cookies|headers)\.get\((?:[^()]|\([^()]*\))*\btype\s*=\s*(int|float|bool)\s*\)$/.exec(v);
  if (werkzeug) return werkzeug[1] === 'bool' ? 'typed' : 'number';
  const falcon = /^(?:req|request)\.get_param_as_(int|float|bool|uuid|datetime|date)\([^()]*\)$/.exec(v);
  if (falcon) return falcon[1] === 'int' || falcon[1] === 'float' ? 'number' : 'typed';
  return undefined;
}

/** `+req.query.page`, `~~x`: unary plus and double negation always yield a number. */
export function unaryNumber(value: string): boolean {
  return /^(?:\+|~~)\s*[A-Za-z_$][\w$]*(?:\.[\w$]+|\[[^\]]+\])*\s*$/.test(value.trim());
}

/**
 * `Status(x)` / `Status[x]` where `class Status(…Enum):` is defined at the top level of the file: the
 * lookup yields one of the enum's members or raises.
 */
export function enumLookup(value: string, module: readonly string[]): string | undefined {
  const m = /^([A-Z]\w*)\s*[([]/.exec(value.trim());
  if (!m) return undefined;
  const definition = new RegExp(String.raw`^class\s+${escape(m[1] ?? '')}\s*\([^)]*\b(?:Enum|IntEnum|StrEnum|Flag|IntFlag)\b[^)]*\)\s*:`);
  return module.find((line) => definition.test(line))?.trim();
}

/**
 * A parameter of the enclosing handler whose type the framework enforces before the handler runs:
 * a Flask/werkzeug route converter (`@app.get("/files/<int:file_id>")`), or a FastAPI parameter
 * annotated `int`, `float`, `bool`, `UUID`, `Literal[…]` of literals or a module Enum (FastAPI
 * validates it; a plain annotation in other code enforces nothing, so the file must import FastAPI).
 */
export function typedParameter(name: string, scope: readonly NumberedLine[], module: readonly string[]): { line: number; code: string } | undefined {
  const header = scope[0];
  if (!header || !/^\s*(?:async\s+)?def\s/.test(header.text)) return undefined;
  const n = escape(name);
  // The signature may span lines (one parameter per line): read it up to the `):` that ends it.
  let signature = '';
  for (const { text } of scope.slice(0, 20)) {
    signature += ` ${text.trim()}`;
    if (/\)\s*(?:->\s*[^:]+)?:\s*(?:#.*)?$/.test(text)) break;
  }
  if (!new RegExp(String.raw`[(,]\s*${n}\s*[:,)=]`).test(signature)) return undefined;
  const headerIndex = module.findIndex((line) => line === header.text);
  const decorators: string[] = [];
  for (let i = headerIndex - 1; i >= 0 && /^\s*@/.test(module[i] ?? ''); i -= 1) decorators.push((module[i] ?? '').trim());
  const converter = decorators.find((d) => new RegExp(String.raw`<(?:int|float|uuid):${n}>`).test(d));
  if (converter) return { line: header.line - decorators.indexOf(converter) - 1, code: converter };
  const fastapi = module.some((line) => /^\s*(?:from\s+fastapi\b|import\s+fastapi\b)/.test(line));
  const route = decorators.find((d) => /^@\w+\.(?:get|post|put|patch|delete|api_route)\(/.test(d));
  // FastAPI also enforces `Literal["a", "b"]` and an Enum class's values before the handler runs.
  const literalType = String.raw`Literal\[\s*(?:"[^"\n]*"|'[^'\n]*'|-?\d+)(?:\s*,\s*(?:"[^"\n]*"|'[^'\n]*'|-?\d+))*\s*,?\s*\]`;
  const annotation = new RegExp(String.raw`[(,]\s*${n}\s*:\s*(int|float|bool|UUID|uuid\.UUID|${literalType}|[A-Z]\w*)\s*[,)=]`).exec(signature)?.[1];
  const enumType = annotation && /^[A-Z]\w*$/.test(annotation) && !['UUID'].includes(annotation) ? enumLookup(`${annotation}(x)`, module) : undefined;
  const annotated = annotation !== undefined && (!/^[A-Z]\w*$/.test(annotation) || annotation === 'UUID' || enumType !== undefined);
  return fastapi && route && annotated ? { line: header.line, code: header.text.trim() } : undefined;
}

/**
 * `end.isoformat()`: only a date, time or datetime has the method (a string raises
 * `AttributeError`), and it returns digits with `-`, `:`, `T`, `.` and `+` — nothing SQL, a shell
 * or a path parses. Not when the module defines an `isoformat` of its own. Also the clock's reading
 * in a literal format with no `/`.
 */
export function isoDates(text: string, module: readonly string[], found: string[]): string {
  // The clock's reading in a literal format (`datetime.utcnow().strftime("%Y%m%d%H%M%S")`, `time.strftime("%Y%m%d")`): digits and the format's own text.
  const clock = text.replace(/(?<![\w.])(?:(?:datetime\.)?(?:datetime|date)\.(?:utcnow|now|today)\(\s*(?:[\w.]+)?\s*\)\.strftime|time\.strftime)\(\s*(["'])[%\w:. -]*\1\s*\)/g, (all) => {
    found.push(all);
    return ' 0 ';
  });
  if (module.some((line) => /\bdef\s+isoformat\b|\bisoformat\s*=/.test(line))) return clock;
  // The receiver may be a name, a call's result (`date.today().isoformat()`) or a parenthesised
  // expression (`(date.today() - timedelta(days=days)).isoformat()`): whatever it is, only a date or time has the method.
  return clock.replace(/(?<![\w.])(?:\((?:[^()]|\([^()]*\))*\)|[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*(?:\([^()]*\)(?:\.[A-Za-z_][\w]*)*)?)\.isoformat\(\s*\)/g, (all) => {
    found.push(all);
    return ' 0 ';
  });
}

/**
 * Bottle's `FileUpload.filename` (`upload = request.files.get("photo")`, then `upload.filename`):
 * Bottle hands over the client's name already reduced to ASCII letters, digits, `-`, `_` and `.`,
 * with no leading dots or dashes and no path, so it cannot leave the folder it is joined to
 * (`raw_filename` is the client's own and stays). Only in a module that imports Bottle's `request`.
 */
export function bottleUploadNames(text: string, module: readonly string[], found: string[]): string {
  if (!module.some((line) => /^\s*from\s+bottle\s+import\s+.*\brequest\b/.test(line))) return text;
  const uploads = new Set(module.flatMap((line) => {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*request\.files(?:\.get\(\s*["'][\w-]+["']\s*\)|\[\s*["'][\w-]+["']\s*\]|\.[A-Za-z_]\w*)\s*(?:#.*)?$/.exec(line);
    return m ? [m[1] ?? ''] : [];
  }));
  // A name assigned anything else anywhere in the module may not be the upload.
  for (const name of [...uploads]) {
    if (module.some((line) => new RegExp(String.raw`^\s*${name}\s*=(?!=)`).test(line) && !/request\.files/.test(line))) uploads.delete(name);
  }
  if (uploads.size === 0) return text;
  return text.replace(/(?<![\w.])([A-Za-z_]\w*)\.filename\b(?!\s*\()/g, (all, name: string) => {
    if (!uploads.has(name)) return all;
    found.push(all);
    return ' 0 ';
  });
}
