import type { AnyValue, Attributes, DecodedLogs, OtlpLogRecord, OtlpScope } from '../otlp-record.js';
import { newAttributes, readAnyValue, readAttribute, readResource, readScope } from './proto-common.js';
import { FIXED64, LEN, WireReader } from './wire-reader.js';

/**
 * Decodes a protobuf `ExportLogsServiceRequest` {1 resource_logs}: ResourceLogs {1 resource, 2 scope_logs},
 * ScopeLogs {1 scope, 2 log_records}, LogRecord {1 time_unix_nano, 3 severity_text, 5 body, 6 attributes,
 * 11 observed_time_unix_nano, 12 event_name}; other fields skipped.
 */
export function protoLogs(body: Uint8Array): DecodedLogs {
  const r = new WireReader(body);
  const end = body.byteLength;
  const records: OtlpLogRecord[] = [];
  while (r.next(end)) {
    if (r.field === 1) {
      r.expect(LEN, 'ExportLogsServiceRequest.resource_logs');
      readResourceLogs(r, r.len(end), records);
    } else r.skip(end);
  }
  return { records };
}

function readResourceLogs(r: WireReader, end: number, records: OtlpLogRecord[]): void {
  // Filled in place: the resource may follow its scopes on the wire, and every record shares it.
  const resource = newAttributes();
  while (r.next(end)) {
    if (r.field === 1) readResource(r, end, resource, 'ResourceLogs.resource');
    else if (r.field === 2) {
      r.expect(LEN, 'ResourceLogs.scope_logs');
      readScopeLogs(r, r.len(end), resource, records);
    } else r.skip(end);
  }
}

function readScopeLogs(r: WireReader, end: number, resource: Attributes, records: OtlpLogRecord[]): void {
  const scope: OtlpScope = { name: '', version: '' };
  while (r.next(end)) {
    if (r.field === 1) readScope(r, end, scope, 'ScopeLogs.scope');
    else if (r.field === 2) {
      r.expect(LEN, 'ScopeLogs.log_records');
      records.push(readLogRecord(r, r.len(end), resource, scope));
    } else r.skip(end);
  }
}

function readLogRecord(r: WireReader, end: number, resource: Attributes, scope: OtlpScope): OtlpLogRecord {
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let eventName = '';
  let severityText = '';
  let body: AnyValue = null;
  const attributes = newAttributes();
  while (r.next(end)) {
    switch (r.field) {
      case 1:
        r.expect(FIXED64, 'LogRecord.time_unix_nano');
        timeUnixNano = r.fixed64Big(end);
        break;
      case 3:
        r.expect(LEN, 'LogRecord.severity_text');
        severityText = r.string(end);
        break;
      case 5: {
        r.expect(LEN, 'LogRecord.body');
        const stop = r.len(end);
        body = readAnyValue(r, stop, 0);
        break;
      }
      case 6:
        readAttribute(r, end, attributes, 'LogRecord.attributes');
        break;
      case 11:
        r.expect(FIXED64, 'LogRecord.observed_time_unix_nano');
        observedTimeUnixNano = r.fixed64Big(end);
        break;
      case 12:
        r.expect(LEN, 'LogRecord.event_name');
        eventName = r.string(end);
        break;
      default:
        r.skip(end);
    }
  }
  return { resource, scope, timeUnixNano, observedTimeUnixNano, eventName, severityText, body, attributes };
}
