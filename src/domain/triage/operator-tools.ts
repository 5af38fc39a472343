import { cliCommands, type CliCommand } from './cli-commands';
import { productionEntryPoints, type EntryPoint } from './entry-points';
import { codeFile, projectRoot, withinProject } from './text-readers';
import { dirOf } from './repo-paths';

/**
 * Programs only an operator or a developer starts, found by negative evidence: a file that runs as
 * a program (a `__main__` block, a shebang, argv, argparse/Click/Typer, `require.main === module`)
 * in an application whose production entry points were read (`entry-points.ts`), which none of them
 * runs, no deployment file names (a crontab, a COPY, a script) and no file read imports. And the
 * subcommands production runs of a CLI it does run (`tidewatch sync` from a crontab), so a
 * development subcommand beside them (`dev-server`) can be told apart. Each fact names the entry
 * points read, so the reviewer can check that nothing runs the file.
 */
export interface OperatorTools {
  /** Stand-alone programs nothing in production runs: file → evidence. */
  tools: ReadonlyMap<string, string>;
  /** CLI files production runs only with a named subcommand: file → those subcommands and where. */
  cliRuns: ReadonlyMap<string, { subcommands: readonly string[]; evidence: string; commands: readonly CliCommand[]; scheduled?: readonly string[] }>;
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const testPath = /(^|\/)(tests?|__tests__|spec|specs|e2e|cypress)\/|[._-](test|spec)\.\w+$|(^|\/)test_[\w-]+\.py$/;
const scheduled = /\b(cron|crontab|cronjob|scheduled?|scheduler|nightly|hourly|daily|systemd|timer|celery|in production|on (?:the )?production|production (?:host|server|box|machine))\b/i;
/** A file named as a job production schedules or runs (`nightly_cleanup.py`, `worker.js`). */
const scheduledName = /cron|nightly|hourly|daily|weekly|schedul|job|worker|consumer|daemon|beat|clock|queue/i;
const startsServer = /\bapp\.run\(|\.listen\(|uvicorn\.run\(|serve_forever\(|\bmake_server\(|\bexpress\(\)|\bFastAPI\(|\bFlask\(__name__\)|waitress\.serve\(|web\.run_app\(|\bHapi\.server\(|\bcreateServer\(/;

/** The line that makes the file a program, when it is one. */
function programLine(path: string, text: string): string | undefined {
  const patterns = /\.py$/.test(path)
    ? [/^if\s+__name__\s*==\s*["']__main__["']\s*:/m, /^#!.*python/, /\bsys\.argv\b/, /\bargparse\.ArgumentParser\(/, /^@click\.(command|group)\b/m, /\btyper\.Typer\(/]
    : [/\brequire\.main\s*===?\s*module\b/, /^#!.*node/, /\bprocess\.argv\b/, /\bprogram\s*\.\s*parse\(/];
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    if (m) return `line ${text.slice(0, m.index).split('\n').length}: \`${(text.split('\n')[text.slice(0, m.index).split('\n').length - 1] ?? '').trim().slice(0, 80)}\``;
  }
  return undefined;
}

/** Whether a file read imports `file` by module name or relative path. */
function importers(file: string, contents: ReadonlyMap<string, string>): string[] {
  const stem = escape(nameOf(file).replace(/\.\w+$/, ''));
  const python = new RegExp(String.raw`^\s*(?:from\s+[\w.]*\b${stem}\b|import\s+[\w., ]*\b${stem}\b|from\s+[\w.]+\s+import\s+[^\n]*\b${stem}\b)`, 'm');
  const js = new RegExp(String.raw`(?:require|import)\s*\(\s*["'\`][^"'\`]*\b${stem}(?:\.\w+)?["'\`]|from\s+["'\`][^"'\`]*\b${stem}(?:\.\w+)?["'\`]|^\s*import\s+["'\`][^"'\`]*\b${stem}(?:\.\w+)?["'\`]`, 'm');
  return [...contents].filter(([path, text]) => path !== file && codeFile.test(path) && (python.test(text) || js.test(text))).map(([path]) => path);
}

/** A deployment or manifest file read that names the file (its name, its path's end, its dotted module). */
function namedBy(file: string, contents: ReadonlyMap<string, string>): string | undefined {
  const name = nameOf(file);
  const parent = nameOf(dirOf(file));
  const stem = name.replace(/\.\w+$/, '');
  const names = [name, parent ? `${parent}/${stem}` : stem, parent ? `${parent}.${stem}` : ''].filter(Boolean);
  for (const [path, text] of contents) {
    if (path === file || (codeFile.test(path) && !/(^|\/)(setup|noxfile|gunicorn[\w.-]*|fabfile|tasks)\.py$/.test(path))) continue;
    if (names.some((n) => new RegExp(String.raw`(^|[^\w-])${escape(n)}([^\w-]|$)`).test(text))) return path;
  }
  return undefined;
}

/** Whether a production Dockerfile copies the file by a path other than the whole context. */
function copiedBy(file: string, copies: ReturnType<typeof productionEntryPoints>['copies']): string | undefined {
  for (const copy of copies) {
    for (const source of copy.sources.filter((s) => s !== '' && s !== '.' && !/[*?]/.test(s))) {
      const covers = copy.context !== undefined
        ? [copy.context ? `${copy.context}/${source}` : source].some((s) => file === s || file.startsWith(`${s}/`))
        : file === source || file.endsWith(`/${source}`) || file.startsWith(`${source}/`) || file.includes(`/${source}/`);
      if (covers) return copy.at;
    }
  }
  return undefined;
}

const describe = (points: readonly EntryPoint[]): string =>
  points.slice(0, 3).map((p) => `${p.at} \`${p.command.slice(0, 70)}\``).join('; ') + (points.length > 3 ? `; and ${points.length - 3} more` : '');

/** `deploy/x.yaml:36`: the line is in a crontab, or in a YAML document whose `kind:` is `CronJob`. */
function scheduledAt(at: string, contents: ReadonlyMap<string, string>): boolean {
  const m = /^(.*):(\d+)$/.exec(at);
  if (!m) return false;
  const [, file = '', line = '0'] = m;
  if (/(^|\/)(crontab(\.[\w-]+)?|[\w.-]+\.cron(tab)?)$/.test(file)) return true;
  if (!/\.ya?ml$/.test(file)) return false;
  const lines = (contents.get(file) ?? '').split('\n');
  const index = Number(line) - 1;
  let start = index;
  while (start > 0 && !/^---\s*$/.test(lines[start - 1] ?? '')) start -= 1;
  let end = index;
  while (end < lines.length && !/^---\s*$/.test(lines[end] ?? '')) end += 1;
  return lines.slice(start, end).some((l) => /^kind:\s*CronJob\s*$/.test(l));
}

const programOf = (command: string): string => /[\w.-]+/.exec(command.replace(/^\s*\[?\s*["']?/, ''))?.[0] ?? '';

function onlyScheduled(program: string, sub: string, contents: ReadonlyMap<string, string>): boolean {
  if (!program || !sub) return false;
  const both = new RegExp(String.raw`(?<![\w.-])${escape(program)}(?![\w.-])[\s\S]*(?<![\w.-])${escape(sub)}(?![\w.-])`);
  for (const [file, text] of contents) {
    if (/\.(py|js|mjs|cjs|ts|md)$/.test(file)) continue;
    const lines = text.split('\n');
    if (lines.some((l, i) => both.test(l) && !/^\s*(?:#|name:)/.test(l) && !scheduledAt(`${file}:${i + 1}`, contents))) return false;
  }
  return true;
}

export function operatorTools(files: readonly string[], contents: ReadonlyMap<string, string>): OperatorTools {
  const { points, copies, opaque } = productionEntryPoints(files, contents);
  const tools = new Map<string, string>();
  const cliRuns = new Map<string, { subcommands: string[]; evidence: string; commands: CliCommand[]; scheduled?: string[] }>();
  if (points.length === 0) return { tools, cliRuns };
  const fileSet = new Set(files);
  for (const [file, text] of contents) {
    if (!/\.(py|js|mjs|cjs|ts)$/.test(file) || testPath.test(file) || /(^|\/)(manage|setup|__main__|__init__|wsgi|asgi)\.py$/.test(file)) continue;
    const runs = points.filter((p) => p.runs.some((r) => r.file === file));
    if (runs.length > 0) {
      // Production runs it: which subcommands, when every run names one.
      const all = runs.filter((p) => !p.declaration).flatMap((p) => p.runs.filter((r) => r.file === file).map((r) => ({ p, sub: r.args[0] })));
      if (all.length > 0 && all.every((r) => r.sub && /^[a-z][\w-]*$/i.test(r.sub))) {
        const subcommands = [...new Set(all.map((r) => (r.sub ?? '').replace(/_/g, '-')))];
        // Subcommands only a schedule runs (a Kubernetes CronJob or a crontab line): no person gives their arguments.
        // Every line of a deployment file naming the program and the subcommand must be scheduled (entry points are deduplicated by command).
        const scheduled = subcommands.filter((sub) => all.filter((r) => (r.sub ?? '').replace(/_/g, '-') === sub).every((r) => scheduledAt(r.p.at, contents) && onlyScheduled(programOf(r.p.command), r.sub ?? '', contents)));
        cliRuns.set(file, { subcommands, evidence: describe(runs.filter((p) => !p.declaration)), commands: cliCommands(file, text), scheduled });
      }
      continue;
    }
    const program = programLine(file, text);
    if (!program || startsServer.test(text)) continue;
    // A Python module inside a package, or a JavaScript module that exports, may be imported by files not read.
    if (/\.py$/.test(file) ? fileSet.has(`${dirOf(file) ? `${dirOf(file)}/` : ''}__init__.py`) : /\bmodule\.exports\b|\bexports\.\w+\s*=|^\s*export\s/m.test(text)) continue;
    // A file that says it is a scheduled job or runs on a production host is run by something not read (a host's crontab).
    if (scheduled.test(text.split('\n').slice(0, 12).join('\n')) || scheduledName.test(nameOf(file))) continue;
    const root = projectRoot(file, files);
    // With no manifest above the file, only entry points of its own top folder speak for it (another application's do not).
    const top = root === '' && file.includes('/') ? file.slice(0, file.indexOf('/')) : root;
    const production = points.filter((p) => withinProject(p.at, top) || p.runs.some((r) => withinProject(r.file, top)));
    // Python puts the script's folder and the working directory on the import path: a folder holding (or above) code production runs may be imported from by files not read.
    const folder = dirOf(file);
    const besideProduction = /\.py$/.test(file) && points.some((p) => p.runs.some((r) => folder === '' || r.file.startsWith(`${folder}/`)));
    if (production.length === 0 || besideProduction || opaque.some((o) => withinProject(o, top)) || importers(file, contents).length > 0 || namedBy(file, contents) || copiedBy(file, copies)) continue;
    tools.set(file, `it runs as a program (${program}), and none of the production entry points read runs it (${describe(production)}); no deployment file names it and no file read imports it`);
  }
  return { tools, cliRuns };
}
