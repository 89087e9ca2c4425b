/**
 * The SQLite schema, as ordered migrations. A ledger records the migrations it has run in
 * `meta.schema_version`; never edit a shipped migration, add the next one.
 */
import { DEFAULT_NAMESPACE } from '../../../core/namespace.js';
import { GRAIN_MS, PROMPT_CUTS } from '../../ledger.js';

/**
 * The `meta` key migration 8 leaves for the handle that runs it: rows from before it have no
 * recorder until that handle adopts them (recorders.ts), in the migration's transaction.
 */
export const ADOPT_KEY = 'adopt_recorder';

export const TOKEN_COLUMNS = ['input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens'];
export const SUMMED = [...TOKEN_COLUMNS, 'cost_nanos'];

/** Rollup buckets are the ledger's grain. */
export const BUCKET_MS = GRAIN_MS;
/** The grain of `usage_day`: UTC days. */
export const DAY_MS = 86_400_000;

/**
 * What the triggers of a schema version keep up to date: the rollup, keyed by prompt band from
 * migration 3 on, and the day table from migration 4 on.
 */
interface Sums {
  band: boolean;
  day: boolean;
}
const V1: Sums = { band: false, day: false };

/** SQL for the prompt band of an event row (`promptBand` in ledger.ts). */
const bandOf = (row: string): string => {
  const prompt = `(${row}.input_tokens + ${row}.cache_write_5m_tokens + ${row}.cache_write_1h_tokens + ${row}.cache_read_tokens)`;
  return `CASE ${[...PROMPT_CUTS]
    .reverse()
    .map((cut) => `WHEN ${prompt} > ${cut} THEN ${cut}`)
    .join(' ')} ELSE 0 END`;
};

/** A table of sums by time (quarter hour or UTC day), session, project, model and maybe band. */
interface SumTable {
  name: string;
  time: string;
  grainMs: number;
}
const ROLLUP: SumTable = { name: 'usage_rollup', time: 'bucket', grainMs: BUCKET_MS };
const DAY: SumTable = { name: 'usage_day', time: 'day', grainMs: DAY_MS };

const sumAdd = (t: SumTable, row: 'NEW' | 'OLD', sign: '+' | '-', band: boolean): string => `
  INSERT INTO ${t.name} (${t.time}, session_id, project_id, model_id, ${band ? 'prompt_band, ' : ''}events, unpriced_events, ${SUMMED.join(', ')})
  VALUES (${row}.occurred_at / ${t.grainMs}, ${row}.session_id, ${row}.project_id, ${row}.model_id, ${band ? `${bandOf(row)}, ` : ''}
          ${sign}1, ${sign}${row}.unpriced, ${SUMMED.map((c) => `${sign}${row}.${c}`).join(', ')})
  ON CONFLICT (${t.time}, session_id, project_id, model_id${band ? ', prompt_band' : ''}) DO UPDATE SET
    events = events + excluded.events,
    unpriced_events = unpriced_events + excluded.unpriced_events,
    ${SUMMED.map((c) => `${c} = ${c} + excluded.${c}`).join(',\n    ')};`;

const dropEmpty = (t: SumTable, band: boolean): string => `
  DELETE FROM ${t.name}
  WHERE ${t.time} = OLD.occurred_at / ${t.grainMs} AND session_id = OLD.session_id
    AND project_id = OLD.project_id AND model_id = OLD.model_id${band ? ` AND prompt_band = ${bandOf('OLD')}` : ''} AND events = 0;`;

/** A sum table keyed by time, session, project, model and prompt band (migrations 3 and 4). */
const bandedSumTable = (t: SumTable): string => `
  CREATE TABLE ${t.name} (
    ${t.time} INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    prompt_band INTEGER NOT NULL,
    events INTEGER NOT NULL,
    unpriced_events INTEGER NOT NULL,
    ${SUMMED.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    PRIMARY KEY (${t.time}, session_id, project_id, model_id, prompt_band)
  ) WITHOUT ROWID;`;

/** Takes an event's old values out of every sum table; with `NEW`, adds its new values. */
const subtractOld = (v: Sums): string => [ROLLUP, ...(v.day ? [DAY] : [])].map((t) => `${sumAdd(t, 'OLD', '-', v.band)}\n    ${dropEmpty(t, v.band)}`).join('\n    ');
const addNew = (v: Sums): string => [ROLLUP, ...(v.day ? [DAY] : [])].map((t) => sumAdd(t, 'NEW', '+', v.band)).join('\n    ');

