import type { UsageEvent } from '../core/usage-event.js';
import type { DroppedRecord } from '../ledger/ledger.js';
import { contentKey, idKey, withKey } from './event-key.js';
import { describeFieldError } from './field-error.js';
import { inputLines } from './input-lines.js';
import { normalizeRecord, type NormalizedRecord, type PeerReport } from './normalized-event.js';
import { recordIngested, type RecordTarget } from './record.js';

/** Events (and drops) committed per transaction: large inputs are streamed, never held whole. */
export const INGEST_BATCH = 5000;
/** Drops kept in the report for the summary; every one is passed to `onDrop` and recorded in the ledger. */
const KEPT_DROPS = 5;

export interface LineInput {
  /** For messages and drop records: the file path, or `stdin`. */
  name: string;
  /** The ledger origin the events are committed under, e.g. `ingest:stdin`. */
  origin: string;
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
}

export interface LineIngestOptions {
  now: number;
  batchSize?: number;
  /** Each refused line, as it is found. */
  onDrop?: (drop: DroppedRecord) => void;
  /** After each commit (budget crossings are reported from here). */
  onCommit?: () => void;
}

export interface LineIngestReport {
  /** Non-blank lines read. */
  records: number;
  events: number;
  inserted: number;
  duplicates: number;
  spends: number;
  spendsInserted: number;
  /** Reports that raised a task's stored totals. */
  spendsUpdated: number;
  spendsUnchanged: number;
  dropped: number;
  /** The first few drops (all of them went to `onDrop`). */
  firstDrops: DroppedRecord[];
}

/**
 * Reads normalised events as JSON lines and commits them in batches. A bad line is dropped with
 * its line number and reason (recorded in the ledger with the next batch); the good ones are kept.
 */
export async function ingestLines(target: RecordTarget, input: LineInput, options: LineIngestOptions): Promise<LineIngestReport> {
  const report: LineIngestReport = { records: 0, events: 0, inserted: 0, duplicates: 0, spends: 0, spendsInserted: 0, spendsUpdated: 0, spendsUnchanged: 0, dropped: 0, firstDrops: [] };
  const batchSize = options.batchSize ?? INGEST_BATCH;
  let events: UsageEvent[] = [];
  let spends: PeerReport[] = [];
  let drops: DroppedRecord[] = [];
  const flush = async (): Promise<void> => {
    const result = await recordIngested(target, input.origin, { events, spends, drops });
    report.inserted += result.events.inserted;
    report.duplicates += result.events.duplicates;
    report.spendsInserted += result.spends.inserted;
    report.spendsUpdated += result.spends.updated;
    report.spendsUnchanged += result.spends.duplicates;
    events = [];
    spends = [];
    drops = [];
    options.onCommit?.();
  };
  const drop = (line: number, reason: string): void => {
    const record: DroppedRecord = { path: input.name, line, reason };
    drops.push(record);
    report.dropped += 1;
    if (report.firstDrops.length < KEPT_DROPS) report.firstDrops.push(record);
    options.onDrop?.(record);
  };

  for await (const line of inputLines(input.chunks)) {
    if ('tooLong' in line) {
      report.records += 1;
      drop(line.number, 'line is longer than 1 MiB');
    } else if (line.text.trim() !== '') {
      report.records += 1;
      const record = parseLine(line.text, options.now);
      if ('reason' in record) drop(line.number, record.reason);
      else if (record.kind === 'usage') {
        events.push(withKey(record.event, record.id === undefined ? contentKey(record.event) : idKey(record.event.agent, record.id)));
        report.events += 1;
      } else {
        spends.push(record.spend);
        report.spends += 1;
      }
    }
    if (events.length + spends.length + drops.length >= batchSize) await flush();
  }
  if (events.length + spends.length + drops.length > 0) await flush();
  return report;
}

/** One line's record, or why it was refused. */
export function parseLine(text: string, now: number): NormalizedRecord | { reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { reason: `not valid JSON (${(error as Error).message})` };
  }
  const record = normalizeRecord(parsed, now);
  return 'error' in record ? { reason: describeFieldError(record.error) } : record;
}
