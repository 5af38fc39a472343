/**
 * The subcommands a CLI file declares and the lines each one's code spans, read from the whole file
 * (line by line, never a parser): Click/Typer `@group.command("name")` decorators over a top-level
 * `def` (the name defaults to the function's, `_` read as `-`), argparse `add_parser("name")` with
 * `set_defaults(func=handler)`, and commander `.command('name')` with its `.action(…)` — an inline
 * function or a top-level function of the file named there. What cannot be read is left out.
 */
export interface CliCommand {
  name: string;
  /** 1-based lines of the code that runs for the subcommand. */
  from: number;
  to: number;
  /** The line that declares it. */
  at: number;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const dashed = (name: string): string => name.replace(/_/g, '-');

/** The lines of a top-level Python `def` (its header to the line before the next top-level statement). */
function pythonDef(lines: readonly string[], name: string): { from: number; to: number } | undefined {
  const start = lines.findIndex((l) => new RegExp(String.raw`^(async\s+)?def\s+${name}\s*\(`).test(l));
  if (start < 0) return undefined;
  let end = start;
  for (let i = start + 1; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (indentOf(line) === 0 && !/^[)\]]/.test(line)) break;
    end = i;
  }
  return { from: start + 1, to: end + 1 };
}

/** Code with string literals and comments blanked, so brackets can be counted. */
const bare = (line: string): string => line.replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '""').replace(/\/\/.*$|#.*$/, '');

/** From the bracket opened at `line`:`column` to the line that closes it. */
function closing(lines: readonly string[], line: number, column: number): number | undefined {
  let depth = 0;
  for (let i = line; i < lines.length && i < line + 400; i += 1) {
    const text = bare(i === line ? (lines[i] ?? '').slice(column) : (lines[i] ?? ''));
    for (const ch of text) {
      if ('({['.includes(ch)) depth += 1;
      if (')}]'.includes(ch)) depth -= 1;
      if (depth === 0) return i;
    }
  }
  return undefined;
}

function python(lines: readonly string[]): CliCommand[] {
  const out: CliCommand[] = [];
  lines.forEach((line, i) => {
    const m = /^@\w+\.command\(\s*(?:["']([\w-]+)["']|name\s*=\s*["']([\w-]+)["'])?/.exec(line);
    if (!m) return;
    let j = i + 1;
    while (j < lines.length && !/^(async\s+)?def\s/.test(lines[j] ?? '') && (/^@|^\s|^\)/.test(lines[j] ?? '') || (lines[j] ?? '').trim() === '')) j += 1;
    const fn = /^(?:async\s+)?def\s+(\w+)/.exec(lines[j] ?? '')?.[1];
    const span = fn ? pythonDef(lines, fn) : undefined;
    if (fn && span) out.push({ name: dashed(m[1] ?? m[2] ?? fn), ...span, at: i + 1 });
  });
  // argparse: `p = sub.add_parser("name")` … `p.set_defaults(func=handler)`, or chained on one line.
  const parsers = new Map<string, { name: string; at: number }>();
  lines.forEach((line, i) => {
    const added = /^\s*(\w+)\s*=\s*\w+\.add_parser\(\s*["']([\w-]+)["']/.exec(line);
    if (added) parsers.set(added[1] ?? '', { name: added[2] ?? '', at: i + 1 });
    const set = /^\s*(\w+)\.set_defaults\(\s*(?:func|handler|command)\s*=\s*(\w+)/.exec(line);
    const chained = /\.add_parser\(\s*["']([\w-]+)["'][^)]*\)\.set_defaults\(\s*(?:func|handler|command)\s*=\s*(\w+)/.exec(line);
    const parser = set ? parsers.get(set[1] ?? '') : chained ? { name: chained[1] ?? '', at: i + 1 } : undefined;
    const fn = set?.[2] ?? chained?.[2];
    const span = fn ? pythonDef(lines, fn) : undefined;
    if (parser && span) out.push({ name: parser.name, ...span, at: parser.at });
  });
  return out;
}

function commander(lines: readonly string[]): CliCommand[] {
  const out: CliCommand[] = [];
  lines.forEach((line, i) => {
    const m = /\.command\(\s*["'`]([\w-]+)/.exec(line);
    if (!m) return;
    for (let j = i; j < Math.min(lines.length, i + 8); j += 1) {
      if (j > i && /\.command\(/.test(lines[j] ?? '')) break;
      const action = /\.action\(\s*/.exec(lines[j] ?? '');
      if (!action) continue;
      const named = /^(\w+)\s*\)/.exec((lines[j] ?? '').slice(action.index + action[0].length));
      if (named) {
        const start = lines.findIndex((l) => new RegExp(String.raw`^(?:export\s+)?(?:async\s+)?function\s+${named[1]}\s*\(|^(?:const|let)\s+${named[1]}\s*=`).test(l));
        const brace = start >= 0 ? (lines[start] ?? '').indexOf('{') : -1;
        const end = brace >= 0 ? closing(lines, start, brace) : undefined;
        if (end !== undefined) out.push({ name: m[1] ?? '', from: start + 1, to: end + 1, at: i + 1 });
      } else {
        const end = closing(lines, j, (lines[j] ?? '').indexOf('(', action.index));
        if (end !== undefined) out.push({ name: m[1] ?? '', from: j + 1, to: end + 1, at: i + 1 });
      }
      break;
    }
  });
  return out;
}

/** The subcommands `text` declares, with the lines of their code. */
export function cliCommands(path: string, text: string): CliCommand[] {
  const lines = text.split('\n');
  return /\.py$/.test(path) ? python(lines) : /\.(js|mjs|cjs|ts)$/.test(path) ? commander(lines) : [];
}
