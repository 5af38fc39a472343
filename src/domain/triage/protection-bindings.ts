/**
 * Readers the global-protection table shares: code with its comments blanked (a commented-out
 * `app.use(csrf())` registers nothing), the statement starting at a line (brackets balanced), and
 * which package each local name of a JavaScript file comes from.
 */

/** The text with JavaScript (`//`, `/* … *\/`) or Python (`#`) comments blanked, lines kept in place. */
export function withoutComments(text: string, python: boolean): string {
  if (python) return text.split('\n').map((line) => (/^\s*#/.test(line) ? '' : line.replace(/\s+#(?![^"']*["'][^"']*$).*$/, ''))).join('\n');
  const blocked = text.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '));
  return blocked.split('\n').map((line) => (/^\s*\/\//.test(line) ? '' : line.replace(/\s\/\/(?![^'"`]*['"`][^'"`]*$).*$/, ''))).join('\n');
}

/** The statement starting on line `index` of `lines`, up to where its brackets balance (at most 30 lines). */
export function statementAt(lines: readonly string[], index: number): string {
  let depth = 0;
  const taken: string[] = [];
  for (let i = index; i < Math.min(lines.length, index + 30); i++) {
    const line = lines[i] ?? '';
    taken.push(line);
    for (const c of line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')) {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
    }
    if (depth <= 0) break;
  }
  return taken.join('\n');
}

/**
 * A local name of a JavaScript file and the package it comes from, directly or through a call or
 * `new` of one; `imported` is the name the package exports it under (`default` for a default import).
 */
export interface Binding { pkg: string; line: number; statement: string; imported: string }

/**
 * `const x = require('pkg')`, `import x from 'pkg'`, `import * as x`, `import { a as b }`,
 * `const { a } = require('pkg')`, then (twice, for chains) names assigned from a call, `new` or
 * member call of a bound name: `const limiter = rateLimit({…})`, `const { csrfSynchronisedProtection } = csrfSync()`.
 */
export function jsBindings(lines: readonly string[]): Map<string, Binding> {
  const bound = new Map<string, Binding>();
  const bind = (names: string, pkg: string, line: number, statement: string): void => {
    const named = names.trim().startsWith('{');
    for (const part of names.replace(/[{}]/g, '').split(',')) {
      const sides = part.trim().split(/\s+as\s+|\s*:\s*/);
      const name = sides.pop()?.trim();
      if (name && /^[\w$]+$/.test(name) && !bound.has(name)) bound.set(name, { pkg, line, statement, imported: named ? (sides[0]?.trim() || name) : 'default' });
    }
  };
  lines.forEach((line, i) => {
    const required = /(?:const|let|var)\s+(\{[^}]*\}|[\w$]+)\s*=\s*(?:await\s+)?(?:require|import)\(\s*["']([^"']+)["']\s*\)/.exec(line);
    if (required) bind(required[1] ?? '', required[2] ?? '', i + 1, line);
    const imported = /^\s*import\s+(.+?)\s+from\s+["']([^"']+)["']/.exec(line);
    if (imported) bind((imported[1] ?? '').replace(/\*\s+as\s+/, ''), imported[2] ?? '', i + 1, line);
  });
  for (let round = 0; round < 2; round++) {
    lines.forEach((line, i) => {
      const made = /(?:const|let|var)\s+(\{[^}]*\}|[\w$]+)\s*=\s*(?:await\s+)?(?:new\s+)?([\w$]+)(?:\.[\w$]+)?\s*\(/.exec(line);
      const from = made ? bound.get(made[2] ?? '') : undefined;
      if (made && from) bind(made[1] ?? '', from.pkg, i + 1, statementAt(lines, i));
    });
  }
  return bound;
}

/** What an application module exports, made from a package: `(module specifier, exported name)` → the package and the statement. */
export type ExportResolver = (specifier: string, name: string) => { pkg: string; statement: string } | undefined;

/**
 * The package an expression's head comes from: a bound name, or an inline `require('pkg')`; through
 * `resolve`, a name imported from one of the application's own modules that exports a value made
 * from a package (`const { apiLimiter } = require('./middleware/limits')`, `limits.api`).
 */
export function headPackage(expression: string, bound: ReadonlyMap<string, Binding>, resolve?: ExportResolver): { pkg: string; statement?: string } | undefined {
  const inline = /^\s*(?:new\s+)?(?:require|import)\(\s*["']([^"']+)["']\s*\)/.exec(expression);
  if (inline) return { pkg: inline[1] ?? '' };
  const head = /^\s*(?:new\s+)?([\w$]+)(?:\.([\w$]+))?/.exec(expression);
  const binding = head ? bound.get(head[1] ?? '') : undefined;
  if (!binding) return undefined;
  if (!binding.pkg.startsWith('.')) return { pkg: binding.pkg, statement: binding.statement };
  const name = binding.imported === 'default' && head?.[2] ? head[2] : binding.imported;
  return resolve?.(binding.pkg, name) ?? (name !== binding.imported ? undefined : resolve?.(binding.pkg, 'default'));
}

/**
 * The values each JavaScript module exports that are made from a package (`module.exports = rateLimit({…})`,
 * `exports.apiLimiter = limiter`, `module.exports = { apiLimiter }`, `export const apiLimiter = rateLimit(…)`,
 * `export default limiter`), by exported name, for `headPackage` to follow one import.
 */
export function packageExports(lines: readonly string[]): Map<string, { pkg: string; statement: string }> {
  const bound = jsBindings(lines);
  const exported = new Map<string, { pkg: string; statement: string }>();
  const set = (name: string, value: string, line: number): void => {
    const from = headPackage(value, bound);
    if (from && !from.pkg.startsWith('.') && !exported.has(name)) exported.set(name, { pkg: from.pkg, statement: from.statement ?? statementAt(lines, line) });
  };
  lines.forEach((line, i) => {
    const whole = /^\s*(?:module\.exports|export\s+default)\s*=?\s*(.+)$/.exec(line);
    if (whole && !/^\{/.test(whole[1]?.trim() ?? '')) set('default', whole[1] ?? '', i);
    const object = /^\s*module\.exports\s*=\s*\{/.test(line) ? statementAt(lines, i) : /^\s*export\s*\{([^}]*)\}/.exec(line)?.[0];
    for (const part of (object ?? '').replace(/^[^{]*\{|\}[^}]*$/g, '').split(',')) {
      const [key, value] = part.split(':').map((x) => x.trim());
      if (key && /^[\w$]+$/.test(key)) set(key, value ?? key, i);
    }
    const member = /^\s*(?:module\.)?exports\.([\w$]+)\s*=\s*(.+)$/.exec(line);
    if (member) set(member[1] ?? '', member[2] ?? '', i);
    const declared = /^\s*export\s+(?:const|let|var)\s+([\w$]+)\s*=\s*(.+)$/.exec(line);
    if (declared) set(declared[1] ?? '', declared[2] ?? '', i);
  });
  return exported;
}

/**
 * Whether line `index` runs only under a condition that production may not meet: inside an
 * `if`/`else`/`elif` block (found by indentation) whose condition does not say production
 * (`=== 'production'`) or only leaves tests out (`!== 'test'`, `not app.testing`). A registration
 * under `if (process.env.NODE_ENV === 'development')` protects nothing in production.
 */
export function conditional(lines: readonly string[], index: number): boolean {
  let indent = (lines[index] ?? '').search(/\S/);
  for (let i = index - 1; i >= 0 && indent > 0; i--) {
    const line = lines[i] ?? '';
    const own = line.search(/\S/);
    if (own < 0 || own >= indent) continue;
    indent = own;
    if (!/^\s*(?:\}\s*)?(?:if\b|else\b|elif\b)/.test(line)) continue;
    const holds = /={2,3}\s*["']production["']|["']production["']\s*={2,3}|!==?\s*["']test["']|not\s+\w+\.testing\b|!\s*\w+\.testing\b/.test(line);
    if (!holds || /^\s*(?:\}\s*)?else\b/.test(line)) return true;
  }
  return false;
}
