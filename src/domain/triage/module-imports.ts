import { indentOf } from './code-view';
import { isLiteral } from './expressions';
import { functionSummaries, type FunctionSummary } from './function-summaries';
import { escape } from './guards';
import { dirOf, joinPath } from './repo-paths';

/**
 * What a file imports from the repository's own modules (`from .. import settings`,
 * `from .validators import check_ref`, `const config = require('../config')`,
 * `import { escapeHtml } from './html'`), resolved to repository paths, and what those modules
 * define: functions judged by their body (`function-summaries.ts`) and settings the deployment
 * fixes (`EXPORT_DIR = os.environ.get("EXPORT_DIR", "/var/lib/…")`, `uploadsDir: process.env.UPLOADS_DIR || '…'`).
 * The modules' text comes from the files the scan job read (`RepositoryFacts.modules`): the files
 * with findings, the manifests, and at most `MAX_IMPORTED_FILES` modules those files import.
 */
export interface Imported {
  path: string;
  /** The imported member (`from .settings import EXPORT_DIR`), or none when the module itself is bound. */
  member?: string;
}

/** At most this many modules imported by the files triage read are read besides them (scan job and evaluation alike). */
export const MAX_IMPORTED_FILES = 20;

const codeFile = /\.(?:py|js|mjs|cjs|ts|mts|cts|jsx|tsx)$/;

function pythonModule(base: string, dotted: string, exists: (path: string) => boolean): string | undefined {
  const stem = joinPath(base, dotted.replace(/\./g, '/'));
  return [`${stem}.py`, `${stem}/__init__.py`].find(exists);
}

function scriptModule(from: string, spec: string, exists: (path: string) => boolean): string | undefined {
  const stem = joinPath(dirOf(from), spec);
  // TypeScript compiled to ES modules imports `./config.js` for the source `./config.ts`.
  const source = /\.(?:m|c)?js$/.test(stem) ? [stem.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts'), stem.replace(/\.js$/, '.tsx')] : [];
  return [stem, ...source, ...['.js', '.ts', '.mjs', '.cjs', '.jsx', '.tsx', '/index.js', '/index.ts'].map((ext) => `${stem}${ext}`)].find((p) => codeFile.test(p) && exists(p));
}

const names = (list: string): { name: string; local: string }[] =>
  list.replace(/[(){}]/g, '').split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const [name = '', local] = item.split(/\s+as\s+|\s*:\s*/);
    return { name: name.trim(), local: (local ?? name).trim() };
  }).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n.name) && /^[A-Za-z_$][\w$]*$/.test(n.local));

/** The names a file binds to the repository's own modules or their members. */
export function importsOf(lines: readonly string[], from: string, exists: (path: string) => boolean): Map<string, Imported> {
  const bound = new Map<string, Imported>();
  const ancestors = (): string[] => {
    const parts = dirOf(from).split('/').filter(Boolean);
    return parts.map((_, i) => parts.slice(0, parts.length - i).join('/')).concat('');
  };
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^\s*from\s+(\.+)([\w.]*)\s+import\s+(.+?)\s*(?:#.*)?$/.exec(line))) {
      let base = dirOf(from);
      for (let up = 1; up < (m[1] ?? '.').length; up += 1) base = dirOf(base);
      for (const { name, local } of names(m[3] ?? '')) {
        const asModule = m[2] ? undefined : pythonModule(base, name, exists);
        const module = m[2] ? pythonModule(base, m[2], exists) : undefined;
        if (asModule) bound.set(local, { path: asModule });
        else if (module) bound.set(local, { path: module, member: name });
      }
    } else if ((m = /^\s*from\s+([A-Za-z_][\w.]*)\s+import\s+(.+?)\s*(?:#.*)?$/.exec(line))) {
      // An absolute import of the repository's own package, found beside one of the file's folders.
      const dotted = m[1] ?? '';
      for (const { name, local } of names(m[2] ?? '')) {
        for (const dir of ancestors()) {
          const asModule = pythonModule(dir, `${dotted}.${name}`, exists);
          const module = asModule ? undefined : pythonModule(dir, dotted, exists);
          if (asModule) bound.set(local, { path: asModule });
          else if (module) bound.set(local, { path: module, member: name });
          if (asModule || module) break;
        }
      }
    } else if ((m = /^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*|\{[^}]*\})\s*=\s*require\(\s*["'](\.{1,2}\/[^"']*)["']\s*\)\s*;?\s*$/.exec(line))
      ?? (m = /^\s*import\s+(\*\s+as\s+[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*|\{[^}]*\})\s+from\s+["'](\.{1,2}\/[^"']*)["']\s*;?\s*$/.exec(line))) {
      const path = scriptModule(from, m[2] ?? '', exists);
      const what = (m[1] ?? '').replace(/^\*\s+as\s+/, '');
      if (!path) continue;
      if (what.startsWith('{')) for (const { name, local } of names(what)) bound.set(local, { path, member: name });
      else bound.set(what, { path });
    }
  }
  for (const [local, target] of bound) if (!target.path) bound.delete(local);
  return bound;
}

