import { continues, fileLine, indentOf, openString, scopeBefore, statement, type CodeView, type NumberedLine } from '../code-view';
import { assignedToSink, bracketKeys, isLiteral, redirectTarget, sinkCall, sinksByFamily, variablesOf } from '../expressions';
import { containedByFramework, containmentCheck } from '../containment';
import { checkedExpressions, escape, guardOn } from '../guards';
import { multerBaseNames, rememberModules } from '../upload-names';
import { localKeyWrite } from '../local-key-writes';
import { constantListElement } from '../constant-lists';
import { admittedByMembership, sameSitePathTernary } from '../admitted-values';
import { bottleUploadNames, enumLookup, frameworkTypedRead, isoDates, typedConversions, typedParameter, unaryNumber } from '../conversions';
import { literalCallers } from '../literal-callers';
import { constantMapRead, intlFormatted, numericFormat, ownFolderPath } from '../fixed-values';
import { accountArguments } from '../argument-lists';
import { packageYaml, yamlLoadRule } from '../package-data';
import { loopVariable, multerTempPaths, visibleLines } from '../server-paths';
import { inlinePlaceholderLists, placeholderList, tableRead, tableSource } from '../table-reads';
import { declaredFields, type DeclaredFields } from '../declared-fields';
import { declaredMembers, generatedTuple, generatedValues, inlineCondition, jsxInnerHtml, matchedCharacterKey, unknownCalls } from '../flow-readers';
import { escapedMap } from '../escaped-lists';
import { admittedBy, refusedUnlessSameSite, sameSiteHelper, sameSitePathArgument } from '../same-site';
import { formattedNumbers, helperContext, helperGuard, knownValues, type HelperContext } from '../helper-flow';
import { quote, ruleText, type AnalyzerInput, type Decision } from './types';

/**
 * For injection rules (SQL, command, code, template, path, XSS, redirect, SSRF, object keys):
 * reads what reaches the sink — the first argument of the flagged call, the value assigned to
 * `innerHTML`, the bracket key — and decides "false positive" only when every variable in it is
 * accounted for in the same function: a constant, a number (`int(x)`, `parseInt`, `Long.parseLong`,
 * a loop index), the result of a sanitiser of the rule's family, or a value checked against an
 * allow-list or a strict pattern before use, or looked up in a top-level dict of literals with a
 * literal default. One unknown variable or call and it decides nothing.
 */
interface Family {
  id: string;
  rule: RegExp;
  /** Calls that make a value safe for this family (besides numeric conversions). */
  sanitisers?: string;
}

const numeric = String.raw`int|float|Number\.parseInt|Number\.parseFloat|parseInt|parseFloat|Number|[A-Za-z_$][\w$.]*\.toFixed|Math\.(?:floor|round|ceil|trunc|abs)|Integer\.parseInt|Integer\.valueOf|Long\.parseLong|Long\.valueOf|Double\.parseDouble|len`;
const families: Family[] = [
  { id: 'sql', rule: /sql|cwe-89\b|cwe-564\b/ },
  { id: 'command', rule: /command|subprocess|shell|os-command|child-process|start_process|cwe-78\b|cwe-88\b/, sanitisers: String.raw`shlex\.quote|pipes\.quote|shellescape|shellQuote\.quote` },
  { id: 'code', rule: /code-injection|\beval\b|cwe-94\b|cwe-95\b/ },
  { id: 'template', rule: /template|ssti|cwe-96\b|cwe-1336\b/ },
  { id: 'path', rule: /path-injection|path-traversal|traversal|non-literal-fs|zipslip|cwe-22\b|cwe-23\b|cwe-36\b|cwe-73\b/, sanitisers: String.raw`secure_filename|werkzeug\.utils\.safe_join|werkzeug\.security\.safe_join|flask\.safe_join|safe_join|os\.path\.basename|path\.basename|basename|FilenameUtils\.getName` },
  { id: 'xss', rule: /xss|cross-site-scripting|unsanitized|html|cwe-79\b|cwe-80\b|cwe-116\b/, sanitisers: String.raw`html\.escape|markupsafe\.escape|format_html|conditional_escape|escape|escapeHtml|escape_html|DOMPurify\.sanitize|sanitizeHtml|sanitize_html|bleach\.clean|StringEscapeUtils\.escapeHtml4?|Encode\.forHtml\w*|HtmlUtils\.htmlEscape|encodeURIComponent` },
  { id: 'redirect', rule: /redirect|cwe-601\b/ },
  { id: 'ssrf', rule: /ssrf|request-forgery|cwe-918\b/ },
  { id: 'object-key', rule: /object-injection|prototype-poll|remote-property-injection/ },
  { id: 'regexp', rule: /non-literal-regexp|regex-injection|regexp-injection|cwe-625\b/ },
];

