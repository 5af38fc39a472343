import type { Mark } from './repository-facts';

/**
 * What the production deployment files say, for settings defaults and development images:
 * - the environment variables production sets: `ENV X=…` in a production Dockerfile, `environment:`
 *   of a production compose file, `[env]` of `fly.toml` — so a default in the code
 *   (`os.environ.get("EXPORT_DIR", "/tmp/…")`, a pydantic settings field) is not what runs there;
 * - development Dockerfiles: a `Dockerfile.<x>` that only a development compose file builds
 *   (`docker-compose.dev.yml`, `.override.yml`, `.local.yml`), which no production compose file
 *   and no other manifest read names.
 * A file counts as development when its name says so (`.dev`, `.development`, `.local`,
 * `.override`, `.test`, `.ci`); everything else is taken as production, the conservative side.
 */
const developmentName = /\.(dev|development|local|override|test|ci)\.(ya?ml|toml)$|^Dockerfile[.-](dev|development|local|test|ci)$|^(dev|development|local|test|ci)\.Dockerfile$/i;
/** `Dockerfile.dev`, `Dockerfile-dev`, `dev.Dockerfile`: a Dockerfile other than the plain one. */
const namedDockerfile = /^(?:Dockerfile[.-][\w.-]+|[\w.-]+\.Dockerfile)$/;

export type ProductionEnvironment = ReadonlyMap<string, string>;

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Variables a file sets, with the line that sets each. */
function variablesSet(name: string, text: string): Map<string, string> {
  const found = new Map<string, string>();
  const lines = text.split('\n');
  if (/^Dockerfile/.test(name)) {
    for (const line of lines) {
      const m = /^\s*ENV\s+(.+)$/.exec(line);
      if (!m) continue;
      const body = m[1] ?? '';
      const pairs = body.includes('=') ? [...body.matchAll(/([A-Za-z_]\w*)=/g)].map((p) => p[1] ?? '') : [body.split(/\s+/)[0] ?? ''];
      for (const variable of pairs) found.set(variable, line.trim());
    }
  } else if (/^(docker-)?compose[\w.-]*\.ya?ml$/.test(name)) {
    let inEnvironment = -1;
    for (const line of lines) {
      const indent = line.length - line.trimStart().length;
      if (/^\s*environment\s*:\s*$/.test(line)) {
        inEnvironment = indent;
        continue;
      }
      const inline = /^\s*environment\s*:\s*\{(.*)\}\s*$/.exec(line);
      if (inline) for (const p of (inline[1] ?? '').matchAll(/([A-Za-z_]\w*)\s*:/g)) found.set(p[1] ?? '', line.trim());
      if (inEnvironment >= 0) {
        if (line.trim() === '') continue;
        if (indent <= inEnvironment) inEnvironment = -1;
        else {
          const m = /^\s*-?\s*([A-Za-z_]\w*)\s*[:=]/.exec(line);
          if (m) found.set(m[1] ?? '', line.trim());
        }
      }
    }
  } else if (name === 'fly.toml') {
    let inEnv = false;
    for (const line of lines) {
      if (/^\s*\[/.test(line)) inEnv = /^\s*\[env\]\s*$/.test(line);
      else if (inEnv) {
        const m = /^\s*([A-Za-z_]\w*)\s*=/.exec(line);
        if (m) found.set(m[1] ?? '', line.trim());
      }
    }
  }
  return found;
}

export function productionEnvironment(contents: ReadonlyMap<string, string>): ProductionEnvironment {
  const environment = new Map<string, string>();
  for (const [path, text] of contents) {
    const name = nameOf(path);
    if (developmentName.test(name)) continue;
    for (const [variable, line] of variablesSet(name, text)) if (!environment.has(variable)) environment.set(variable, `${path}: \`${line.slice(0, 100)}\``);
  }
  return environment;
}

/** Dockerfiles only a development compose file builds. */
export function developmentDockerfiles(files: readonly string[], contents: ReadonlyMap<string, string>, mark: Mark): void {
  for (const dockerfile of files.filter((f) => namedDockerfile.test(nameOf(f)))) {
    const name = nameOf(dockerfile);
    const dir = dockerfile.slice(0, dockerfile.length - name.length);
    const naming = [...contents].filter(([path, text]) => path !== dockerfile && path.startsWith(dir) && new RegExp(String.raw`(?<![\w.-])${name.replace(/\./g, '\\.')}(?![\w.-])`).test(text));
    const composes = naming.filter(([path]) => /^(docker-)?compose[\w.-]*\.ya?ml$/.test(nameOf(path)));
    if (composes.length === 0 || composes.length !== naming.length) continue;
    if (!composes.every(([path]) => developmentName.test(nameOf(path)))) continue;
    mark(dockerfile, { category: 'non_production', evidence: `${dockerfile} is built only by ${composes.map(([path]) => path).join(' and ')}, a development compose file; no production compose file or other manifest read builds it` });
  }
}
