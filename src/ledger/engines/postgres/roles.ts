/**
 * The grants of the two roles a team ledger needs beside its owner (the role that created it and
 * runs upgrades), as SQL the README shows and a test applies: exactly what the engine uses.
 */

/** A writer (sync, watch, push, hooks, budgets checks): inserts and reads; updates only where a row is replaced. */
export function writerGrants(schema: string, role: string): string {
  return `
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};
GRANT INSERT ON ${schema}.events, ${schema}.sessions, ${schema}.recorders, ${schema}.projects, ${schema}.models,
  ${schema}.files, ${schema}.drops, ${schema}.rate_limits, ${schema}.price_versions, ${schema}.budget_alerts, ${schema}.federation_spend TO ${role};
GRANT UPDATE ON ${schema}.events, ${schema}.files, ${schema}.budget_alerts, ${schema}.federation_spend TO ${role};
GRANT DELETE ON ${schema}.events TO ${role};
GRANT USAGE ON SEQUENCE ${schema}.change_seq TO ${role};`;
}

/** A reader (dashboards, reports): reads, nothing else. */
export function readerGrants(schema: string, role: string): string {
  return `
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};`;
}
