/**
 * The grants of the two roles a team ledger needs beside its owner (the role that created it and
 * runs upgrades), as SQL the README shows and a test applies: exactly what the engine uses.
 */

/**
 * A writer (sync, watch, push, hooks, budgets checks, the gateway): inserts and reads; updates only where a row is
 * replaced or a gateway key's meter, allowance or reservations change (keys themselves are the owner's to create).
 */
export function writerGrants(schema: string, role: string): string {
  return `
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};
GRANT INSERT ON ${schema}.events, ${schema}.sessions, ${schema}.recorders, ${schema}.projects, ${schema}.models,
  ${schema}.files, ${schema}.drops, ${schema}.rate_limits, ${schema}.price_versions, ${schema}.budget_alerts, ${schema}.federation_spend TO ${role};
GRANT UPDATE ON ${schema}.events, ${schema}.files, ${schema}.budget_alerts, ${schema}.federation_spend TO ${role};
GRANT DELETE ON ${schema}.events TO ${role};
GRANT INSERT, UPDATE ON ${schema}.key_meters, ${schema}.allowances TO ${role};
GRANT INSERT, DELETE ON ${schema}.reservations TO ${role};
GRANT USAGE ON SEQUENCE ${schema}.change_seq TO ${role};`;
}

/** A reader (dashboards, reports): reads, nothing else. */
export function readerGrants(schema: string, role: string): string {
  return `
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};`;
}
