import { indentOf, type NumberedLine } from './code-view';
import { isLiteral, topLevelArguments } from './expressions';
import { ownFolderPath } from './fixed-values';
import { escape } from './guards';
import { unknownCalls } from './flow-readers';

/**
 * Names and paths the server makes, read by value-flow.ts: what a loop binds (the index of
 * `arr.entries()` or `enumerate(…)` is a number; an entry of a directory listing — `readdir`,
 * `os.listdir`, `os.scandir`, `iterdir` — of a folder value-flow accounts for is a name the file
 * system gives; an element of an array literal is one of its elements), and multer's own temp file
 * (`file.path` of `req.files`, `req.file.path`) when multer names the file itself (`dest`, no custom
 * `storage`). The client's `originalname` never counts.
 */

export type LoopSource =
  | { kind: 'index'; line: number; code: string }
  | { kind: 'listing'; folder: string; line: number; code: string }
  | { kind: 'elements'; elements: string[]; line: number; code: string };

const listing = /^(?:await\s+)?(?:(?:fs|fsp|fs\.promises|os)\.)?(?:readdir|readdirSync|listdir|scandir)\(\s*([^,()]+(?:\([^()]*\))?[^,()]*)\s*(?:,[^()]*(?:\{[^{}]*\})?[^()]*)?\)$/;

/** What the loop that binds `name` in the function iterates over, if a loop binds it. */
export function loopSource(name: string, scope: readonly NumberedLine[]): LoopSource | undefined {
  const n = escape(name);
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const { line, text } = scope[i] ?? { line: 0, text: '' };
    const code = text.trim();
    // `for (const [i, x] of xs.entries())`, `for i, x in enumerate(xs):`: the first is the index.
    if (new RegExp(String.raw`\bfor\s+${n}\s*,\s*\w+\s+in\s+enumerate\(`).test(text)) return { kind: 'index', line, code };
    // A Map's `entries()` yields its keys, not indexes: only an array's counts.
    const entries = new RegExp(String.raw`\bfor\s*\(\s*(?:const|let|var)\s+\[\s*${n}\s*,[^\]]*\]\s+of\s+([\w$.]+)\.entries\(\)\s*\)`).exec(text);
    if (entries) return arrayLike(entries[1] ?? '', scope.slice(0, i)) ? { kind: 'index', line, code } : undefined;
    const js = new RegExp(String.raw`\bfor\s*(?:await\s*)?\(\s*(?:const|let|var)\s+${n}\s+of\s+(.+)\)\s*\{?\s*$`).exec(text);
    const py = new RegExp(String.raw`^\s*(?:async\s+)?for\s+${n}\s+in\s+(.+):\s*$`).exec(text);
    const iterable = (js?.[1] ?? py?.[1])?.trim();
    if (iterable === undefined) {
      // Any other binding of the name as a loop variable: not ours to read.
      if (new RegExp(String.raw`\bfor\b[^\n]*(?<![\w$.])${n}(?![\w$])[^\n]*\b(?:of|in)\b`).test(text)) return undefined;
      continue;
    }
    const array = /^[[(]([\s\S]*)[\])]$/.exec(iterable);
    if (array) return { kind: 'elements', elements: topLevelArguments(array[1] ?? ''), line, code };
    const dir = listing.exec(iterable) ?? /^(?:Path\(([^()]+)\)|([A-Za-z_][\w.]*))\.iterdir\(\)$/.exec(iterable);
    if (dir) return { kind: 'listing', folder: (dir[1] ?? dir[2] ?? '').trim(), line, code };
    return undefined;
  }
  return undefined;
}

/** `xs` is an array: a literal, a cast or annotation to `T[]`/`Array<T>`, or the result of an array method. */
function arrayLike(name: string, scope: readonly NumberedLine[]): boolean {
  const n = escape(name);
  return scope.some(({ text }) => new RegExp(String.raw`(?:^|[(,\s])${n}\s*\??\s*:\s*(?:[\w$.<>]+\[\]|Array<)`).test(text) ||
    new RegExp(String.raw`^\s*(?:const|let|var)\s+${n}\s*(?::\s*(?:[\w$.<>]+\[\]|Array<[^=]+>)\s*)?=\s*(?:\[|.*\bas\s+[\w$.<>]+\[\]\s*;?\s*$|.*\.(?:map|filter|slice|concat|split|flat|flatMap)\([^;]*\)\s*;?\s*$|Array\.from\()`).test(text));
}

