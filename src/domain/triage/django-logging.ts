import type { ProductionEnvironment } from './deployment-facts';
import type { ProductionSettings } from './production-settings';

/**
 * Logger levels of the Django `LOGGING` setting production runs: the first of the production
 * settings module and the bases it extends that assigns `LOGGING = {` (a later assignment in the
 * production module replaces the base's). Levels under `"loggers": {"name": {"level": …}}` and
 * `"root": {"level": …}`, as a literal or as an environment variable a production deployment file of
 * the repository sets (`os.environ.get("DJANGO_LOG_LEVEL", "INFO")` counts only when a deployment
 * file sets `DJANGO_LOG_LEVEL`). Read character by character from the dict's text, never evaluated;
 * a level that is neither gives no level (undecided).
 */
export interface DjangoLevels {
  /** Logger name (`''` for the root) → level (undefined when it cannot be read) and the line. */
  loggers: Map<string, { level?: number; at: string }>;
  chosenBy: string;
}

const names: Record<string, number> = { NOTSET: 0, DEBUG: 10, INFO: 20, WARN: 30, WARNING: 30, ERROR: 40, CRITICAL: 50 };

/** The text of `LOGGING = {…}` in a module, with the line it starts on. */
function loggingDict(text: string): { body: string; line: number } | undefined {
  const start = /^LOGGING\s*=\s*\{/m.exec(text);
  if (!start) return undefined;
  let depth = 0;
  for (let i = start.index + start[0].length - 1; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    if (text[i] === '}') depth -= 1;
    if (depth === 0) return { body: text.slice(start.index, i + 1), line: text.slice(0, start.index).split('\n').length };
  }
  return undefined;
}

export function djangoLevels(settings: ProductionSettings, modules: ReadonlyMap<string, readonly string[]>, environment: ProductionEnvironment | undefined): DjangoLevels | undefined {
  for (const file of [settings.path, ...settings.extends]) {
    const text = modules.get(file)?.join('\n');
    const dict = text ? loggingDict(text) : undefined;
    if (!dict) continue;
    const loggers = new Map<string, { level?: number; at: string }>();
    const keys: string[] = [];
    let pending: string | undefined;
    const lines = dict.body.split('\n');
    lines.forEach((line, i) => {
      const at = `${file}:${dict.line + i}`;
      for (const token of line.matchAll(/["']([\w.-]*)["']\s*:\s*(\{|[^,}\n]+(?:\([^)]*\))?)|\{|\}/g)) {
        if (token[0] === '{') { keys.push(pending ?? ''); pending = undefined; continue; }
        if (token[0] === '}') { keys.pop(); continue; }
        const key = token[1] ?? '';
        if (token[2] === '{') { keys.push(key); continue; }
        if (key !== 'level') continue;
        const owner = keys.length >= 3 && keys[1] === 'loggers' ? keys[2] : keys.length === 2 && keys[1] === 'root' ? '' : undefined;
        if (owner === undefined) continue;
        const value = (token[2] ?? '').trim();
        const literal = /^["'](\w+)["']$|^logging\.(\w+)$/.exec(value);
        const variable = /os\.(?:environ\.get|getenv)\(\s*["'](\w+)["']|os\.environ\[\s*["'](\w+)["']/.exec(value);
        const name = variable ? variable[1] ?? variable[2] ?? '' : '';
        const setter = name ? environment?.get(name) : undefined;
        const set = setter ? new RegExp(String.raw`\b${name}\s*[=:]\s*["']?(\w+)`).exec(setter)?.[1] : undefined;
        const level = literal ? names[(literal[1] ?? literal[2] ?? '').toUpperCase()] : set ? names[set.toUpperCase()] : undefined;
        loggers.set(owner, { ...(level !== undefined ? { level } : {}), at: setter ? `${at} (${setter})` : at });
      }
    });
    return { loggers, chosenBy: settings.chosenBy };
  }
  return undefined;
}

/** The level `LOGGING` gives the logger `name`: its own or its nearest configured parent's, else the root's. */
export function djangoLevelOf(levels: DjangoLevels, name: string): { level?: number; at: string; logger: string } | undefined {
  const candidates = [...levels.loggers.keys()].filter((q) => q === '' || name === q || name.startsWith(`${q}.`)).sort((a, b) => b.length - a.length);
  const q = candidates[0];
  if (q === undefined) return undefined;
  const found = levels.loggers.get(q);
  return found ? { ...found, logger: q === '' ? 'root' : q } : undefined;
}
