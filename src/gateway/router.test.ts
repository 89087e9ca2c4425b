import { describe, expect, it } from 'vitest';
import { isRoute, Router } from './router.js';
import { gatewaySettings } from './settings.js';

const upstreams = gatewaySettings({ upstreams: { anthropic: {}, openai: {}, gemini: {}, groq: { baseUrl: 'https://api.groq.com/openai/v1' } } }, {}, {}).upstreams;
const router = new Router(upstreams);
const where = (method: string, url: string, headers = {}): string => {
  const r = router.resolve(method, url, headers);
  return isRoute(r) ? `${r.upstream.name} ${r.operation.name} ${r.operation.upstreamPath}` : `404 ${r.kind}`;
};

describe('router', () => {
  it('mounts every configured upstream by name, and the bare paths agents use', () => {
    expect(where('POST', '/v1/messages')).toBe('anthropic messages /v1/messages');
    expect(where('POST', '/anthropic/v1/messages?beta=true')).toBe('anthropic messages /v1/messages');
    expect(where('POST', '/v1/messages/count_tokens')).toMatch(/^anthropic count_tokens/);
    expect(where('POST', '/v1/chat/completions')).toMatch(/^openai chat/);
    expect(where('POST', '/v1/responses')).toMatch(/^openai responses/);
    expect(where('POST', '/groq/v1/chat/completions')).toMatch(/^groq chat/);
    expect(where('POST', '/v1beta/models/gemini-2.5-pro:generateContent')).toMatch(/^gemini generateContent/);
    expect(where('GET', '/v1/models', { 'anthropic-version': '2023-06-01' })).toMatch(/^anthropic models/);
    expect(where('GET', '/v1/models', { 'x-api-key': 'k' })).toMatch(/^anthropic models/);
    expect(where('GET', '/v1/models', { authorization: 'Bearer k' })).toMatch(/^openai models/);
  });

  it('answers anything else 404 in the shape of the provider asked for, never following a host or a dot segment', () => {
    expect(where('GET', '/nothing')).toBe('404 openai');
    expect(where('POST', '/anthropic/v1/unknown')).toBe('404 anthropic');
    expect(where('GET', 'http://evil.example/v1/models')).toBe('404 openai');
    expect(where('GET', '/anthropic/v1/models/..')).toBe('404 openai');
    expect(where('GET', '/anthropic/v1/models/%2e%2e/x')).toBe('404 openai');
    expect(where('GET', '/anthropic/v1/models/a%2fb')).toBe('404 openai');
    expect(new Router(upstreams.filter((u) => u.name === 'anthropic')).resolve('POST', '/v1/chat/completions', {})).toEqual({ kind: 'openai' });
  });
});
