import type { BitbucketClient, RepoRef } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import { severities, type NormalisedFinding } from '../../domain/finding';
import type { LanguageId } from '../../domain/codemods/parser';
import type { ProjectContext } from '../../domain/codemods/types';
import { classifyPath } from '../../domain/triage/path-kinds';
import type { SourceReader } from '../pull-requests/prepare-fix';
import { manifestPaths, projectContextOf } from './project-manifests';

/** Files read for triage per scan at most; the rest of the findings are triaged on their snippet. */
export const DEFAULT_TRIAGE_READ_LIMIT = 100;
/**
 * Requests left untouched for the rest of the job (pull requests, Code Insights) when reading for
 * triage. The publish step counts its own calls on its own client, so triage stays well inside the
 * invocation's budget rather than spending it first.
 */
export const DEFAULT_RESERVED_REQUESTS = 40;

/** `deferred`: not read only because of a per-scan cap or the request budget; the fix step may read it later. */
export type TriageRead = { content: string } | { notRead: string; deferred?: boolean };

type FileClient = Pick<BitbucketClient, 'readFile' | 'canAfford'>;

/**
 * The files of one scanned commit, each read from Bitbucket at most once per job: triage reads the
 * code around its findings, the fix step reads the files it changes, and a file read for one is
 * not read again for the other. Triage reads are capped per scan and stop while the request
 * budget is needed for the rest of the job; a finding whose file was not read is triaged on the
 * scanner's snippet, with the reason in its factors. Reads for fixes are not capped.
 */
export class SourceFiles implements SourceReader {
  private readonly files = new Map<string, Promise<string | undefined>>();
  private triageReads = 0;
  /** The commit's files, when the job listed them (to map absolute paths); manifests are then picked from it. */
  private listing: readonly string[] | undefined;
  private readonly projects = new Map<string, Promise<ProjectContext>>();
  /** Set once reading failed in a way that will not improve within this job (auth, rate limit). */
  private unavailable: string | undefined;
  /** Counters for logs and tests. */
  readonly stats = { requests: 0, cacheHits: 0, notRead: 0 };

  constructor(
    private readonly client: FileClient,
    private readonly repo: RepoRef,
    private readonly commit: string,
    private readonly options: { triageReadLimit?: number; reservedRequests?: number } = {},
  ) {}

  /** For the fix step: the file at the scanned commit (cached), or undefined when it does not exist. */
  read(path: string): Promise<string | undefined> {
    const cached = this.files.get(path);
    if (cached) {
      this.stats.cacheHits += 1;
      return cached;
    }
    this.stats.requests += 1;
    const pending = this.client.readFile(this.repo, this.commit, path);
    this.files.set(path, pending);
    // A failed read is not cached: the fix step may try again (and report the error itself).
    pending.catch(() => this.files.delete(path));
    return pending;
  }

  /** The job listed the commit's files: later steps use the listing instead of guessing names. */
  noteListing(paths: readonly string[]): void {
    this.listing = paths;
  }

  /**
   * The project context of the repository's root manifests for these languages, each manifest read
   * once per job (through this cache). Never throws: a manifest that is absent or cannot be read
   * adds nothing, and the codemods then rely on the file alone.
   */
  project(languages: Iterable<LanguageId>): Promise<ProjectContext> {
    const paths = manifestPaths(languages, this.listing);
    const key = paths.join('\n');
    const known = this.projects.get(key);
    if (known) return known;
    const pending = (async () => {
      const manifests = new Map<string, string>();
      for (const path of paths) {
        if (this.unavailable) break;
        const content = await this.read(path).catch((error: unknown) => {
          if (!isAppError(error)) throw error;
          return undefined;
        });
        if (content !== undefined) manifests.set(path, content);
      }
      return projectContextOf(manifests);
    })();
    this.projects.set(key, pending);
    return pending;
  }

  /** For triage: the file's content, or why it was not read. Never throws for expected errors. */
  async readForTriage(path: string): Promise<TriageRead> {
    if (this.files.has(path)) {
      const content = await this.read(path).catch(() => undefined);
      return content === undefined ? this.skip(`${path} could not be read at the scanned commit`) : { content };
      // (a file that does not exist is cached as undefined and reported the same way)
    }
    if (this.unavailable) return this.skip(this.unavailable);
    const limit = this.options.triageReadLimit ?? DEFAULT_TRIAGE_READ_LIMIT;
    if (this.triageReads >= limit) return this.skip(`the limit of ${limit} files read for triage per scan was reached`, true);
    if (!this.client.canAfford(1 + (this.options.reservedRequests ?? DEFAULT_RESERVED_REQUESTS))) {
      return this.skip('the request budget is kept for pull requests', true);
    }
    this.triageReads += 1;
    try {
      const content = await this.read(path);
      return content === undefined ? this.skip(`${path} does not exist at the scanned commit`) : { content };
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code !== 'not_found') this.unavailable = `Bitbucket refused to read files (${error.code})`;
      return this.skip(this.unavailable ?? `${path} could not be read (${error.code})`);
    }
  }

  /**
   * Whether one more read for the repository's facts (manifests, deployment files, imported
   * modules) leaves the requests the rest of the job needs: a file already read costs nothing, and
   * reading stops once Bitbucket refused or the budget kept for pull requests is reached.
   */
  affordsFactRead(path: string): boolean {
    if (this.files.has(path)) return true;
    return this.unavailable === undefined && this.client.canAfford(1 + (this.options.reservedRequests ?? DEFAULT_RESERVED_REQUESTS));
  }

  private skip(notRead: string, deferred = false): TriageRead {
    this.stats.notRead += 1;
    return deferred ? { notRead, deferred } : { notRead };
  }
}

/**
 * The files worth reading for triage, most important first: findings in application code (test,
 * vendored and docs paths are decided by their path alone), by severity, then those a codemod can
 * fix, then files with more findings (one read serves them all).
 */
export function triageReadOrder(findings: readonly NormalisedFinding[], fixable: (finding: NormalisedFinding) => boolean): string[] {
  const byPath = new Map<string, { rank: number; fixable: boolean; count: number }>();
  for (const finding of findings) {
    const path = finding.location?.path;
    if (!path || classifyPath(path).kind !== 'source') continue;
    const entry = byPath.get(path) ?? { rank: severities.length, fixable: false, count: 0 };
    entry.rank = Math.min(entry.rank, severities.indexOf(finding.severity));
    entry.fixable ||= fixable(finding);
    entry.count += 1;
    byPath.set(path, entry);
  }
  return [...byPath.entries()]
    .sort(([pa, a], [pb, b]) => a.rank - b.rank || Number(b.fixable) - Number(a.fixable) || b.count - a.count || pa.localeCompare(pb))
    .map(([path]) => path);
}

/**
 * The code triage may read: the job's file cache (shared with the fix step), or why there is none
 * (no service account configured), which each finding's factors then state.
 */
export type CodeAccess = { sources: SourceFiles } | { unavailable: string };
