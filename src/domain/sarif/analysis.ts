/**
 * Analysis identity (ARCHITECTURE §4.5): an analysis is (repository, tool, category). A finding
 * counts as gone only when a later scan of the same analysis no longer reports it, so CodeQL for
 * Java and CodeQL for JavaScript, or two ESLint configurations given their own categories, never
 * close each other's findings.
 *
 * The category is, in order: the upload's `category` query parameter (GitHub's convention); the
 * run's `automationDetails.id` up to its last `/` (CodeQL writes `/language:java/`); else the
 * language of the files: a finding in a Python file belongs to `tool|lang:python`, and a run
 * speaks for the languages of the files it names (its results and `artifacts`, or the one language
 * a single-language tool such as Bandit or ESLint reads). Keying by each file's language rather
 * than by the set of a run's languages keeps the identity stable when a later run of the same
 * tool reports fewer languages (every JavaScript finding fixed): its Python findings can still go.
 */

/** The longest category kept; longer ones are refused at the upload (see `checkCategory`). */
export const MAX_CATEGORY_CHARS = 200;

const EXTENSION_LANGUAGES: Readonly<Record<string, string>> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript', ts: 'javascript', tsx: 'javascript', mts: 'javascript', cts: 'javascript',
  vue: 'javascript', html: 'javascript', htm: 'javascript', ejs: 'javascript', hbs: 'javascript',
  py: 'python', pyw: 'python', java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', groovy: 'java', jsp: 'java',
  go: 'go', rb: 'ruby', erb: 'ruby', php: 'php', cs: 'csharp', cshtml: 'csharp', c: 'cpp', h: 'cpp', cc: 'cpp', cpp: 'cpp', hpp: 'cpp',
  swift: 'swift', rs: 'rust', tf: 'terraform', yml: 'yaml', yaml: 'yaml', dockerfile: 'docker', json: 'json', xml: 'xml', sh: 'shell',
};

/** The language a file's name says, or undefined for names that say none (README, LICENSE). */
export function languageOfUri(uri: string): string | undefined {
  // Read in place, from the end (once per result on the ingest path): only the extension is copied,
  // and the whole name only when it starts with a D (Dockerfile).
  let dot = -1;
  let start = uri.length;
  while (start > 0) {
    const c = uri.charCodeAt(start - 1);
    if (c === 0x2f) break;
    start--;
    if (c === 0x2e && dot < 0) dot = start;
  }
  const first = uri.charCodeAt(start);
  if (first === 0x64 || first === 0x44) {
    const name = uri.slice(start).toLowerCase();
    if (name === 'dockerfile' || name.startsWith('dockerfile.')) return 'docker';
  }
  return dot < 0 ? undefined : EXTENSION_LANGUAGES[uri.slice(dot + 1).toLowerCase()];
}

/**
 * `languageOfUri` for the URIs of a run one after another: the last answer stands for a URI that
 * ends in the same `.extension` and whose file name cannot be a Dockerfile (does not start with a
 * D), so the extension is not copied and lower-cased again for every result.
 */
export function languageReader(): (uri: string) => string | undefined {
  let suffix = '';
  let language: string | undefined;
  return (uri) => {
    const slash = uri.lastIndexOf('/');
    const first = uri.charCodeAt(slash + 1);
    const plain = first !== 0x64 && first !== 0x44;
    if (plain && suffix !== '' && uri.endsWith(suffix)) return language;
    language = languageOfUri(uri);
    // Only an answer the extension alone gave stands for the next URI.
    const dot = uri.lastIndexOf('.');
    suffix = plain && dot > slash ? uri.slice(dot) : '';
    return language;
  };
}

/** `automationDetails.id` up to its last `/`, without slashes around it; undefined when it has none. */
export function automationCategory(id: string | null | undefined): string | undefined {
  if (typeof id !== 'string') return undefined;
  const slash = id.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const category = id.slice(0, slash).replace(/^\/+|\/+$/g, '').trim();
  return category === '' ? undefined : category.slice(0, MAX_CATEGORY_CHARS);
}

/** Languages a tool reads whatever its results say, so a run of it that found nothing still speaks for them. */
const SINGLE_LANGUAGE_TOOLS: Readonly<Record<string, string>> = {
  bandit: 'python', pylint: 'python', flake8: 'python', eslint: 'javascript', tslint: 'javascript', njsscan: 'javascript',
  gosec: 'go', brakeman: 'ruby', rubocop: 'ruby', spotbugs: 'java', findsecbugs: 'java', detekt: 'kotlin', hadolint: 'docker',
  tfsec: 'terraform', phpcs: 'php', psalm: 'php', 'security code scan': 'csharp',
};

/** The language a tool always reads, for single-language tools. */
export const toolLanguage = (toolName: string): string | undefined => SINGLE_LANGUAGE_TOOLS[toolName.trim().toLowerCase()];

/** The language part of an uncategorised analysis key for files whose name says no language. */
export const OTHER_LANGUAGE = 'other';

/** The analysis key of a finding: `tool|category`, or `tool|lang:<its file's language>` without a category. */
export function analysisKey(toolName: string, category: string | undefined, language: string | undefined): string {
  const tool = toolName.trim().toLowerCase();
  return category !== undefined ? `${tool}|${category}` : `${tool}|lang:${language ?? OTHER_LANGUAGE}`;
}

/** A readable name for an analysis key, for pages and PR text: `CodeQL (language:java)`. */
export function analysisLabel(key: string, toolName?: string): string {
  const bar = key.indexOf('|');
  const tool = toolName ?? (bar < 0 ? key : key.slice(0, bar));
  return bar < 0 ? tool : `${tool} (${key.slice(bar + 1)})`;
}

/**
 * The upload's `category` query parameter, checked: printable, at most `MAX_CATEGORY_CHARS`.
 * Returns the trimmed value, or the problem in words.
 */
export function checkCategory(value: string): { category: string } | { problem: string } {
  const category = value.trim();
  if (category === '') return { problem: 'Query parameter "category" is empty: leave it out, or name the analysis (e.g. "eslint-security").' };
  if ([...category].length > MAX_CATEGORY_CHARS) return { problem: `Query parameter "category" is ${[...category].length} characters long; at most ${MAX_CATEGORY_CHARS} are accepted.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069|]/.test(category)) {
    return { problem: 'Query parameter "category" contains a control character or "|": use letters, digits, "/", "-", "_", ":" or ".".' };
  }
  return { category };
}
