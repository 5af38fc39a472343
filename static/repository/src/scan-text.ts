import type { ScanItem } from '../../shared/src/api-types';

/** Sentences of the scan history, kept apart so they can be unit-tested. */

export type SkippedEntry = NonNullable<ScanItem['skipped']>[number];

/** "Result 4: reason", or for a reason many results share "12 results (4, 9, 17…): reason". Indexes count from 1. */
export function skippedLine(entry: SkippedEntry): string {
  const count = entry.count ?? 1;
  if (count === 1) return `Result ${entry.index + 1}: ${entry.reason}`;
  const examples = entry.examples ?? [];
  const which = examples.length > 0
    ? ` (${examples.map((index) => index + 1).join(', ')}${count > examples.length ? '…' : ''})`
    : ` (from result ${entry.index + 1} on)`;
  return `${count} results${which}: ${entry.reason}`;
}

/**
 * Who reported a finding: each tool with its rule ids when several rules or scanners were folded
 * into it (`CodeQL: js/code-injection · ESLint: no-eval, sonarjs/code-eval`), else the tools.
 */
export function reportedBy(item: { ruleId: string; tools: string[]; rules?: { tool: string; ruleId: string }[] }): string {
  const rules = item.rules ?? [];
  if (rules.length <= 1) return item.tools.join(', ');
  const byTool = new Map<string, string[]>();
  for (const { tool, ruleId } of rules) byTool.set(tool, [...new Set([...(byTool.get(tool) ?? []), ruleId])]);
  return [...byTool].map(([tool, ids]) => `${tool}: ${ids.join(', ')}`).join(' · ');
}
