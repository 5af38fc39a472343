import type { Mark } from './repository-facts';
import { dirOf, joinPath as join } from './repo-paths';

/**
 * Readers of code kept as text (`repository-facts.ts` calls them with the files it read): a folder
 * a reader locates from its own file and reads or serves as text, and browser code fetched from a
 * static folder and shown as text.
 */

/** Folder names that say they hold code kept as data (snippets shown on a page, exercise files). */
export const textDataFolder = /^(snippets?|examples?|samples?|playground|challenges?|exercises?|codefixes)$/i;
export const codeFile = /\.(js|mjs|cjs|ts|py|rb|php|java|go)$/;


/**
 * A folder located from the reader's own file (`Path(__file__).parent / "recipes"`,
 * `path.join(__dirname, '..', 'public', 'playground')`, `os.path.join(os.path.dirname(__file__),
 * "snippets")`) in a file that reads files as text (`read_text`, `open(`, `readFile`) and runs
 * nothing (no `subprocess`, `child_process`, `importlib`, `runpy`, dynamic `require`/`import` of
 * it): what the folder holds is data the reader shows, not code that runs. Any folder name counts;
 * the evidence is the reader. Unless the folder's name says it holds such data (snippets,
 * examples, …), only the code files the reader names are marked: by extension (`glob("*.py")`,
 * `'.js'`) or by file name (an allow-list of them).
 */
