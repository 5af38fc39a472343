import { escape } from './guards';

/**
 * multer's `file.originalname` when multer (busboy underneath) reduced it to a base name: without
 * `preservePath`, busboy keeps only what follows the last `/` or `\` of the client's file name (and
 * drops a bare `.` or `..`), so the name holds no folder. Put after a prefix in the same path
 * segment (`${treeId}-${file.originalname}`) it names a file inside the folder it is joined to and
 * cannot climb out. Only for a value the code shows to be multer's (`file: Express.Multer.File`,
 * NestJS `@UploadedFile() file`, `req.file` in a module importing multer), never when a file read
 * sets `preservePath` or gives multer a storage engine of its own, and never at the start of a
 * segment (a bare base name may still be `.htaccess` or another user's file).
 */

/** Modules the scan read, per file lines: set by value-flow before it classifies (`preservePath` may be set in another file, the controller). */
const repositoryModules = new WeakMap<readonly string[], readonly (readonly string[])[]>();

export function rememberModules(module: readonly string[], modules: ReadonlyMap<string, readonly string[]> | undefined): void {
  repositoryModules.set(module, [...(modules?.values() ?? [])]);
}

/** A file read sets `preservePath` (to anything but `false`) or a storage engine that is not multer's own. */
function basenameKept(module: readonly string[]): boolean {
  const texts = [module, ...(repositoryModules.get(module) ?? [])].map((lines) => lines.join('\n'));
  return !texts.some((text) => /\bpreservePath\s*:\s*(?!false\b)/.test(text) || /\bstorage\s*:\s*(?!(?:multer\.)?(?:memoryStorage|diskStorage)\()/.test(text));
}

/** `holder` is multer's file: annotated `Express.Multer.File`, bound by `@UploadedFile()`, or `req.file` where multer is imported. */
function multerFile(holder: string, module: readonly string[]): boolean {
  if (/^(?:req|request)\.file$/.test(holder)) return module.some((l) => /\bfrom\s+["']multer["']|require\(\s*["']multer["']\s*\)/.test(l));
  const h = escape(holder);
  const bound = module.some((l) => new RegExp(String.raw`(?:@UploadedFile\([^()]*\)\s*)?(?<![\w$.])${h}\s*\??\s*:\s*Express\.Multer\.File\b(?!\[)|@UploadedFile\([^()]*\)\s*${h}\b`).test(l));
  const reassigned = module.some((l) => new RegExp(String.raw`(?<![\w$.])${h}(?:\.originalname)?\s*=(?!=)`).test(l) && !/\b(?:const|let|var)\s/.test(l));
  return bound && !reassigned;
}

/**
 * Replaces each `holder.originalname` of `text` that follows a prefix in its path segment (inside a
 * template literal, after text not ending in a separator) with ` 0 `, noting it in `found`.
 */
export function multerBaseNames(text: string, module: readonly string[], found: string[]): string {
  if (!/\.originalname\b/.test(text) || !basenameKept(module)) return text;
  return text.replace(/(`[^`]*?)\$\{\s*((?:req|request)\.file|[A-Za-z_$][\w$]*)\.originalname\s*\}/g, (all, before: string, holder: string) => {
    const prefix = before.slice(before.lastIndexOf('`') + 1);
    const last = prefix.slice(-1);
    if (!prefix || last === '/' || last === '\\' || !multerFile(holder, module)) return all;
    found.push(`${holder}.originalname`);
    return `${before}\${ 0 }`;
  });
}
