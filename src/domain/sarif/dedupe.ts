/**
 * Folding results of one upload into findings:
 *   - same fingerprint → one finding;
 *   - cross-scanner: same path and startLine, an overlapping CWE or the same rule class (see
 *     `NormaliseOptions.ruleClass`), and no tool in common → one finding (two rules of the same
 *     tool on one line stay apart).
 * A fold unions `tools` and `cwes` and keeps the higher severity; everything else stays as the
 * first result reported it. The folded result's fingerprint is remembered as an alias.
 */
import type { NormalisedFinding } from '../finding';
import { maxSeverity } from './severity';
import type { RuleClassifier } from './normalise';

const toolKey = (tool: { name: string; version?: string }): string => `${tool.name}\0${tool.version ?? ''}`;

export class FindingSet {
  readonly findings: NormalisedFinding[] = [];
  private readonly byFingerprint = new Map<string, NormalisedFinding>();
  /** path, line, CWE or class → the first finding per tool name there (bounded by the number of tools, whatever the input). */
  private readonly byLineCwe = new Map<string, Map<string, NormalisedFinding>>();

  constructor(private readonly ruleClass?: RuleClassifier) {}

  /** What a finding can be matched on at its line: its CWEs and, when known, its rule's class. */
  private classes(finding: NormalisedFinding): string[] {
    if (!finding.location) return finding.cwes;
    const ruleClass = this.ruleClass?.({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path });
    return ruleClass ? [...finding.cwes, `class:${ruleClass}`] : finding.cwes;
  }

  /** Adds a finding; returns `merged` when it was folded into an existing one. */
  add(finding: NormalisedFinding): 'added' | 'merged' {
    const target = this.byFingerprint.get(finding.fingerprint) ?? this.crossScannerMatch(finding);
    if (target) {
      fold(target, finding);
      this.byFingerprint.set(finding.fingerprint, target);
      this.index(target);
      return 'merged';
    }
    this.findings.push(finding);
    this.byFingerprint.set(finding.fingerprint, finding);
    this.index(finding);
    return 'added';
  }

  private index(finding: NormalisedFinding): void {
    if (!finding.location) return;
    for (const cwe of this.classes(finding)) {
      const key = lineCweKey(finding.location, cwe);
      let perTool = this.byLineCwe.get(key);
      if (!perTool) this.byLineCwe.set(key, (perTool = new Map()));
      for (const tool of finding.tools) if (!perTool.has(tool.name)) perTool.set(tool.name, finding);
    }
  }

  private crossScannerMatch(finding: NormalisedFinding): NormalisedFinding | undefined {
    if (!finding.location) return undefined;
    const names = new Set(finding.tools.map((t) => t.name));
    for (const cwe of this.classes(finding)) {
      for (const other of this.byLineCwe.get(lineCweKey(finding.location, cwe))?.values() ?? []) {
        if (!other.tools.some((t) => names.has(t.name))) return other;
      }
    }
    return undefined;
  }
}

const lineCweKey = (location: { path: string; startLine: number }, cwe: string): string => `${location.path}\0${location.startLine}\0${cwe}`;

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