/** The code files read, as lines (`RepositoryFacts.modules`). */
export function codeModules(contents: ReadonlyMap<string, string>): Map<string, readonly string[]> {
  return new Map([...contents].filter(([path]) => codeFile.test(path)).map(([path, text]) => [path, text.split('\n').map((line) => line.replace(/\r$/, ''))]));
}

/** Modules the files already read import from the repository, not read yet: the scan job reads the first `MAX_IMPORTED_FILES`. */
export function importsToRead(files: readonly string[], read: ReadonlyMap<string, string>): string[] {
  const listed = new Set(files);
  const wanted = new Set<string>();
  for (const [path, text] of read) {
    if (!codeFile.test(path)) continue;
    for (const { path: target } of importsOf(text.split('\n'), path, (p) => listed.has(p)).values()) if (!read.has(target)) wanted.add(target);
  }
  return [...wanted];
}

const literal = String.raw`(?:"[^"\n]*"|'[^'\n]*'|\x60[^\x60$\n]*\x60|-?\d[\d_.]*|True|False|None|true|false|null)`;
const environmentRead = String.raw`(?:process\.env(?:\.[A-Za-z_]\w*|\[\s*["'][A-Za-z_]\w*["']\s*\])|(?:os\.)?environ(?:\.get\(\s*["'][A-Za-z_]\w*["']\s*(?:,\s*${literal}\s*)?\)|\[\s*["'][A-Za-z_]\w*["']\s*\])|(?:os\.)?getenv\(\s*["'][A-Za-z_]\w*["']\s*(?:,\s*${literal}\s*)?\))`;
const deploymentValue = new RegExp(String.raw`^(?:(?:Number|parseInt|parseFloat|int|float|Path|String|str|bool)\(\s*)?${environmentRead}(?:\s*(?:\|\||\?\?|\bor\b)\s*${literal})?\s*(?:,\s*\d+\s*)?\)?$`);

