import { sessionKey, type RollupRow, type SessionInfo, type UsageTotals } from '../ledger/ledger.js';
import type { Part } from './period-report.js';
import { Breakdown, emptyTotals, addTotals } from './totals.js';

export interface SessionRow {
  agent: string;
  sessionId: string;
  /** The project most of the session's requests ran in. */
  project: string;
  /** Who recorded the session and on which machine (absent when the ledger did not say). */
  user?: string;
  machine?: string;
  firstActivity: number;
  lastActivity: number;
  totals: UsageTotals;
  models: Part[];
}

export interface SessionReport {
  rows: SessionRow[];
  totals: UsageTotals;
  unpricedModels: string[];
}

export interface SessionOptions {
  order: 'asc' | 'desc';
  /** Keep only the N sessions active most recently. */
  last?: number;
}

/** One row per session, sorted by last activity. */
export function sessionReport(rows: readonly RollupRow[], sessions: ReadonlyMap<string, SessionInfo>, options: SessionOptions): SessionReport {
  const groups = new Map<
    string,
    {
      agent: string;
      sessionId: string;
      user: string | undefined;
      machine: string | undefined;
      totals: UsageTotals;
      models: Breakdown;
      projects: Breakdown;
      first: number;
      last: number;
      known: boolean;
    }
  >();
  for (const row of rows) {
    const key = sessionKey(row.agent, row.sessionId);
    let group = groups.get(key);
    if (group === undefined) {
      const info = sessions.get(key);
      group = {
        agent: row.agent,
        sessionId: row.sessionId,
        user: row.user ?? info?.user,
        machine: info?.machine,
        totals: emptyTotals(),
        models: new Breakdown(),
        projects: new Breakdown(),
        first: info?.firstActivity ?? row.bucketStart,
        last: info?.lastActivity ?? row.bucketStart,
        known: info !== undefined,
      };
      groups.set(key, group);
    } else if (!group.known) {
      // Without the session's own record, its quarter hours bound its activity.
      group.first = Math.min(group.first, row.bucketStart);
      group.last = Math.max(group.last, row.bucketStart);
    }
    addTotals(group.totals, row);
    group.models.add(row.model, row);
    group.projects.add(row.project, row);
  }
  let list = [...groups.values()].sort((a, b) => a.last - b.last || (a.sessionId < b.sessionId ? -1 : 1));
  if (options.last !== undefined) list = list.slice(-options.last);
  if (options.order === 'desc') list.reverse();
  const byEvents = (parts: Part[]): string => [...parts].sort((a, b) => b.totals.events - a.totals.events)[0]?.name ?? '';
  // Totals and unpriced models are those of the sessions shown.
  const totals = emptyTotals();
  const unpriced = new Set<string>();
  for (const g of list) {
    addTotals(totals, g.totals);
    for (const m of g.models.parts()) if (m.totals.unpricedEvents > 0) unpriced.add(m.name);
  }
  return {
    rows: list.map((g) => ({
      agent: g.agent,
      sessionId: g.sessionId,
      project: byEvents(g.projects.parts()),
      ...(g.user === undefined ? {} : { user: g.user }),
      ...(g.machine === undefined ? {} : { machine: g.machine }),
      firstActivity: g.first,
      lastActivity: g.last,
      totals: g.totals,
      models: g.models.parts(),
    })),
    totals,
    unpricedModels: [...unpriced].sort(),
  };
}
