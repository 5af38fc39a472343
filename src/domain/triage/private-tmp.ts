import type { EntryPoints } from './entry-points';
import { dirOf } from './repo-paths';

/**
 * Where a fixed `/tmp` path is private to one application: a production Dockerfile whose final
 * stage runs its command as a non-root `USER` gives the application a container of its own, and the
 * container's `/tmp` is shared with no other local user. Read line by line from the Dockerfile (its
 * last stage only: `FROM … AS build` stages never run), with the COPY lines that put the code in
 * the image. Fail-safe: nothing is recorded when the image runs as root or names no user, when a
 * deployment file mounts the host's `/tmp` into a container, or when a host-side entry point
 * (a crontab, systemd unit, supervisor program or Procfile line that does not go through
 * `docker`/`kubectl`) runs code of the same folder outside the container.
 */
export interface PrivateTmp {
  /** The folder holding the Dockerfile ('' for the repository root). */
  dir: string;
  /** `Dockerfile:15: USER spokes`, the evidence. */
  user: string;
  /** The COPY sources of the final stage, relative to `dir` ('.' for the whole context). */
  sources: string[];
  /** The private path: `/tmp` for a container's own, a Kubernetes `emptyDir`'s mount path (`/tmp/work`). */
  prefix: string;
}

const developmentDockerfile = /^Dockerfile[.-](dev|development|local|test|ci)$|^(dev|development|local|test|ci)\.Dockerfile$/i;
const hostEntry = /(^|\/)(crontab(\.[\w-]+)?|[\w.-]+\.cron(tab)?|[\w.-]+\.(service|timer)|supervisor[\w.-]*\.conf|Procfile)(:\d+)?$/;
/** A deployment file mounting the host's /tmp (`- /tmp:/tmp`, `-v /tmp:/scratch`, a `hostPath` of `/tmp`). */
const hostTmpMount = /(?:^\s*-\s*["']?\/tmp(?:\/[\w.-]*)*:|-v\s+\/tmp(?:\/[\w.-]*)*:|--volume[=\s]+\/tmp(?:\/[\w.-]*)*:|^\s*path:\s*["']?\/tmp\b)/m;

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function privateTmpContainers(contents: ReadonlyMap<string, string>, entries: EntryPoints): PrivateTmp[] {
  for (const [path, text] of contents) {
    if (/\.(ya?ml|sh|bash|json|toml)$|(^|\/)Makefile$/.test(path) && hostTmpMount.test(text)) return [];
  }
  const found: PrivateTmp[] = [];
  for (const [path, text] of contents) {
    const name = nameOf(path);
    if (!/^Dockerfile|\.Dockerfile$/.test(name) || developmentDockerfile.test(name)) continue;
    const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
    const rawLines = text.split('\n');
    const lastFrom = lines.map((l, i) => (/^\s*FROM\s/i.test(l) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    const stage = lines.slice(Math.max(0, lastFrom));
    if (!stage.some((l) => /^\s*(CMD|ENTRYPOINT)\s/i.test(l))) continue;
    const users = stage.filter((l) => /^\s*USER\s+\S/i.test(l));
    const user = users[users.length - 1]?.trim();
    const account = user?.replace(/^USER\s+/i, '').split(':')[0] ?? '';
    if (!user || /^(root|0)$/.test(account)) continue;
    const sources = finalStageSources(text);
    const dir = dirOf(path);
    const userLine = rawLines.findIndex((l) => l.trim() === user) + 1;
    // A host-side program of the same folder runs its code outside the container.
    const outside = entries.points.some((p) => hostEntry.test(p.at.replace(/:\d+$/, '')) && (dir === '' || p.at.startsWith(`${dir}/`)) && !/^\s*(docker|podman|kubectl)\b/.test(p.command));
    if (outside) continue;
    found.push({ dir, user: `${path}:${userLine || '?'}: \`${user}\``, sources, prefix: '/tmp' });
  }
  found.push(...emptyDirTmp(contents, entries), ...privateTmpUnits(contents, entries));
  return found;
}

/**
 * A systemd unit with `PrivateTmp=true`: the program its `ExecStart` runs gets a `/tmp` of its own.
 * The folder of the file it runs is covered, unless another host-side entry point (a unit without
 * it, a crontab, a Procfile) runs a file of that folder too.
 */
function privateTmpUnits(contents: ReadonlyMap<string, string>, entries: EntryPoints): PrivateTmp[] {
  const found: PrivateTmp[] = [];
  for (const [path, text] of contents) {
    if (!/\.service$/.test(path)) continue;
    const line = text.split('\n').findIndex((l) => /^\s*PrivateTmp\s*=\s*(true|yes|on|1)\s*$/i.test(l));
    if (line < 0) continue;
    for (const point of entries.points.filter((p) => p.at.startsWith(`${path}:`))) {
      for (const run of point.runs) {
        const dir = dirOf(run.file);
        const others = entries.points.some((p) => !p.at.startsWith(`${path}:`) && hostEntry.test(p.at.replace(/:\d+$/, '')) && p.runs.some((r) => r.file.startsWith(`${dir}/`)));
        if (!others) found.push({ dir, user: `${path}:${line + 1}: \`PrivateTmp=true\` (${point.at}: \`${point.command.slice(0, 60)}\`)`, sources: ['.'], prefix: '/tmp' });
      }
    }
  }
  return found;
}

const workloadFolder = /\/(k8s|kube|kubernetes|deploy|deployment|deployments|manifests|helm|charts|ops|infra)\//;

/**
 * A Kubernetes workload mounting an `emptyDir` volume at `/tmp` or below it: that folder is the
 * pod's own scratch space. The code is that of the Dockerfile of the application folder holding
 * the workload's folder (`app/deploy/k8s/worker.yaml` → `app/Dockerfile`), by its COPY lines.
 */
function emptyDirTmp(contents: ReadonlyMap<string, string>, entries: EntryPoints): PrivateTmp[] {
  const found: PrivateTmp[] = [];
  for (const [path, text] of contents) {
    if (!/\.ya?ml$/.test(path) || !/^\s*kind:\s*(Deployment|StatefulSet|DaemonSet|Job|CronJob)\b/m.test(text)) continue;
    const cut = workloadFolder.exec(`/${path}`);
    if (!cut) continue;
    const dir = `/${path}`.slice(1, cut.index);
    const dockerfile = dir === '' ? 'Dockerfile' : `${dir}/Dockerfile`;
    const image = contents.get(dockerfile);
    if (image === undefined) continue;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const mount = /\{?\s*name:\s*["']?([\w-]+)["']?\s*,\s*mountPath:\s*["']?(\/tmp(?:\/[\w.-]+)*)\/?["']?/.exec(line)
        ?? (/^\s*-?\s*mountPath:\s*["']?(\/tmp(?:\/[\w.-]+)*)/.test(line) ? [line, /name:\s*["']?([\w-]+)/.exec(`${lines[i - 1] ?? ''} ${lines[i + 1] ?? ''} ${line}`)?.[1] ?? '', /mountPath:\s*["']?(\/tmp(?:\/[\w.-]+)*)/.exec(line)?.[1] ?? ''] : null);
      const volume = mount?.[1];
      if (!mount || !volume) return;
      const declared = lines.findIndex((l, j) => new RegExp(String.raw`name:\s*["']?${volume}["']?\b`).test(l) && j !== i && /emptyDir\s*:/.test(`${l} ${lines[j + 1] ?? ''}`));
      if (declared < 0) return;
      if (entries.points.some((p) => hostEntry.test(p.at.replace(/:\d+$/, '')) && (dir === '' || p.at.startsWith(`${dir}/`)) && !/^\s*(docker|podman|kubectl)\b/.test(p.command))) return;
      found.push({ dir, user: `${path}:${i + 1}: \`${line.trim().slice(0, 80)}\` (an emptyDir, line ${declared + 1})`, sources: finalStageSources(image), prefix: mount[2] ?? '/tmp' });
    });
  }
  return found;
}

/** COPY/ADD sources of a Dockerfile's final stage (not `--from=` another stage). */
function finalStageSources(text: string): string[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
  const lastFrom = lines.map((l, i) => (/^\s*FROM\s/i.test(l) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  return lines.slice(Math.max(0, lastFrom)).flatMap((l) => {
    const m = /^\s*(?:COPY|ADD)\s+(.+)$/i.exec(l);
    if (!m || /--from=/.test(m[1] ?? '')) return [];
    const parts = (m[1] ?? '').replace(/--[\w-]+(=\S+)?\s+/g, '').replace(/[[\]"',]/g, ' ').split(/\s+/).filter(Boolean);
    return parts.slice(0, -1).map((s) => s.replace(/^\.\//, '').replace(/\/$/, '') || '.');
  });
}

/** The private-`/tmp` container whose image holds `path` and whose private folder holds the `/tmp` path written there. */
export function privateTmpOf(containers: readonly PrivateTmp[] | undefined, path: string, tmpPath: string): PrivateTmp | undefined {
  return (containers ?? []).find((c) => {
    const rel = c.dir === '' ? path : path.startsWith(`${c.dir}/`) ? path.slice(c.dir.length + 1) : undefined;
    const inside = tmpPath === c.prefix || tmpPath.startsWith(`${c.prefix}/`);
    return inside && rel !== undefined && c.sources.some((s) => s === '.' || rel === s || rel.startsWith(`${s}/`));
  });
}