/** An event changed or went: the local days it touched must be summed again (daily-cache.ts). */
const markStale = (row: 'NEW' | 'OLD'): string => `
  INSERT OR IGNORE INTO daily_stale (zone, utc_day) SELECT zone, ${row}.occurred_at / 86400000 FROM daily_zones;`;

const touchSession = `
  UPDATE sessions SET
    first_at = CASE WHEN first_at IS NULL OR NEW.occurred_at < first_at THEN NEW.occurred_at ELSE first_at END,
    last_at = CASE WHEN last_at IS NULL OR NEW.occurred_at > last_at THEN NEW.occurred_at ELSE last_at END
  WHERE id = NEW.session_id;`;

const updateTrigger = (v: Sums = V1): string => `
  CREATE TRIGGER events_after_update
  AFTER UPDATE OF session_id, project_id, model_id, occurred_at, ${TOKEN_COLUMNS.join(', ')}, cost_nanos, unpriced ON events
  BEGIN
    ${subtractOld(v)}
    ${addNew(v)}
    ${touchSession}
    ${markStale('OLD')}
    ${markStale('NEW')}
  END;`;

const deleteTrigger = (v: Sums = V1): string => `
  CREATE TRIGGER events_after_delete AFTER DELETE ON events BEGIN
    ${subtractOld(v)}
    ${markStale('OLD')}
  END;`;