const runsCode = /\bsubprocess\b|child_process|\bimportlib\.(?:import_module|util|reload|machinery)\b|\bimport_module\(|\brunpy\b|__import__|\bexecFile\w*\(|\bspawn\w*\(|\bnew\s+Worker\(|\bexec\s*\(|\beval\s*\(|\bvm\.run\w*\(|\brequire\s*\(\s*[^'"`\s)]/;
export function textDataFolderOf(path: string, text: string, files: readonly string[], mark: Mark): void {
  // Read as text, or served with a text content type (a script served as text/plain is shown, not run).
  const readsText = /\.read_text\(|\.read_bytes\(|\bopen\(|readFile(Sync)?\(|createReadStream\(/.test(text) ||
    (/\b(?:sendFile|send_file|send_from_directory|FileResponse)\(/.test(text) && /text\/plain|\.type\(\s*['"](?:text|txt)['"]\s*\)/.test(text));
  if (!readsText || runsCode.test(text)) return;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (!/__file__|__dirname|import\.meta\.url/.test(line) || /\brequire\s*\(|\bimport\s*\(|importlib|__import__/.test(line)) return;
    const folder = folderFrom(path, line);
    if (!folder) return;
    const inside = files.filter((f) => f.startsWith(`${folder}/`) && codeFile.test(f));
    if (inside.length === 0) return;
    const name = folder.slice(folder.lastIndexOf('/') + 1);
    const beside = dirOf(folder) === dirOf(path);
    const evidence = `${path}:${index + 1} reads the files of ${beside ? `${name}/ beside it` : `${folder}/`} as text (\`${line.trim().slice(0, 100)}\`)`;
    if (textDataFolder.test(name)) {
      mark(`${folder}/`, { category: 'non_production', evidence });
      return;
    }
    // The files the reader names: by extension or by name.
    const literals = [...text.matchAll(/["'`]([^"'`\n]{1,80})["'`]/g)].map((m) => m[1] ?? '');
    const extensions = new Set(literals.flatMap((l) => /^\*?\.(\w{1,4})$/.exec(l.replace(/^\*\*\//, ''))?.[1] ?? []));
    const names = new Set(literals.map((l) => l.slice(l.lastIndexOf('/') + 1)));
    for (const file of inside) {
      const base = file.slice(file.lastIndexOf('/') + 1);
      if (names.has(base) || extensions.has(base.slice(base.lastIndexOf('.') + 1))) mark(file, { category: 'non_production', evidence });
    }
  });
}

/**
 * The repository folder a line builds from the reader's own location, or undefined: the reader's
 * folder, one level up per extra `.parent`/`dirname(` (pathlib's `parents[n]` too), then the string
 * segments in order (`'..'` included). A segment with a dot is taken for a file, not a folder.
 */
function folderFrom(path: string, line: string): string | undefined {
  const anchor = /Path\(\s*__file__\s*\)((?:\.resolve\(\))?(?:\.parent)+|\.parents\[(\d)\])|(?:os\.path\.dirname\(\s*)+(?:os\.path\.(?:abspath|realpath)\(\s*)?__file__|__dirname|new\s+URL\([^)]*import\.meta\.url/.exec(line);
  if (!anchor) return undefined;
  let ups = 0;
  if (anchor[1]) ups = anchor[2] !== undefined ? Number(anchor[2]) : (anchor[1].match(/\.parent/g) ?? []).length - 1;
  else if (/dirname/.test(anchor[0])) ups = (anchor[0].match(/dirname\(/g) ?? []).length - 1;
  const after = line.slice((anchor.index ?? 0) + anchor[0].length);
  const segments = [...after.matchAll(/["'`]([\w./-]+)["'`]/g)].map((m) => m[1] ?? '');
  if (segments.length === 0 || segments.some((s) => /\.\w+$/.test(s) && !/^\.+$/.test(s))) return undefined;
  let dir = dirOf(path);
  for (let i = 0; i < ups; i += 1) dir = dirOf(dir);
  const folder = join(dir, segments.join('/'));
  return folder === '' || folder === dirOf(path) ? undefined : folder;
}


/**
 * Browser code that fetches scripts from a URL folder and shows them as text
 * (`fetch('/demos/' + name).then((r) => r.text()).then((code) => { pre.textContent = code; })`):
 * the code files served under that folder from a static root (`public/`, `static/`, `assets/`,
 * `www/`) are shown, not run. Needs both the fetch read as text (`.text()`) and the text put into
 * the page as text (`textContent`, `innerText`, a `<pre>`, a highlighter), never `eval`, a
 * `<script>` element or `import()` of it.
 */
export function fetchedAsText(path: string, text: string, files: readonly string[], mark: Mark): void {
  if (!/\.text\(\)/.test(text) || !/textContent|innerText|<pre\b|createElement\(\s*['"]pre['"]|hljs|highlight|Prism/.test(text)) return;
  if (/\beval\s*\(|new\s+Function\(|createElement\(\s*['"]script['"]|\bimport\s*\(/.test(text)) return;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const m of line.matchAll(/\bfetch\(\s*[`'"](\/(?:[\w.-]+\/)+)/g)) {
      const prefix = (m[1] ?? '').replace(/^\//, '');
      const shown = files.filter((f) => codeFile.test(f) && /(^|\/)(public|static|assets|www)\//.test(f) && f.includes(`/${prefix}`) &&
        f.slice(f.indexOf(`/${prefix}`) + prefix.length + 1).indexOf('/') < 0);
      for (const file of shown) {
        mark(file, { category: 'non_production', evidence: `${path}:${index + 1} fetches the files of /${prefix} and shows them as text (\`${line.trim().slice(0, 90)}\`)` });
      }
    }
  });
}

/** Files that mark the root of one application in a repository that may hold several. */
const projectManifest = /^(package\.json|pyproject\.toml|requirements\.txt|setup\.py|go\.mod|pom\.xml|build\.gradle(\.kts)?|Gemfile|composer\.json|Dockerfile)$/;

/**
 * The folder of the application `path` belongs to: the nearest folder above it holding a project
 * manifest ('' for the repository root, or when none is found). A protection or a setting read in
 * one application says nothing about another beside it.
 */
export function projectRoot(path: string, files: readonly string[]): string {
  const roots = new Set(files.filter((f) => projectManifest.test(f.slice(f.lastIndexOf('/') + 1))).map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '')));
  let dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  for (;;) {
    if (roots.has(dir)) return dir;
    if (dir === '') return '';
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
}

/** Whether `path` lies in the application rooted at `root`. */
export const withinProject = (path: string, root: string): boolean => root === '' || path.startsWith(`${root}/`);
