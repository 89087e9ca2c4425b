/**
 * The PostgreSQL schema, as ordered migrations (the tables of the SQLite engine, in PostgreSQL's
 * types). A ledger records the migrations it has run in `meta.schema_version`; never edit a shipped
 * migration, add the next one.
 */
import { GRAIN_MS, PROMPT_CUTS } from '../../ledger.js';

export const TOKEN_COLUMNS = ['input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens'] as const;
export const SUMMED = [...TOKEN_COLUMNS, 'cost_nanos'] as const;
export const BUCKET_MS = GRAIN_MS;
export const DAY_MS = 86_400_000;

/** SQL for the prompt band of an event row (`promptBand` in ledger.ts). */
const bandOf = (row: string): string => {
  const prompt = `(${row}.input_tokens + ${row}.cache_write_5m_tokens + ${row}.cache_write_1h_tokens + ${row}.cache_read_tokens)`;
  return `CASE ${[...PROMPT_CUTS]
    .reverse()
    .map((cut) => `WHEN ${prompt} > ${cut} THEN ${cut}`)
    .join(' ')} ELSE 0 END`;
};

const sumTable = (name: string, time: string): string => `
  CREATE TABLE ${name} (
    ${time} BIGINT NOT NULL,
    session_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    model_id BIGINT NOT NULL,
    prompt_band INTEGER NOT NULL,
    events BIGINT NOT NULL,
    unpriced_events BIGINT NOT NULL,
    ${SUMMED.map((c) => `${c} BIGINT NOT NULL`).join(',\n    ')},
    PRIMARY KEY (${time}, session_id, project_id, model_id, prompt_band)
  );`;

/**
 * Adds the signed rows of `delta` (a query over transition tables) into a sum table, set-based,
 * in key order (so two writers lock cells in one order), then (`removes`: after updates and
 * deletes; inserts only add) removes the cells left empty.
 */
const applyDelta = (table: string, time: string, grainMs: number, delta: string, removes: boolean): string => `
    INSERT INTO ${table} AS t (${time}, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
    SELECT d.occurred_at / ${grainMs}, d.session_id, d.project_id, d.model_id, d.band,
           sum(d.sign), sum(d.sign * d.unpriced), ${SUMMED.map((c) => `sum(d.sign * d.${c})`).join(', ')}
    FROM (${delta}) d
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(d.sign) <> 0 OR sum(d.sign * d.unpriced) <> 0 OR ${SUMMED.map((c) => `sum(d.sign * d.${c}) <> 0`).join(' OR ')}
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (${time}, session_id, project_id, model_id, prompt_band) DO UPDATE SET
      events = t.events + excluded.events,
      unpriced_events = t.unpriced_events + excluded.unpriced_events,
      ${SUMMED.map((c) => `${c} = t.${c} + excluded.${c}`).join(',\n      ')};${
        removes
          ? `
    DELETE FROM ${table} t USING (SELECT DISTINCT occurred_at / ${grainMs} AS time, session_id, project_id, model_id, band FROM (${delta}) x) d
    WHERE t.events = 0 AND t.${time} = d.time AND t.session_id = d.session_id AND t.project_id = d.project_id AND t.model_id = d.model_id AND t.prompt_band = d.band;`
          : ''
      }`;

const signed = (table: string, sign: string): string =>
  `SELECT ${sign}::bigint AS sign, occurred_at, session_id, project_id, model_id, ${bandOf(table)} AS band, CASE WHEN unpriced THEN 1 ELSE 0 END AS unpriced, ${SUMMED.join(', ')} FROM ${table}`;

/**
 * Statement-level triggers over transition tables keep `usage_rollup`, `usage_day` and the sessions'
 * first and last activity exact under every insert, replacement, removal and re-pricing, with one
 * set-based statement per table and statement (not per row). They run as the ledger's owner
 * (SECURITY DEFINER, search path fixed), so a writer role needs no write grant on the sums.
 */
