import type { NumberedLine } from './code-view';
import { fieldConstraint, type DeclaredFields, type FieldKind } from './declared-fields';
import { escape } from './guards';
import { isLiteral } from './expressions';

/**
 * Readers value-flow.ts uses to account for values it cannot see assigned in the function: values
 * the system generates, functions imported from the path module, one-line guards, and members of
 * parameters or records whose class the repository declares (`declared-fields.ts`).
 */

/** Why a member is safe, in value-flow's terms. */
export interface DeclaredReason { name: string; reason: { safe: true; kind: FieldKind; code: string; how: string } }

/**
 * Calls with no arguments whose result the system makes, never the caller: the temp folder, the
 * clock, a process id, a random UUID or id (`uuidv4()`, `uuid.v4()`, `randomUUID()`, `nanoid()`). (With arguments they might carry the caller's text, so they do not count.)
 */
export const generatedValues = String.raw`(?:os\.)?tmpdir(?=\(\s*\))|(?:tempfile\.)?gettempdir(?=\(\s*\))|Date\.now(?=\(\s*\))|performance\.now(?=\(\s*\))|time\.time(?:_ns)?(?=\(\s*\))|time\.monotonic(?=\(\s*\))|os\.getpid(?=\(\s*\))|uuidv[14](?=\(\s*\))|uuid\.v[14](?=\(\s*\))|randomUUID(?=\(\s*\))|nanoid(?=\(\s*\))|process\.cwd(?=\(\s*\))|os\.getcwd(?=\(\s*\))`;

/** `fd, path = tempfile.mkstemp(suffix=".html")`: the path is made by the system (literal arguments only). */
export function generatedTuple(name: string, text: string): string | undefined {
  const m = new RegExp(String.raw`^\s*(?:[A-Za-z_]\w*\s*,\s*)*${escape(name)}(?:\s*,\s*[A-Za-z_]\w*)*\s*=\s*((?:tempfile\.)?(?:mkstemp|mkdtemp))\(([^()]*)\)\s*$`).exec(text);
  if (!m) return undefined;
  const args = (m[2] ?? '').split(',').map((a) => a.replace(/^\s*\w+\s*=\s*/, '').trim()).filter(Boolean);
  return args.every((a) => isLiteral(a)) ? `${m[1]}(${m[2]})` : undefined;
}

/** Bare calls other than functions the file imports from the path module (`import { join } from 'path'`): those only join their arguments. */
export function unknownCalls(calls: readonly string[], module: readonly string[]): string[] {
  const fromPath = new Set<string>();
  for (const line of module) {
    const m = /^\s*import\s*\{([^}]*)\}\s*from\s*["'](?:node:)?path(?:\/posix)?["']/.exec(line) ?? /^\s*from\s+os\.path\s+import\s+(.+)$/.exec(line);
    for (const name of (m?.[1] ?? '').split(',').map((n) => n.trim().split(/\s+as\s+/).pop() ?? '')) {
      if (/^(join|resolve|normalize|basename|dirname|extname|relpath|normpath|abspath)$/.test(name.trim()) || /\bas\b/.test(name)) fromPath.add(name.trim());
    }
  }
  return calls.filter((call) => !fromPath.has(call));
}

/**
 * `query.sort` where the function declares `query: ListShiftsDto` and the repository shows what that
 * class lets through (a validated DTO field, a pydantic field, an entity's numeric column): each such
 * member is replaced by a number and its reason kept.
 */
