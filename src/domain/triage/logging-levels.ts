import type { EntryPoints } from './entry-points';
import type { ProductionEnvironment } from './deployment-facts';

/**
 * The root logging level production's Python programs set with `logging.basicConfig(level=…)`, in
 * the modules production's entry points run (`entry-points.ts`): a literal (`logging.INFO`,
 * `"WARNING"`), or an environment variable (`os.environ.get("LOG_LEVEL", "INFO")`) that a
 * production deployment file of the repository sets (`deployment-facts.ts`). A variable production
 * does not set in the repository is unknown (its default is not what runs when an env file kept
 * elsewhere may set it), and so is one a Dockerfile sets while a deployment file reads an env file
 * (`env_file:`, `--env-file`, `envFrom:`), which overrides it. Fail-safe: any `basicConfig`,
 * `dictConfig` or `fileConfig` of a run module that cannot be read, or any `setLevel` to DEBUG in
 * the code read, makes the folder's level unknown.
 */
export interface RootLevel {
  /** The module production runs that configures logging. */
  file: string;
  /** The numeric level (INFO 20, WARNING 30, …), or undefined when it cannot be read. */
  level?: number;
  /** `boxoffice/boxoffice/worker.py:108` and, for a variable, the deployment line that sets it. */
  at: string;
}

const names: Record<string, number> = { NOTSET: 0, DEBUG: 10, INFO: 20, WARN: 30, WARNING: 30, ERROR: 40, CRITICAL: 50, FATAL: 50 };
const levelName = (text: string): number | undefined => names[text.toUpperCase()];
const externalEnv = /^\s*-?\s*env_file\s*:|--env-file\b|^\s*-?\s*envFrom\s*:|EnvironmentFile\s*=/m;

function valueOf(setter: string, variable: string): string | undefined {
  return new RegExp(String.raw`\b${variable}\s*[=:]\s*["']?([\w.-]+)`).exec(setter)?.[1];
}

export function rootLevels(contents: ReadonlyMap<string, string>, entries: EntryPoints, environment: ProductionEnvironment | undefined): RootLevel[] {
  const envFileRead = [...contents].some(([path, text]) => /\.(ya?ml|service|sh)$|Procfile$/.test(path) && externalEnv.test(text));
  const run = new Set(entries.points.flatMap((p) => p.runs.map((r) => r.file)).filter((f) => f.endsWith('.py')));
  const found: RootLevel[] = [];
  for (const file of run) {
    const text = contents.get(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, i) => {
      if (/\b(dictConfig|fileConfig)\(/.test(line)) found.push({ file, at: `${file}:${i + 1}` });
      const call = /\bbasicConfig\((.*)$/.exec(line);
      if (!call) return;
      const at = `${file}:${i + 1}`;
      const level = /\blevel\s*=\s*(.+?)\s*(?:,\s*\w+\s*=|\)\s*$)/.exec(call[1] ?? '')?.[1] ?? '';
      const literal = /^(?:logging\.)?(\w+)$|^["'](\w+)["']$/.exec(level);
      if (literal) {
        found.push({ file, at, level: literal[1] && /^\d+$/.test(literal[1]) ? Number(literal[1]) : levelName(literal[1] ?? literal[2] ?? '') });
        return;
      }
      const env = /os\.(?:environ\.get|getenv)\(\s*["'](\w+)["']|os\.environ\[\s*["'](\w+)["']\s*\]/.exec(level);
      const variable = env?.[1] ?? env?.[2];
      const setter = variable ? environment?.get(variable) : undefined;
      const value = variable && setter ? valueOf(setter, variable) : undefined;
      // A Dockerfile's ENV is overridden by an env file a deployment file reads.
      const overridden = setter !== undefined && /^[^:]*Dockerfile[^:]*:/.test(setter) && envFileRead;
      found.push({ file, at: setter && !overridden ? `${at} (${setter})` : at, ...(value && !overridden ? { level: levelName(value) } : {}) });
    });
  }
  return found;
}

/** Whether code read turns a logger down to DEBUG itself (`log.setLevel(logging.DEBUG)`). */
export const setsDebug = (text: string): boolean => /\bsetLevel\(\s*(?:logging\.)?["']?(?:DEBUG|NOTSET|10|0)\b/.test(text);
