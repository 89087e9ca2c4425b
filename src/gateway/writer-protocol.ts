import type { Thresholds } from '../budgets/ladder.js';
import type { Weekday } from '../core/calendar.js';
import type { Admission } from '../ledger/gateway-keys.js';
import type { CommitBatch } from '../ledger/ledger.js';
import type { LedgerLocation } from '../ledger/location.js';
import type { Recorder } from '../ledger/recorder.js';

/** How budget levels are placed and graded, as data a thread can be handed. */
export interface LadderSettings {
  timeZone: string;
  startOfWeek: Weekday;
  thresholds: Thresholds;
}

/** What the gateway's writer thread is started with. */
export interface WriterData {
  location: LedgerLocation;
  recorder: Recorder;
  ladder: LadderSettings;
}

/** An admission or a release, as gathered into one message (`gathered`). */
export type GatheredCall = { id: number; op: 'admit'; admission: Admission } | { id: number; op: 'release'; ids: readonly string[] };

/**
 * A call to the writer thread. `gathered`: the admissions and releases made in one event-loop
 * turn, in order, made in one transaction and answered each under its own id (an array of replies).
 */
export type WriterCall =
  | { id: number; op: 'commit'; batch: CommitBatch }
  | GatheredCall
  | { id: number; op: 'gathered'; calls: readonly GatheredCall[] }
  | { id: number; op: 'expire'; now: number }
  | { id: number; op: 'close' };

/** Its answer: the method's result, or the error it threw (message and code only). */
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code?: string };