/** A module's setting the deployment fixes: every assignment of `member` in the module is a literal or an environment read (or a `required(…)` helper's call). */
export function deploymentSetting(lines: readonly string[], member: string, path: string): { line: number; code: string } | undefined {
  const m = escape(member);
  const definition = new RegExp(String.raw`^\s*(?:(?:export\s+)?(?:const|let|var)\s+${m}\s*(?::[^=]+)?=(?!=)|(?:module\.)?exports\.${m}\s*=(?!=)|${m}\s*(?::\s*[\w.[\]| ]+\s*)?=(?!=)|["']?${m}["']?\s*:)\s*(.+?)\s*[,;]?\s*(?:#.*|\/\/.*)?$`);
  const helpers = functionSummaries(lines, path);
  // `const env = schema.parse(process.env)` (zod, envalid's `cleanEnv`): its members are environment reads.
  const parsedEnv = lines.map((l) => /^(?:export\s+)?(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:[\w$.]+\.parse|cleanEnv)\(\s*process\.env\s*[,)]/.exec(l)?.[1]).filter(Boolean);
  const envMember = parsedEnv.length === 1 ? new RegExp(String.raw`^${escape(parsedEnv[0] ?? '')}\.[A-Za-z_]\w*$`) : undefined;
  let first: { line: number; code: string } | undefined;
  for (const [i, text] of lines.entries()) {
    const d = definition.exec(text);
    if (!d) continue;
    const value = (d[1] ?? '').trim();
    const required = /^([A-Za-z_$][\w$]*)\(\s*(["'])[A-Za-z_]\w*\2\s*,\s*([^()]*)\)$/.exec(value);
    const fromHelper = required && helpers(required[1] ?? '')?.requiredEnv && isLiteral(required[3] ?? '');
    if (!isLiteral(value) && !deploymentValue.test(value) && !fromHelper && !envMember?.test(value)) return undefined;
    // Python settings: only module-level code (an `if` at the top level may reset it).
    if (/\.py$/.test(path) && indentOf(text) > 0 && !/^\s*if\b/.test(lines.slice(0, i).reverse().find((l) => l.trim() && indentOf(l) < indentOf(text)) ?? '')) return undefined;
    first ??= { line: i + 1, code: text.trim() };
  }
  return first;
}

/** The name of the function a module exports by default (`export default function esc(`, `module.exports = esc`). */
function defaultExport(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^export\s+default\s+(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/.exec(line) ?? /^(?:module\.exports|export\s+default)\s*=?\s*([A-Za-z_$][\w$]*)\s*;?\s*$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** Functions and settings the file can call or read by a local name: its own, or those of the repository modules it imports. */
export interface ModuleReader {
  helper: (callee: string) => FunctionSummary | undefined;
  /** The module a name (`REF`, `patterns.REF`) is imported from, and its name there. */
  constant: (expression: string) => { lines: readonly string[]; name: string } | undefined;
  setting: (expression: string) => { line: number; code: string; path: string } | undefined;
}

const cache = new WeakMap<readonly string[], (name: string) => FunctionSummary | undefined>();
function summariesOf(lines: readonly string[], path: string): (name: string) => FunctionSummary | undefined {
  let found = cache.get(lines);
  if (!found) cache.set(lines, (found = functionSummaries(lines, path)));
  return found;
}

/**
 * A reader for one file: `lines` as triage sees them (a window starting at `firstLine`), and the
 * repository's modules read by the scan (`path` → lines), the file itself among them when read whole.
 */
export function moduleReader(path: string, lines: readonly string[], firstLine: number, modules: ReadonlyMap<string, readonly string[]> = new Map()): ModuleReader {
  const whole = modules.get(path);
  const imports = importsOf(whole ?? lines, path, (p) => modules.has(p));
  const own = whole ? summariesOf(whole, path) : functionSummaries(lines, path, firstLine);
  const imported = (local: string, member?: string): FunctionSummary | undefined => {
    const target = imports.get(local);
    const text = target ? modules.get(target.path) : undefined;
    const name = target?.member ?? member ?? (text ? defaultExport(text) : undefined);
    return text && name && (target?.member === undefined || member === undefined) ? summariesOf(text, target?.path ?? '')(name) : undefined;
  };
  return {
    helper: (callee) => {
      const [root = '', member, extra] = callee.split('.');
      if (extra !== undefined) return undefined;
      // `self._safe_name(x)`, `this.sanitize(x)`: a method of the class, defined in the file.
      if (member !== undefined && (root === 'self' || root === 'this')) return own(member);
      return member === undefined ? own(root) ?? imported(root) : imported(root, member);
    },
    constant: (expression) => {
      const [root = '', member, extra] = expression.split('.');
      const target = imports.get(root);
      const lines = target ? modules.get(target.path) : undefined;
      const name = target?.member ?? member;
      return lines && name && extra === undefined && (target?.member === undefined || member === undefined) ? { lines, name: name.replace(/^export\s+/, '') } : undefined;
    },
    setting: (expression) => {
      const [root = '', member, extra] = expression.split('.');
      const target = imports.get(root);
      if (!target || extra !== undefined) return undefined;
      const text = modules.get(target.path);
      // `import { config } from './config'` then `config.uploadDir`: a key of the object the module exports under that name.
      // `export const config = schema.parse(process.env)` then `config.PHOTO_DIR`: a member of the parsed environment.
      const parsed = target.member !== undefined && member !== undefined && /^[A-Za-z_]\w*$/.test(member)
        ? text?.findIndex((l) => new RegExp(String.raw`^(?:export\s+)?(?:const|let)\s+${escape(target.member ?? '')}\s*=\s*(?:[\w$.]+\.parse|cleanEnv)\(\s*process\.env\s*[,)]`).test(l)) ?? -1
        : -1;
      if (parsed >= 0 && text) return { line: parsed + 1, code: (text[parsed] ?? '').trim(), path: target.path };
      const object = target.member !== undefined && member !== undefined && text?.some((l) => new RegExp(String.raw`^(?:export\s+)?(?:const|let|var)\s+${escape(target.member ?? '')}\s*(?::[^=]+)?=\s*\{\s*$`).test(l));
      const name = object ? member : target.member ?? member;
      if (!name || (target.member !== undefined && member !== undefined && !object)) return undefined;
      const found = text ? deploymentSetting(text, name, target.path) : undefined;
      return found ? { ...found, path: target.path } : undefined;
    },
  };
}
