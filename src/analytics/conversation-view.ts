import type { ConversationRow } from '../ledger/ledger.js';

export interface Conversation {
  agent: string;
  sessionId: string;
  /** The project with the most cost in it. */
  project: string;
  startedAt: number;
  endedAt: number;
  messages: number;
  costNanos: number;
  /** The model with the most cost in it (the most messages when nothing was priced). */
  topModel: string;
  models: number;
}

/** Folds the per-project, per-model rows of each conversation into one line, newest first. */
export function conversationView(rows: readonly ConversationRow[]): Conversation[] {
  const byKey = new Map<string, { c: Conversation; models: Map<string, [number, number]>; projects: Map<string, number> }>();
  for (const row of rows) {
    const key = `${row.agent}\0${row.sessionId}\0${row.startedAt}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = {
        c: { agent: row.agent, sessionId: row.sessionId, project: row.project, startedAt: row.startedAt, endedAt: row.endedAt, messages: 0, costNanos: 0, topModel: row.model, models: 0 },
        models: new Map(),
        projects: new Map(),
      };
      byKey.set(key, entry);
    }
    entry.c.messages += row.events;
    entry.c.costNanos += row.costNanos;
    const m = entry.models.get(row.model) ?? [0, 0];
    entry.models.set(row.model, [m[0] + row.costNanos, m[1] + row.events]);
    entry.projects.set(row.project, (entry.projects.get(row.project) ?? 0) + row.costNanos);
  }
  return [...byKey.values()]
    .map(({ c, models, projects }) => {
      const top = [...models].sort((x, y) => y[1][0] - x[1][0] || y[1][1] - x[1][1] || (x[0] < y[0] ? -1 : 1))[0];
      const project = [...projects].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
      return { ...c, topModel: top?.[0] ?? c.topModel, models: models.size, project: project?.[0] ?? c.project };
    })
    .sort((x, y) => y.startedAt - x.startedAt || (x.sessionId < y.sessionId ? -1 : 1));
}
