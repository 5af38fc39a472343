import { dirOf, joinPath } from './repo-paths';
/**
 * What production starts, read from the repository's deployment files (line by line, never a YAML
 * or TOML parser): a production Dockerfile's CMD/ENTRYPOINT and what it COPYs, Procfile processes,
 * `package.json` `start`/`main`/`bin`, a `module:app` given to gunicorn/uvicorn, crontab lines,
 * Kubernetes workload `command:`/`args:`, the commands of production compose services, serverless
 * handlers, and console scripts (`[project.scripts]`, `console_scripts`) by which the others may
 * name a program. Files named for development (`Dockerfile.dev`, `docker-compose.dev.yml`,
 * `crontab.local`) are not production. Each entry keeps the file and line that says so.
 */
export interface EntryRun {
  /** The repository file the command starts. */
  file: string;
  /** Positional arguments after the program (`sync` of `tidewatch sync --since PT12M`); empty when none. */
  args: string[];
}

export interface EntryPoint {
  /** `deploy/crontab:1`: the deployment file and line. */
  at: string;
  command: string;
  runs: EntryRun[];
  /** A program a manifest declares (`bin`), not a command that runs it: it names no subcommand. */
  declaration?: true;
}

export interface EntryPoints {
  points: EntryPoint[];
  /** COPY/ADD sources of production Dockerfiles, as written, with the folder they are read from when it is known. */
  copies: { at: string; sources: string[]; context?: string }[];
  /** Entry points that start a script not read (`./entrypoint.sh`, `bin/start`): what it runs is unknown. */
  opaque: string[];
}

const developmentName = /(^|[.-])(dev|development|local|override|test|ci)([.-]|$)/i;
const cronName = /^(crontab(\.[\w-]+)?|[\w.-]+\.cron(tab)?)$/;
const workloadFolder = /(^|\/)(k8s|kube|kubernetes|deploy|deployment|deployments|manifests|helm|charts|ops|infra)\//;
const skipped = /(^|\/)(node_modules|vendor|\.git|dist|build)\//;
/** CI and CD pipelines: not production entry points, but a file they name is not a hand-run tool. */
export const ciFile = /(^|\/)(\.github\/workflows\/[\w.-]+\.ya?ml|\.gitlab-ci\.ya?ml|bitbucket-pipelines\.ya?ml|Jenkinsfile|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml)$/;
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Deployment files `manifestsToRead` does not already name: crontabs, Kubernetes workloads, setup.py. */
export function entryPointFilesToRead(files: readonly string[]): string[] {
  const cron = files.filter((f) => !skipped.test(f) && (cronName.test(nameOf(f)) || /(^|\/)cron\.d\/[\w.-]+$/.test(f)) && !developmentName.test(nameOf(f).replace(/^crontab/, '')));
  const workloads = files.filter((f) => !skipped.test(f) && workloadFolder.test(f) && /\.ya?ml$/.test(f) && f.split('/').length <= 6 && !developmentName.test(nameOf(f))).slice(0, 8);
  const setup = files.filter((f) => nameOf(f) === 'setup.py' && f.split('/').length <= 3);
  const shell = files.filter((f) => !skipped.test(f) && /\.(sh|bash)$/.test(f) && f.split('/').length <= 4 && (/entrypoint|^(start|run|boot|serve|launch|cmd)\b/i.test(nameOf(f)) || workloadFolder.test(f) || !f.includes('/'))).slice(0, 6);
  const services = files.filter((f) => !skipped.test(f) && (/\.(service|timer)$|(^|\/)supervisor[\w.-]*\.conf$/.test(f) || ciFile.test(f))).slice(0, 8);
  return [...cron, ...workloads, ...setup, ...shell, ...services];
}

