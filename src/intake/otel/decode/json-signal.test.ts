import { describe, expect, it } from 'vitest';
import { jsonSignal } from './index.js';

const body = (text: string) => new TextEncoder().encode(text);

describe('jsonSignal', () => {
  it('names the signal of a JSON export request by its first key', () => {
    expect(jsonSignal(body('{"resourceLogs":[]}'))).toBe('logs');
    expect(jsonSignal(body('\uFEFF \n\t{ \r\n "resourceMetrics" : []}'))).toBe('metrics');
    expect(jsonSignal(body('{"resourceSpans":[{"resource":{}}]}'))).toBe('traces');
    expect(jsonSignal(body('{"resource_logs":[]}'))).toBe('logs');
  });

  it('anything else has no signal', () => {
    for (const text of [
      '',
      '{}',
      '[]',
      '{"resourcelogs":[]}',
      '{"schemaUrl":"x","resourceLogs":[]}',
      `{"${'a'.repeat(5000)}":1}`,
      '{"resource\\u004cogs":[]}',
      '{"resourceLogs',
      'resourceLogs',
      '{"__proto__":1}',
      '{"toString":1}',
    ]) {
      expect(jsonSignal(body(text))).toBeUndefined();
    }
  });
});
