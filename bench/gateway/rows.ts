import { type Pooled, percentiles, requestsPerSecond } from './compare.js';

/** Columns of the gateway table: our gateway beside the upstream itself and Portkey. */
export const GATEWAY_COLUMNS = ['measure', 'tokenledger', 'direct', 'Portkey', 'target', 'result'] as const;
export type GatewayRow = [measure: string, tokenledger: string, direct: string, portkey: string, target: string, result: string];

export const TARGET_ADDED_MS = { p50: 1, p99: 5 } as const;

const ms = (v: number): string => `${v.toFixed(2)} ms`;
const signedMs = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)} ms`;
const mark = (pass: boolean): string => (pass ? 'met' : '**not met**');

/** A target that did not run says why, in its column. */
export type Measured = Pooled | { notRun: string };

const ran = (m: Measured | undefined): m is Pooled => m !== undefined && !('notRun' in m) && m.samplesMs.length > 0;
const why = (m: Measured | undefined): string => (m === undefined ? '' : 'notRun' in m ? `not run: ${m.notRun}` : `every request failed: ${m.firstFailure ?? 'no answer'}`);
/** Failed requests, shown beside a target's figures. */
const failures = (m: Pooled): string => (m.failed === 0 ? '' : `; **${m.failed} failed**: ${m.firstFailure ?? ''}`);

/** How many samples a percentile is over, shown once per shape (on the p50 rows). */
const count = (m: Pooled, which: 'p50' | 'p99'): string => (which === 'p50' ? `, n ${m.samplesMs.length.toLocaleString('en-US')}` : '');

/** `+added (its own percentile)` of a target against direct. */
function added(target: Measured | undefined, direct: Pooled, which: 'p50' | 'p99'): { text: string; ms?: number; failed?: number } {
  if (!ran(target)) return { text: why(target) };
  const own = percentiles(target)[which];
  const addedMs = own - percentiles(direct)[which];
  return { text: `${signedMs(addedMs)} (${which} ${ms(own)}${count(target, which)}${failures(target)})`, ms: addedMs, failed: target.failed };
}

/**
 * Added latency rows of one load shape: per percentile and per key of ours, the target's
 * percentile minus direct's, each beside the percentiles themselves.
 */
export function latencyRows(label: string, direct: Pooled, ours: { name: string; measured: Measured }[], portkey: Measured | undefined): GatewayRow[] {
  const rows: GatewayRow[] = [];
  for (const which of ['p50', 'p99'] as const) {
    const peer = added(portkey, direct, which).text;
    for (const key of ours) {
      const mine = added(key.measured, direct, which);
      const limit = TARGET_ADDED_MS[which];
      // A request that failed through the gateway fails the row, whatever the latency of the others.
      const result = mine.ms === undefined ? 'not run' : mark(mine.ms <= limit && mine.failed === 0);
      rows.push([`added latency ${which}, ${label}, ${key.name}`, mine.text, `${which} ${ms(percentiles(direct)[which])}${count(direct, which)}${failures(direct)}`, peer, `≤ ${limit} ms`, result]);
    }
  }
  return rows;
}

const perSecond = (m: Measured | undefined): string => (ran(m) ? `${Math.round(requestsPerSecond(m)).toLocaleString('en-US')}/s` : why(m));

/** Requests per second of one load shape, per key of ours, beside direct and Portkey. */
export function throughputRows(label: string, direct: Pooled, ours: { name: string; measured: Measured }[], portkey: Measured | undefined): GatewayRow[] {
  return ours.map((key) => [`requests per second, ${label}, ${key.name}`, perSecond(key.measured), perSecond(direct), perSecond(portkey), '', '']);
}