export function declaredMembers(text: string, scope: readonly NumberedLine[], declared: DeclaredFields): { rest: string; reasons: DeclaredReason[] } {
  const types = parameterTypes(scope);
  // `const volunteer = await this.volunteers.get(id)`: a record loaded through a service or
  // repository call, typed explicitly or named after an entity class the repository declares.
  for (const { text: line } of scope) {
    // `const q = Query.parse(req.query)` with `Query` a zod schema: `q` has only what it declares.
    const parsed = /^\s*(?:const|let|var)\s+([a-z_$][\w$]*)\s*=\s*(?:await\s+)?([A-Za-z_$][\w$]*)\.parse(?:Async)?\(/.exec(line);
    if (parsed && declared.classes.get(parsed[2] ?? '')?.kind === 'model') types.set(parsed[1] ?? '', parsed[2] ?? '');
    // Joi: `const { value } = Query.validate(req.query)` (checked for `error` by the caller) or `await Query.validateAsync(…)`.
    const validated = /^\s*(?:const|let|var)\s+(?:\{[^}]*\bvalue(?:\s*:\s*([a-z_$][\w$]*))?[^}]*\}|([a-z_$][\w$]*))\s*=\s*(?:await\s+)?([A-Za-z_$][\w$]*)\.validate(Async)?\(/.exec(line);
    const [, alias, bare, schema = '', isAsync] = validated ?? [];
    // Destructured `{ value }` (or `{ value: q }`) holds the validated value; a bare name only with validateAsync.
    const holder = bare === undefined ? alias ?? 'value' : isAsync ? bare : undefined;
    if (validated && holder && declared.classes.get(schema)?.kind === 'model') types.set(holder, schema);
    const loaded = /^\s*(?:const|let|var)\s+([a-z_$][\w$]*)\s*(?::\s*([A-Z][\w$]*))?\s*=\s*await\s+this\.[\w$.]+\(/.exec(line);
    if (!loaded || types.has(loaded[1] ?? '')) continue;
    const named = (loaded[1] ?? '').replace(/^./, (c) => c.toUpperCase());
    const type = loaded[2] ?? named;
    if (declared.classes.get(type)?.kind === 'entity') types.set(loaded[1] ?? '', type);
  }
  const reasons: DeclaredReason[] = [];
  // `form = SearchForm(request.GET)` then `form.cleaned_data["sort"]` (DRF: `validated_data`).
  for (const { text: line } of scope) {
    const built = /^\s*([a-z_]\w*)\s*=\s*([A-Z]\w*)\(/.exec(line);
    if (built && declared.classes.get(built[2] ?? '')?.kind === 'model' && !types.has(built[1] ?? '')) types.set(built[1] ?? '', built[2] ?? '');
  }
  const cleaned = text.replace(/(?<![\w$.])([a-z_]\w*)\.(?:cleaned_data|validated_data)(?:\[\s*["'](\w+)["']\s*\]|\.get\(\s*["'](\w+)["']\s*\))/g, (all, root: string, a?: string, b?: string) => {
    const type = types.get(root);
    const known = type ? fieldConstraint(declared, type, a ?? b ?? '') : undefined;
    if (!known) return all;
    reasons.push({ name: all, reason: { safe: true, kind: known.kind, code: `${root} = ${type}(…)`, how: known.how } });
    return ' 0 ';
  });
  const rest = cleaned.replace(/(?<![\w$.])([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)(?![\w$(])/g, (all, root: string, field: string) => {
    const type = types.get(root);
    const known = type ? fieldConstraint(declared, type, field) : undefined;
    if (!known) return all;
    reasons.push({ name: all, reason: { safe: true, kind: known.kind, code: `${root}: ${type}`, how: known.how } });
    return ' 0 ';
  });
  return { rest, reasons };
}

/** A one-line `if (cond) stmt` / `if cond: stmt`: the guard as its own line, and the statement it holds. */
export function inlineCondition(text: string): { guard: string; body: string } | undefined {
  if (text.includes('\n')) return undefined;
  const js = /^(\s*)if\s*\(/.exec(text);
  if (js) {
    let depth = 0;
    for (let i = js[0].length - 1; i < text.length; i += 1) {
      if (text[i] === '(') depth += 1;
      else if (text[i] === ')' && (depth -= 1) === 0) {
        const body = text.slice(i + 1).trim();
        if (body === '' || body.startsWith('{')) return undefined;
        return { guard: `${text.slice(0, i + 1)} {`, body: `${js[1]}    ${body}` };
      }
    }
    return undefined;
  }
  const py = /^(\s*)if\s+([^:]+):\s*(\S.*)$/.exec(text);
  return py ? { guard: `${py[1]}if ${py[2]}:`, body: `${py[1]}    ${py[3]}` } : undefined;
}

/** Parameters the enclosing function declares with a class type (`query: ListShiftsDto`, `site: Site`). */
export function parameterTypes(scope: readonly NumberedLine[]): Map<string, string> {
  const types = new Map<string, string>();
  const signature = scope.slice(0, 12).map((l) => l.text).join(' ');
  const end = signature.search(/\)\s*(?::[^{]*)?\{|\)\s*(?:->[^:]*)?:/);
  const head = end >= 0 ? signature.slice(0, end + 1) : signature;
  for (const m of head.matchAll(/(?:^|[(,])\s*(?:@\w+\((?:[^()]|\([^()]*\))*\)\s*)*(?:(?:private|public|protected|readonly)\s+)*([A-Za-z_$][\w$]*)\s*\??\s*:\s*([A-Z][\w$]*)\s*(?=[,)=])/g)) {
    types.set(m[1] ?? '', m[2] ?? '');
  }
  return types;
}

/**
 * `s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', … })[c])`: the key is one character of a literal
 * class, indexing an object literal written in place (the usual HTML-escape helper).
 */
export function matchedCharacterKey(here: string): { detail: string; code: string } | undefined {
  const replaced = /\.replace\(\s*\/\[((?:[^\]\\\n]|\\.)+)\]\/[gimsuy]*\s*,\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*=>\s*\(?\s*(\{[^{}]*\})\s*\)?\s*\[\s*\2\s*\]/.exec(here);
  if (!replaced || !/^\{\s*(?:(?:"[^"]*"|'[^']*'|[\w$]+)\s*:\s*(?:"[^"]*"|'[^']*'|-?\d+)\s*,?\s*)+\}$/.test(replaced[3] ?? '')) return undefined;
  return { detail: `the key \`${replaced[2]}\` is one character matched by the literal class \`[${replaced[1]}]\`, indexing an object literal written in place`, code: replaced[0].length > 90 ? `${replaced[0].slice(0, 89)}…` : replaced[0] };
}

/** `dangerouslySetInnerHTML={{ __html: clean }}`: the markup React writes, one per use in the statement. */
export function jsxInnerHtml(text: string): string[] | undefined {
  const found = [...text.matchAll(/dangerouslySetInnerHTML\s*=\s*\{\{\s*__html\s*:\s*([^{}]+?)\s*,?\s*\}\}/g)].map((m) => (m[1] ?? '').trim());
  return found.length > 0 && (text.match(/dangerouslySetInnerHTML/g) ?? []).length === found.length ? found : undefined;
}