/** `how` says precisely what made the value safe, when more is known than its kind. */
type Reason = { safe: true; kind: 'constant' | 'number' | 'typed' | 'sanitised' | 'checked'; line?: number; code: string; how?: string } | { safe: false };

const assignmentOf = (name: string) =>
  new RegExp(String.raw`^\s*(?:(?:const|let|var|final)\s+)?(?:([\w<>[\],.?]+)\s+)?${name.replace(/\$/g, '\\$')}\s*=(?!=)\s*(.+?);?\s*$`);
const loopIndex = (name: string) => new RegExp(String.raw`\bfor\s*\(\s*(?:let|var|int|long)\s+${name}\s*=\s*(?:\d|[\w$.]+\.(?:length|size\(\))\s*-\s*\d+\s*;)|\bfor\s+${name}\s+in\s+range\(`);
const numericTypes = /^(int|long|short|byte|double|float|Integer|Long|Double)$/;
const hostLike = /host|domain|netloc|origin/i;

function wrappersFor(family: Family): RegExp {
  return new RegExp(family.sanitisers ? `${numeric}|${typedConversions}|${generatedValues}|${family.sanitisers}` : `${numeric}|${typedConversions}|${generatedValues}`);
}

const kindOfWrapper = (wrapper: string): 'number' | 'typed' | 'sanitised' =>
  /^(?:int|float|parseInt|parseFloat|Number|Math|Integer|Long|Double|len)\b/.test(wrapper) ? 'number' : new RegExp(`^(?:${typedConversions}|${generatedValues})\\s*\\(|\\.isoformat\\(\\s*\\)$`).test(wrapper) ? 'typed' : 'sanitised';

