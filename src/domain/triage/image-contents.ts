import type { Mark } from './repository-facts';
import { codeFile } from './text-readers';
import { dirOf } from './repo-paths';

/**
 * What a production image holds, read from its Dockerfile: when every `COPY`/`ADD` of the build
 * context names specific paths (`COPY app ./app`, `COPY wsgi.py gunicorn.conf.py ./`) rather than the
 * whole context (`COPY . .`), a code file beside the Dockerfile that none of them copies is not in the
 * image, so it is a developer's file (a laptop runner, a maintenance script). Fail-safe conditions,
 * each one leaves every file as it was:
 * - the Dockerfile's name says development (`Dockerfile.dev`), or it has no CMD/ENTRYPOINT;
 * - any source is the whole context, a glob, or a path that is not in the listing beside the
 *   Dockerfile (the build context is then somewhere else: `docker build -f sub/Dockerfile .`);
 * - a source is build output (`COPY dist ./dist`): the sources it was built from ship transformed;
 * - another production Dockerfile in the same folder copies everything or copies the file;
 * - a compose file builds it from another context or mounts the folder into a container;
 * - a Procfile beside it runs the file.
 * `COPY --from=<stage>` copies from another stage, not from the context, and is not a source.
 */
const developmentName = /^Dockerfile[.-](dev|development|local|test|ci)$|^(dev|development|local|test|ci)\.Dockerfile$/i;
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

interface Copies {
  dockerfile: string;
  sources: string[];
  lines: string[];
  whole: boolean;
}

