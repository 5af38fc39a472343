/** What kind of code a path holds, judged from the path alone. */
export type PathKind = 'test' | 'vendored' | 'generated' | 'docs' | 'source';

const rules: { kind: Exclude<PathKind, 'source'>; pattern: RegExp; reason: string }[] = [
  { kind: 'vendored', pattern: /(^|\/)(node_modules|vendor|third[_-]?party|bower_components|site-packages)\//i, reason: 'vendored third-party code' },
  { kind: 'generated', pattern: /(\.min\.(js|css)$|(^|\/)(dist|build|generated|__generated__)\/|\.generated\.|_pb2\.py$)/i, reason: 'generated or minified code' },
  { kind: 'test', pattern: /(^|\/)(tests?|__tests__|spec|specs|testing|test_?data|fixtures?)\/|(^|\/)test_[^/]+\.py$|_test\.(py|go)$|\.(test|spec)\.[jt]sx?$|Tests?\.java$/i, reason: 'test code' },
  { kind: 'docs', pattern: /(^|\/)(docs?|examples?|samples?|demo)\//i, reason: 'documentation or example code' },
];

export function classifyPath(path: string): { kind: PathKind; reason?: string } {
  for (const rule of rules) if (rule.pattern.test(path)) return { kind: rule.kind, reason: rule.reason };
  return { kind: 'source' };
}
