import type { NumberedLine } from './code-view';
import { isLiteral, topLevelArguments } from './expressions';
import { literalTable } from './fixed-values';
import { escape } from './guards';
import type { ModuleReader } from './module-imports';

/**
 * Values value-flow.ts reads as chosen from a table of literals the code fixes — whatever key the
 * caller sends, the result is one of the table's values, its own default entry, or nothing — and
 * lists of SQL placeholders built from a count, which hold only placeholder text and numbers.
 */

const str = String.raw`(?:"[^"\\\n]*"|'[^'\\\n]*')`;

/** The table is written to somewhere: `T[k] = …`, `T.k = …`, `T.update(…)`, `Object.assign(T, …)`. */
function mutated(name: string, lines: readonly string[]): boolean {
  const n = escape(name);
  const write = new RegExp(String.raw`(?<![\w$.])${n}\s*(?:\[[^\]]*\]|\.[A-Za-z_$][\w$]*)\s*(?:=(?!=)|\+=|\|=)|(?<![\w$.])${n}\.(?:update|setdefault|set|pop|clear|__setitem__)\(|Object\.assign\(\s*${n}\b|(?<![\w$.])${n}\s*\|=`);
  return lines.some((line) => write.test(line));
}

/**
 * Where the table `name` is defined with literal keys and values, never written to: at the top level
 * of the file, in the function itself (`scope`), or in a module of the repository the file imports it
 * from (`from .sorts import SORTS`, `import { ORDER_BY } from './sorts'`). Returns its first line.
 */
