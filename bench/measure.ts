import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Median wall time of `fn` over `runs` runs after `warmup` unmeasured ones, in milliseconds. */
export async function medianMs(fn: () => unknown, runs = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export interface PairedRatio {
  /** Median of the per-pair ratios `measured / base`. */
  ratio: number;
  baseMs: number;
  measuredMs: number;
}

export interface PairOptions {
  runs?: number;
  warmup?: number;
  /** Runs untimed after each pair (clean-up). */
  afterPair?: () => unknown;
  /**
   * `wall` (default): elapsed time. `cpu`: the process's CPU time (user + system, every thread, so
   * garbage collection on helper threads counts): time the process spends descheduled while other
   * programs run does not, so on a shared machine the figure holds still between runs.
   */
  clock?: 'wall' | 'cpu';
  /**
   * Empties the young generation (two scavenges, untimed) before each side, so neither side is timed
   * collecting the other's short-lived garbage. Without it a side that leaves much garbage (an
   * ingest) has part of its collection paid by the next side (a bare `JSON.parse`), and the pairs'
   * ratios fall in two or three clusters whose median jumps between runs. One scavenge is not
   * enough: young objects still pointed at from the old generation's dead objects (an ingest's
   * promoted tree) survive it and fill part of the young generation, so a 13 MB `JSON.parse` timed
   * next ran out of room and paid a 15 ms scavenge in about half the pairs; the second scavenge
   * promotes those survivors.
   */
  freshYoungGeneration?: boolean;
}

let scavenge: (() => void) | undefined;

/** Empties the young generation (`gc({ type: 'minor' })` twice), made available at run time. */
function youngGenerationCollector(): () => void {
  if (!scavenge) {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
    // A survivor of the first scavenge is promoted by the second: the young generation is then empty.
    scavenge = () => {
      gc({ type: 'minor' });
      gc({ type: 'minor' });
    };
  }
  return scavenge;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Times `base` and `measured` back to back, `runs` times after `warmup` unmeasured pairs, and takes
 * the median of the per-pair ratios: on a shared machine the load changes within a run, and the two
 * sides of one pair see (nearly) the same load. Which side goes first alternates, so neither always
 * inherits the other's garbage.
 */
export async function pairedRatio(base: () => unknown, measured: () => unknown, options: PairOptions = {}): Promise<PairedRatio> {
  const { runs = 15, warmup = 3, afterPair, clock = 'wall', freshYoungGeneration = false } = options;
  const now = clock === 'cpu' ? cpuMs : () => performance.now();
  const settle = freshYoungGeneration ? youngGenerationCollector() : undefined;
  const time = async (fn: () => unknown): Promise<number> => {
    settle?.();
    const start = now();
    await fn();
    return now() - start;
  };
  const pairs: { base: number; measured: number }[] = [];
  for (let i = 0; i < runs + warmup; i += 1) {
    const baseFirst = i % 2 === 0;
    const first = await time(baseFirst ? base : measured);
    const second = await time(baseFirst ? measured : base);
    await afterPair?.();
    if (i >= warmup) pairs.push(baseFirst ? { base: first, measured: second } : { base: second, measured: first });
  }
  return {
    ratio: median(pairs.map((p) => p.measured / p.base)),
    baseMs: median(pairs.map((p) => p.base)),
    measuredMs: median(pairs.map((p) => p.measured)),
  };
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
