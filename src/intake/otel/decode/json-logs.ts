import type { Attributes, DecodedLogs, OtlpLogRecord, OtlpScope } from '../otlp-record.js';
import { parseJsonBody } from './json-body.js';
import { anyValueField, attributesOf, resourceOf, scopeOf } from './json-common.js';
import { arrayField, itemObject, type JsonObject, nested, stringField, timeField } from './json-fields.js';

/** Decodes an OTLP/JSON `ExportLogsServiceRequest`; unknown fields are ignored. */
export function jsonLogs(body: Uint8Array): DecodedLogs {
  const request = parseJsonBody(body);
  const records: OtlpLogRecord[] = [];
  const resourceLogs = arrayField(request.resourceLogs ?? request.resource_logs, 'resourceLogs');
  for (let i = 0; i < resourceLogs.length; i++) {
    const item = itemObject(resourceLogs[i], 'resourceLogs', i);
    try {
      readResourceLogs(item, records);
    } catch (error) {
      nested(`resourceLogs[${i}]`, error);
    }
  }
  return { records };
}

function readResourceLogs(item: JsonObject, records: OtlpLogRecord[]): void {
  const resource = resourceOf(item);
  const scopeLogs = arrayField(item.scopeLogs ?? item.scope_logs, 'scopeLogs');
  for (let i = 0; i < scopeLogs.length; i++) {
    const scopeItem = itemObject(scopeLogs[i], 'scopeLogs', i);
    try {
      readScopeLogs(scopeItem, resource, records);
    } catch (error) {
      nested(`scopeLogs[${i}]`, error);
    }
  }
}

function readScopeLogs(item: JsonObject, resource: Attributes, records: OtlpLogRecord[]): void {
  const scope = scopeOf(item);
  const logRecords = arrayField(item.logRecords ?? item.log_records, 'logRecords');
  for (let i = 0; i < logRecords.length; i++) {
    const record = itemObject(logRecords[i], 'logRecords', i);
    try {
      records.push(readLogRecord(record, resource, scope));
    } catch (error) {
      nested(`logRecords[${i}]`, error);
    }
  }
}

function readLogRecord(r: JsonObject, resource: Attributes, scope: OtlpScope): OtlpLogRecord {
  return {
    resource,
    scope,
    timeUnixNano: timeField(r.timeUnixNano ?? r.time_unix_nano, 'timeUnixNano'),
    observedTimeUnixNano: timeField(r.observedTimeUnixNano ?? r.observed_time_unix_nano, 'observedTimeUnixNano'),
    eventName: stringField(r.eventName ?? r.event_name, 'eventName'),
    severityText: stringField(r.severityText ?? r.severity_text, 'severityText'),
    body: anyValueField(r.body, 'body'),
    attributes: attributesOf(r.attributes, 'attributes'),
  };
}
