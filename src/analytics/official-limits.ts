import type { RateLimitSnapshot } from '../core/usage-event.js';
import type { LedgerReader } from '../ledger/ledger.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Readings older than this are not shown (the longest window agents report is a week). */
const LOOKBACK_MS = 7 * 24 * HOUR_MS;

/** One window of an official limit reading, with whether it still describes the present. */
export interface OfficialWindow {
  name: string;
  /** `5-hour`, `weekly`, `3-day`…, else the agent's name for it. */
  label: string;
  usedPercent: number;
  windowMinutes?: number;
  resetsAt?: number;
  /** False when the window has reset since the reading (or, without a reset time, its length has passed). */
  current: boolean;
}

export interface OfficialLimit {
  agent: string;
  limitId?: string;
  planType?: string;
  takenAt: number;
  windows: OfficialWindow[];
}

/** How long a reading without window length or reset time counts as current. */
const UNDATED_FRESH_MS = HOUR_MS;

/** The latest official limit readings of the last week, of the `agents` given (all without). */
export async function readOfficialLimits(reader: Pick<LedgerReader, 'latestRateLimits'>, now: number, agents?: readonly string[]): Promise<OfficialLimit[]> {
  const readings = await reader.latestRateLimits(now - LOOKBACK_MS);
  return officialLimits(agents === undefined ? readings : readings.filter((r) => agents.includes(r.agent)), now);
}

/** The official limit readings agents logged (Codex `rate_limits`), newest per agent and allowance. */
export function officialLimits(snapshots: readonly RateLimitSnapshot[], now: number): OfficialLimit[] {
  return snapshots.map((s) => ({
    agent: s.agent,
    ...(s.limitId === undefined ? {} : { limitId: s.limitId }),
    ...(s.planType === undefined ? {} : { planType: s.planType }),
    takenAt: s.occurredAt,
    windows: s.windows.map((w) => {
      const current = w.resetsAt !== undefined ? w.resetsAt > now : w.windowMinutes !== undefined ? s.occurredAt + w.windowMinutes * MINUTE_MS > now : now - s.occurredAt < UNDATED_FRESH_MS;
      return {
        name: w.name,
        label: windowLabel(w.name, w.windowMinutes),
        usedPercent: w.usedPercent,
        ...(w.windowMinutes === undefined ? {} : { windowMinutes: w.windowMinutes }),
        ...(w.resetsAt === undefined ? {} : { resetsAt: w.resetsAt }),
        current,
      };
    }),
  }));
}

/** `5-hour`, `weekly`, `3-day`, `90-minute`; the agent's own name when the length is unknown. */
export function windowLabel(name: string, windowMinutes: number | undefined): string {
  if (windowMinutes === undefined || !(windowMinutes > 0)) return name;
  // A length a minute off a whole hour (299, 10079) is named after the hour.
  const hours = Math.round(windowMinutes / 60);
  if (hours > 0 && Math.abs(windowMinutes - hours * 60) <= 1) windowMinutes = hours * 60;
  if (windowMinutes === 7 * 24 * 60) return 'weekly';
  if (windowMinutes % (24 * 60) === 0) return `${windowMinutes / (24 * 60)}-day`;
  if (windowMinutes % 60 === 0) return `${windowMinutes / 60}-hour`;
  return `${windowMinutes}-minute`;
}
