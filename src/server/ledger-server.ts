import type { App } from '../app/open-app.js';
import { packageRoot } from '../core/package-root.js';
import { reportContext } from '../reports/context.js';
import { REPORTS } from '../reports/index.js';
import { flagsFromQuery } from '../reports/query-flags.js';
import type { JsonReport } from '../reports/report.js';
import type { Env } from '../sources/shared/roots.js';
import { join } from 'node:path';
import type { Access } from './access.js';
import { createApp, type ServerApp } from './app.js';
import { ChangeFeed } from './change-feed.js';
import type { BudgetWrites } from './budget-routes.js';
import { resolveNamespace } from '../app/namespace.js';
import { budgetSetJson, removeBudget, setBudget } from '../reports/budget-writes.js';
import type { ReportContext } from '../reports/report.js';

export interface LedgerServing {
  /** The open config, ledger and prices; the caller closes the ledger after `stop()`. */
  app: App;
  env: Env;
  now(): number;
  access: Access;
  /** Lines for the operator (never tokens). */
  log(line: string): void;
  /** Default: every registered report. */
  reports?: readonly JsonReport[];
  /** Default: `dist/web` of the package. */
  dashboardDir?: string;
  pollMs?: number;
  keepAliveMs?: number;
}

/** The app over one open ledger: every report, budget writes, the change feed (started and stopped here). */
export interface LedgerServer {
  app: ServerApp;
  changes: ChangeFeed;
  start(): Promise<void>;
  stop(): void;
}

/** Serves a ledger: the registered reports over a report context per request, budgets, live changes. */
export function ledgerServer(o: LedgerServing): LedgerServer {
  const { ledger, loaded } = o.app;
  const changes = new ChangeFeed({
    position: () => ledger.changePosition(),
    ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
    onTrouble: (error) => o.log(`tokenledger serve: cannot read the ledger's change position (${error instanceof Error ? error.message : String(error)}); trying again every second`),
  });
  const app = createApp({
    reports: o.reports ?? REPORTS,
    queryFlags: flagsFromQuery,
    context: (note) => reportContext(o.app, { env: o.env, now: o.now, note }),
    log: o.log,
    access: o.access,
    changes,
    ...(ledger.readOnly ? {} : { budgets: budgetWrites((note) => reportContext(o.app, { env: o.env, now: o.now, note }), o.env, loaded.config.namespace) }),
    dashboardDir: o.dashboardDir ?? join(packageRoot(), 'dist', 'web'),
    ...(o.keepAliveMs === undefined ? {} : { keepAliveMs: o.keepAliveMs }),
  });
  return {
    app,
    changes,
    start: () => changes.start(),
    stop: () => {
      app.close();
      changes.stop();
    },
  };
}

/** Budget set and remove as `budget set --json` and `budget remove` do them, in the namespace `budget` works in. */
function budgetWrites(context: (note: (text: string) => void) => ReportContext, env: Env, configuredNamespace: string | undefined): BudgetWrites {
  const namespace = (): string => resolveNamespace(undefined, 'budget', env, configuredNamespace);
  return {
    set: async (usd, target) =>
      budgetSetJson(
        await setBudget(
          context(() => {}),
          { namespace: namespace(), usd, ...target },
        ),
      ),
    remove: (target) =>
      removeBudget(
        context(() => {}),
        { namespace: namespace(), ...target },
      ),
  };
}
