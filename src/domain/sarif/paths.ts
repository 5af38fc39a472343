/**
 * SARIF artifact locations → repository-relative paths. The output is either a clean relative
 * path (forward slashes, no `.`/`..`, never escaping the repository) or nothing: anything the
 * app could not safely read or write (other schemes, hosts, escaping `..`, unmappable absolute
 * paths, container images, text that is not a URI) yields no path.
 */
import { MAX_URI_CHARS } from './bounds';
import type { ArtifactLocationData, RunData } from './schema';

/** Base ids that conventionally name the checkout root (compared upper-case, without `%`, `_`, `-`). */
const SOURCE_ROOT_NAMES: ReadonlySet<string> = new Set(['SRCROOT', 'SOURCEROOT', 'ROOTPATH', 'PROJECTROOT', 'REPOROOT', 'REPOSITORYROOT', 'WORKSPACE', 'WORKSPACEROOT', 'CHECKOUTROOT']);
const normaliseBaseName = (name: string): string => name.replace(/[%_-]/g, '').toUpperCase();

export interface PathContext {
  bases: Readonly<Record<string, ArtifactLocationData>>;
  /** The `originalUriBaseIds` entry treated as the repository root, wherever it was checked out. */
  sourceRootId: string | undefined;
  /** Absolute checkout paths (normalised, never a filesystem root) that absolute URIs may be relative to. */
  absoluteRoots: string[];
  artifacts: readonly ({ location?: ArtifactLocationData | null } | undefined)[];
}

type ParsedUri = { kind: 'relative' | 'absolute'; path: string } | { kind: 'invalid'; reason: string };

/** Resolution of one artifact location. `path` is set only when it is a safe repository path. */
export interface ResolvedArtifact {
  path?: string;
  /** The URI as written (or taken from `run.artifacts`), for fingerprints of findings without a path. */
  rawUri?: string;
  /** Why there is no path, when a URI was given. */
  unresolved?: string;
  /**
   * An absolute path (normalised, forward slashes) outside every known checkout root: a CI clone
   * directory the scan job may map to a repository path by matching the repository's files.
   */
  absolute?: string;
  /** The URI was longer than MAX_URI_CHARS (the normaliser counts it as trimmed). */
  tooLong?: boolean;
}

const DRIVE = /^[A-Za-z]:\//;
const isFilesystemRoot = (abs: string): boolean => abs === '/' || /^[A-Za-z]:\/?$/.test(abs);

