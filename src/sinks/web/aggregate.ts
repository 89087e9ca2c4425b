import type { DailyByProjectDocument, DailyDocument, SessionRow } from './documents.js';

/** One line of a models, projects or users table: what a name spent over the range. */
export interface Spend {
  name: string;
  costUsd: number;
  totalTokens: number;
  requests: number;
  /** Sessions (users, machines) or days with usage (projects). */
  count: number;
  unpriced: boolean;
}

/** Per model over the range, from the daily report's model breakdowns; costliest first. */
export function byModel(doc: DailyDocument): Spend[] {
  const out = new Map<string, Spend>();
  for (const day of doc.daily) {
    for (const m of day.modelBreakdowns ?? []) {
      const spend = entry(out, m.modelName);
      spend.costUsd += m.cost;
      spend.totalTokens += m.totalTokens;
      spend.requests += m.requests;
      spend.count += 1;
      spend.unpriced ||= m.unpriced;
    }
  }
  return ranked(out);
}

/** Per project over the range, from the daily report by project (`instances`); `count` is days with usage. */
export function byProject(doc: DailyByProjectDocument): Spend[] {
  const out = new Map<string, Spend>();
  for (const [project, days] of Object.entries(doc.projects ?? {})) {
    const spend = entry(out, project);
    for (const day of days) {
      spend.costUsd += day.totalCost;
      spend.totalTokens += day.totalTokens;
      spend.requests += day.requests;
      spend.count += 1;
      spend.unpriced ||= day.unpricedRequests > 0;
    }
  }
  return ranked(out);
}

/** Per user or per machine, from the session report; `count` is sessions. */
export function bySessionField(sessions: readonly SessionRow[], field: 'user' | 'machine'): Spend[] {
  const out = new Map<string, Spend>();
  for (const s of sessions) {
    const spend = entry(out, s[field] ?? 'unknown');
    spend.costUsd += s.totalCost;
    spend.totalTokens += s.totalTokens;
    spend.requests += s.requests;
    spend.count += 1;
    spend.unpriced ||= s.unpricedRequests > 0;
  }
  return ranked(out);
}

function entry(map: Map<string, Spend>, name: string): Spend {
  let spend = map.get(name);
  if (spend === undefined) {
    spend = { name, costUsd: 0, totalTokens: 0, requests: 0, count: 0, unpriced: false };
    map.set(name, spend);
  }
  return spend;
}

function ranked(map: Map<string, Spend>): Spend[] {
  return [...map.values()].sort((a, b) => b.costUsd - a.costUsd || a.name.localeCompare(b.name));
}
