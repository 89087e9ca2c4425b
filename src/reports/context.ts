import type { App } from '../app/open-app.js';
import type { Env } from '../sources/shared/roots.js';
import type { ReportContext } from './report.js';

/** What a report context adds to an open app: the environment, the clock and where notes go. */
export interface ContextSetting {
  env: Env;
  /** Epoch ms. */
  now(): number;
  note(text: string): void;
}

/**
 * A report context over an open app. Day sums are brought up to date before a read by day, except
 * in a ledger that can only be read here (it is reported as it is).
 */
export function reportContext(app: App, setting: ContextSetting): ReportContext {
  return {
    loaded: app.loaded,
    ledger: app.ledger,
    pricer: app.pricer,
    env: setting.env,
    now: setting.now,
    note: setting.note,
    prepareDays: async (zone) => {
      if (!app.ledger.readOnly) await app.ledger.prepareDays(zone);
    },
  };
}
