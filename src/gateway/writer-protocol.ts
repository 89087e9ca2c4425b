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

/** A call to the writer thread. */
export type WriterCall =
  | { id: number; op: 'commit'; batch: CommitBatch }
  | { id: number; op: 'admit'; admission: Admission }
  | { id: number; op: 'release'; ids: readonly string[] }
  | { id: number; op: 'expire'; now: number }
  | { id: number; op: 'close' };

/** Its answer: the method's result, or the error it threw (message and code only). */
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code?: string };
