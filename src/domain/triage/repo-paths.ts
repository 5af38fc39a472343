/** Paths inside the repository, as the file listing spells them (forward slashes, no leading `./`). */

/** The folder of a repository path ('' at the root). */
export const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** `rel` resolved against the folder `dir`: `.` and empty parts dropped, `..` climbs (never above the root). */
export function joinPath(dir: string, rel: string): string {
  const out: string[] = [];
  for (const part of (dir ? `${dir}/${rel}` : rel).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
