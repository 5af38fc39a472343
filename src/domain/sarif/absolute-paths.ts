/**
 * Absolute CI paths (`/home/runner/work/app/app/src/x.py`, `/builds/group/app/src/x.py`,
 * `C:/a/app/src/x.py`) that no `uriBaseId` resolves, mapped to repository paths by matching the
 * repository's files at the scanned commit. The normaliser keeps such a location aside
 * (`absoluteLocation`); the scan job lists the tree once and calls `mapAbsoluteLocations`.
 *
 * A path maps to the tree file that is the longest suffix of it (whole segments) matched by exactly
 * one file. Checkout roots learned from exact matches (the absolute path minus the file) then settle
 * paths whose suffix alone was ambiguous. None or several → no location, with the reason kept.
 *
 * Fingerprint choice: a mapped finding gets the fingerprint it would have had if the scanner had
 * written the repository path (same rule, path, line hash or snippet occurrence), so it is stable
 * across checkout directories and meets the same finding from relative-path uploads. A finding that
 * cannot be mapped keeps the fingerprint computed from its absolute path (stable while the CI
 * checkout directory is).
 */
import type { AbsoluteLocation, LocatedMessage, NormalisedFinding, SourceLocation } from '../finding';
import { FindingSet } from './dedupe';
import { fingerprint } from './fingerprint';
import type { RuleClassifier } from './normalise';

export type PathMatch = { path: string } | { reason: string };

const segmentsOf = (absolutePath: string): string[] => absolutePath.replace(/^[A-Za-z]:/, '').split('/').filter((s) => s !== '');

/** The files of a repository at one commit, indexed for suffix look-ups. */
export class RepositoryTree {
  private readonly files: ReadonlySet<string>;
  private readonly byName = new Map<string, string[]>();

  constructor(files: readonly string[]) {
    this.files = new Set(files);
    for (const file of this.files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const list = this.byName.get(name);
      if (list) list.push(file);
      else this.byName.set(name, [file]);
    }
  }

  get size(): number {
    return this.files.size;
  }

  /** Maps each distinct absolute path (suffix matches first, then learned checkout roots). */
  mapAll(absolutePaths: Iterable<string>): Map<string, PathMatch> {
    const out = new Map<string, PathMatch>();
    const roots = new Set<string>();
    for (const absolute of absolutePaths) {
      if (out.has(absolute)) continue;
      const match = this.bySuffix(absolute);
      out.set(absolute, match);
      if ('path' in match && absolute.endsWith(`/${match.path}`)) roots.add(absolute.slice(0, -match.path.length - 1));
    }
    // Longest root first: a nested checkout (`/ci/app/sub`) is more specific than its parent.
    const ordered = [...roots].sort((a, b) => b.length - a.length);
    for (const [absolute, match] of out) {
      if ('path' in match) continue;
      const root = ordered.find((r) => absolute.startsWith(`${r}/`) && this.files.has(absolute.slice(r.length + 1)));
      if (root !== undefined) out.set(absolute, { path: absolute.slice(root.length + 1) });
    }
    return out;
  }

  private bySuffix(absolute: string): PathMatch {
    const segments = segmentsOf(absolute);
    const name = segments[segments.length - 1];
    const candidates = name === undefined ? undefined : this.byName.get(name);
    if (!candidates) return { reason: `no file of the repository is named "${name ?? ''}"` };
    for (let k = segments.length; k >= 1; k--) {
      const suffix = segments.slice(segments.length - k).join('/');
      const matches = candidates.filter((file) => file === suffix || file.endsWith(`/${suffix}`));
      if (matches.length === 1) return { path: matches[0]! };
      if (matches.length > 1) return { reason: `ambiguous: ${matches.length} files of the repository end with "${suffix}"` };
    }
    return { reason: 'no file of the repository matches the end of the path' };
  }
}

/** A finding or step with an absolute location still waiting to be mapped (a recorded reason is final). */
const pending = (f: { location?: unknown; absoluteLocation?: AbsoluteLocation }): boolean =>
  !f.location && !!f.absoluteLocation && f.absoluteLocation.unmapped === undefined;

