/**
 * Django settings production runs, read from the deployment files: the module `DJANGO_SETTINGS_MODULE`
 * names in `wsgi.py`/`asgi.py`, a production Dockerfile, a Procfile or a production compose file, and
 * the base module it extends with `from .base import *`. A rule flagged in the base module about a
 * setting production adds or changes (`REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]`, `DEBUG`) is
 * answered by the production module, which is what runs.
 */
export interface ProductionSettings {
  /** The production settings module's file. */
  path: string;
  /** The deployment file and line that choose it. */
  chosenBy: string;
  /** Base modules it star-imports (files). */
  extends: readonly string[];
  /** Top-level names it assigns (`DEBUG`) and dict keys it sets under them (`REST_FRAMEWORK.DEFAULT_THROTTLE_CLASSES`), with the line. */
  sets: ReadonlyMap<string, { line: number; text: string }>;
}

/** Production settings modules by the conventional names, read with the manifests so the base's findings can be answered. */
export const productionSettingsName = /(^|\/)settings\/(?:prod|production|live)\w*\.py$/;

const developmentFile = /\.(dev|development|local|override|test|ci)\.(ya?ml|toml)$|Dockerfile[.-](dev|development|local|test|ci)$/i;

export function productionSettings(files: readonly string[], contents: ReadonlyMap<string, string>): ProductionSettings[] {
  const found: ProductionSettings[] = [];
  const seen = new Set<string>();
  for (const [path, text] of contents) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!/^(wsgi|asgi)\.py$|^Dockerfile|^Procfile$|^(docker-)?compose[\w.-]*\.ya?ml$/.test(name) || developmentFile.test(name)) continue;
    text.split('\n').forEach((line, index) => {
      const module = /DJANGO_SETTINGS_MODULE["']?\s*(?:,|=|:)\s*["']?([\w.]+)/.exec(line)?.[1];
      if (!module) return;
      const suffix = `${module.replace(/\./g, '/')}.py`;
      const file = files.find((f) => f === suffix || f.endsWith(`/${suffix}`));
      const body = file ? contents.get(file) : undefined;
      if (!file || body === undefined || seen.has(file)) return;
      seen.add(file);
      const dir = file.slice(0, file.lastIndexOf('/'));
      const bases = [...body.matchAll(/^from\s+([\w.]+)\s+import\s+\*/gm)].map((m) => {
        const ref = m[1] ?? '';
        const relative = ref.startsWith('.') ? `${dir}/${ref.replace(/^\./, '').replace(/\./g, '/')}.py` : undefined;
        return relative ?? files.find((f) => f.endsWith(`/${ref.replace(/\./g, '/')}.py`)) ?? '';
      }).filter((f) => f !== '' && files.includes(f));
      found.push({ path: file, chosenBy: `${path}:${index + 1} \`${line.trim()}\``, extends: bases, sets: assignments(body) });
    });
  }
  return found;
}

/** Top-level assignments of a settings module and the string keys of the dict literals they assign. */
function assignments(text: string): Map<string, { line: number; text: string }> {
  const sets = new Map<string, { line: number; text: string }>();
  let current: string | undefined;
  text.split('\n').forEach((line, index) => {
    const top = /^([A-Z][A-Z0-9_]*)\s*=(?!=)\s*(.*)$/.exec(line);
    if (top) {
      current = top[1] ?? '';
      sets.set(current, { line: index + 1, text: line.trim() });
      return;
    }
    if (/^\S/.test(line)) current = undefined;
    const key = current ? /^\s+["']([A-Z][A-Z0-9_]*)["']\s*:\s*(.*)$/.exec(line) : null;
    if (key && current) sets.set(`${current}.${key[1]}`, { line: index + 1, text: line.trim() });
  });
  return sets;
}

/** What a rule asks of the settings, and the production setting that answers it. */
const answers: { rule: RegExp; setting: string; holds: (text: string) => boolean; says: string }[] = [
  { rule: /throttl/, setting: 'REST_FRAMEWORK.DEFAULT_THROTTLE_CLASSES', holds: (text) => /:\s*[[(]\s*(?:$|["'])/.test(text), says: 'sets throttle classes for every API view' },
  { rule: /debug/, setting: 'DEBUG', holds: (text) => /=\s*False\b/.test(text), says: 'turns DEBUG off' },
  // The session and CSRF cookies' flags and HTTPS, which Django settings turn on once for every response.
  { rule: /session.{0,20}(secure|cwe-614)|(secure|cwe-614).{0,20}session/, setting: 'SESSION_COOKIE_SECURE', holds: (text) => /=\s*True\b/.test(text), says: 'marks the session cookie Secure' },
  { rule: /csrf.{0,20}(secure|cwe-614)|(secure|cwe-614).{0,20}csrf/, setting: 'CSRF_COOKIE_SECURE', holds: (text) => /=\s*True\b/.test(text), says: 'marks the CSRF cookie Secure' },
  { rule: /session.{0,20}(httponly|cwe-1004)|(httponly|cwe-1004).{0,20}session/, setting: 'SESSION_COOKIE_HTTPONLY', holds: (text) => /=\s*True\b/.test(text), says: 'marks the session cookie HttpOnly' },
  { rule: /ssl-?redirect|ssl_redirect|https-?redirect/, setting: 'SECURE_SSL_REDIRECT', holds: (text) => /=\s*True\b/.test(text), says: 'redirects every request to HTTPS' },
  { rule: /hsts|strict-?transport/, setting: 'SECURE_HSTS_SECONDS', holds: (text) => /=\s*[1-9][\d_]*\s*(?:#.*)?$/.test(text), says: 'sends Strict-Transport-Security' },
];

/** The production settings line that answers `rule` flagged in `path`, when `path` is a base production extends. */
export function answeredInProduction(settings: readonly ProductionSettings[] | undefined, path: string, rule: string): string | undefined {
  for (const production of settings ?? []) {
    if (!production.extends.includes(path)) continue;
    for (const answer of answers) {
      const set = answer.rule.test(rule) ? production.sets.get(answer.setting) : undefined;
      if (set && answer.holds(set.text)) return `${production.path} (the settings production runs, chosen by ${production.chosenBy}) extends ${path} and ${answer.says} (line ${set.line}: \`${set.text}\`)`;
    }
  }
  return undefined;
}
