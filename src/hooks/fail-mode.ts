import type { Config } from '../config/schema.js';
import type { Env } from '../sources/shared/roots.js';

/** The variable that sets fail-closed when the config itself cannot be read. */
export const FAIL_CLOSED_ENV = 'TOKENLEDGER_HOOK_FAIL_CLOSED';

/**
 * Whether the guard blocks when it cannot check the budgets: `TOKENLEDGER_HOOK_FAIL_CLOSED`
 * (1/true/yes or 0/false/no) when set, else config `hooks.failClosed`, else no (fail open).
 */
export function failClosed(env: Env, config: Config | undefined): boolean {
  const raw = env[FAIL_CLOSED_ENV]?.trim().toLowerCase();
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  if (raw === '0' || raw === 'false' || raw === 'no') return false;
  return config?.hooks?.failClosed === true;
}
