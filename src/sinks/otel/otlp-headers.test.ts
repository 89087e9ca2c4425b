import { describe, expect, it } from 'vitest';
import { thrown } from '../../testing/thrown.js';
import { otlpEndpoint, otlpMarkName } from './otlp-endpoint.js';
import { otlpHeaders } from './otlp-headers.js';

describe('otlpHeaders', () => {
  it('reads name=value pairs, percent-decoding values, the metrics variable winning', () => {
    expect(
      otlpHeaders({
        OTEL_EXPORTER_OTLP_HEADERS: ' Authorization = Bearer%20abc%3D%3D , x-scope-orgid=team-a,',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'X-Scope-OrgID=team-b',
      }),
    ).toEqual({ authorization: 'Bearer abc==', 'x-scope-orgid': 'team-b' });
    expect(otlpHeaders({})).toEqual({});
  });

  it('says which entry is wrong without repeating its value', () => {
    for (const bad of ['Authorization', 'Bad Name=secret-token', 'Authorization=secret-token%zz', 'a=secret-token%0A']) {
      const error = thrown(() => otlpHeaders({ OTEL_EXPORTER_OTLP_HEADERS: `ok=1,${bad}` }));
      expect(error.message).toContain('OTEL_EXPORTER_OTLP_HEADERS, entry 2');
      expect(error.message).not.toContain('secret-token');
    }
  });
});

describe('otlpEndpoint', () => {
  it('adds /v1/metrics to a base URL, keeps a full one, and tells plain http to another machine', () => {
    expect(otlpEndpoint('http://127.0.0.1:4318').url.href).toBe('http://127.0.0.1:4318/v1/metrics');
    expect(otlpEndpoint('https://otlp.example.com/otlp/').url.href).toBe('https://otlp.example.com/otlp/v1/metrics');
    expect(otlpEndpoint('http://collector:4318/v1/metrics').url.href).toBe('http://collector:4318/v1/metrics');
    expect(otlpEndpoint('http://collector:4318').plainRemote).toBe(true);
    expect(otlpEndpoint('http://localhost:4318').plainRemote).toBe(false);
    expect(otlpEndpoint('http://[::1]:4318').plainRemote).toBe(false);
    expect(otlpEndpoint('https://collector').plainRemote).toBe(false);
  });

  it('never shows a query secret, and refuses credentials in the URL without repeating them', () => {
    expect(otlpEndpoint('https://otlp.example.com/otlp?api_key=s3cret').shown).not.toContain('s3cret');
    for (const bad of ['https://user:s3cret@otlp.example.com', 'ftp://s3cret.example.com', 'not a url s3cret']) {
      expect(thrown(() => otlpEndpoint(bad)).message).not.toContain('s3cret');
    }
  });

  it('names the mark by a digest of the namespace and URL, never the URL', () => {
    const url = otlpEndpoint('https://otlp.example.com/otlp?api_key=s3cret').url;
    const name = otlpMarkName(url, 'cost-tracking');
    expect(name).toMatch(/^otlp:[0-9a-f]{32}$/);
    expect(otlpMarkName(url, 'ci')).not.toBe(name);
  });
});
