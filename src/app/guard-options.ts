import type { GuardOptions } from '../budgets/guard.js';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import type { Config } from '../config/schema.js';
import { ZoneClock } from '../core/zone-clock.js';
import type { Env } from '../sources/shared/roots.js';

/** The budget ladder and calendar of a config (its time zone, else the system's; week start; thresholds). */
export function configGuardOptions(config: Config, env: Env, now: () => number): GuardOptions {
  return {
    clock: config.timezone === undefined ? ZoneClock.system(env) : new ZoneClock(config.timezone),
    startOfWeek: config.startOfWeek ?? 'monday',
    thresholds: { ...DEFAULT_THRESHOLDS, ...config.budgets?.thresholds },
    now,
  };
}
