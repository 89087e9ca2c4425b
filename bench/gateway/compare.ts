import { type LoadGenerator, type LoadShape, quantile, type Target } from './load.js';

/** One target's pooled samples over every round of a comparison. */
export interface Pooled {
  samplesMs: number[];
  wallMs: number;
  /** Measured requests that failed, and why the first did. */
  failed: number;
  firstFailure?: string;
}

export interface Plan {
  /** Requests per target, measured (after its warm-up). */
  requests: number;
  /** Requests per target sent first and not measured. */
  warmup: number;
  /** The measured requests are sent in this many rounds, the targets taking turns (each round in a rotated order). */
  rounds: number;
  /** A target's round (and its warm-up) sends no new request after this long: a slow target is measured on fewer requests. */
  maxRoundMs: number;
}

/**
 * Sends the same load to every target in turns, so a machine that slows down for a while slows
 * all of them alike; returns each target's pooled samples by name.
 */
export async function compareTargets(load: LoadGenerator, targets: readonly Target[], shape: LoadShape, plan: Plan): Promise<Map<string, Pooled>> {
  const pooled = new Map<string, Pooled>(targets.map((t) => [t.name, { samplesMs: [], wallMs: 0, failed: 0 }]));
  for (const target of targets) await load.run(target, shape, plan.warmup, plan.maxRoundMs);
  const perRound = Math.ceil(plan.requests / plan.rounds);
  for (let round = 0; round < plan.rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + round) % targets.length] as Target;
      // Unmeasured: connections closed while the other targets ran are opened again first.
      await load.run(target, shape, shape.clients, plan.maxRoundMs);
      const run = await load.run(target, shape, perRound, plan.maxRoundMs);
      const into = pooled.get(target.name) as Pooled;
      into.samplesMs.push(...run.samplesMs);
      into.wallMs += run.wallMs;
      into.failed += run.failed;
      if (run.firstFailure !== undefined) into.firstFailure ??= run.firstFailure;
    }
  }
  return pooled;
}

/** p50 and p99 of a target's samples. */
export function percentiles(pooled: Pooled): { p50: number; p99: number } {
  return { p50: quantile(pooled.samplesMs, 0.5), p99: quantile(pooled.samplesMs, 0.99) };
}

export const requestsPerSecond = (pooled: Pooled): number => pooled.samplesMs.length / (pooled.wallMs / 1000);
