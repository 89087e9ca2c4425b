import { promptTokens, type PricedEvent } from '../../../core/usage-event.js';
import { PROMPT_CUTS, promptBand } from '../../ledger.js';
import { BUCKET_MS, DAY_MS, SUMMED } from './migrations.js';
import type { Db } from './open.js';

const BAND_INDEX = new Map([0, ...PROMPT_CUTS].map((band, i) => [band, i]));

interface Cell {
  time: number;
  sessionId: number;
  projectId: number;
  modelId: number;
  promptBand: number;
  values: number[];
}

/** Sums of one table (`usage_rollup` by quarter hour, `usage_day` by UTC day), cell by cell. */
class Cells {
  /** Cells by time, then session, then project id, model id and band packed in one number. */
  readonly byTime = new Map<number, Map<number, Map<number, Cell>>>();
  readonly #grainMs: number;
  readonly #upsert;

  constructor(db: Db, table: string, timeColumn: string, grainMs: number) {
    this.#grainMs = grainMs;
    this.#upsert = db.prepare(`
      INSERT INTO ${table} (${timeColumn}, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
      VALUES (${Array(7 + SUMMED.length)
        .fill('?')
        .join(', ')})
      ON CONFLICT (${timeColumn}, session_id, project_id, model_id, prompt_band) DO UPDATE SET
        events = events + excluded.events,
        unpriced_events = unpriced_events + excluded.unpriced_events,
        ${SUMMED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`);
  }

  add(event: PricedEvent, sessionId: number, projectId: number, modelId: number, band: number): void {
    const time = Math.floor(event.occurredAt / this.#grainMs);
    let inTime = this.byTime.get(time);
    if (inTime === undefined) this.byTime.set(time, (inTime = new Map()));
    let inSession = inTime.get(sessionId);
    if (inSession === undefined) inTime.set(sessionId, (inSession = new Map()));
    // Exact for up to 2^24 projects, 2^24 models and 8 bands (2^51 < 2^53).
    const key = (projectId * 16_777_216 + modelId) * 8 + (BAND_INDEX.get(band) as number);
    let cell = inSession.get(key);
    if (cell === undefined) {
      cell = { time, sessionId, projectId, modelId, promptBand: band, values: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
      inSession.set(key, cell);
    }
    const v = cell.values;
    v[0] = (v[0] as number) + 1;
    v[1] = (v[1] as number) + (event.unpriced ? 1 : 0);
    v[2] = (v[2] as number) + event.inputTokens;
    v[3] = (v[3] as number) + event.outputTokens;
    v[4] = (v[4] as number) + event.reasoningTokens;
    v[5] = (v[5] as number) + event.cacheWrite5mTokens;
    v[6] = (v[6] as number) + event.cacheWrite1hTokens;
    v[7] = (v[7] as number) + event.cacheReadTokens;
    v[8] = (v[8] as number) + event.costNanos;
  }

  apply(): void {
    for (const inTime of this.byTime.values()) {
      for (const inSession of inTime.values()) for (const c of inSession.values()) this.#upsert.run(c.time, c.sessionId, c.projectId, c.modelId, c.promptBand, ...c.values);
    }
    this.byTime.clear();
  }
}

/**
 * What the events inserted by one commit add to `usage_rollup`, `usage_day` and to the sessions'
 * first and last activity, applied once at the end of the commit in the same transaction; the UTC
 * days it touched are marked for the daily cache to sum again.
 */
export class RollupDelta {
  readonly #rollup: Cells;
  readonly #day: Cells;
  readonly #spans = new Map<number, { first: number; last: number }>();
  readonly #touch;
  readonly #stale;

  constructor(db: Db) {
    this.#rollup = new Cells(db, 'usage_rollup', 'bucket', BUCKET_MS);
    this.#day = new Cells(db, 'usage_day', 'day', DAY_MS);
    this.#touch = db.prepare(`
      UPDATE sessions SET
        first_at = CASE WHEN first_at IS NULL OR ? < first_at THEN ? ELSE first_at END,
        last_at = CASE WHEN last_at IS NULL OR ? > last_at THEN ? ELSE last_at END
      WHERE id = ?`);
    this.#stale = db.prepare('INSERT OR IGNORE INTO daily_stale (zone, utc_day) SELECT zone, ? FROM daily_zones');
  }

  add(event: PricedEvent, sessionId: number, projectId: number, modelId: number): void {
    const band = promptBand(promptTokens(event));
    this.#rollup.add(event, sessionId, projectId, modelId, band);
    this.#day.add(event, sessionId, projectId, modelId, band);
    const span = this.#spans.get(sessionId);
    if (span === undefined) this.#spans.set(sessionId, { first: event.occurredAt, last: event.occurredAt });
    else {
      if (event.occurredAt < span.first) span.first = event.occurredAt;
      if (event.occurredAt > span.last) span.last = event.occurredAt;
    }
  }

  apply(): void {
    for (const day of this.#day.byTime.keys()) this.#stale.run(day);
    this.#rollup.apply();
    this.#day.apply();
    for (const [id, s] of this.#spans) this.#touch.run(s.first, s.first, s.last, s.last, id);
    this.#spans.clear();
  }
}
