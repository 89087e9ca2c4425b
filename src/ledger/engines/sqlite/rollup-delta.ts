import { promptTokens, type PricedEvent } from '../../../core/usage-event.js';
import { PROMPT_CUTS, promptBand as promptBandOf } from '../../ledger.js';
import { BUCKET_MS, SUMMED } from './migrations.js';
import type { Db } from './open.js';

interface Cell {
  bucket: number;
  sessionId: number;
  projectId: number;
  modelId: number;
  promptBand: number;
  values: number[];
}

const BAND_INDEX = new Map([0, ...PROMPT_CUTS].map((band, i) => [band, i]));

/**
 * What the events inserted by one commit add to `usage_rollup` and to the sessions' first and
 * last activity, applied once at the end of the commit in the same transaction; the UTC days it
 * touched are marked for the daily cache to sum again.
 */
export class RollupDelta {
  /** Cells by bucket, then session, then project id, model id and band packed in one number. */
  readonly #cells = new Map<number, Map<number, Map<number, Cell>>>();
  readonly #spans = new Map<number, { first: number; last: number }>();
  readonly #upsert;
  readonly #touch;
  readonly #stale;

  constructor(db: Db) {
    this.#upsert = db.prepare(`
      INSERT INTO usage_rollup (bucket, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${SUMMED.join(', ')})
      VALUES (${Array(7 + SUMMED.length).fill('?').join(', ')})
      ON CONFLICT (bucket, session_id, project_id, model_id, prompt_band) DO UPDATE SET
        events = events + excluded.events,
        unpriced_events = unpriced_events + excluded.unpriced_events,
        ${SUMMED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`);
    this.#touch = db.prepare(`
      UPDATE sessions SET
        first_at = CASE WHEN first_at IS NULL OR ? < first_at THEN ? ELSE first_at END,
        last_at = CASE WHEN last_at IS NULL OR ? > last_at THEN ? ELSE last_at END
      WHERE id = ?`);
    this.#stale = db.prepare('INSERT OR IGNORE INTO daily_stale (zone, utc_day) SELECT zone, ? FROM daily_zones');
  }

  add(event: PricedEvent, sessionId: number, projectId: number, modelId: number): void {
    const bucket = Math.floor(event.occurredAt / BUCKET_MS);
    let inBucket = this.#cells.get(bucket);
    if (inBucket === undefined) this.#cells.set(bucket, (inBucket = new Map()));
    let inSession = inBucket.get(sessionId);
    if (inSession === undefined) inBucket.set(sessionId, (inSession = new Map()));
    const promptBand = promptBandOf(promptTokens(event));
    // Exact for up to 2^24 projects, 2^24 models and 8 bands (2^51 < 2^53).
    const key = (projectId * 16_777_216 + modelId) * 8 + BAND_INDEX.get(promptBand)!;
    let cell = inSession.get(key);
    if (cell === undefined) {
      cell = { bucket, sessionId, projectId, modelId, promptBand, values: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
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
    const span = this.#spans.get(sessionId);
    if (span === undefined) this.#spans.set(sessionId, { first: event.occurredAt, last: event.occurredAt });
    else {
      if (event.occurredAt < span.first) span.first = event.occurredAt;
      if (event.occurredAt > span.last) span.last = event.occurredAt;
    }
  }

  apply(): void {
    const days = new Set<number>();
    for (const [bucket, inBucket] of this.#cells) {
      days.add(Math.floor((bucket * BUCKET_MS) / 86_400_000));
      for (const inSession of inBucket.values()) for (const c of inSession.values()) this.#upsert.run(c.bucket, c.sessionId, c.projectId, c.modelId, c.promptBand, ...c.values);
    }
    for (const day of days) this.#stale.run(day);
    for (const [id, s] of this.#spans) this.#touch.run(s.first, s.first, s.last, s.last, id);
    this.#cells.clear();
    this.#spans.clear();
  }
}