/** True when some finding has an absolute location still waiting to be mapped. */
export function needsRepositoryTree(findings: readonly NormalisedFinding[]): boolean {
  return findings.some(pending);
}

function toSourceLocation(absolute: AbsoluteLocation, path: string): SourceLocation {
  const location: SourceLocation = { path, startLine: absolute.startLine };
  if (absolute.startColumn !== undefined) location.startColumn = absolute.startColumn;
  if (absolute.endLine !== undefined) location.endLine = absolute.endLine;
  if (absolute.endColumn !== undefined) location.endColumn = absolute.endColumn;
  return location;
}

export interface PathMappingResult {
  findings: NormalisedFinding[];
  /** Findings given a repository path. */
  mapped: number;
  /** Findings left without a location (`absoluteLocation.unmapped` says why). */
  unmapped: number;
  /** Mapped findings folded into another finding (same fingerprint, or another scanner on the same line). */
  merged: number;
}

/**
 * Maps the absolute locations of findings (and of their code-flow steps and related locations)
 * with `tree`, or records `tree` as the reason when it is a string (the tree could not be listed).
 * Findings without absolute locations are returned as they are; mapped ones may fold into them.
 */
export function mapAbsoluteLocations(findings: readonly NormalisedFinding[], tree: RepositoryTree | string, options: { ruleClass?: RuleClassifier } = {}): PathMappingResult {
  const paths = new Set<string>();
  for (const finding of findings) {
    for (const place of [finding, ...(finding.codeFlow ?? []), ...(finding.relatedLocations ?? [])]) {
      if (pending(place)) paths.add(place.absoluteLocation!.absolutePath);
    }
  }
  const matches = typeof tree === 'string' ? new Map<string, PathMatch>() : tree.mapAll(paths);
  const matchOf = (absolutePath: string): PathMatch => matches.get(absolutePath) ?? { reason: typeof tree === 'string' ? tree : 'not mapped' };
  const mapStep = (step: LocatedMessage): LocatedMessage => {
    if (!pending(step)) return step;
    const match = matchOf(step.absoluteLocation!.absolutePath);
    if ('reason' in match) return { ...step, absoluteLocation: { ...step.absoluteLocation!, unmapped: match.reason } };
    const { absoluteLocation, ...rest } = step;
    return { ...rest, location: toSourceLocation(absoluteLocation!, match.path) };
  };

  const kept: NormalisedFinding[] = [];
  const changed: NormalisedFinding[] = [];
  let mapped = 0;
  let unmapped = 0;
  for (const original of findings) {
    let finding = original;
    if (finding.codeFlow?.some(pending) || finding.relatedLocations?.some(pending)) {
      finding = { ...finding };
      if (finding.codeFlow) finding.codeFlow = finding.codeFlow.map(mapStep);
      if (finding.relatedLocations) finding.relatedLocations = finding.relatedLocations.map(mapStep);
    }
    if (!pending(finding)) {
      kept.push(finding);
      continue;
    }
    const absolute = finding.absoluteLocation!;
    const match = matchOf(absolute.absolutePath);
    if ('reason' in match) {
      unmapped++;
      kept.push({ ...finding, absoluteLocation: { ...absolute, unmapped: match.reason } });
      continue;
    }
    mapped++;
    const { absoluteLocation: _done, ...rest } = finding;
    const location = toSourceLocation(absolute, match.path);
    const key = { ruleId: finding.ruleId, message: finding.message, path: match.path, startLine: absolute.startLine, lineHash: absolute.lineHash, snippet: finding.snippet, occurrence: absolute.occurrence };
    changed.push({ ...rest, location, fingerprint: fingerprint(key) });
  }

  // Unchanged findings were folded by the upload already; mapped ones may now fold into them or each other.
  const set = new FindingSet(options.ruleClass);
  for (const finding of kept) set.add(finding);
  let merged = 0;
  for (const finding of changed) if (set.add(finding) === 'merged') merged++;
  return { findings: set.findings, mapped, unmapped, merged };
}