/** Why `name` is safe where it is used, looking back through the function (one assignment deep). */
function classify(name: string, scope: readonly NumberedLine[], here: string, family: Family, indent: number, module: readonly string[], depth = 0, declared?: DeclaredFields, helpers?: HelperContext): Reason {
  if (loopIndex(name).test(here)) return { safe: true, kind: 'number', code: here.trim() };
  const guard = guardOn(name, scope, indent, module);
  if (guard) return { safe: true, kind: 'checked', line: guard.line, code: guard.code, how: guard.kind === 'allow-list' ? 'checked against an allow-list before use' : 'checked against a strict pattern before use' };
  // A check as real code writes it, or a helper's judged by its body (`helper-flow.ts`).
  const helperChecked = helpers ? helperGuard(name, scope, indent, family.id, helpers) : undefined;
  if (helperChecked) return { safe: true, kind: 'checked', line: helperChecked.line, code: helperChecked.code, how: `${helperChecked.how} before use` };
  const contained = family.id === 'path' ? containmentCheck(name, scope, indent) : undefined;
  if (contained) return { safe: true, kind: 'checked', line: contained.line, code: contained.code, how: 'kept inside its base folder by a containment check that leaves the function otherwise' };
  // An element of a top-level list of literals: `for (const name of NAMES)`, `NAMES.map((name) => …)` (`constant-lists.ts`).
  // Node's own `__dirname`/`__filename` (CommonJS; not assigned by the module): the module's folder, fixed when deployed.
  if (family.id === 'path' && /^__(?:dirname|filename)$/.test(name) && !module.some((l) => new RegExp(String.raw`(?<![\w$.])${name}\s*=(?!=)`).test(l))) {
    return { safe: true, kind: 'constant', code: name, how: 'the module\'s own folder (Node\'s `__dirname`), fixed when the code is deployed' };
  }
  const listed = constantListElement(name, here, scope, module);
  if (listed) return { safe: true, kind: 'constant', ...listed };
  // A loop variable the server makes: an index, a directory entry, an element of an array literal (`server-paths.ts`).
  const looped = depth < 3 ? loopVariable(name, scope, family.id, module, {
    known: (value, before) => (helpers ? knownValues(value, family.id, family.sanitisers, helpers, before, indent) : { rest: value, reasons: [] }),
    parts: (value) => variablesOf(value, wrappersFor(family)),
    safe: (n, before) => classify(n, before, here, family, indent, module, depth + 1, declared, helpers).safe,
  }) : undefined;
  if (looped) return { safe: true, ...looped };
  let assigned = false;
  // What is added to the value after it was first assigned (`sql += " AND a = '" + x + "'"`,
  // `parts.append(…)`, `where.push(…)`) must be safe too: the first assignment alone says nothing.
  const added = new RegExp(String.raw`(?<![\w$.])${escape(name)}\s*(?:\+=|\|=|\.=)\s*(.+?);?\s*$|(?<![\w$.])${escape(name)}\.(?:append|extend|insert|push|unshift|add|update|concat|write)\(([\s\S]*)\)`);
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const { line, text } = scope[i] ?? { line: 0, text: '' };
    if (loopIndex(name).test(text)) return { safe: true, kind: 'number', line, code: text.trim() };
    const addition = added.exec(text);
    if (addition) {
      const value = (addition[1] ?? addition[2] ?? '').trim();
      if (isLiteral(value)) continue;
      if (depth > 0) return { safe: false };
      const parts = variablesOf(value, wrappersFor(family));
      if (unknownCalls(parts.calls, module).length > 0) return { safe: false };
      if (!parts.names.filter((n) => n !== name).every((n) => classify(n, scope.slice(0, i), here, family, indent, module, depth + 1, declared, helpers).safe)) return { safe: false };
      continue;
    }
    const mapped = family.id === 'xss' ? escapedMap(assignmentOf(name).exec(text)?.[2] ?? '', scope, i, family.sanitisers, module) : undefined;
    if (mapped) return { safe: true, kind: 'sanitised', line, code: text.trim(), how: mapped };
    const generated = generatedTuple(name, text);
    if (generated) return { safe: true, kind: 'typed', line, code: text.trim(), how: `a path the system generates (\`${generated}\`)` };
    const m = assignmentOf(name).exec(text);
    if (!m) continue;
    assigned = true;
    if (m[1] && numericTypes.test(m[1])) return { safe: true, kind: 'number', line, code: text.trim() };
    const value = (m[2] ?? '').replace(/\s*(?:\|\||\bor\b|\?\?)\s*(?:\d+|"[^"]*"|'[^']*')\s*$/, '');
    if (isLiteral(value)) return { safe: true, kind: 'constant', line, code: text.trim() };
    if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.length$/.test(value.trim())) return { safe: true, kind: 'number', line, code: text.trim() };
    if (family.id === 'path' && ownFolderPath(value)) return { safe: true, kind: 'constant', line, code: text.trim(), how: 'the module\'s own folder joined with literal names, fixed when the code is deployed' };
    if (unaryNumber(value)) return { safe: true, kind: 'number', line, code: text.trim() };
    const converted = frameworkTypedRead(value);
    if (converted) return { safe: true, kind: converted, line, code: text.trim(), how: 'read from the request by a getter that converts it, rejecting anything else' };
    const member = enumLookup(value, module);
    if (member) return { safe: true, kind: 'checked', line, code: `${text.trim()} (${member})`, how: 'one of an enum\'s members' };
    // `cond ? "DESC" : "ASC"`, `"a" if cond else "b"`: one of two literals whatever the condition.
    const ternary = /\?\s*([^:?]+?)\s*:\s*([^:?]+)$/.exec(value) ?? /^(\S.*?)\s+if\s+.+\s+else\s+(.+)$/.exec(value);
    if (ternary && isLiteral(ternary[1] ?? '') && isLiteral(ternary[2] ?? '')) return { safe: true, kind: 'constant', line, code: text.trim() };
    const admitted = admittedByMembership(name, value, module) ?? (family.id === 'redirect' ? sameSitePathTernary(value, module) : undefined);
    if (admitted) return { safe: true, kind: 'checked', line, code: text.trim(), how: admitted };
    // `"".join(format_html("<li>{}</li>", t) for t in tags)`: every joined element passes through the family's sanitiser
    // (`format_html` only with a literal format string, which is the markup it keeps).
    const joined = /^(?:"[^"]*"|'[^']*')\.join\(\s*([\w.]+)\(([\s\S]*)\)\s+for\s+[\w, ]+\s+in\s+[^()]+(?:\([^()]*\))?\s*\)$/.exec(value.trim());
    if (joined && family.sanitisers && new RegExp(`^(?:${family.sanitisers})$`).test(joined[1] ?? '') && (!/format_html$/.test(joined[1] ?? '') || /^\s*(["'])[^"']*\1\s*(?:,|$)/.test(joined[2] ?? ''))) {
      return { safe: true, kind: 'sanitised', line, code: text.trim() };
    }
    // A read of a table of literals the code fixes, here, in the function or imported (`table-reads.ts`).
    const read = tableRead(value, module, scope.slice(0, i), helpers?.reader);
    if (read) return { safe: true, kind: 'checked', line, code: `${text.trim()} (${read.source})`, how: 'read from a table of literals fixed by the code' };
    if (placeholderList(value)) return { safe: true, kind: 'number', line, code: text.trim(), how: 'a list of placeholders built from a count (placeholder text and numbers only)' };
    // A Java enum's `valueOf` yields one of its constants or throws.
    if (/^[A-Z]\w*\.valueOf\(/.test(value) && !/^(String|Integer|Long|Double|Float|Short|Byte|Boolean|Character)\./.test(value)) {
      return { safe: true, kind: 'checked', line, code: text.trim() };
    }
    const viaHelpers = helpers ? knownValues(value, family.id, family.sanitisers, helpers, scope, indent) : { rest: value, reasons: [] };
    const members = declared ? declaredMembers(viaHelpers.rest, scope, declared) : { rest: viaHelpers.rest, reasons: [] };
    const typed: string[] = [];
    const dated = isoDates(members.rest, module, typed);
    const parts = variablesOf(family.id === 'path' ? multerBaseNames(bottleUploadNames(dated, module, typed), module, typed) : dated, wrappersFor(family));
    parts.wrappers.push(...typed);
    parts.calls = unknownCalls(parts.calls, module);
    const known = [...viaHelpers.reasons, ...members.reasons];
    if (parts.calls.length === 0 && parts.names.length === 0 && known.length > 0) {
      return { safe: true, kind: 'checked', line, code: text.trim(), how: `built only from generated values and ${known.map((r) => `\`${r.name}\`, ${r.reason.how ?? ''}`).join('; ')}` };
    }
    if (parts.calls.length === 0 && parts.names.length === 0 && parts.wrappers.length > 0) {
      const kinds = parts.wrappers.map(kindOfWrapper);
      return { safe: true, kind: kinds.includes('sanitised') ? 'sanitised' : kinds.includes('typed') ? 'typed' : 'number', line, code: text.trim() };
    }
    if (depth === 0 && parts.calls.length === 0 && parts.names.length > 0) {
      const inner = parts.names.map((n) => classify(n, scope.slice(0, i), here, family, indent, module, depth + 1, declared, helpers));
      if (inner.every((r) => r.safe)) {
        const because = inner.flatMap((r, k) => (r.safe ? [`\`${parts.names[k]}\` is ${r.how ?? describe[r.kind]}${r.line !== undefined ? ` (line ${r.line}: \`${quote(r.code, 70)}\`)` : ''}`] : []));
        return { safe: true, kind: 'checked', line, code: text.trim(), how: `built only from safe values: ${because.join('; ')}` };
      }
    }
    break;
  }
  // A parameter of a local helper that every caller in view fills with a literal.
  const literal = assigned ? undefined : literalCallers(name, here, { lines: [...module], startLine: 1, flagged: 0, flaggedEnd: 0 }, scope[0]?.text);
  if (literal) return { safe: true, kind: 'constant', code: here.trim(), how: `a parameter of \`${literal.helper}\`, whose every call passes a literal (${literal.values.join(', ')})` };
  // A handler parameter whose type the framework enforces (`<int:file_id>`, FastAPI `file_id: int`).
  // A name the function never assigns, assigned once at the top level of the module to a literal or
  // (for paths) to the module's own folder: `here = Path(__file__).resolve().parent`.
  // Not when the function binds the name itself: a parameter, a loop variable, `as name`.
  const signature = scope.slice(0, 12).map((l) => l.text).join(' ').replace(/\)\s*(?:->[^:{]*)?[:{][\s\S]*$/, ')');
  const binds = new RegExp(String.raw`[(,]\s*(?:\.\.\.)?${escape(name)}\s*[:,)=]|\bfor\s*\(?\s*(?:(?:const|let|var)\s+)?[\w$,\s]*\b${escape(name)}\b|\bas\s+${escape(name)}\b|\(\s*${escape(name)}\s*\)\s*=>|\b${escape(name)}\s*=>`);
  const bound = binds.test(signature) || scope.some((l) => binds.test(l.text));
  if (!assigned && !bound && !module.some((l) => new RegExp(String.raw`^\s+global\s+.*\b${escape(name)}\b`).test(l))) {
    const top = module.map((l) => assignmentOf(name).exec(l)).filter((m, i) => m && indentOf(module[i] ?? '') === 0);
    const value = top.length === 1 ? (top[0]?.[2] ?? '') : '';
    if (value && (isLiteral(value) || (family.id === 'path' && ownFolderPath(value)))) {
      return { safe: true, kind: 'constant', code: (top[0]?.[0] ?? '').trim(), how: isLiteral(value) ? 'a module-level constant' : 'the module\'s own folder, set once at the top of the module' };
    }
  }
  const typed = assigned ? undefined : typedParameter(name, scope, module);
  if (typed) return { safe: true, kind: 'typed', line: typed.line, code: typed.code, how: 'a handler parameter whose type the framework enforces' };
  // A URL whose host was checked against an allow-list (`host = urlparse(url).hostname; if host not in HOSTS: raise`).
  if (family.id === 'ssrf' || family.id === 'redirect') {
    for (const { text } of scope) {
      const m = /^\s*(?:(?:const|let|var|final)\s+)?(?:\w+\s+)?([\w$]+)\s*=(?!=)\s*(.+)$/.exec(text);
      if (m && hostLike.test(m[1] ?? '') && new RegExp(`\\b${name}\\b`).test(m[2] ?? '')) {
        const guard = guardOn(m[1] ?? '', scope, indent, module);
        if (guard) return { safe: true, kind: 'checked', line: guard.line, code: guard.code };
      }
    }
  }
  return { safe: false };
}

const describe: Record<Exclude<Reason, { safe: false }>['kind'], string> = {
  constant: 'a constant',
  number: 'a number',
  typed: 'of a type that holds no text of the caller\'s choosing (a number, a UUID, a boolean)',
  sanitised: 'sanitised',
  checked: 'limited to known values before use (an allow-list, a strict pattern, a containment check or an enum)',
};
const bases: Record<Exclude<Reason, { safe: false }>['kind'], number> = { constant: 90, number: 88, typed: 87, sanitised: 86, checked: 84 };

/** Modules whose `open(…)` takes the path as its first argument. */
const pathModules = new Set(['os', 'io', 'codecs', 'gzip', 'bz2', 'lzma', 'tarfile', 'zipfile', 'shelve', 'dbm', 'webbrowser', 'fs', 'fsp', 'aiofiles', 'builtins', 'tempfile', 'wave', 'sqlite3']);

/** The expression the rule is about, or undefined when the statement cannot be read. */
function sinkInput(text: string, family: Family): { expression: string; label: string }[] | undefined {
  if (family.id === 'object-key') {
    const keys = bracketKeys(text);
    return keys.length > 0 ? keys.map((key) => ({ expression: key, label: `the key \`${key}\`` })) : undefined;
  }
  const markup = family.id === 'xss' ? jsxInnerHtml(text) : undefined;
  if (markup) return markup.map((expression) => ({ expression, label: 'the markup given to `dangerouslySetInnerHTML`' }));
  const assigned = assignedToSink(text);
  if (assigned !== undefined) return [{ expression: assigned, label: 'the assigned value' }];
  // pathlib: `item.open("rb")`, `item.read_text()` open the receiver; the argument is a mode.
  const method = family.id === 'path' ? /(?<![\w$.])([a-z_][\w]*)\.(?:open|read_text|read_bytes|write_text|write_bytes|unlink)\(/.exec(text) : null;
  if (method && !pathModules.has(method[1] ?? '')) return [{ expression: method[1] ?? '', label: `the path \`${method[1]}\`` }];
  // `(TEMPLATES / "page.html").read_text()`: the parenthesised path is the receiver.
  const joined = family.id === 'path' ? /\(([^()]*(?:\([^()]*\)[^()]*)*)\)\.(?:open|read_text|read_bytes|write_text|write_bytes|unlink)\(/.exec(text) : null;
  if (joined && /\s\/\s/.test(joined[1] ?? '')) return [{ expression: (joined[1] ?? '').replace(/\s\/\s/g, ' + '), label: 'the path joined with `/`' }];
  const sinks = sinksByFamily[family.id] ?? [];
  let call = sinkCall(text, sinks);
  // `db.execute(text(sql))`: the argument is itself a sink of the family wrapping the query; read its argument.
  for (let inner = call ? sinkCall(call.argument, sinks) : undefined; call && inner && call.argument.startsWith(inner.name); inner = sinkCall(inner.argument, sinks)) {
    if (!/^[A-Za-z_$][\w$]*\s*\([\s\S]*\)$/.test(call.argument.trim())) break;
    call = inner;
  }
  const target = family.id === 'redirect' && call ? redirectTarget(call) : undefined;
  if (target) return [target];
  if (call) return [{ expression: call.argument, label: `the argument of ${call.name}()` }];
  // No known sink on the line (the scanner flags where a query string is built): the built value.
  const built = /^\s*(?:return\s+|(?:(?:const|let|var|final)\s+)?(?:[\w<>[\]]+\s+)?[\w$.]+\s*=(?!=)\s*)(.+)$/s.exec(text)?.[1];
  return built && /["'`]/.test(built) ? [{ expression: built.replace(/;\s*$/, ''), label: 'the value built here' }] : undefined;
}

/** Names the view imports as configuration rather than data (`from django.conf import settings`). */
function configurationNames(view: CodeView): Set<string> {
  const names = new Set<string>();
  for (const line of view.lines) if (/^\s*from\s+django\.conf\s+import\s+settings\b/.test(line)) names.add('settings');
  return names;
}

export function valueFlow(input: AnalyzerInput): Decision | undefined {
  const view: CodeView | undefined = input.view;
  if (!view) return undefined;
  const text = ruleText(input.finding);
  const family = families.find((f) => f.rule.test(text));
  const whole = statement(view);
  // YAML the package ships, loaded from its own folder (`package-data.ts`).
  const shipped = yamlLoadRule.test(text) ? packageYaml(whole, scopeBefore(view), view.lines, input.finding.location?.path ?? '', input.repository?.dataFiles) : undefined;
  if (shipped) return decision(86, 'package-data', input.where, `the file deserialised is \`${shipped.file}\`, named from the module's own folder and literals only, and held in the repository: it changes only by a commit, never by a caller`, shipped.code);
  if (!family) return undefined;
  // A string still open where the statement was cut: what reaches the sink is not all in view.
  if (openString(whole) || continues(whole.split('\n').pop() ?? '', undefined)) return undefined;
  // `if (EDITABLE.has(key)) volunteer[key] = changes[key];` / `if key in EDITABLE: row[key] = v`: the
  // condition guards the statement it holds on the same line, as if that statement were its block.
  const inline = inlineCondition(whole);
  const here = inline ? inline.body : whole;
  const contained = family.id === 'path' ? containedByFramework(here) : undefined;
  if (contained) return decision(84, 'contained-by-framework', input.where, contained.detail, contained.code);
  // `if (!fs.existsSync(file)) await fetchCover(…)`: when the statement held has no sink, the condition's is the one flagged.
  const [held, tested] = [sinkInput(here, family), inline ? sinkInput(inline.guard, family) : undefined];
  const inputs = held && tested ? [...held, ...tested] : held ?? tested;
  if (!inputs) return undefined;
  const flaggedIndent = indentOf(view.lines[view.flagged] ?? '');
  // At the top level of a module the statements above it are its scope (only those at the top level too).
  const above = flaggedIndent === 0
    ? view.lines.slice(0, view.flagged).map((text, i) => ({ line: fileLine(view, i), text })).filter(({ text }) => indentOf(text) === 0)
    : scopeBefore(view);
  // An indented statement no function encloses (a script's loop): what it can see above it.
  const visible = above.length === 0 && flaggedIndent > 0 && !view.lines.slice(0, view.flagged).some((l) => /\bfunction\b|=>\s*\{?\s*$|^\s*(?:async\s+)?def\s/.test(l)) ? visibleLines(view.lines, view.flagged, (i) => fileLine(view, i)) : above;
  const scope = inline ? [...visible, { line: fileLine(view, view.flagged), text: inline.guard }] : visible;
  const indent = inline ? flaggedIndent + 4 : flaggedIndent;
  const reasons: { name: string; reason: Exclude<Reason, { safe: false }> }[] = [];
  const wrappers: string[] = [];
  const configuration = configurationNames(view);
  rememberModules(view.lines, input.repository?.modules);
  const helpers = helperContext(view, input.finding.location?.path, input.repository);
  // What the repository's DTOs, entities and schemas declare, plus the schemas of this file itself.
  const local = declaredFields(new Map([[input.finding.location?.path ?? 'this file', view.lines.join('\n')]]));
  const declared: DeclaredFields | undefined = input.repository?.declared || local.classes.size > 0
    ? { ...(input.repository?.declared ?? {}), classes: new Map([...local.classes, ...(input.repository?.declared?.classes ?? new Map())]) }
    : undefined;
  if (family.id === 'object-key') {
    const matched = matchedCharacterKey(here);
    if (matched) return decision(84, 'matched-character', input.where, matched.detail, matched.code);
    const counted = localKeyWrite(here, view, scope);
    if (counted) return decision(82, 'local-key-write', input.where, counted.detail, counted.code);
    const read = constantMapRead(here, view, scope);
    if (read) return decision(80, 'constant-map-read', input.where, 'the bracket access only reads a constant map (not written, not called), so an odd key yields undefined or an inherited member, nothing more', read);
  }
  for (const { expression } of inputs) {
    if (isLiteral(expression)) continue;
    // A redirect target admitted by a local same-site predicate, else a literal (`same-site.ts`).
    const admitted = family.id === 'redirect' || family.id === 'ssrf' ? admittedBy(expression) : undefined;
    const helper = admitted ? sameSiteHelper(admitted.helper, view.lines) : undefined;
    if (admitted && helper) {
      reasons.push({ name: admitted.value, reason: { safe: true, kind: 'checked', line: helper.line + view.startLine - 1, code: helper.code, how: `admitted only when \`${admitted.helper}\` accepts it — its body parses the URL and refuses a scheme, a host and a \`//\` prefix — and otherwise replaced by ${admitted.fallback}` } });
      continue;
    }
    // `safeRedirect(url.searchParams.get('to'))`: a local helper that keeps only same-site paths (`same-site.ts`).
    const pathOnly = family.id === 'redirect' ? sameSitePathArgument(expression, view.lines, view.startLine) : undefined;
    if (pathOnly) {
      reasons.push({ name: quote(expression.trim(), 60), reason: { safe: true, kind: 'checked', ...pathOnly } });
      continue;
    }
    // `if not is_local(target): abort(400)` / `if (!isLocal(next)) return res.redirect('/')` before the sink.
    const refused = family.id === 'redirect' || family.id === 'ssrf' ? refusedUnlessSameSite(expression.trim(), scope, indent, view.lines) : undefined;
    if (refused) {
      reasons.push({ name: expression.trim(), reason: { safe: true, kind: 'checked', line: refused.line, code: refused.code, how: `refused unless \`${refused.helper}\` accepts it (line ${refused.line}) — its body parses the URL and refuses a scheme, a host and a \`//\` prefix` } });
      continue;
    }
    const formatted = family.id === 'xss' ? intlFormatted(expression, view) : undefined;
    if (formatted) {
      reasons.push({ name: formatted.name, reason: { safe: true, kind: 'sanitised', line: formatted.line, code: formatted.code } });
      continue;
    }
    if (family.id === 'path' && ownFolderPath(expression)) {
      reasons.push({ name: quote(expression, 60), reason: { safe: true, kind: 'constant', code: expression.trim(), how: 'the module\'s own folder joined with literal names, fixed when the code is deployed' } });
      continue;
    }
    // `"… LIMIT %d OFFSET %d" % (a, b)`: every placeholder numeric, so the values are numbers or the formatting raises.
    if (numericFormat(expression)) {
      wrappers.push(expression.trim());
      continue;
    }
    // A member expression checked before use (`if (!ALLOWED.has(req.params.name)) return …`) counts as checked where it is used.
    // An argument list run with no shell: the elements the server makes are accounted for (`argument-lists.ts`).
    const argv = family.id === 'command' ? accountArguments(expression, here, scope, view.lines) : { rest: expression, reasons: [] };
    reasons.push(...argv.reasons.map((r) => ({ name: r.element, reason: { safe: true as const, kind: 'typed' as const, line: r.line, code: r.code, how: r.how } })));
    let rest = argv.rest;
    // A read from a top-level table of literals (`FILES[req.params.id]`): one of its values, or nothing.
    rest = rest.replace(/([A-Za-z_$][\w$]*)\[((?:[^[\]]|\[[^[\]]*\])*)\]/g, (all, table: string) => {
      const defined = tableSource(table, view.lines, scope, helpers.reader);
      if (!defined) return all;
      reasons.push({ name: all, reason: { safe: true, kind: 'checked', code: defined, how: 'read from a table of literals fixed by the code' } });
      return ' 0 ';
    });
    if (declared) {
      const members = declaredMembers(rest, scope, declared);
      rest = members.rest;
      reasons.push(...members.reasons);
    }
    const viaHelpers = knownValues(rest, family.id, family.sanitisers, helpers);
    rest = viaHelpers.rest;
    reasons.push(...viaHelpers.reasons);
    for (const checked of checkedExpressions(scope)) {
      if (!new RegExp(`(?<![\\w$.])${escape(checked)}(?![\\w$])`).test(rest)) continue;
      const guard = guardOn(checked, scope, indent, view.lines) ?? helperGuard(checked, scope, indent, family.id, helpers);
      if (!guard) continue;
      rest = rest.replace(new RegExp(`(?<![\\w$.])${escape(checked)}(?![\\w$])`, 'g'), ' 0 ');
      reasons.push({ name: checked, reason: { safe: true, kind: 'checked', line: guard.line, code: guard.code, how: 'checked against an allow-list or a strict pattern before use' } });
    }
    // `items.length`, `rows.size`: a count is a number whatever the collection holds.
    rest = rest.replace(/(?<![\w$.])[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.length(?![\w$(\[])/g, (count) => {
      wrappers.push(count);
      return ' 0 ';
    });
    const temp = family.id === 'path' ? multerTempPaths(rest, scope, view.lines) : { rest, found: [] };
    rest = temp.rest;
    reasons.push(...temp.found.map((t) => ({ name: t.name, reason: { safe: true as const, kind: 'typed' as const, code: t.code, how: 'the temp file multer wrote under a random name of its own (not the client\'s `originalname`)' } })));
    const listed = family.id === 'sql' ? inlinePlaceholderLists(rest) : { rest, found: [] };
    rest = listed.rest;
    wrappers.push(...listed.found);
    rest = isoDates(formattedNumbers(rest, wrappers), view.lines, wrappers);
    if (family.id === 'path') rest = multerBaseNames(bottleUploadNames(rest, view.lines, wrappers), view.lines, wrappers);
    const parts = variablesOf(rest, wrappersFor(family));
    if (unknownCalls(parts.calls, view.lines).length > 0) return undefined;
    // Only literal text and safe wrappers: fine. Nothing at all (a bare call result, say): unknown.
    if (parts.names.length === 0 && parts.wrappers.length === 0 && !/["'`\d]/.test(rest)) return undefined;
    wrappers.push(...parts.wrappers);
    for (const name of parts.names.filter((n) => !configuration.has(n))) {
      const reason = classify(name, scope, here, family, indent, view.lines, 0, declared, helpers);
      if (!reason.safe) return undefined;
      reasons.push({ name, reason });
    }
  }
  const at = `${input.where}`;
  const sink = inputs.map((i) => i.label).join(' and ');
  if (reasons.length === 0 && wrappers.length === 0) {
    return decision(90, 'constant-argument', at, `${sink} is built only from literals and constants, so no outside input reaches it`, quote(here));
  }
  if (reasons.length === 0) {
    const numberOnly = wrappers.every((w) => numericFormat(w) || placeholderList(w) || /\.length$/.test(w) || new RegExp(`^(?:${numeric})\\s*\\(|\\|\\s*0$`).test(w));
    const typedOnly = !numberOnly && wrappers.every((w) => kindOfWrapper(w) !== 'sanitised' || /\|\s*0$/.test(w));
    return decision(numberOnly ? 88 : typedOnly ? 87 : 86, numberOnly ? 'numeric' : typedOnly ? 'converted' : 'sanitiser', at,
      `${sink} only receives ${numberOnly ? 'numbers' : typedOnly ? 'values converted to a number, UUID, date or boolean' : 'sanitised values'} (\`${wrappers.join('`, `')}\`)`, quote(here));
  }
  const weakest = reasons.reduce((a, b) => (bases[b.reason.kind] < bases[a.reason.kind] ? b : a));
  const explained = reasons
    .filter((r, i) => reasons.findIndex((o) => o.name === r.name) === i)
    .map(({ name, reason }) => `\`${name}\` is ${reason.how ?? describe[reason.kind]}${reason.line !== undefined && reason.line !== fileLine(view, view.flagged) ? ` (line ${reason.line}: \`${quote(reason.code, 90)}\`)` : ''}`)
    .join('; ');
  return decision(bases[weakest.reason.kind], weakest.reason.kind === 'checked' ? 'allow-list' : weakest.reason.kind === 'number' ? 'numeric' : weakest.reason.kind === 'typed' ? 'converted' : weakest.reason.kind === 'sanitised' ? 'sanitiser' : 'constant-argument',
    at, `every value in ${sink} is accounted for: ${explained}`, quote(weakest.reason.code, 90));
}

function decision(base: number, id: string, where: string, detail: string, evidence: string): Decision {
  return {
    verdict: 'false_positive',
    category: 'defused',
    base,
    factor: { id: `defused-${id}`, weight: 0, detail: `At ${where} ${detail}.` },
    justification: `Not exploitable as reported: at ${where} ${detail}; the deciding code is \`${evidence}\`.`,
  };
}