/** multer names its files itself: `multer({ dest: … })` with no `storage` of the application's. */
function multerNames(module: readonly string[]): string | undefined {
  const text = module.join('\n');
  const call = /\bmulter\(\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\)/.exec(text);
  if (!call || !/(?:^|[,{\s])dest\s*:/.test(call[1] ?? '') || /\bstorage\b/.test(call[1] ?? '') || /diskStorage\(/.test(text)) return undefined;
  return call[0].length > 80 ? `${call[0].slice(0, 79)}…` : call[0];
}

/**
 * `req.file.path`, and `file.path` where `file` is an element of `req.files` (a loop over it, or
 * over a name assigned from it): multer's temp file, named by multer. Each replaced by ` 0 `.
 */
export function multerTempPaths(text: string, scope: readonly NumberedLine[], module: readonly string[]): { rest: string; found: { name: string; code: string }[] } {
  const made = multerNames(module);
  if (!made) return { rest: text, found: [] };
  const found: { name: string; code: string }[] = [];
  const fromFiles = (iterable: string): boolean => {
    const root = iterable.replace(/\.entries\(\)$/, '').trim();
    if (/^(?:req|request)\.files$/.test(root)) return true;
    const set = scope.map((l) => new RegExp(String.raw`^\s*(?:const|let|var)\s+${escape(root)}\s*=\s*\(?\s*(?:req|request)\.files\b(?:\s*\?\?\s*\[\s*\])?\s*\)?\s*(?:as\s+[\w.[\]<>]+)?\s*;?\s*$`).exec(l.text)).filter(Boolean);
    return /^[A-Za-z_$][\w$]*$/.test(root) && set.length === 1;
  };
  const rest = text.replace(/(?<![\w$.])((?:req|request)\.file|[A-Za-z_$][\w$]*)\.path(?![\w$(])/g, (all, holder: string) => {
    if (/^(?:req|request)\.file$/.test(holder)) {
      found.push({ name: all, code: made });
      return ' 0 ';
    }
    const loop = scope.map((l) => new RegExp(String.raw`\bfor\s*\(\s*(?:const|let|var)\s+(?:\[\s*[\w$]+\s*,\s*${escape(holder)}\s*\]|${escape(holder)})\s+of\s+([\w$.]+(?:\(\))?)\s*\)`).exec(l.text)).find(Boolean);
    if (!loop || !fromFiles(loop[1] ?? '')) return all;
    found.push({ name: all, code: made });
    return ' 0 ';
  });
  return { rest, found };
}

/**
 * Statements of a script's top level the flagged line can see when no function encloses it (a
 * loop in a cron script): walking up, each line no deeper than the shallowest seen so far — the
 * statements before it in its block, the headers of the blocks around it, the script's own top level.
 */
export function visibleLines(lines: readonly string[], flagged: number, lineOf: (index: number) => number): NumberedLine[] {
  const out: NumberedLine[] = [];
  let depth = (/^\s*/.exec(lines[flagged] ?? '')?.[0] ?? '').length;
  for (let i = flagged - 1; i >= 0; i -= 1) {
    const text = lines[i] ?? '';
    if (!text.trim()) continue;
    const indent = (/^\s*/.exec(text)?.[0] ?? '').length;
    if (indent > depth) continue;
    depth = indent;
    out.unshift({ line: lineOf(i), text });
  }
  return out;
}

/** What value-flow lends this reader: its readers of known values and of variables, and its judgement of a name. */
export interface LoopReaders {
  known: (value: string, before: readonly NumberedLine[]) => { rest: string; reasons: readonly unknown[] };
  parts: (value: string) => { names: string[]; wrappers: string[]; calls: string[] };
  safe: (name: string, before: readonly NumberedLine[]) => boolean;
}

/**
 * Why the loop variable `name` is made by the server: the index of `entries()`/`enumerate` (a
 * number), an element of an array literal whose every element is accounted for, or (for paths) an
 * entry of the listing of a folder accounted for. Undefined otherwise.
 */
export function loopVariable(name: string, scope: readonly NumberedLine[], family: string, module: readonly string[], readers: LoopReaders): { kind: 'number' | 'checked' | 'typed'; line: number; code: string; how: string } | undefined {
  const looped = loopSource(name, scope);
  if (!looped) return undefined;
  if (looped.kind === 'index') return { kind: 'number', line: looped.line, code: looped.code, how: 'the numeric index of the loop' };
  if (looped.kind === 'listing' && family !== 'path') return undefined;
  const before = scope.filter((l) => l.line < looped.line);
  const known = (value: string): boolean => {
    const via = readers.known(value, before);
    if (isLiteral(via.rest.trim()) || (family === 'path' && ownFolderPath(via.rest))) return true;
    const parts = readers.parts(via.rest);
    if (unknownCalls(parts.calls, module).length > 0) return false;
    // Capitalised names are read as constants: each must be one the module assigns a literal, once.
    const capitals = (via.rest.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '').match(/(?<![\w$.])[A-Z][\w$]*(?![\w$])/g) ?? []).filter((c) => !/^(?:Path|String|URL)$/.test(c));
    const literalOnce = (c: string): boolean => module.filter((l) => indentOf(l) === 0 && new RegExp(String.raw`^(?:(?:export\s+)?(?:const|let|var)\s+)?${escape(c)}\s*(?::[^=]+)?=(?!=)\s*(.+?);?\s*$`).test(l) && isLiteral(l.replace(/^[^=]+=\s*/, '').replace(/;\s*$/, ''))).length === 1;
    if (!capitals.every(literalOnce)) return false;
    if (parts.names.length === 0) return via.reasons.length > 0 || parts.wrappers.length > 0 || capitals.length > 0 || /["'`\d]/.test(via.rest);
    return parts.names.every((n) => readers.safe(n, before));
  };
  if (looped.kind === 'elements') {
    return looped.elements.every(known) ? { kind: 'checked', line: looped.line, code: looped.code, how: 'one of the elements of an array written in the code, each accounted for' } : undefined;
  }
  return known(looped.folder) ? { kind: 'typed', line: looped.line, code: looped.code, how: `an entry of the listing of \`${looped.folder}\`, a folder accounted for: a name the file system gives, not the caller` } : undefined;
}
