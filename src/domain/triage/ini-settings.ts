import type { EntryPoints } from './entry-points';
import type { Mark } from './repository-facts';
import { dirOf } from './repo-paths';


/**
 * Paste/Pyramid-style `.ini` configuration: production chooses one file by naming it in the command
 * that starts the application (`pserve /app/production.ini`, `waitress-serve --paste x.ini`,
 * `gunicorn --paste x.ini`, a line of the entrypoint script a production Dockerfile runs). What that
 * file sets — the application settings of its `[app:…]` section and the levels of its
 * `[logger_…]` sections — is what production runs with; a development file beside it
 * (`development.ini`) is not. Read line by line; only files with an `[app:…]` section count (an
 * `alembic.ini` or `pytest.ini` configures a tool, not the application).
 */
export interface IniSetting {
  value: string;
  /** `spokes/production.ini:24` */
  at: string;
}

export interface ProductionIni {
  path: string;
  /** The entry point that chooses it: `spokes/deploy/entrypoint.sh:5: \`pserve /app/production.ini\``. */
  chosenBy: string;
  /** Settings of the `[app:…]` sections, by key. */
  settings: Map<string, IniSetting>;
  /** Logger levels by qualname (`''` for the root logger), from `[logger_…]` sections. */
  loggers: Map<string, IniSetting>;
}

export interface IniConfiguration {
  production: ProductionIni[];
  /** Every application ini read (production's and the others), by path. */
  all: Map<string, Map<string, IniSetting>>;
}

const toolIni = /(^|\/)(pytest|tox|alembic|mypy|setup|uwsgi|supervisord|php)\.ini$/i;
const skipped = /(^|\/)(node_modules|vendor|\.git|dist|build)\//;

/** Application `.ini` files worth reading (hook of `manifestsToRead`). */
export function iniFilesToRead(files: readonly string[]): string[] {
  return files.filter((f) => /\.ini$/.test(f) && !toolIni.test(f) && !skipped.test(f) && f.split('/').length <= 4).slice(0, 6);
}

function sections(path: string, text: string): { settings: Map<string, IniSetting>; loggers: Map<string, IniSetting> } | undefined {
  const settings = new Map<string, IniSetting>();
  const loggers = new Map<string, IniSetting>();
  const loggerSections = new Map<string, { level?: IniSetting; qualname?: string }>();
  let section = '';
  let app = false;
  text.split('\n').forEach((line, i) => {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = (header[1] ?? '').trim();
      if (/^app:/.test(section)) app = true;
      return;
    }
    const kv = /^([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (!kv || /^\s*[#;]/.test(line)) return;
    const at = { value: kv[2] ?? '', at: `${path}:${i + 1}` };
    if (/^app:/.test(section)) settings.set(kv[1] ?? '', at);
    const logger = /^logger_(\w+)$/.exec(section);
    if (logger) {
      const entry = loggerSections.get(logger[1] ?? '') ?? {};
      if (kv[1] === 'level') entry.level = at;
      if (kv[1] === 'qualname') entry.qualname = kv[2] ?? '';
      loggerSections.set(logger[1] ?? '', entry);
    }
  });
  if (!app) return undefined;
  for (const [name, entry] of loggerSections) {
    if (!entry.level) continue;
    loggers.set(name === 'root' ? '' : (entry.qualname ?? name), entry.level);
  }
  return { settings, loggers };
}

/** The application ini files read, and those a production entry point chooses. */
export function iniConfiguration(contents: ReadonlyMap<string, string>, entries: EntryPoints): IniConfiguration | undefined {
  const all = new Map<string, Map<string, IniSetting>>();
  const parsed = new Map<string, ReturnType<typeof sections>>();
  for (const [path, text] of contents) {
    if (!/\.ini$/.test(path) || toolIni.test(path)) continue;
    const read = sections(path, text);
    if (read) {
      all.set(path, read.settings);
      parsed.set(path, read);
    }
  }
  if (all.size === 0) return undefined;
  const production: ProductionIni[] = [];
  for (const point of entries.points) {
    for (const token of point.command.split(/[\s"'[\],=]+/)) {
      if (!/\.ini$/.test(token) || toolIni.test(token)) continue;
      const base = token.slice(token.lastIndexOf('/') + 1);
      const matches = [...all.keys()].filter((p) => p === base || p.endsWith(`/${base}`));
      const file = matches.length === 1 ? matches[0] : undefined;
      const read = file ? parsed.get(file) : undefined;
      if (file && read && !production.some((p) => p.path === file)) production.push({ path: file, chosenBy: `${point.at}: \`${point.command.slice(0, 80)}\``, ...read });
    }
  }
  return { production, all };
}

const levels: Record<string, number> = { NOTSET: 0, DEBUG: 10, INFO: 20, WARN: 30, WARNING: 30, ERROR: 40, CRITICAL: 50, FATAL: 50 };

/**
 * The level production's ini gives the logger `name` (the longest configured qualname that is it or
 * its parent, else the root), with the line; undefined when the level is not a literal name.
 */
export function effectiveLevel(ini: ProductionIni, name: string): { level: number; at: string; logger: string } | undefined {
  const candidates = [...ini.loggers.keys()].filter((q) => q === '' || name === q || name.startsWith(`${q}.`)).sort((a, b) => b.length - a.length);
  for (const q of candidates) {
    const set = ini.loggers.get(q);
    const level = levels[(set?.value ?? '').toUpperCase()];
    if (level === undefined || !set) return undefined;
    // NOTSET hands the decision to the parent.
    if (level === 0 && q !== '') continue;
    return { level, at: set.at, logger: q === '' ? 'root' : q };
  }
  return undefined;
}

/**
 * An application `.ini` beside the one production chooses, that no production entry point names
 * (`development.ini`, `testing.ini`): production never loads it, so its settings (a debug toolbar,
 * template reloading, a development secret) do not run there. Scope `deployment`: a credential in it
 * is still in the repository and stays a finding.
 */
export function unchosenInis(config: IniConfiguration | undefined, mark: Mark): void {
  for (const path of config?.all.keys() ?? []) {
    if (config?.production.some((p) => p.path === path)) continue;
    const chosen = config?.production.find((p) => dirOf(p.path) === dirOf(path));
    if (!chosen) continue;
    const testing = /(^|[/_.-])(test|testing|tests)\.ini$/.test(path);
    mark(path, { category: testing ? 'test_code' : 'non_production', scope: 'deployment', evidence: `production runs with ${chosen.path} (${chosen.chosenBy}); no production entry point names ${path}` });
  }
}
