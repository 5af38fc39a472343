/**
 * Results the normaliser could not use, one entry per reason: a limit can skip thousands of
 * results, and a scan's status should still say why in a few lines.
 */

/** Example indexes kept per reason besides the count. */
export const MAX_SKIPPED_EXAMPLES = 5;

/**
 * Results skipped for one reason. Indexes are global result indexes: results of earlier runs are
 * counted first (run 0's results are 0…n-1, run 1's follow).
 */
export interface SkippedResult {
  /** The first result skipped for this reason. */
  index: number;
  reason: string;
  /** How many results were skipped for this reason (`index` included). */
  count: number;
  /** The first few indexes skipped for this reason, when there were several and they are not one run of consecutive results. */
  examples?: number[];
}

export class SkipTally {
  private readonly byReason = new Map<string, SkippedResult & { consecutive: boolean }>();
  total = 0;

  /** Records `count` results skipped for `reason`, starting at global index `index` and consecutive from there. */
  add(index: number, reason: string, count = 1): void {
    this.total += count;
    const entry = this.byReason.get(reason);
    if (!entry) {
      this.byReason.set(reason, { index, reason, count, examples: [index], consecutive: true });
      return;
    }
    entry.consecutive &&= entry.index + entry.count === index;
    entry.count += count;
    if (entry.examples!.length < MAX_SKIPPED_EXAMPLES) entry.examples!.push(index);
  }

  /** In the order each reason first occurred. */
  entries(): SkippedResult[] {
    return [...this.byReason.values()].map(({ index, reason, count, examples, consecutive }) =>
      count > 1 && !consecutive ? { index, reason, count, examples: examples! } : { index, reason, count },
    );
  }
}