const usageDaily = (withNamespace: boolean, withRecorder = false): string => `
  CREATE TABLE usage_daily (
    zone TEXT NOT NULL,${withNamespace ? '\n    namespace TEXT NOT NULL,' : ''}
    day INTEGER NOT NULL,
    agent TEXT NOT NULL,${withRecorder ? '\n    recorder_id INTEGER NOT NULL,' : ''}
    project_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    events INTEGER NOT NULL,
    unpriced_events INTEGER NOT NULL,
    ${SUMMED.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    PRIMARY KEY (zone, ${withNamespace ? 'namespace, ' : ''}day, agent, ${withRecorder ? 'recorder_id, ' : ''}project_id, model_id)
  ) WITHOUT ROWID;`;

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE price_versions (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    UNIQUE (name, provider)
  );

  CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);

  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    session_key TEXT NOT NULL,
    first_at INTEGER,
    last_at INTEGER,
    UNIQUE (agent, session_key)
  );

  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    agent TEXT NOT NULL,
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    dedup_key TEXT NOT NULL UNIQUE,
    replay_key TEXT,
    sidechain INTEGER NOT NULL,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    project_id INTEGER NOT NULL REFERENCES projects (id),
    model_id INTEGER NOT NULL REFERENCES models (id),
    file_id INTEGER NOT NULL REFERENCES files (id),
    occurred_at INTEGER NOT NULL,
    ${TOKEN_COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    cost_nanos INTEGER NOT NULL,
    price_version_id INTEGER NOT NULL REFERENCES price_versions (id),
    unpriced INTEGER NOT NULL
  );
  -- Sidechain copies by message, to find the replays a main-conversation event supersedes.
  CREATE INDEX events_sidechain_replay ON events (replay_key) WHERE sidechain = 1;

  CREATE TABLE usage_rollup (
    bucket INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    events INTEGER NOT NULL,
    unpriced_events INTEGER NOT NULL,
    ${SUMMED.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    PRIMARY KEY (bucket, session_id, project_id, model_id)
  ) WITHOUT ROWID;

  -- Inserts add to usage_rollup and sessions in bulk, once per commit (writer.ts): per-row
  -- triggers would cost more than the inserts themselves. Updates and deletes, rarer, are here.
  ${updateTrigger()}

  ${deleteTrigger()}

  -- Usage by local day for the time zones reports were asked in (a cache of usage_rollup):
  -- writers mark the UTC days they touch stale; a report re-sums just those days.
  CREATE TABLE daily_zones (zone TEXT PRIMARY KEY, used_at INTEGER NOT NULL);
  CREATE TABLE daily_stale (zone TEXT NOT NULL, utc_day INTEGER NOT NULL, PRIMARY KEY (zone, utc_day)) WITHOUT ROWID;
  ${usageDaily(false)}

  CREATE TABLE rate_limits (
    agent TEXT NOT NULL,
    session_key TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    windows TEXT NOT NULL,
    plan_type TEXT,
    limit_id TEXT,
    PRIMARY KEY (agent, session_key, occurred_at)
  ) WITHOUT ROWID;

  CREATE TABLE drops (
    file_id INTEGER NOT NULL REFERENCES files (id),
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (file_id, line, reason)
  ) WITHOUT ROWID;
  `,
  // 2: namespaces partition the ledger (every session belongs to one); budgets; events by session.
  `
  DROP TRIGGER events_after_update;
  DROP TRIGGER events_after_delete;
  CREATE TABLE sessions_new (
    id INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    agent TEXT NOT NULL,
    session_key TEXT NOT NULL,
    first_at INTEGER,
    last_at INTEGER,
    UNIQUE (namespace, agent, session_key)
  );
  INSERT INTO sessions_new (id, namespace, agent, session_key, first_at, last_at)
    SELECT id, '${DEFAULT_NAMESPACE}', agent, session_key, first_at, last_at FROM sessions;
  DROP TABLE sessions;
  ALTER TABLE sessions_new RENAME TO sessions;
  ${updateTrigger()}
  ${deleteTrigger()}

  DROP TABLE usage_daily;
  DELETE FROM daily_stale;
  DELETE FROM daily_zones;
  ${usageDaily(true)}

  CREATE INDEX events_session ON events (session_id, occurred_at);

  CREATE TABLE budgets (
    id INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    scope TEXT NOT NULL,
    period TEXT NOT NULL,
    amount_nanos INTEGER NOT NULL,
    set_at INTEGER NOT NULL,
    UNIQUE (namespace, scope, period)
  );
  -- A budget's level crossings, recorded once per level and period by the transaction that caused them.
  CREATE TABLE budget_alerts (
    budget_id INTEGER NOT NULL,
    period_key TEXT NOT NULL,
    level TEXT NOT NULL,
    spent_nanos INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (budget_id, period_key, level)
  ) WITHOUT ROWID;
  `,
  // 3: the rollup keeps usage apart by prompt band, so history can be re-priced with any model's
  // long-context tiers without reading every event.
  `
  DROP TRIGGER events_after_update;
  DROP TRIGGER events_after_delete;
  DROP TABLE usage_rollup;
  ${bandedSumTable(ROLLUP)}
  INSERT INTO usage_rollup (bucket, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
    SELECT occurred_at / ${BUCKET_MS}, session_id, project_id, model_id, ${bandOf('events')}, count(*), sum(unpriced), ${SUMMED.map((c) => `sum(${c})`).join(', ')}
    FROM events GROUP BY 1, 2, 3, 4, 5;
  ${updateTrigger({ band: true, day: false })}
  ${deleteTrigger({ band: true, day: false })}
  `,
  // 4: the rollup summed again by UTC day: queries over months read whole days from it and only
  // their partial first and last days from the quarter hours.
  `
  DROP TRIGGER events_after_update;
  DROP TRIGGER events_after_delete;
  ${bandedSumTable(DAY)}
  INSERT INTO usage_day (day, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
    SELECT bucket / ${DAY_MS / BUCKET_MS}, session_id, project_id, model_id, prompt_band, sum(events), sum(unpriced_events), ${SUMMED.map((c) => `sum(${c})`).join(', ')}
    FROM usage_rollup GROUP BY 1, 2, 3, 4, 5;
  ${updateTrigger({ band: true, day: true })}
  ${deleteTrigger({ band: true, day: true })}
  `,
  // 5: spend that federated peers report, and which budget level crossings have been announced.
  `
  CREATE TABLE federation_spend (
    namespace TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    tokens_used INTEGER NOT NULL,
    usd_nanos INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, peer_id, task_id)
  ) WITHOUT ROWID;
  CREATE INDEX federation_spend_time ON federation_spend (namespace, occurred_at);

  ALTER TABLE budget_alerts ADD COLUMN notified_at INTEGER;
  -- Crossings recorded before alerts could be sent count as announced: nobody wants last month's.
  UPDATE budget_alerts SET notified_at = at;
  `,
  // 6: the service tier each request was served at (fast mode, flex, priority, batch; NULL is
  // standard), so re-pricing prices it again at its tier. The index finds the few tiered events.
  `
  ALTER TABLE events ADD COLUMN service_tier TEXT;
  CREATE INDEX events_service_tier ON events (model_id, service_tier) WHERE service_tier IS NOT NULL;
  `,
  // 7: a file cursor keeps the file's change time, so a rewrite that kept the size and put the
  // modification time back is still seen. Cursors written before have none until their file changes.
  `
  ALTER TABLE files ADD COLUMN ctime_ms INTEGER;
  `,
  // 8: who recorded usage. A session carries the recorder (user and machine) of the handle that
  // created it; a file cursor is kept per machine, since two machines can share a home path.
  // What a ledger held before is adopted by the handle that migrates it (recorders.ts), in the
  // same transaction; the day cache is summed again per recorder.
  `
  CREATE TABLE recorders (
    id INTEGER PRIMARY KEY,
    user_name TEXT NOT NULL,
    machine TEXT NOT NULL,
    UNIQUE (user_name, machine)
  );
  ALTER TABLE sessions ADD COLUMN recorder_id INTEGER REFERENCES recorders (id);

  CREATE TABLE files_new (
    id INTEGER PRIMARY KEY,
    machine TEXT NOT NULL,
    path TEXT NOT NULL,
    agent TEXT NOT NULL,
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    ctime_ms INTEGER,
    offset INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT,
    updated_at INTEGER NOT NULL,
    UNIQUE (machine, path)
  );
  INSERT INTO files_new (id, machine, path, agent, dev, ino, size, mtime_ms, ctime_ms, offset, line_count, fingerprint, state, updated_at)
    SELECT id, '', path, agent, dev, ino, size, mtime_ms, ctime_ms, offset, line_count, fingerprint, state, updated_at FROM files;
  DROP TABLE files;
  ALTER TABLE files_new RENAME TO files;

  DROP TABLE usage_daily;
  DELETE FROM daily_stale;
  DELETE FROM daily_zones;
  ${usageDaily(true, true)}

  INSERT INTO meta (key, value) VALUES ('${ADOPT_KEY}', 'pending');
  `,
  // 9: every event and drop gets a change position, from one counter, taken again when an event
  // is replaced in place (a longer streamed copy keeps its rowid), so push and pull copy what
  // changed after a position. Events written before count in rowid order, drops after them;
  // meta.last_change is the last position taken. Marks remember how far a ledger was copied to or
  // from another.
  `
  ALTER TABLE events ADD COLUMN change_seq INTEGER;
  UPDATE events SET change_seq = id;
  CREATE INDEX events_change ON events (change_seq);
  ALTER TABLE drops ADD COLUMN change_seq INTEGER;
  UPDATE drops SET change_seq = (SELECT coalesce(max(id), 0) FROM events) + numbered.n
    FROM (SELECT file_id, line, reason, row_number() OVER (ORDER BY seen_at, file_id, line, reason) AS n FROM drops) AS numbered
    WHERE drops.file_id = numbered.file_id AND drops.line = numbered.line AND drops.reason = numbered.reason;
  CREATE INDEX drops_change ON drops (change_seq);
  INSERT INTO meta (key, value) SELECT 'last_change',
    max(coalesce((SELECT max(change_seq) FROM events), 0), coalesce((SELECT max(change_seq) FROM drops), 0));
  CREATE TABLE marks (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  `,
  // 10: the ledger's id, so a copy to or from a ledger made again at the same address starts over.
  `
  INSERT INTO meta (key, value) VALUES ('ledger_id', lower(hex(randomblob(16))));
  `,
  // 11: the metering gateway. What a provider said a request cost, beside the ledger's price; the
  // gateway's keys (a hash of the secret, never the secret), their meters (one epoch since the last
  // reset), the allowance of each `key:` budget in its current period (settled spend and what
  // requests in flight hold reserved) and those reservations, so admission is exact.
  `
  ALTER TABLE events ADD COLUMN reported_cost_nanos INTEGER;
  CREATE TABLE gateway_keys (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    secret_prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    rotated_at INTEGER,
    rpm INTEGER,
    tpm INTEGER,
    project TEXT,
    PRIMARY KEY (namespace, name)
  ) WITHOUT ROWID;
  CREATE TABLE key_meters (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    reset_at INTEGER NOT NULL,
    prompt_count INTEGER NOT NULL,
    ${SUMMED.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    reported_cost_nanos INTEGER NOT NULL,
    last_activity_at INTEGER,
    PRIMARY KEY (namespace, name)
  ) WITHOUT ROWID;
  CREATE TABLE allowances (
    budget_id INTEGER PRIMARY KEY,
    period_key TEXT NOT NULL,
    period_start INTEGER,
    period_end INTEGER,
    spent_nanos INTEGER NOT NULL,
    reserved_nanos INTEGER NOT NULL
  );
  CREATE TABLE reservations (
    id TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    key_name TEXT NOT NULL,
    amount_nanos INTEGER NOT NULL,
    budget_ids TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX reservations_expiry ON reservations (expires_at);
  `,
];
