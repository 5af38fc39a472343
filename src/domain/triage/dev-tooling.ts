import type { ShippingFact } from './repository-facts';
import { dirOf, joinPath } from './repo-paths';

/**
 * Scripts only developer tooling runs: a Makefile or justfile target, a Taskfile task, a tox
 * environment, a nox session, or a docker-compose service meant for development (a
 * `docker-compose.dev.yml`/`.override.yml` file, or a service under a `dev`/`tools`/`seed`
 * profile). A script counts only when
 * - the command names it (`python -m ledger.jobs.demo_data`, `python scripts/seed.py`, `node tools/fake.js`);
 * - no entry that runs the service names it: a target or service called run/serve/start/dev/
 *   prod/deploy/worker/…, a Procfile, a Dockerfile, a production compose service, the manifest's
 *   `start` script, `[project.scripts]`, or a `module:app` given to gunicorn/uvicorn;
 * - no file read imports it, and, when its text was read, it does not start a server itself.
 * The evidence names the tool, the target and the command line.
 */
interface Run { file: string; tool: string; target: string; at: string; command: string }

const serviceLike = /^(run|runserver|serve|server|start|up|prod\w*|deploy\w*|release|worker|web|app|api|default|all|daemon|dev|develop|watch|main|install)$/i;
const testLike = /^(test|tests|e2e|spec|integration|unit|pytest|coverage)\b/i;
const startsServer = /\bapp\.run\(|\.listen\(|uvicorn\.run\(|serve_forever\(|\bcreate_app\(|\bexpress\(\)|\bFastAPI\(|\bFlask\(__name__\)|waitress\.serve\(|web\.run_app\(/;


/** The repository files a command line runs: scripts by path, Python modules by `-m`. */
function filesRun(command: string, dir: string, files: ReadonlySet<string>): string[] {
  const found: string[] = [];
  // `python`, `python3.12`, `$(PYTHON)`, `poetry run python`, `uv run`, or the script itself (`./scripts/seed.py`).
  for (const m of command.matchAll(/(?:\b(?:python[\d.]*|pypy3?)|\$[({]PYTHON\d?[)}]|\buv\s+run(?:\s+--?[\w-]+(?:[= ][\w.-]+)?)*|(?:^|[;&|]\s*))\s*(?:-[A-Za-z]+\s+)*(?:-m\s+([\w.]+)|((?:\.\/)?[\w./-]+\.py))\b/g)) {
    if (m[2]) found.push(joinPath(dir, m[2]));
    if (m[1]) {
      const module = m[1].replace(/\./g, '/');
      for (const root of [dir, joinPath(dir, 'src')]) {
        for (const candidate of [joinPath(root, `${module}.py`), joinPath(root, `${module}/__main__.py`)]) if (files.has(candidate)) found.push(candidate);
      }
    }
  }
  for (const m of command.matchAll(/\b(?:node|nodemon|ts-node|tsx|bun(?:\s+run)?|deno\s+run)\s+(?:--?[\w-]+(?:=\S+)?\s+)*((?:\.\/)?[\w./-]+\.(?:js|mjs|cjs|ts))\b/g)) {
    found.push(joinPath(dir, m[1] ?? ''));
  }
  // `python manage.py load_demo`: the Django management command of that name (manage.py itself is the framework's entry).
  const managed = /\bmanage\.py\s+([a-z][\w]*)/.exec(command);
  if (managed) for (const f of files) if (f.startsWith(dir ? `${dir}/` : '') && f.endsWith(`/management/commands/${managed[1]}.py`)) found.push(f);
  // manage.py and a package's __main__.py are the framework's or the package's entry, run in production too.
  return [...new Set(found)].filter((f) => files.has(f) && !/(^|\/)(manage|__main__)\.py$/.test(f));
}

/** `target:` followed by tab- or space-indented recipe lines (Makefile, justfile). */
function recipes(path: string, text: string, tool: string): { target: string; line: number; command: string; note: string }[] {
  const out: { target: string; line: number; command: string; note: string }[] = [];
  let target: string | undefined;
  let note = '';
  text.split('\n').forEach((line, index) => {
    const head = /^([A-Za-z][\w.-]*)(?:\s+[^:\n]*)?\s*:(?!=)/.exec(line);
    if (head && !line.startsWith('\t') && !line.startsWith(' ')) {
      target = head[1] === '.PHONY' ? undefined : head[1];
      const above = text.split('\n')[index - 1] ?? '';
      note = /^#/.test(above) ? above.replace(/^#+\s*/, '') : '';
      return;
    }
    if (target && /^(\t| {2,})\S/.test(line)) out.push({ target, line: index + 1, command: line.trim().replace(/^[@-]+/, ''), note });
    else if (line.trim() !== '' && !/^\s/.test(line) && !/^#/.test(line)) target = undefined;
  });
  void path;
  void tool;
  return out;
}

/** Commands of a Taskfile (`tasks:` → `name:` → `cmds:` items), tox (`commands =`), nox (`session.run(…)`) or docker-compose (`command:`). */
function otherCommands(name: string, text: string): { target: string; line: number; command: string; note: string; devOnly: boolean }[] {
  const out: { target: string; line: number; command: string; note: string; devOnly: boolean }[] = [];
  const lines = text.split('\n');
  if (/^Taskfile\.ya?ml$/.test(name)) {
    let task: string | undefined;
    lines.forEach((line, index) => {
      const head = /^ {2}([\w:-]+):\s*$/.exec(line);
      if (head) task = head[1];
      const cmd = /^\s+-\s+(?:cmd:\s*)?(.+)$|^\s+cmd:\s*(.+)$/.exec(line);
      if (task && cmd && !head) out.push({ target: task, line: index + 1, command: (cmd[1] ?? cmd[2] ?? '').replace(/^["']|["']$/g, ''), note: '', devOnly: true });
    });
  } else if (name === 'tox.ini') {
    let env: string | undefined;
    let inCommands = false;
    lines.forEach((line, index) => {
      const section = /^\[(testenv(?::[\w-]+)?)\]/.exec(line);
      if (section) { env = section[1]; inCommands = false; return; }
      if (/^\[/.test(line)) { env = undefined; return; }
      const start = /^commands\s*=\s*(.*)$/.exec(line);
      if (start) inCommands = true;
      else if (!/^\s+\S/.test(line)) inCommands = false;
      const command = start ? start[1] ?? '' : inCommands ? line.trim() : '';
      if (env && command) out.push({ target: env, line: index + 1, command, note: '', devOnly: true });
    });
  } else if (name === 'noxfile.py') {
    let session: string | undefined;
    lines.forEach((line, index) => {
      const def = /^def\s+(\w+)\s*\(\s*session\b/.exec(line);
      if (def) session = def[1];
      const run = /session\.run\(([^)]*)\)/.exec(line);
      if (session && run) out.push({ target: session, line: index + 1, command: [...(run[1] ?? '').matchAll(/["']([^"']+)["']/g)].map((m) => m[1]).join(' '), note: '', devOnly: true });
    });
  } else if (/^(docker-)?compose[\w.-]*\.ya?ml$/.test(name)) {
    const devFile = /\.(dev|development|local|test|override|tools)\.ya?ml$/.test(name);
    let service: string | undefined;
    let profiles = '';
    const pending: { target: string; line: number; command: string }[] = [];
    const flush = (): void => {
      for (const p of pending) out.push({ ...p, note: '', devOnly: devFile || /\b(dev|development|local|tools|seed|test|debug)\b/.test(profiles) || /^(seed\w*|fixtures?|demo[-_]?data|faker?)$/i.test(p.target) });
      pending.length = 0;
      profiles = '';
    };
    lines.forEach((line, index) => {
      const head = /^ {2}([\w.-]+):\s*$/.exec(line);
      if (head) { flush(); service = head[1]; return; }
      if (/^\S/.test(line)) { flush(); service = undefined; return; }
      const profile = /^\s+profiles:\s*(.*)$/.exec(line);
      if (profile) profiles += ` ${profile[1]}`;
      const command = /^\s+(?:command|entrypoint):\s*(.+)$/.exec(line);
      if (service && command) pending.push({ target: service, line: index + 1, command: (command[1] ?? '').replace(/[[\]"',]/g, ' ') });
    });
    flush();
  }
  return out;
}

const toolName = (name: string): string =>
  /akefile/.test(name) ? 'make' : /ustfile/.test(name) ? 'just' : /^Taskfile/.test(name) ? 'task' : name === 'tox.ini' ? 'tox' : name === 'noxfile.py' ? 'nox' : 'docker compose';

/** Which files only developer tooling runs, with the evidence. */
export function devToolingFacts(files: readonly string[], contents: ReadonlyMap<string, string>): Map<string, ShippingFact> {
  const fileSet = new Set(files);
  const dev: Run[] = [];
  const production = new Set<string>();
  for (const [path, text] of contents) {
    const dir = dirOf(path);
    const name = path.slice(dir ? dir.length + 1 : 0);
    const tool = toolName(name);
    const runs = /^(GNUmakefile|[Mm]akefile|[Jj]ustfile|\.justfile)$/.test(name)
      ? recipes(path, text, tool).map((r) => ({ ...r, devOnly: !serviceLike.test(r.target) }))
      : /^(Taskfile\.ya?ml|tox\.ini|noxfile\.py|(docker-)?compose[\w.-]*\.ya?ml)$/.test(name)
        ? otherCommands(name, text).map((r) => ({ ...r, devOnly: r.devOnly && !serviceLike.test(r.target) }))
        : [];
    for (const run of runs) {
      for (const file of filesRun(run.command, dir, fileSet)) {
        if (run.devOnly) dev.push({ file, tool, target: run.target, at: `${path}:${run.line}`, command: run.command.slice(0, 90) + (run.note ? `; "${run.note.slice(0, 80)}"` : '') });
        else production.add(file);
      }
    }
    // Entries that run the service.
    if (/^(Procfile|Dockerfile[\w.-]*)$/.test(name) || (name === 'package.json' && /"(start|serve|prod)"\s*:/.test(text))) {
      const lines = name === 'package.json' ? [...text.matchAll(/"(?:start|serve|prod)"\s*:\s*"([^"]*)"/g)].map((m) => m[1] ?? '') : text.split('\n');
      for (const line of lines) for (const file of filesRun(line, dir, fileSet)) production.add(file);
    }
  }
  // `module:attr` run by gunicorn/uvicorn or named as a console script: that module ships.
  const entryModules = new Set<string>();
  for (const [, text] of contents) {
    for (const line of text.split('\n').filter((l) => /gunicorn|uvicorn|hypercorn|daphne|waitress|^\s*[\w-]+\s*=\s*["'][\w.]+:\w+["']/.test(l))) {
      for (const m of line.matchAll(/\b([a-z_][\w.]*):[a-z_]\w*\b/gi)) entryModules.add((m[1] ?? '').replace(/\./g, '/'));
    }
  }
  const imported = (file: string): boolean => {
    const module = file.replace(/\.py$/, '').replace(/\/__main__$/, '').split('/');
    const dotted = module.slice(-2).join('.');
    const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.(py|js|mjs|cjs|ts)$/, '');
    return [...contents].some(([other, text]) => other !== file && (
      new RegExp(String.raw`^\s*(?:from\s+[\w.]*${dotted.replace(/\./g, '\\.')}\s+import|import\s+[\w.]*${dotted.replace(/\./g, '\\.')}\b)`, 'm').test(text) ||
      new RegExp(String.raw`require\(\s*['"][./\w-]*\b${base}(?:\.\w+)?['"]\s*\)|from\s+['"][./\w-]*\b${base}(?:\.\w+)?['"]`).test(text)));
  };
  const facts = new Map<string, ShippingFact>();
  for (const run of dev) {
    if (production.has(run.file) || facts.has(run.file) || imported(run.file)) continue;
    if ([...entryModules].some((m) => run.file.replace(/\.py$/, '').endsWith(m) && m.includes('/'))) continue;
    const text = contents.get(run.file);
    if (text !== undefined && startsServer.test(text)) continue;
    const all = dev.filter((d) => d.file === run.file);
    const by = [...new Set(all.map((d) => `the \`${d.tool} ${d.target}\` ${d.tool === 'docker compose' ? 'service' : d.tool === 'tox' ? 'environment' : d.tool === 'nox' ? 'session' : 'target'}`))].join(' and ');
    facts.set(run.file, {
      category: all.every((d) => testLike.test(d.target.replace(/^testenv:?/, 'test'))) ? 'test_code' : 'non_production',
      evidence: `run by ${by} only (${run.at}: \`${run.command}\`), which no production entry (Procfile, Dockerfile, start script) runs`,
    });
  }
  return facts;
}