export function tableSource(name: string, module: readonly string[], scope: readonly NumberedLine[], reader?: ModuleReader): string | undefined {
  // A table the function defines itself hides one of the module's; only its own writes count.
  const lines = scope.map((l) => l.text);
  const local = literalTable(lines, name, true);
  // Bound once in the function (no `T = request.json` in another branch) and never written to.
  const bindings = lines.filter((l) => new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${escape(name)}\s*(?::[^=]+)?=(?!=)`).test(l)).length;
  if (local) return bindings !== 1 || mutated(name, lines) ? undefined : local;
  const top = literalTable(module, name);
  if (top) return mutated(name, module) ? undefined : top;
  const imported = reader?.constant(name);
  if (!imported || mutated(imported.name, imported.lines)) return undefined;
  const there = literalTable(imported.lines, imported.name);
  return there ? `${there} (imported)` : undefined;
}

/** `T["date"]`, `T.date`, `T.get("date")`: one of the table's own entries, named by a literal. */
const entryOf = (table: string, text: string): boolean =>
  new RegExp(String.raw`^${escape(table)}(?:\[\s*${str}\s*\]|\.[A-Za-z_$][\w$]*|\.get\(\s*${str}\s*\))$`).test(text.trim());

/**
 * A read of a table of literals: `T[key]`, `T.get(key)`, `T.get(key, "date")`,
 * `T.get(key, T["date"])`, `T[key] || T.date`, `T[key] ?? "x"`, `T.get(k) or T["a"]` — the fallback a
 * literal or an entry of the same table. Returns the table's name and where it is defined.
 */
export function tableRead(value: string, module: readonly string[], scope: readonly NumberedLine[], reader?: ModuleReader): { table: string; source: string } | undefined {
  let text = value.trim().replace(/;$/, '');
  const fallback = /^([\s\S]+?)\s*(?:\|\||\?\?|\bor\b)\s*([^|?]+)$/.exec(text);
  if (fallback && balanced(fallback[1] ?? '')) {
    const table = /^([A-Za-z_$][\w$]*)/.exec(fallback[1] ?? '')?.[1] ?? '';
    if (!isLiteral(fallback[2] ?? '') && !entryOf(table, fallback[2] ?? '')) return undefined;
    text = (fallback[1] ?? '').trim();
  }
  const read = /^([A-Za-z_$][\w$]*)\s*(?:\[([\s\S]+)\]|\.get\(([\s\S]+)\))$/.exec(text);
  if (!read) return undefined;
  const table = read[1] ?? '';
  if (read[3] !== undefined) {
    // `.get(key)` or `.get(key, default)`: the default a literal or the table's own entry.
    const args = topLevelArguments(read[3]);
    if (args.length > 2 || (args.length === 2 && !isLiteral(args[1] ?? '') && !entryOf(table, args[1] ?? ''))) return undefined;
  } else if (!balanced(read[2] ?? '')) return undefined;
  const source = tableSource(table, module, scope, reader);
  return source ? { table, source } : undefined;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text.replace(/"[^"\n]*"|'[^'\n]*'/g, '""')) {
    if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch) && (depth -= 1) < 0) return false;
  }
  return depth === 0;
}

/** An element that is placeholder text and arithmetic on the numeric names only (`f"${i + 1}"`, `` `$${i + 1}` ``, `"?"`). */
function numericElement(element: string, numbers: readonly string[]): boolean {
  const interpolations = (body: string, pattern: RegExp): string => {
    const inner = [...body.matchAll(pattern)].map((m) => `(${m[1] ?? ''})`);
    return inner.length > 0 ? ` ${inner.join(' + ')} ` : ' 0 ';
  };
  let text = element
    .replace(/`((?:[^`\\]|\\.)*)`/g, (_all, body: string) => interpolations(body, /\$\{([^}]*)\}/g))
    .replace(/\b[fF]("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/g, (_all, body: string) => interpolations(body, /\{([^}:!]*)(?:[:!][^}]*)?\}/g))
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, ' 0 ')
    .replace(/(?<![\w$.])(?:str|String|int|Number)\s*\(/g, '(');
  for (const name of numbers) text = text.replace(new RegExp(String.raw`(?<![\w$.])${escape(name)}(?![\w$])`, 'g'), ' 0 ');
  return /^[\s\d+\-*()]*$/.test(text);
}

/**
 * A list of SQL placeholders built from a count: `", ".join(f"${i + 1}" for i in range(len(ids)))`,
 * `",".join("?" * len(ids))`, `", ".join(["%s"] * len(ids))`, `ids.map((_, i) => `$${i + 1}`).join(", ")`,
 * `ids.map(() => "?").join(",")`, `Array(n).fill("?").join(",")`. Only placeholder text and numbers.
 */
export function placeholderList(value: string): boolean {
  const text = value.trim().replace(/;$/, '');
  const repeated = new RegExp(String.raw`^${str}\.join\(\s*(?:\[\s*${str}\s*\]|${str})\s*\*\s*[^()]*(?:\([^()]*(?:\([^()]*\)[^()]*)*\)[^()]*)*\)$`);
  if (repeated.test(text)) return true;
  const generator = new RegExp(String.raw`^${str}\.join\(\s*\[?\s*([\s\S]+?)\s+for\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+([\s\S]+?)\s*\]?\s*\)$`).exec(text);
  if (generator) {
    const vars = (generator[2] ?? '').split(',').map((v) => v.trim());
    const iterable = (generator[3] ?? '').trim();
    const numbers = /^range\(/.test(iterable) ? vars.slice(0, 1) : /^enumerate\(/.test(iterable) ? vars.slice(0, 1) : [];
    return numericElement(generator[1] ?? '', numbers);
  }
  const mapped = new RegExp(String.raw`^(?:[A-Za-z_$][\w$.]*|Array\.from\(\s*\{\s*length\s*:[^{}]*\}\s*)(?:\.map\(|,)\s*\(?\s*([A-Za-z_$][\w$]*)?\s*(?:,\s*([A-Za-z_$][\w$]*)\s*)?\)?\s*=>\s*([\s\S]+?)\s*\)\s*\.join\(\s*(?:${str})?\s*\)$`).exec(text);
  if (mapped) return numericElement(mapped[3] ?? '', mapped[2] ? [mapped[2]] : []);
  return new RegExp(String.raw`^(?:new\s+)?Array\([^()]*(?:\([^()]*\)[^()]*)*\)\.fill\(\s*${str}\s*\)\.join\(\s*(?:${str})?\s*\)$`).test(text);
}

/** Placeholder lists written inside a larger expression (an f-string's `{", ".join(…)}`): each replaced by ` 0 `. */
export function inlinePlaceholderLists(text: string): { rest: string; found: string[] } {
  const found: string[] = [];
  const starts = new RegExp(String.raw`${str}\.join\(|(?<![\w$.])(?:[A-Za-z_$][\w$.]*\.map\(|Array\.from\(|(?:new\s+)?Array\()`, 'g');
  let rest = text;
  for (let m = starts.exec(rest); m; m = starts.exec(rest)) {
    // The longest candidate from here that closes as a placeholder list.
    let matched: string | undefined;
    for (let end = rest.length; end > m.index; end -= 1) {
      if (rest[end - 1] !== ')') continue;
      const candidate = rest.slice(m.index, end);
      if (placeholderList(candidate)) {
        matched = candidate;
        break;
      }
    }
    if (!matched) continue;
    found.push(matched);
    rest = `${rest.slice(0, m.index)} 0 ${rest.slice(m.index + matched.length)}`;
    starts.lastIndex = m.index + 3;
  }
  return { rest, found };
}
