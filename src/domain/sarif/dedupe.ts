/**
 * Folding results of one upload into findings:
 *   - same fingerprint → one finding;
 *   - cross-scanner: same path and startLine, overlapping CWE sets, and no tool in common → one
 *     finding (two rules of the same tool on one line stay apart).
 * A fold unions `tools` and `cwes` and keeps the higher severity; everything else stays as the
 * first result reported it. The folded result's fingerprint is remembered as an alias.
 */
import type { NormalisedFinding } from '../finding';
import { maxSeverity } from './severity';

const toolKey = (tool: { name: string; version?: string }): string => `${tool.name}\0${tool.version ?? ''}`;

export class FindingSet {
  readonly findings: NormalisedFinding[] = [];
  private readonly byFingerprint = new Map<string, NormalisedFinding>();
  private readonly byLine = new Map<string, NormalisedFinding[]>();

  /** Adds a finding; returns `merged` when it was folded into an existing one. */
  add(finding: NormalisedFinding): 'added' | 'merged' {
    const target = this.byFingerprint.get(finding.fingerprint) ?? this.crossScannerMatch(finding);
    if (target) {
      fold(target, finding);
      this.byFingerprint.set(finding.fingerprint, target);
      return 'merged';
    }
    this.findings.push(finding);
    this.byFingerprint.set(finding.fingerprint, finding);
    const line = lineKey(finding);
    if (line !== undefined) {
      const bucket = this.byLine.get(line);
      if (bucket) bucket.push(finding);
      else this.byLine.set(line, [finding]);
    }
    return 'added';
  }

  private crossScannerMatch(finding: NormalisedFinding): NormalisedFinding | undefined {
    const line = lineKey(finding);
    if (line === undefined || finding.cwes.length === 0) return undefined;
    const names = new Set(finding.tools.map((t) => t.name));
    return this.byLine
      .get(line)
      ?.find((other) => other.cwes.some((cwe) => finding.cwes.includes(cwe)) && !other.tools.some((t) => names.has(t.name)));
  }
}

const lineKey = (finding: NormalisedFinding): string | undefined =>
  finding.location ? `${finding.location.path}\0${finding.location.startLine}` : undefined;

function fold(target: NormalisedFinding, source: NormalisedFinding): void {
  const known = new Set(target.tools.map(toolKey));
  for (const tool of source.tools) {
    if (!known.has(toolKey(tool))) {
      target.tools.push({ ...tool });
      known.add(toolKey(tool));
    }
  }
  if (source.cwes.some((cwe) => !target.cwes.includes(cwe))) {
    target.cwes = [...new Set([...target.cwes, ...source.cwes])].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  }
  target.severity = maxSeverity(target.severity, source.severity);
}
