import { indentOf } from '../code-view';
import { credentialRule, type DecisiveAnalyzer } from './types';

/**
 * Demo or seed data behind a command-line flag production never passes: code inside
 * `if args.with_demo_data:` (or a function whose every call in the file is inside such a block) of a
 * script whose argparse option is a plain switch (`add_argument("--with-demo-data",
 * action="store_true")`), when production's entry points run the script (`entry-points.ts`: a
 * Dockerfile, its entrypoint script, a console script) and none of them passes the flag. Only a
 * flag whose name says demo, sample, seed, fake or fixture data counts. Conservative: credentials
 * stay (a committed secret leaks whether or not it runs); nothing is decided when no production
 * entry point of the script is read, when an entry point starts a script that was not read, when
 * any passes the flag, or when another module read names the function.
 */
const dataFlag = /^(?:with_|load_|add_|include_)?(?:\w+_)?(demo|sample|seed|fake|fixtures?)(?:_\w+)?$/;

/** The flag of an `if args.flag:` line (`args`, `options`, `opts`, `ns`), when it is one. */
const flagOf = (line: string): string | undefined => /^\s*if\s+(?:args|options|opts|ns|parsed)\.(\w+)\s*:\s*$/.exec(line)?.[1];

/** The innermost enclosing line matching `test` (by indentation), or the enclosing top-level `def` name. */
function enclosing(lines: readonly string[], index: number): { flag?: string; def?: string } {
  let indent = indentOf(lines[index] ?? '');
  for (let i = index - 1; i >= 0 && indent > 0; i -= 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    indent = indentOf(line);
    const flag = flagOf(line);
    if (flag) return { flag };
    const def = /^(?:async\s+)?def\s+(\w+)\s*\(/.exec(line);
    if (def && indentOf(line) === 0) return { def: def[1] ?? '' };
  }
  return {};
}

export const demoFlag: DecisiveAnalyzer = ({ finding, where, repository, view }) => {
  if (!finding.location || !repository?.entryPoints || !view || !/\.py$/.test(finding.location.path) || credentialRule(finding)) return undefined;
  const path = finding.location.path;
  const lines = repository.modules?.get(path) ?? view.lines;
  const index = repository.modules?.has(path) ? view.startLine + view.flagged - 1 : view.flagged;
  if (!(lines[index] ?? '').trim()) return undefined;
  const around = enclosing(lines, index);
  let flag = around.flag;
  let through = '';
  if (!flag && around.def) {
    const name = around.def;
    const calls = lines.map((l, i) => (new RegExp(String.raw`(?<![\w.])${name}\(`).test(l) && !/^\s*(?:async\s+)?def\s/.test(l) ? i : -1)).filter((i) => i >= 0);
    const flags = calls.map((i) => enclosing(lines, i).flag);
    if (calls.length === 0 || flags.some((f) => f === undefined || f !== flags[0])) return undefined;
    for (const [other, text] of repository.modules ?? []) if (other !== path && new RegExp(String.raw`\b${name}\b`).test(text.join('\n'))) return undefined;
    flag = flags[0];
    through = ` (\`${name}\` is called only there)`;
  }
  if (!flag || !dataFlag.test(flag)) return undefined;
  const option = `--${flag.replace(/_/g, '-')}`;
  const declared = lines.findIndex((l) => new RegExp(String.raw`add_argument\(\s*["']${option}["'][^)]*action\s*=\s*["']store_true["']`).test(l));
  if (declared < 0) return undefined;
  const { points, opaque } = repository.entryPoints;
  const runs = points.filter((p) => p.runs.some((r) => r.file === path));
  if (runs.length === 0 || opaque.length > 0 || runs.some((p) => p.command.includes(option) || p.command.includes(flag))) return undefined;
  const named = runs.map((p) => `${p.at}: \`${p.command.slice(0, 80)}\``).join('; ');
  return {
    verdict: 'wont_fix',
    category: 'non_production',
    base: 80,
    factor: { id: 'demo-flag', weight: 0, detail: `The flagged code runs only under \`if args.${flag}:\`${through}, the \`${option}\` switch (line ${declared + 1}); production runs the script without it (${named}).` },
    justification: `${where} loads demo data only when \`${option}\` is passed${through}; production runs the script without that flag (${named}), so this code never runs there.`,
  };
};
