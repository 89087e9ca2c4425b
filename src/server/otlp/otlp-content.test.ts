import { describe, expect, it } from 'vitest';
import { contentCoding, otlpFormat } from './otlp-content.js';
import { otlpClaims, otlpRoute } from './otlp-routes.js';

describe('OTLP request heads', () => {
  it('reads the two encodings, with parameters and in any case', () => {
    expect(otlpFormat('application/json')).toBe('json');
    expect(otlpFormat('Application/JSON; charset=utf-8')).toBe('json');
    expect(otlpFormat('application/x-protobuf')).toBe('protobuf');
    for (const other of [undefined, '', 'text/plain', 'application/grpc', 'application/protobuf']) expect(otlpFormat(other)).toBeUndefined();
  });

  it('reads gzip, deflate and identity, and nothing else', () => {
    expect([contentCoding(undefined), contentCoding(''), contentCoding('identity'), contentCoding('GZIP'), contentCoding('deflate')]).toEqual(['identity', 'identity', 'identity', 'gzip', 'deflate']);
    for (const other of ['zstd', 'br', 'gzip, gzip']) expect(contentCoding(other)).toBeUndefined();
  });

  it('claims the signals’ paths for every method and / for POST only (GET / stays the dashboard’s)', () => {
    expect([otlpRoute('/v1/logs'), otlpRoute('/v1/metrics'), otlpRoute('/v1/traces'), otlpRoute('/'), otlpRoute('/v1/messages')]).toEqual(['logs', 'metrics', 'traces', 'root', undefined]);
    expect(otlpClaims('GET', '/v1/logs')).toBe(true);
    expect(otlpClaims('POST', '/')).toBe(true);
    expect(otlpClaims('GET', '/')).toBe(false);
    expect(otlpClaims('POST', '/api/v1/budgets')).toBe(false);
    expect(otlpClaims('POST', '/toString')).toBe(false);
  });
});