const sumTriggers = (): string =>
  (
    [
      ['insert', 'INSERT', 'REFERENCING NEW TABLE AS new_rows', signed('new_rows', '1')],
      ['update', 'UPDATE', 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows', `${signed('new_rows', '1')} UNION ALL ${signed('old_rows', '-1')}`],
      ['delete', 'DELETE', 'REFERENCING OLD TABLE AS old_rows', signed('old_rows', '-1')],
    ] as const
  )
    .map(
      ([name, op, referencing, delta]) => `
  CREATE FUNCTION events_sums_${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
  BEGIN
    ${applyDelta('usage_rollup', 'bucket', BUCKET_MS, delta, op !== 'INSERT')}
    ${applyDelta('usage_day', 'day', DAY_MS, delta, op !== 'INSERT')}
    ${
      op === 'DELETE'
        ? ''
        : `UPDATE sessions s SET first_at = LEAST(s.first_at, n.first_at), last_at = GREATEST(s.last_at, n.last_at)
    FROM (SELECT session_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at FROM new_rows GROUP BY session_id ORDER BY session_id) n
    WHERE s.id = n.session_id AND (s.first_at IS NULL OR s.last_at IS NULL OR n.first_at < s.first_at OR n.last_at > s.last_at);`
    }
    RETURN NULL;
  END $fn$;
  CREATE TRIGGER events_sums_${name} AFTER ${op} ON events ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION events_sums_${name}();`,
    )
    .join('\n');

/**
 * The insert trigger in one pass over the new rows (migration 2): the quarter-hour cells are summed
 * once, and the day cells and the sessions' first and last activity are summed from those cells
 * (a few per hundred events), each table still written in key order. Measured on 50,000 new events
 * over 1,000,000: the three passes of migration 1 cost about 160 ms of the insert.
 */
const insertSums = (): string => `
  CREATE OR REPLACE FUNCTION events_sums_insert() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
  BEGIN
    WITH cells AS MATERIALIZED (
      SELECT occurred_at / ${BUCKET_MS} AS bucket, session_id, project_id, model_id, ${bandOf('new_rows')} AS band,
             count(*) AS events, count(*) FILTER (WHERE unpriced) AS unpriced_events, ${SUMMED.map((c) => `sum(${c}) AS ${c}`).join(', ')},
             min(occurred_at) AS first_at, max(occurred_at) AS last_at
      FROM new_rows GROUP BY 1, 2, 3, 4, 5),
    quarters AS (
      INSERT INTO usage_rollup AS t (bucket, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
      SELECT bucket, session_id, project_id, model_id, band, events, unpriced_events, ${SUMMED.join(', ')} FROM cells
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (bucket, session_id, project_id, model_id, prompt_band) DO UPDATE SET
        events = t.events + excluded.events, unpriced_events = t.unpriced_events + excluded.unpriced_events,
        ${SUMMED.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}),
    days AS (
      INSERT INTO usage_day AS t (day, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
      SELECT bucket / ${DAY_MS / BUCKET_MS}, session_id, project_id, model_id, band, sum(events), sum(unpriced_events), ${SUMMED.map((c) => `sum(${c})`).join(', ')} FROM cells
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (day, session_id, project_id, model_id, prompt_band) DO UPDATE SET
        events = t.events + excluded.events, unpriced_events = t.unpriced_events + excluded.unpriced_events,
        ${SUMMED.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')})
    UPDATE sessions s SET first_at = LEAST(s.first_at, n.first_at), last_at = GREATEST(s.last_at, n.last_at)
    FROM (SELECT session_id, min(first_at) AS first_at, max(last_at) AS last_at FROM cells GROUP BY session_id ORDER BY session_id) n
    WHERE s.id = n.session_id AND (s.first_at IS NULL OR s.last_at IS NULL OR n.first_at < s.first_at OR n.last_at > s.last_at);
    RETURN NULL;
  END $fn$;`;

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- One position for every change push and pull follow: events inserted or replaced, drops recorded.
  CREATE SEQUENCE change_seq;

  CREATE TABLE price_versions (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, label TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);
  CREATE TABLE models (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL, provider TEXT NOT NULL, UNIQUE (name, provider));
  CREATE TABLE projects (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, path TEXT NOT NULL UNIQUE);
  -- Who recorded usage: a user on a machine. Sessions name theirs, so reports group and filter by it cheaply.
  CREATE TABLE recorders (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, user_name TEXT NOT NULL, machine TEXT NOT NULL, UNIQUE (user_name, machine));

  CREATE TABLE sessions (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    namespace TEXT NOT NULL,
    agent TEXT NOT NULL,
    session_key TEXT NOT NULL,
    recorder_id BIGINT NOT NULL REFERENCES recorders (id),
    first_at BIGINT,
    last_at BIGINT,
    UNIQUE (namespace, agent, session_key)
  );
  CREATE INDEX sessions_recorder ON sessions (recorder_id);

  -- Followed files (with their cursor) and origins, per machine: two machines may share a home path.
  CREATE TABLE files (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    machine TEXT NOT NULL,
    path TEXT NOT NULL,
    agent TEXT NOT NULL,
    dev BIGINT NOT NULL,
    ino BIGINT NOT NULL,
    size BIGINT NOT NULL,
    mtime_ms DOUBLE PRECISION NOT NULL,
    ctime_ms DOUBLE PRECISION,
    byte_offset BIGINT NOT NULL,
    line_count BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT,
    updated_at BIGINT NOT NULL,
    UNIQUE (machine, path)
  );

  -- Events and drops name their session, project, model, file and price version by ids the writer
  -- interns in the same transaction, without foreign keys: their per-row checks cost more than
  -- the bulk insert itself (5,000 events: about 470 ms with them, a fraction without).
  CREATE TABLE events (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    dedup_key TEXT COLLATE "C" NOT NULL UNIQUE,
    replay_key TEXT COLLATE "C",
    sidechain BOOLEAN NOT NULL,
    session_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    model_id BIGINT NOT NULL,
    file_id BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    ${TOKEN_COLUMNS.map((c) => `${c} BIGINT NOT NULL`).join(',\n    ')},
    cost_nanos BIGINT NOT NULL,
    price_version_id BIGINT NOT NULL,
    unpriced BOOLEAN NOT NULL,
    service_tier TEXT,
    change_seq BIGINT NOT NULL DEFAULT nextval('change_seq')
  );
  -- Keys compare bytewise (as in SQLite): a message's keys are its replay key, alone or followed by
  -- ':' and a request id, so they are found as a range of the unique index. Sidechain copies by
  -- message, to find the replays a main-conversation event supersedes.
  CREATE INDEX events_sidechain_replay ON events (replay_key) WHERE sidechain;
  CREATE INDEX events_session ON events (session_id, occurred_at);
  CREATE INDEX events_service_tier ON events (model_id, service_tier) WHERE service_tier IS NOT NULL;
  CREATE INDEX events_change ON events (change_seq);
  CREATE INDEX events_price_version ON events (price_version_id);

  ${sumTable('usage_rollup', 'bucket')}
  ${sumTable('usage_day', 'day')}
  CREATE INDEX usage_rollup_session ON usage_rollup (session_id, bucket);
  ${sumTriggers()}

  CREATE TABLE rate_limits (
    agent TEXT NOT NULL,
    session_key TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    windows TEXT NOT NULL,
    plan_type TEXT,
    limit_id TEXT,
    PRIMARY KEY (agent, session_key, occurred_at)
  );

  CREATE TABLE drops (
    file_id BIGINT NOT NULL,
    line BIGINT NOT NULL,
    reason TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    change_seq BIGINT NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (file_id, line, reason)
  );
  CREATE INDEX drops_change ON drops (change_seq);

  CREATE TABLE budgets (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    namespace TEXT NOT NULL,
    scope TEXT NOT NULL,
    period TEXT NOT NULL,
    amount_nanos BIGINT NOT NULL,
    set_at BIGINT NOT NULL,
    UNIQUE (namespace, scope, period)
  );
  CREATE TABLE budget_alerts (
    budget_id BIGINT NOT NULL,
    period_key TEXT NOT NULL,
    level TEXT NOT NULL,
    spent_nanos BIGINT NOT NULL,
    at BIGINT NOT NULL,
    notified_at BIGINT,
    PRIMARY KEY (budget_id, period_key, level)
  );

  CREATE TABLE federation_spend (
    namespace TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    tokens_used BIGINT NOT NULL,
    usd_nanos BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    PRIMARY KEY (namespace, peer_id, task_id)
  );
  CREATE INDEX federation_spend_time ON federation_spend (namespace, occurred_at);
  `,
  insertSums(),
  // 3: the ledger's id, so a copy to or from a ledger made again at the same address starts over.
  `INSERT INTO meta (key, value) VALUES ('ledger_id', md5(random()::text || clock_timestamp()::text));`,
  // 4: the metering gateway. What a provider said a request cost, beside the ledger's price; the
  // gateway's keys (a hash of the secret, never the secret), their meters (one epoch since the last
  // reset), the allowance of each `key:` budget in its current period (settled spend and what
  // requests in flight hold reserved: admission raises it in one statement under the row's lock)
  // and those reservations.
  `
  ALTER TABLE events ADD COLUMN reported_cost_nanos BIGINT;
  CREATE TABLE gateway_keys (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    secret_prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    rotated_at BIGINT,
    rpm BIGINT,
    tpm BIGINT,
    project TEXT,
    PRIMARY KEY (namespace, name)
  );
  CREATE TABLE key_meters (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    reset_at BIGINT NOT NULL,
    prompt_count BIGINT NOT NULL,
    ${SUMMED.map((c) => `${c} BIGINT NOT NULL`).join(',\n    ')},
    reported_cost_nanos BIGINT NOT NULL,
    last_activity_at BIGINT,
    PRIMARY KEY (namespace, name)
  );
  CREATE TABLE allowances (
    budget_id BIGINT PRIMARY KEY,
    period_key TEXT NOT NULL,
    period_start BIGINT,
    period_end BIGINT,
    spent_nanos BIGINT NOT NULL,
    reserved_nanos BIGINT NOT NULL
  );
  CREATE TABLE reservations (
    id TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    key_name TEXT NOT NULL,
    amount_nanos BIGINT NOT NULL,
    budget_ids BIGINT[] NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX reservations_expiry ON reservations (expires_at);
  `,
];