/** Classifies a URI reference (percent-decoded, backslashes as slashes). */
export function parseUri(uri: string): ParsedUri {
  if (/[\s\u0000-\u001f\u007f]/.test(uri)) return { kind: 'invalid', reason: 'not a URI (contains whitespace or control characters)' };
  if (/[?#]/.test(uri)) return { kind: 'invalid', reason: 'URI with a query or fragment is not a file' };
  let rest = uri.replace(/\\/g, '/');
  if (!DRIVE.test(rest)) {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)?.[1];
    if (scheme !== undefined) {
      if (scheme.toLowerCase() !== 'file') return { kind: 'invalid', reason: `"${scheme}:" URI is not a repository file` };
      rest = rest.slice(scheme.length + 1);
      if (rest.startsWith('//')) {
        const slash = rest.indexOf('/', 2);
        const host = rest.slice(2, slash === -1 ? undefined : slash);
        if (host !== '' && host.toLowerCase() !== 'localhost') return { kind: 'invalid', reason: `file URI on host "${host}"` };
        rest = slash === -1 ? '/' : rest.slice(slash);
      }
      if (/^\/[A-Za-z]:(\/|$)/.test(rest)) rest = rest.slice(1);
    } else if (rest.startsWith('//')) return { kind: 'invalid', reason: 'network path' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { kind: 'invalid', reason: 'malformed percent-encoding' };
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return { kind: 'invalid', reason: 'control characters in the path' };
  decoded = decoded.replace(/\\/g, '/');
  return { kind: decoded.startsWith('/') || DRIVE.test(decoded) ? 'absolute' : 'relative', path: decoded };
}

/** Resolves `.`/`..`/empty segments. Undefined when `..` climbs above the start. */
function normaliseSegments(path: string): string[] | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(segment);
  }
  return out;
}

function toRepoPath(relative: string): { path: string } | { reason: string } {
  if (relative.endsWith('/')) return { reason: 'a directory, not a file' };
  const segments = normaliseSegments(relative);
  if (!segments) return { reason: 'path escapes the repository root' };
  if (segments.length === 0) return { reason: 'empty path' };
  return { path: segments.join('/') };
}

function normaliseAbsolute(abs: string): string | undefined {
  const drive = DRIVE.exec(abs)?.[0];
  const segments = normaliseSegments(drive ? abs.slice(drive.length) : abs);
  if (!segments) return undefined;
  return (drive ?? '/') + segments.join('/');
}

type Outcome = { path: string } | { reason: string; absolute?: string };

function relativiseAbsolute(abs: string, context: PathContext): Outcome {
  const normal = normaliseAbsolute(abs);
  if (normal === undefined) return { reason: 'path escapes the filesystem root' };
  for (const root of context.absoluteRoots) {
    const windows = DRIVE.test(root);
    const prefix = root.endsWith('/') ? root : `${root}/`;
    const matches = windows ? normal.toLowerCase().startsWith(prefix.toLowerCase()) : normal.startsWith(prefix);
    if (matches) return toRepoPath(normal.slice(prefix.length));
  }
  if (isFilesystemRoot(normal) || abs.endsWith('/')) return { reason: 'absolute path outside every known checkout root' };
  return { reason: 'absolute path outside every known checkout root', absolute: normal };
}

function resolveRelative(relative: string, baseId: string | undefined, context: PathContext, depth: number): Outcome {
  if (baseId === undefined || baseId === context.sourceRootId) return toRepoPath(relative);
  const base = context.bases[baseId];
  if (!base) return toRepoPath(relative); // undefined %SRCROOT%-style base: the repository root by convention
  if (depth > 8) return { reason: 'uriBaseId chain too deep or cyclic' };
  const parent = base.uriBaseId ?? undefined;
  if (!base.uri) return resolveRelative(relative, parent, context, depth + 1);
  const parsed = parseUri(base.uri);
  if (parsed.kind === 'invalid') return { reason: `base "${baseId}": ${parsed.reason}` };
  const joined = `${parsed.path.replace(/\/?$/, '/')}${relative}`;
  if (parsed.kind === 'relative') return resolveRelative(joined, parent, context, depth + 1);
  return relativiseAbsolute(joined, context);
}

/** Resolves `artifactLocation` (with `index` into `run.artifacts` and `uriBaseId` into `originalUriBaseIds`). */
export function resolveArtifactLocation(location: ArtifactLocationData | null | undefined, context: PathContext): ResolvedArtifact {
  if (!location) return {};
  const index = location.index;
  const fromIndex = typeof index === 'number' && Number.isInteger(index) && index >= 0 ? context.artifacts[index]?.location : undefined;
  const rawUri = location.uri || fromIndex?.uri || undefined;
  if (!rawUri) return {};
  // Never parsed, stored or hashed: a URI this long names no file a repository has (bounds.ts).
  if (rawUri.length > MAX_URI_CHARS) return { unresolved: `URI longer than ${MAX_URI_CHARS} characters`, tooLong: true };
  const baseId = (location.uri ? location.uriBaseId : fromIndex?.uriBaseId) ?? location.uriBaseId ?? fromIndex?.uriBaseId ?? undefined;
  // The common case, a plain relative path against the repository root, needs no parsing.
  if (isPlainRepositoryPath(rawUri, baseId, context)) return { path: rawUri, rawUri };
  const parsed = parseUri(rawUri);
  const outcome: Outcome =
    parsed.kind === 'invalid'
      ? { reason: parsed.reason }
      : parsed.kind === 'absolute'
        ? relativiseAbsolute(parsed.path, context)
        : resolveRelative(parsed.path, baseId, context, 0);
  if ('path' in outcome) return { path: outcome.path, rawUri };
  return outcome.absolute === undefined ? { rawUri, unresolved: outcome.reason } : { rawUri, unresolved: outcome.reason, absolute: outcome.absolute };
}

/** True when `uri` against `baseId` is already a clean repository path (`resolveArtifactLocation` would return it as is). */
export function isPlainRepositoryPath(uri: string, baseId: string | null | undefined, context: PathContext): boolean {
  return SIMPLE_RELATIVE.test(uri) && (baseId === undefined || baseId === null || baseId === context.sourceRootId || !context.bases[baseId]);
}

/**
 * Relative paths that `parseUri` + `toRepoPath` would return unchanged: segments of word characters
 * and `@+~.-`, none empty or starting with a dot (so no `.`/`..`), no `%`, `\\`, `:`, `?`, `#` or space.
 */
const SIMPLE_RELATIVE = /^[\w@+~-][\w@+.~-]*(?:\/[\w@+~-][\w@+.~-]*)*$/;

function absoluteOf(uri: string | null | undefined): string | undefined {
  if (!uri) return undefined;
  const parsed = parseUri(uri);
  if (parsed.kind !== 'absolute') return undefined;
  const normal = normaliseAbsolute(parsed.path);
  return normal === undefined || isFilesystemRoot(normal) ? undefined : normal;
}

/** Picks the source-root base and the absolute checkout roots of one run. */
export function buildPathContext(run: RunData): PathContext {
  const bases = run.originalUriBaseIds ?? {};
  const names = Object.keys(bases);
  const candidate = names.find((name) => SOURCE_ROOT_NAMES.has(normaliseBaseName(name))) ?? (names.length === 1 ? names[0] : undefined);
  // A base placed relative to another base is not a checkout root; it resolves through its parent instead.
  const candidateUri = candidate === undefined ? undefined : bases[candidate]?.uri;
  const sourceRootId = candidate !== undefined && (!candidateUri || parseUri(candidateUri).kind === 'absolute') ? candidate : undefined;
  const absoluteRoots: string[] = [];
  const rootAbs = sourceRootId === undefined ? undefined : absoluteOf(bases[sourceRootId]?.uri);
  if (rootAbs) absoluteRoots.push(rootAbs);
  for (const invocation of run.invocations ?? []) {
    const working = absoluteOf(invocation.workingDirectory?.uri);
    if (working && !absoluteRoots.includes(working)) absoluteRoots.push(working);
  }
  return { bases, sourceRootId, absoluteRoots, artifacts: run.artifacts ?? [] };
}

const VULNERABILITY_ID = /(?:^|[^A-Za-z0-9])(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3}|RUSTSEC-\d{4}-\d{4}|PYSEC-\d{4}-\d+|GO-\d{4}-\d{4,})/i;
/** Trivy's image target, e.g. `knqyf263/vuln-image (alpine 3.7.1)`. */
const IMAGE_WITH_DISTRO = /^\S+ \([^()]+\)$/;
/** A Docker reference such as `library/alpine`, `ghcr.io/org/app:1.2` or `app@sha256:…`. */
const IMAGE_REFERENCE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{32,})?$/;
const EXTENSIONLESS_FILES: ReadonlySet<string> = new Set(['dockerfile', 'containerfile', 'gemfile', 'pipfile', 'podfile', 'cartfile', 'brewfile', 'makefile', 'rakefile', 'procfile', 'vagrantfile', 'jenkinsfile', 'license', 'readme']);
const IMAGE_BUILD_FILE = /(?:^|\/)(?:dockerfile|containerfile)(?:\.[^/]*)?$|\.dockerfile$/i;