/** `name = "pkg.module:func"` of `[project.scripts]`/`[tool.poetry.scripts]`/`console_scripts`, and `bin` of package.json: program name → file. */
function programs(files: readonly string[], contents: ReadonlyMap<string, string>): Map<string, { file: string; at: string }> {
  const found = new Map<string, { file: string; at: string }>();
  for (const [path, text] of contents) {
    const name = nameOf(path);
    const dir = dirOf(path);
    if (/^(pyproject\.toml|setup\.cfg|setup\.py)$/.test(name)) {
      text.split('\n').forEach((line, i) => {
        const m = /^\s*["']?([\w.-]+)\s*=\s*["']?\s*([\w.]+):\w+/.exec(line) ?? /["']([\w.-]+)\s*=\s*([\w.]+):\w+["']/.exec(line);
        const file = m ? moduleFile(m[2] ?? '', dir, files) : undefined;
        if (m && file) found.set(m[1] ?? '', { file, at: `${path}:${i + 1}` });
      });
    }
    if (name === 'package.json') {
      try {
        const parsed = JSON.parse(text) as { name?: string; bin?: unknown };
        const bins = typeof parsed.bin === 'string' ? { [parsed.name ?? '']: parsed.bin } : (parsed.bin ?? {});
        for (const [program, rel] of Object.entries(bins as Record<string, unknown>)) {
          if (typeof rel === 'string' && program) found.set(program, { file: joinPath(dir, rel), at: `${path} bin` });
        }
      } catch {
        // Not JSON: nothing named.
      }
    }
  }
  return found;
}

/** The file of a dotted Python module (`tidewatch.cli`), beside `dir`, under its `src/`, or anywhere by its path's end. */
export function moduleFile(module: string, dir: string, files: readonly string[]): string | undefined {
  const rel = module.replace(/\./g, '/');
  const candidates = [`${rel}.py`, `${rel}/__init__.py`, `${rel}/__main__.py`];
  for (const root of [dir, joinPath(dir, 'src')]) for (const c of candidates) if (files.includes(joinPath(root, c))) return joinPath(root, c);
  const ends = files.filter((f) => !skipped.test(f) && candidates.some((c) => f === c || f.endsWith(`/${c}`)));
  return ends.length === 1 ? ends[0] : undefined;
}

/** A path written in a command (relative, or absolute inside an image: `/srv/app/scripts/x.py`) as a repository file, by its longest end that names one file. */
function resolvePath(written: string, dir: string, files: readonly string[]): string | undefined {
  const clean = written.replace(/^\/+/, '');
  if (files.includes(joinPath(dir, clean))) return joinPath(dir, clean);
  const parts = clean.split('/');
  for (let i = 0; i < parts.length; i += 1) {
    const end = parts.slice(i).join('/');
    const found = files.filter((f) => !skipped.test(f) && (f === end || f.endsWith(`/${end}`)));
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/** Split a command (shell or JSON form) into words. */
const words = (command: string): string[] => command.replace(/[[\]"',]/g, ' ').split(/\s+/).filter(Boolean);

/** The repository files a command starts: scripts by path, `-m` modules, `module:app`, programs by name. */
function filesRunBy(command: string, dir: string, files: readonly string[], named: ReadonlyMap<string, { file: string }>): EntryRun[] {
  const tokens = words(command);
  const runs: EntryRun[] = [];
  const positional = (from: number): string[] => {
    const rest = tokens.slice(from);
    const end = rest.findIndex((t) => /^(&&|\|\||;|\||>>?|<)$|;$/.test(t));
    return (end >= 0 ? rest.slice(0, end) : rest).filter((t) => !t.startsWith('-') && !/[=;&|>$]/.test(t)).slice(0, 3);
  };
  tokens.forEach((token, i) => {
    const clean = token.replace(/^\.\//, '');
    if (/\.(py|js|mjs|cjs|ts|sh|bash|rb)$/.test(clean) || /^\.?\/?[\w.-]+\/[\w./-]*[\w-]$/.test(token)) {
      const file = resolvePath(clean, dir, files);
      if (file) runs.push({ file, args: positional(i + 1) });
    }
    // `celery -A shop.tasks worker`, `flask --app shop.web run`: the application module.
    if (/^(-A|--app)$/.test(token) && tokens[i + 1]) {
      const file = moduleFile((tokens[i + 1] ?? '').replace(/[:(].*$/, ''), dir, files);
      if (file) runs.push({ file, args: [] });
    }
    if (token === '-m' && tokens[i + 1]) {
      const file = moduleFile(tokens[i + 1] ?? '', dir, files);
      if (file) runs.push({ file, args: positional(i + 2) });
    }
    const app = /^([a-z_][\w.]*):[a-z_]\w*(?:\(\))?$/i.exec(token);
    if (app && /gunicorn|uvicorn|hypercorn|daphne|waitress|granian|celery|rq\b|dramatiq/.test(command)) {
      const file = moduleFile(app[1] ?? '', dir, files);
      if (file) runs.push({ file, args: [] });
    }
    const program = named.get(nameOf(token));
    // `tidewatch tidewatch sync`: a cron.d line's user field may repeat the program's name; the last one is the program.
    if (program && nameOf(tokens[i + 1] ?? '') !== nameOf(token)) runs.push({ file: program.file, args: positional(i + 1) });
  });
  return runs;
}

/** Commands of a Kubernetes workload (`command:` then `args:`, inline or as a block list) or a compose service. */
function yamlCommands(text: string, keys: RegExp): { line: number; command: string }[] {
  const out: { line: number; command: string }[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^(\s*)-?\s*(\w+):\s*(.*)$/.exec(line);
    if (!m || !keys.test(m[2] ?? '')) return;
    let value = (m[3] ?? '').trim();
    if (value === '' || value === '|' || value === '>') {
      const indent = (m[1] ?? '').length;
      const items: string[] = [];
      for (const next of lines.slice(i + 1)) {
        if (next.trim() === '') continue;
        if (next.length - next.trimStart().length <= indent && !/^\s*-\s/.test(next)) break;
        if (next.length - next.trimStart().length < indent) break;
        items.push(next.trim().replace(/^-\s*/, ''));
      }
      value = items.join(' ');
    }
    if (m[2] === 'args' && out.length > 0 && out[out.length - 1]!.line >= i - 8) out[out.length - 1]!.command += ` ${value}`;
    else out.push({ line: i + 1, command: value });
  });
  return out;
}

/** Production entry points of the repository, from the deployment files read. */
export function productionEntryPoints(files: readonly string[], contents: ReadonlyMap<string, string>): EntryPoints {
  const named = programs(files, contents);
  const points: EntryPoint[] = [];
  const copies: EntryPoints['copies'] = [];
  const opaque: string[] = [];
  const add = (path: string, line: number, command: string, dir = dirOf(path)): void => {
    if (command.trim() === '' || points.some((p) => p.at.startsWith(`${path}:`) && p.command === command.trim().slice(0, 160))) return;
    points.push({ at: `${path}:${line}`, command: command.trim().slice(0, 160), runs: filesRunBy(command, dir, files, named) });
  };
  for (const [path, text] of contents) {
    const name = nameOf(path);
    const dir = dirOf(path);
    const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
    if (/^Dockerfile|\.Dockerfile$/.test(name) && !/^Dockerfile[.-](dev|development|local|test|ci)$|^(dev|development|local|test|ci)\.Dockerfile$/i.test(name)) {
      const entry = lines.findIndex((l) => /^\s*ENTRYPOINT\s/i.test(l));
      const cmd = lines.findIndex((l) => /^\s*CMD\s/i.test(l));
      const text = (i: number): string => (i >= 0 ? (lines[i] ?? '').trim().replace(/^\w+\s+/, '') : '');
      if (entry >= 0 || cmd >= 0) add(path, (entry >= 0 ? entry : cmd) + 1, `${text(entry)} ${text(cmd)}`);
      const sources = lines.flatMap((l) => {
        const m = /^\s*(?:COPY|ADD)\s+(.+)$/i.exec(l);
        if (!m || /--from=/.test(m[1] ?? '')) return [];
        const parts = words((m[1] ?? '').replace(/--[\w-]+(=\S+)?\s+/g, ''));
        return parts.slice(0, -1).map((s) => s.replace(/^\.\//, '').replace(/\/$/, ''));
      });
      const context = [dir, dirOf(dir), ''].find((d) => sources.length > 0 && sources.every((s) => s === '.' || s === '' || /[*?]/.test(s) || files.some((f) => f === joinPath(d, s) || f.startsWith(`${joinPath(d, s)}/`))));
      copies.push({ at: path, sources, ...(context !== undefined ? { context } : {}) });
    } else if (name === 'Procfile') {
      lines.forEach((l, i) => { const m = /^[\w-]+:\s*(.+)$/.exec(l); if (m) add(path, i + 1, m[1] ?? ''); });
    } else if (name === 'package.json') {
      try {
        const parsed = JSON.parse(text) as { main?: unknown; scripts?: Record<string, unknown> };
        for (const [script, command] of Object.entries(parsed.scripts ?? {})) {
          if (/^(start|serve|prod|production|start:prod)$/.test(script) && typeof command === 'string') add(path, 1, command);
        }
        if (typeof parsed.main === 'string') add(path, 1, `node ${parsed.main}`);
      } catch {
        // Not JSON.
      }
      for (const [program, entry] of named) if (entry.at === `${path} bin`) points.push({ at: `${path}:1`, command: `bin ${program}`, runs: [{ file: entry.file, args: [] }], declaration: true });
    } else if ((cronName.test(name) || /(^|\/)cron\.d\//.test(path)) && !developmentName.test(name.replace(/^crontab/, ''))) {
      lines.forEach((l, i) => {
        const m = /^\s*(?:@\w+|(?:\S+\s+){4}\S+)\s+(.+)$/.exec(l);
        if (m && !/^\s*#/.test(l) && !/^\s*\w+=/.test(l)) add(path, i + 1, m[1] ?? '');
      });
    } else if (/\.ya?ml$/.test(name) && workloadFolder.test(path) && /^\s*kind:\s*(CronJob|Job|Deployment|StatefulSet|DaemonSet)\b/m.test(text)) {
      for (const c of yamlCommands(text, /^(command|args)$/)) add(path, c.line, c.command);
      // A workload that names no command runs the image's own CMD; the Dockerfile says what that is.
    } else if (/^(docker-)?compose[\w.-]*\.ya?ml$/.test(name) && !/\.(dev|development|local|test|override|tools)\.ya?ml$/.test(name) && !/profiles:\s*\[?\s*["']?(dev|development|local|tools|seed|test|debug)/.test(text)) {
      for (const c of yamlCommands(text, /^(command|entrypoint)$/)) add(path, c.line, c.command);
    } else if (/\.(service|timer)$|^supervisor[\w.-]*\.conf$/.test(name) && !developmentName.test(name.replace(/\.(service|timer|conf)$/, ''))) {
      lines.forEach((l, i) => { const m = /^\s*(?:ExecStart|ExecStartPre|command)\s*=\s*-?(.+)$/.exec(l); if (m) add(path, i + 1, m[1] ?? ''); });
    } else if (/^(template\.ya?ml|serverless\.ya?ml)$/.test(name)) {
      lines.forEach((l, i) => {
        const m = /^\s*[Hh]andler:\s*["']?([\w./-]+)\.\w+["']?\s*$/.exec(l);
        const base = m ? joinPath(dir, m[1] ?? '') : undefined;
        const file = base ? files.find((f) => /\.(py|js|mjs|cjs|ts)$/.test(f) && f.replace(/\.\w+$/, '').endsWith(base.replace(/^.*?\//, ''))) : undefined;
        if (m) points.push({ at: `${path}:${i + 1}`, command: l.trim(), runs: file ? [{ file, args: [] }] : [] });
      });
    }
    // A server given `module:app` in a configuration file (`wsgi_app = "app.main:app"` in gunicorn.conf.py).
    if (/^gunicorn[\w.-]*\.py$/.test(name)) {
      lines.forEach((l, i) => { const m = /^\s*wsgi_app\s*=\s*["']([\w.]+:\w+)["']/.exec(l); if (m) add(path, i + 1, `gunicorn ${m[1]}`); });
    }
  }
  // A shell script an entry point starts: its lines are commands of that entry point; one not read hides what runs.
  for (const point of [...points]) {
    for (const run of point.runs.filter((r) => /\.(sh|bash)$/.test(r.file) || !/\.\w+$/.test(nameOf(r.file)))) {
      const script = contents.get(run.file);
      if (script === undefined) opaque.push(`${point.at} starts ${run.file}, which was not read`);
      else script.replace(/\\\r?\n/g, ' ').split('\n').forEach((l, i) => { if (!/^\s*(#|$)/.test(l)) add(run.file, i + 1, l.replace(/^\s*exec\s+/, '')); });
    }
  }
  return { points, copies, opaque };
}
