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

  /** `crossScanner: false` when every finding comes from one tool: only equal fingerprints can fold then. */
  constructor(private readonly ruleClass?: RuleClassifier, private readonly crossScanner = true) {}

  /** What a finding can be matched on at its line: its CWEs and, when known, its rule's class. */
  private classes(finding: NormalisedFinding): string[] {
    if (!finding.location) return finding.cwes;
    const ruleClass = this.ruleClass?.({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path });
    return ruleClass ? [...finding.cwes, `class:${ruleClass}`] : finding.cwes;
  }

  /** Adds a finding as it is, without looking for one to fold it into (findings an earlier pass already folded). */
  seed(finding: NormalisedFinding): void {
    this.findings.push(finding);
    if (!this.byFingerprint.has(finding.fingerprint)) this.byFingerprint.set(finding.fingerprint, finding);
    if (this.crossScanner && finding.location) this.index(finding, this.classes(finding));
  }

  /** Adds a finding; returns `merged` when it was folded into an existing one. */
  add(finding: NormalisedFinding): 'added' | 'merged' {
    const same = this.byFingerprint.get(finding.fingerprint);
    const classes = same || !finding.location || !this.crossScanner ? undefined : this.classes(finding);
    const target = same ?? (classes && classes.length > 0 ? this.crossScannerMatch(finding, classes) : undefined);
    if (target) {
      fold(target, finding);
      this.byFingerprint.set(finding.fingerprint, target);
      if (this.crossScanner) this.index(target, this.classes(target));
      return 'merged';
    }
    this.findings.push(finding);
    this.byFingerprint.set(finding.fingerprint, finding);
    if (classes && classes.length > 0) this.index(finding, classes);
    return 'added';
  }

  private index(finding: NormalisedFinding, classes: readonly string[]): void {
    if (!finding.location) return;
    const line = lineKey(finding.location);
    for (const cwe of classes) {
      const key = line + cwe;
      let perTool = this.byLineCwe.get(key);
      if (!perTool) this.byLineCwe.set(key, (perTool = new Map()));
      for (const tool of finding.tools) if (!perTool.has(tool.name)) perTool.set(tool.name, finding);
    }
  }

  private crossScannerMatch(finding: NormalisedFinding, classes: readonly string[]): NormalisedFinding | undefined {
    if (!finding.location) return undefined;
    const line = lineKey(finding.location);
    for (const cwe of classes) {
      const perTool = this.byLineCwe.get(line + cwe);
      if (!perTool) continue;
      for (const other of perTool.values()) {
        if (!other.tools.some((t) => finding.tools.some((own) => own.name === t.name))) return other;
      }
    }
    return undefined;
  }
}

/** The prefix of the path + line + CWE/class keys. */
const lineKey = (location: { path: string; startLine: number }): string => `${location.path}\0${location.startLine}\0`;

/** Folds `source` into `target`. Lists are replaced, never edited: findings of one run share their tool and CWE lists. */
function fold(target: NormalisedFinding, source: NormalisedFinding): void {
  const known = new Set(target.tools.map(toolKey));
  const added = source.tools.filter((tool) => !known.has(toolKey(tool)) && known.add(toolKey(tool)));
  if (added.length > 0) target.tools = [...target.tools, ...added.map((tool) => ({ ...tool }))];
  if (source.cwes.some((cwe) => !target.cwes.includes(cwe))) {
    target.cwes = [...new Set([...target.cwes, ...source.cwes])].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  }
  target.severity = maxSeverity(target.severity, source.severity);
}