export const isVulnerabilityRule = (ruleId: string): boolean => VULNERABILITY_ID.test(ruleId);

/** True for Trivy's `name (distro version)` targets: the run scanned an image, not the repository. */
/** Checked for every result of a run: the cheap last-character test spares the regex on ordinary paths. */
export const isImageTarget = (uri: string): boolean => uri.charCodeAt(uri.length - 1) === 0x29 && IMAGE_WITH_DISTRO.test(uri);

/**
 * A package-vulnerability result located at a container image (`library/alpine`,
 * `knqyf263/vuln-image (alpine 3.7.1)`) or at the Dockerfile the image was built from (Anchore):
 * the vulnerable package lives in the image, not at that line of the repository.
 */
export function isImageFinding(ruleId: string, rawUri: string | undefined, path: string | undefined): boolean {
  if (!rawUri || !isVulnerabilityRule(ruleId)) return false;
  if (isImageTarget(rawUri)) return true;
  if (IMAGE_BUILD_FILE.test(path ?? rawUri)) return true;
  const last = rawUri.split('/').pop() ?? '';
  const name = last.split(/[:@]/)[0] ?? '';
  return IMAGE_REFERENCE.test(rawUri) && !name.includes('.') && !EXTENSIONLESS_FILES.has(name.toLowerCase());
}
