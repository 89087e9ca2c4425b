import pg from 'pg';
import type { RateLimitSnapshot } from '../../../core/usage-event.js';
import { type InspectedEvent, type LedgerInspector, ORPHANS } from '../../conformance/inspector.js';
import { PROMPT_CUTS } from '../../ledger.js';
import type { LedgerLocation } from '../../location.js';

const EVENTS = `
  SELECT e.dedup_key AS "dedupKey", s.namespace, s.agent, s.session_key AS "sessionId", p.path AS project, m.name AS model,
         e.occurred_at::float8 AS "occurredAt", e.input_tokens::float8 AS "inputTokens", e.output_tokens::float8 AS "outputTokens",
         e.reasoning_tokens::float8 AS "reasoningTokens", e.cache_write_5m_tokens::float8 AS "cacheWrite5mTokens",
         e.cache_write_1h_tokens::float8 AS "cacheWrite1hTokens", e.cache_read_tokens::float8 AS "cacheReadTokens",
         e.cost_nanos::float8 AS "costNanos", e.unpriced, e.sidechain, e.service_tier AS "serviceTier"
  FROM events e JOIN sessions s ON s.id = e.session_id JOIN projects p ON p.id = e.project_id JOIN models m ON m.id = e.model_id
  ORDER BY e.dedup_key COLLATE "C"`;

/** Looks inside a PostgreSQL ledger's schema (reads only; a schema not yet created holds nothing). */
export class PostgresInspector implements LedgerInspector {
  constructor(private readonly location: Extract<LedgerLocation, { engine: 'postgres' }>) {}

  async events(): Promise<InspectedEvent[]> {
    const rows = await this.read<InspectedEvent & { serviceTier: string | null }>(EVENTS);
    return rows.map(({ serviceTier, ...e }) => ({ ...e, unpriced: Boolean(e.unpriced), sidechain: Boolean(e.sidechain), ...(serviceTier === null ? {} : { serviceTier }) }));
  }

  async eventCount(): Promise<number> {
    return (await this.read<{ n: number }>('SELECT count(*)::float8 AS n FROM events'))[0]?.n ?? 0;
  }

  async sumMismatches(): Promise<string[]> {
    // The sums written out once more on purpose, to check the engine's own.
    const prompt = 'input_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens';
    const band = `CASE ${[...PROMPT_CUTS]
      .reverse()
      .map((cut) => `WHEN ${prompt} > ${cut} THEN ${cut}`)
      .join(' ')} ELSE 0 END`;
    const sums = `count(*), sum(unpriced::int), sum(input_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cache_write_5m_tokens),
        sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(cost_nanos)`;
    const columns = `session_id, project_id, model_id, prompt_band, events, unpriced_events, input_tokens, output_tokens, reasoning_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos`;
    const out: string[] = [];
    for (const [table, time, grainMs] of [
      ['usage_rollup', 'bucket', 900_000],
      ['usage_day', 'day', 86_400_000],
    ] as const) {
      const agg = `SELECT div(occurred_at, ${grainMs}), session_id, project_id, model_id, ${band}, ${sums} FROM events GROUP BY 1, 2, 3, 4, 5`;
      const stored = `SELECT ${time}, ${columns} FROM ${table}`;
      // Compared as text, so that integer widths of the engine's columns do not matter.
      const text = (sql: string) => `SELECT row(q.*)::text FROM (${sql}) q`;
      const n =
        (await this.read<{ n: number }>(`SELECT ((SELECT count(*) FROM (${text(agg)} EXCEPT ${text(stored)}) a) + (SELECT count(*) FROM (${text(stored)} EXCEPT ${text(agg)}) b))::float8 AS n`))[0]
          ?.n ?? 0;
      if (n !== 0) out.push(`${table} differs from the events in ${n} row(s)`);
    }
    return out;
  }

  async orphans(): Promise<string[]> {
    return (await this.read<{ what: string; n: string }>(ORPHANS)).filter((r) => Number(r.n) > 0).map((r) => `${r.n} ${r.what}`);
  }

  async rateLimits(): Promise<RateLimitSnapshot[]> {
    type Row = { agent: string; sessionId: string; occurredAt: number; windows: unknown; planType: string | null; limitId: string | null };
    const rows = await this.read<Row>(
      'SELECT agent, session_key AS "sessionId", occurred_at::float8 AS "occurredAt", windows, plan_type AS "planType", limit_id AS "limitId" FROM rate_limits ORDER BY occurred_at, agent, session_key COLLATE "C"',
    );
    return rows.map(({ windows, planType, limitId, ...r }) => ({
      ...r,
      windows: (typeof windows === 'string' ? JSON.parse(windows) : windows) as RateLimitSnapshot['windows'],
      ...(planType === null ? {} : { planType }),
      ...(limitId === null ? {} : { limitId }),
    }));
  }

  async priceVersions(): Promise<string[]> {
    return (await this.read<{ label: string }>('SELECT label FROM price_versions ORDER BY label COLLATE "C"')).map((r) => r.label);
  }

  async close(): Promise<void> {}

  /** Rows of `sql` run in the ledger's schema, or none when the ledger has no tables yet. */
  private async read<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.location.url });
    await client.connect();
    try {
      const schema = this.location.schema ?? 'public';
      const found = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, 'events']);
      if (found.rowCount === 0) return [];
      await client.query(`SET search_path TO "${schema.replaceAll('"', '""')}"`);
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }
}
