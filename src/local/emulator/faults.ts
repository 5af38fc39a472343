import { z } from 'zod';
import { errorReply, type Reply } from './http-io';

/**
 * Fault injection for REST calls, driven by a seeded PRNG so a run can be replayed.
 * `match` limits faults to requests whose `METHOD /path?query` contains it; `count` stops after
 * that many faults; `after` runs the request first and then answers 5xx (the write landed but the
 * answer was lost), which is what a client must not blindly re-send.
 */
export const faultConfigSchema = z.object({
  rate429: z.number().min(0).max(1).optional(),
  rate5xx: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  seed: z.number().int().optional(),
  match: z.string().optional(),
  count: z.number().int().min(0).optional(),
  after: z.boolean().optional(),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;

export type FaultDecision = { kind: 'none' } | { kind: 'before'; reply: Reply } | { kind: 'after'; reply: Reply };

/** mulberry32: a small, well-mixed 32-bit PRNG (seeded faults, seeded test mutants). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const rateLimitedReply = (): Reply => ({
  status: 429,
  headers: { 'content-type': 'text/plain', 'retry-after': '1' },
  body: 'Rate limit for this resource has been exceeded',
});

export const serverErrorReply = (): Reply => errorReply(500, 'Something went wrong');

export class FaultInjector {
  private config: FaultConfig | undefined;
  private random: () => number = Math.random;
  private injected = 0;

  set(config: FaultConfig): void {
    this.config = config;
    this.random = mulberry32(config.seed ?? 1);
    this.injected = 0;
  }

  clear(): void {
    this.config = undefined;
    this.injected = 0;
  }

  get current(): FaultConfig | undefined {
    return this.config;
  }

  get latencyMs(): number {
    return this.config?.latencyMs ?? 0;
  }

  decide(method: string, pathAndQuery: string): FaultDecision {
    const config = this.config;
    if (!config) return { kind: 'none' };
    if (config.match !== undefined && !`${method} ${pathAndQuery}`.includes(config.match)) return { kind: 'none' };
    if (config.count !== undefined && this.injected >= config.count) return { kind: 'none' };
    const roll = this.random();
    const rate429 = config.rate429 ?? 0;
    let reply: Reply | undefined;
    if (roll < rate429) reply = rateLimitedReply();
    else if (roll < rate429 + (config.rate5xx ?? 0)) reply = serverErrorReply();
    if (!reply) return { kind: 'none' };
    this.injected += 1;
    return reply.status >= 500 && config.after ? { kind: 'after', reply } : { kind: 'before', reply };
  }
}
