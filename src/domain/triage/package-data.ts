import type { NumberedLine } from './code-view';
import { ownFolderPath } from './fixed-values';
import { escape } from './guards';

/**
 * A YAML file the package ships, loaded by its own code (`yaml.load(open(CONFIG))` with
 * `CONFIG = os.path.join(os.path.dirname(__file__), "..", "config", "collections.yaml")`): the path
 * is made only from the module's own folder and literals, and the file it names is in the repository,
 * so what is deserialised changes only by a commit. A file chosen by the request, uploaded, or not in
 * the repository (written at run time) is not this.
 */

/** Rules about loading YAML with a loader that builds objects. */
export const yamlLoadRule = /pyyaml|yaml[-_.]?load|\bB506\b|unsafe-yaml/i;

/** The repository path an own-folder expression names, from the module at `from`. */
export function resolveOwnPath(expression: string, from: string): string | undefined {
  if (!ownFolderPath(expression)) return undefined;
  const parts = from.split('/').slice(0, -1);
  // Each `dirname(`/`.parent` climbs from the file; `parents[n]` climbs n + 1.
  const total = (expression.match(/\bdirname\(|\.parent\b(?!s)/g) ?? []).length + [...expression.matchAll(/\.parents\[(\d)\]/g)].reduce((n, m) => n + Number(m[1]) + 1, 0);
  // `__file__` names the file, `__dirname` its folder.
  const climbs = /__file__|__filename|import\.meta\.url/.test(expression) ? total - 1 : total;
  if (climbs < 0) return undefined;
  parts.splice(parts.length - climbs, climbs);
  const pieces = [...expression.matchAll(/os\.pardir|(["'])([^"']*)\1/g)].flatMap((m) => (m[0] === 'os.pardir' ? ['..'] : (m[2] ?? '').split('/')));
  for (const piece of pieces) {
    if (piece === '' || piece === '.') continue;
    if (piece === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(piece);
  }
  return parts.join('/');
}

/** What `yaml.load(…)` in `statement` reads, when it is a file of the package: its repository path and the code that names it. */
export function packageYaml(statement: string, scope: readonly NumberedLine[], module: readonly string[], from: string, dataFiles: ReadonlySet<string> | undefined): { file: string; code: string } | undefined {
  if (!dataFiles) return undefined;
  const call = /\byaml\.(?:load|load_all|unsafe_load|full_load)\(\s*([^,()]+(?:\([^()]*\))?)/.exec(statement);
  let target = (call?.[1] ?? '').trim();
  if (!target) return undefined;
  const opened = /^open\(\s*([^,()]+)/.exec(target);
  if (opened) target = (opened[1] ?? '').trim();
  else if (/^[A-Za-z_]\w*$/.test(target)) {
    // `with open(CONFIG, encoding="utf-8") as fh:` (or `fh = open(CONFIG)`) in the function.
    // pathlib's `with CONFIG.open() as fh:` (or `fh = CONFIG.open()`) opens the path it is called on.
    const bound = scope.map((l) => new RegExp(String.raw`^\s*(?:with\s+open\(\s*([^,()]+)[^)]*\)\s+as\s+${escape(target)}\s*:|${escape(target)}\s*=\s*open\(\s*([^,()]+)[^)]*\)\s*$|with\s+([A-Za-z_]\w*)\.open\([^()]*\)\s+as\s+${escape(target)}\s*:|${escape(target)}\s*=\s*([A-Za-z_]\w*)\.open\([^()]*\)\s*$)`).exec(l.text)).filter(Boolean);
    if (bound.length !== 1) return undefined;
    target = (bound[0]?.[1] ?? bound[0]?.[2] ?? bound[0]?.[3] ?? bound[0]?.[4] ?? '').trim();
  } else return undefined;
  let path = target;
  let code = target;
  if (/^[A-Za-z_]\w*$/.test(target)) {
    // A name the module sets once, at its top level, and the function never rebinds.
    if (scope.some((l) => new RegExp(String.raw`^\s+(?:global\s+.*\b${escape(target)}\b|${escape(target)}\s*=(?!=))`).test(l.text))) return undefined;
    const top = module.filter((l) => new RegExp(String.raw`^${escape(target)}\s*(?::[^=]+)?=(?!=)`).test(l));
    if (top.length !== 1) return undefined;
    path = (top[0] ?? '').replace(/^[^=]+=\s*/, '');
    code = (top[0] ?? '').trim();
  }
  const file = resolveOwnPath(path, from);
  return file && dataFiles.has(file) ? { file, code } : undefined;
}
