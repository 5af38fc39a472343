/** What kind of code a path holds, judged from the path alone. */
export type PathKind = 'test' | 'vendored' | 'generated' | 'docs' | 'source';

// Well-known browser libraries copied into a repository keep their upstream file names; only names
// with no common meaning inside an application are listed (not `app.js`, `bootstrap.js`, `chart.js`).
const libraryFiles = /(^|\/)(jquery[\w.-]*|backbone[\w.-]*|underscore[\w.-]*|lodash[\w.-]*|three(\.module)?|d3(\.v\d+)?|moment(-with-locales)?|handlebars[\w.-]*|modernizr[\w.-]*|popper[\w.-]*|select2[\w.-]*|knockout[\w.-]*|mootools[\w.-]*|[\w]*wysihtml5[\w.-]*|bootstrap-slider)\.js$/i;
// `name-1.2.3.js` is a release artefact, not hand-written code.
const versionedFile = /(^|\/)[a-z][\w-]*-\d+\.\d+(\.\d+)?(\.min)?\.js$/i;

const rules: { kind: Exclude<PathKind, 'source'>; pattern: RegExp; reason: string }[] = [
  { kind: 'vendored', pattern: /(^|\/)(node_modules|vendor|vendors|third[_-]?party|bower_components|site-packages|\.mvn\/wrapper|gradle\/wrapper)\//i, reason: 'vendored third-party code' },
  // Library folders inside a web app's static assets (`static/js/libs/`, `static/plugins/`).
  { kind: 'vendored', pattern: /(^|\/)(static|assets|public|resources|wwwroot)\/(.*\/)?(libs?|plugins|external)\//i, reason: 'vendored third-party code' },
  { kind: 'vendored', pattern: libraryFiles, reason: 'a vendored copy of a third-party library' },
  { kind: 'vendored', pattern: versionedFile, reason: 'a vendored copy of a third-party library' },
  { kind: 'generated', pattern: /(\.min\.(js|css)$|(^|\/)(dist|build|generated|__generated__)\/|\.generated\.|_pb2\.py$)/i, reason: 'generated or minified code' },
  { kind: 'test', pattern: /(^|\/)(tests?|__tests__|spec|specs|testing|test_?data|fixtures?)\/|(^|\/)(test_[^/]+|[^/]+_tests?|tests?|conftest)\.py$|_test\.go$|[.-](test|spec)\.[jt]sx?$|Spec\.[jt]sx?$/i, reason: 'test code' },
  // Case-sensitive on purpose: `UserTest.java` is a test, `Latest.java` is not.
  { kind: 'test', pattern: /(^|\/)(\w+Tests?|Test\w+|\w+IT)\.java$/, reason: 'test code' },
  // Not a Java package segment (`src/main/java/com/example/…` is the application).
  { kind: 'docs', pattern: /^(?!(.*\/)?src\/main\/)(.*\/)?(?<!(^|\/)(com|org|net|io)\/)(docs?|examples?|samples?|demo)\//i, reason: 'documentation or example code' },
];

export function classifyPath(path: string): { kind: PathKind; reason?: string } {
  for (const rule of rules) if (rule.pattern.test(path)) return { kind: rule.kind, reason: rule.reason };
  return { kind: 'source' };
}
