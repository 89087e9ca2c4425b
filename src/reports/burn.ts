import { bucketEdges, burn, type Burn } from '../analytics/burn.js';
import { parseDuration } from '../core/duration.js';
import { EXIT } from '../core/errors.js';
import { formatUsd, nanosToUsd } from '../core/money.js';
import { GRAIN_MS } from '../ledger/ledger.js';
import { formatPct, parseNumber } from '../app/numbers.js';
import { checkReport, type Check } from './check.js';
import { machineOption, userOption } from './options.js';

export interface BurnOptions {
  bucketMs: number;
  lookbackMs: number;
  bucketText: string;
  lookbackText: string;
  alertOnAccelerationPct?: number;
}

export interface BurnResult {
  options: BurnOptions;
  buckets: { since: number; until: number; costNanos: number }[];
  burn: Burn;
}

export function burnOptions(flags: Record<string, unknown>, alertFlag: 'alertOnAccelerationPct' | 'alertAcceleration' = 'alertOnAccelerationPct'): BurnOptions {
  const bucketText = (flags.bucket as string | undefined) ?? '1d';
  const lookbackText = (flags.lookback as string | undefined) ?? '14d';
  const alert = flags[alertFlag];
  const options: BurnOptions = {
    bucketMs: parseDuration(bucketText, '--bucket'),
    lookbackMs: parseDuration(lookbackText, '--lookback'),
    bucketText,
    lookbackText,
    ...(alert === undefined ? {} : { alertOnAccelerationPct: parseNumber(alert, alertFlag === 'alertAcceleration' ? '--alert-acceleration' : '--alert-on-acceleration-pct', {}) }),
  };
  // Checked before anything is read: a bucket longer than the lookback is bad input.
  bucketEdges(0, options.bucketMs, options.lookbackMs);
  return options;
}

export const burnCheck: Check<BurnOptions, BurnResult> = {
  name: 'burn',
  flags: (command) =>
    command
      .addOption(userOption())
      .addOption(machineOption())
      .option('--bucket <duration>', 'bucket length (N[hdwm])', '1d')
      .option('--lookback <duration>', 'how far back buckets go (N[hdwm])', '14d')
      .option('--alert-on-acceleration-pct <pct>', 'exit 1 when the latest bucket exceeds the earlier mean by more than this percentage'),
  options: (flags) => burnOptions(flags),
  async compute(a, options) {
    // Buckets end where the current quarter hour ends: the ledger sums by quarter hour.
    const end = Math.ceil((a.now + 1) / GRAIN_MS) * GRAIN_MS;
    const edges = bucketEdges(end, options.bucketMs, options.lookbackMs);
    const rows = await a.ctx.ledger.usage({ namespace: a.namespace, since: edges[0]?.since ?? end, until: end, ...a.who }, ['bucket']);
    const buckets = edges.map((e) => ({ ...e, costNanos: 0 }));
    for (const row of rows) {
      const i = Math.floor(((row.bucketStart as number) - (edges[0]?.since ?? 0)) / options.bucketMs);
      const bucket = buckets[i];
      if (bucket !== undefined) bucket.costNanos += row.costNanos;
    }
    const result = burn({ bucketsNanos: buckets.map((b) => b.costNanos), ...(options.alertOnAccelerationPct === undefined ? {} : { alertOnAccelerationPct: options.alertOnAccelerationPct }) });
    return { options, buckets, burn: result };
  },
  exit: (r) => (r.burn.status === 'alert' ? EXIT.alert : EXIT.ok),
  headline(r) {
    if (r.burn.status === 'insufficient') return `no earlier ${r.options.bucketText} bucket with spend in the last ${r.options.lookbackText} to compare with`;
    return `latest ${r.options.bucketText}: ${formatUsd(r.burn.latestNanos)}, ${formatPct(r.burn.accelerationPct)} vs the mean ${formatUsd(Math.round(r.burn.baselineNanos ?? 0))} of earlier buckets with spend`;
  },
  json(r) {
    return {
      bucket: r.options.bucketText,
      lookback: r.options.lookbackText,
      buckets: r.buckets.map((b) => ({ since: new Date(b.since).toISOString(), until: new Date(b.until).toISOString(), cost_usd: nanosToUsd(b.costNanos) })),
      latest_usd: nanosToUsd(r.burn.latestNanos),
      baseline_usd: r.burn.baselineNanos === null ? null : nanosToUsd(r.burn.baselineNanos),
      earlier_buckets_with_spend: r.burn.nonEmptyEarlier,
      acceleration_pct: r.burn.accelerationPct,
      alert_on_acceleration_pct: r.options.alertOnAccelerationPct ?? null,
      status: r.burn.status,
    };
  },
};

/** `burn`: the latest bucket of spend against the earlier ones. */
export const BURN_REPORT = checkReport(burnCheck);
