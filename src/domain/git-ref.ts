/**
 * Branch names as git (and so Bitbucket) accepts them: `git check-ref-format --branch` rules. An
 * upload naming a branch no repository can have is refused at once, with the rule it breaks.
 */

/** The rule a branch name breaks, in words, or undefined when git accepts it. */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === '@') return 'it is "@"';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  const forbidden = /[ ~^:?*[\\]/.exec(name);
  if (forbidden) return `it contains "${forbidden[0]}"`;
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.includes('//')) return 'it contains "//"';
  if (name.startsWith('/') || name.endsWith('/')) return 'it starts or ends with "/"';
  if (name.endsWith('.')) return 'it ends with "."';
  if (name.startsWith('-')) return 'it starts with "-"';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `its part "${part}" starts with "."`;
    if (part.endsWith('.lock')) return `its part "${part}" ends with ".lock"`;
  }
  return undefined;
}