/** The context sources of a Dockerfile's COPY/ADD instructions (continuation lines joined; JSON form read). */
function copiesOf(dockerfile: string, text: string, files: ReadonlySet<string>, dirs: ReadonlySet<string>): Copies | undefined {
  const dir = dirOf(dockerfile);
  const instructions = text.replace(/\\\r?\n/g, ' ').split('\n').map((l) => l.trim());
  if (!instructions.some((l) => /^(CMD|ENTRYPOINT)\s/i.test(l))) return undefined;
  const result: Copies = { dockerfile, sources: [], lines: [], whole: false };
  for (const line of instructions) {
    const m = /^(COPY|ADD)\s+(.+)$/i.exec(line);
    if (!m) continue;
    let args = (m[2] ?? '').trim();
    if (/--from=/.test(args)) continue;
    args = args.replace(/--[\w-]+(=\S+)?\s+/g, '');
    const parts = args.startsWith('[') ? [...args.matchAll(/"([^"]+)"/g)].map((p) => p[1] ?? '') : args.split(/\s+/);
    const sources = parts.slice(0, -1);
    if (sources.length === 0) continue;
    result.lines.push(line.slice(0, 100));
    for (const source of sources) {
      const clean = source.replace(/^\.\//, '').replace(/\/$/, '');
      if (clean === '' || clean === '.' || /[*?[\]]|^\.\.|^https?:/.test(source)) {
        // The whole context, a glob or a parent folder: everything may be in the image.
        if (!/^(package|requirements|poetry|Pipfile|yarn|pnpm)[\w.*-]*$/.test(clean)) result.whole = true;
        continue;
      }
      const full = dir ? `${dir}/${clean}` : clean;
      if (!files.has(full) && !dirs.has(full)) return undefined;
      // Build output (`COPY dist ./dist`) ships the sources transformed: what is not copied may still run.
      if (/^(dist|build|out|lib|target|\.next|public\/build)(\/|$)/.test(clean)) return undefined;
      result.sources.push(full);
    }
  }
  return result.lines.length > 0 ? result : undefined;
}

/**
 * `.dockerignore` patterns as tests on a path relative to the context (`tests`, `**\/*.md`,
 * `scripts/*.py`, `docs/`); a pattern matches the path or a folder above it. Any `!` exception
 * makes the file too subtle to read here: nothing is taken from it.
 */
function dockerignore(text: string): { source: string; test: RegExp }[] | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.some((l) => l.startsWith('!'))) return undefined;
  return lines.map((source) => {
    const glob = source.replace(/^\.?\//, '').replace(/\/$/, '');
    const body = glob.split('/').map((part) => (part === '**' ? '(?:.*)' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/').replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
    return { source, test: new RegExp(`^${body}(?:/.*)?$`) };
  });
}

export function imageContents(files: readonly string[], contents: ReadonlyMap<string, string>, mark: Mark): void {
  const fileSet = new Set(files);
  const dirs = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  const byDir = new Map<string, Copies[]>();
  const blocked = new Set<string>();
  /** Folders whose production Dockerfile copies the whole build context (`COPY . .`). */
  const wholeByDir = new Map<string, string>();
  for (const [path, text] of contents) {
    const name = nameOf(path);
    if (!/^Dockerfile|\.Dockerfile$/.test(name) || developmentName.test(name)) continue;
    const copies = copiesOf(path, text, fileSet, dirs);
    if (!copies || copies.whole) {
      blocked.add(dirOf(path));
      if (copies?.whole) wholeByDir.set(dirOf(path), path);
      continue;
    }
    byDir.set(dirOf(path), [...(byDir.get(dirOf(path)) ?? []), copies]);
  }
  // A compose file that builds from another context or mounts code into a container changes what runs.
  for (const [path, text] of contents) {
    if (!/^(docker-)?compose[\w.-]*\.ya?ml$/.test(nameOf(path))) continue;
    if (/^\s*context\s*:\s*(?!\.\s*$|\.\/?\s*$)\S/m.test(text) || /^\s*-\s*["']?\.{1,2}(\/[\w./-]*)?:/m.test(text)) {
      blocked.add(dirOf(path));
      wholeByDir.delete(dirOf(path));
    }
  }
  const procfiles = [...contents].filter(([path]) => nameOf(path) === 'Procfile');
  // The whole context copied: only what `.dockerignore` leaves out is missing from the image.
  for (const [path, text] of contents) {
    if (nameOf(path) !== '.dockerignore') continue;
    const dir = dirOf(path);
    const wholeCopies = wholeByDir.get(dir);
    if (!wholeCopies || byDir.has(dir)) continue;
    const ignored = dockerignore(text);
    if (!ignored) continue;
    for (const file of files) {
      if (dir && !file.startsWith(`${dir}/`)) continue;
      const relative = dir ? file.slice(dir.length + 1) : file;
      const pattern = codeFile.test(file) ? ignored.find((p) => p.test.test(relative)) : undefined;
      if (!pattern || procfiles.some(([, t]) => t.includes(relative))) continue;
      mark(file, { category: 'non_production', evidence: `${wholeCopies} copies the build context into the image, but ${path} leaves out \`${pattern.source}\`, so ${relative} is not in it` });
    }
  }
  for (const [dir, all] of byDir) {
    if (blocked.has(dir)) continue;
    const sources = all.flatMap((c) => c.sources);
    const covered = (file: string): boolean => sources.some((s) => file === s || file.startsWith(`${s}/`));
    const nearer = [...byDir.keys(), ...blocked].filter((d) => d !== dir && d.startsWith(dir ? `${dir}/` : '') && d.length > dir.length);
    const described = all.map((c) => `${c.dockerfile} (${c.lines.map((l) => `\`${l}\``).join(', ')})`).join(' and ');
    for (const file of files) {
      if (dir && !file.startsWith(`${dir}/`)) continue;
      if (!codeFile.test(file) || covered(file) || nearer.some((d) => file.startsWith(`${d}/`))) continue;
      const relative = dir ? file.slice(dir.length + 1) : file;
      if (procfiles.some(([, text]) => text.includes(relative))) continue;
      mark(file, { category: 'non_production', evidence: `the production image copies only ${sources.map((s) => (dir ? s.slice(dir.length + 1) : s)).join(', ')} from the build context — ${described} — so ${relative} is not in it` });
    }
  }
}
