/** Budget levels, least to most severe. */
export const LEVELS = ['OK', 'INFO', 'WARNING', 'CRITICAL', 'HARD_STOP'] as const;
export type Level = (typeof LEVELS)[number];

/** Utilization (percent of the budget) at which each level starts, inclusive. */
export interface Thresholds {
  info: number;
  warning: number;
  critical: number;
  hardStop: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { info: 50, warning: 75, critical: 90, hardStop: 100 };

export const RECOMMENDED_ACTION: Record<Level, string> = {
  OK: 'none',
  INFO: 'half the budget is spent: keep an eye on it',
  WARNING: 'slow down: prefer cheaper models, shorter contexts and fewer subagents',
  CRITICAL: 'stop non-essential agent work; raise the budget or wait for the next period',
  HARD_STOP: 'spending stops: agents guarded by tokenledger are blocked until the budget is raised or the period ends',
};

/** The level a utilization reaches, and the threshold that put it there (undefined for OK). */
export function levelOf(utilizationPct: number, t: Thresholds): { level: Level; threshold: number | undefined } {
  if (utilizationPct >= t.hardStop) return { level: 'HARD_STOP', threshold: t.hardStop };
  if (utilizationPct >= t.critical) return { level: 'CRITICAL', threshold: t.critical };
  if (utilizationPct >= t.warning) return { level: 'WARNING', threshold: t.warning };
  if (utilizationPct >= t.info) return { level: 'INFO', threshold: t.info };
  return { level: 'OK', threshold: undefined };
}

export function severity(level: Level): number {
  return LEVELS.indexOf(level);
}
