import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { validateConfig } from './schema.js';

function problem(gateway: unknown): string {
  try {
    validateConfig({ gateway }, 'config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    expect((error as TokenledgerError).code).toBe('BAD_CONFIG');
    return (error as TokenledgerError).message;
  }
  throw new Error('expected a config error');
}

describe('the gateway section of the config', () => {
  it('accepts listen, upstreams, admin token, limits, commit window, TLS', () => {
    const gateway = {
      listen: '0.0.0.0:8443',
      upstreams: { anthropic: {}, openrouter: { baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' }, local: { baseUrl: 'http://127.0.0.1:8080/v1', apiKey: 'x' } },
      adminToken: 'a-long-enough-admin-token',
      limits: { maxBodyBytes: 1024, upstreamFirstByteTimeoutMs: 5000, maxConcurrentRequests: 10 },
      commitWindowMs: 50,
      tls: { cert: 'cert.pem', key: 'key.pem' },
      allowPlainHttp: false,
    };
    expect(validateConfig({ gateway }, 'config.json').gateway).toEqual(gateway);
  });

  it('rejects what it cannot use, naming the place and never quoting a secret', () => {
    expect(problem({ listen: '4000' })).toContain('gateway.listen must be HOST:PORT');
    expect(problem({ upstreams: { groq: {} } })).toContain('needs "baseUrl": only anthropic, openai, gemini have a default');
    expect(problem({ upstreams: { v1: { baseUrl: 'https://x' } } })).toContain('needs a name of lowercase letters');
    expect(problem({ upstreams: { local: { baseUrl: 'https://user:pw@host/v1' } } })).toContain('without query or credentials');
    expect(problem({ upstreams: { openai: { apiKey: 5 } } })).toContain('apiKey must be a non-empty string');
    expect(problem({ adminToken: 'short-secret' })).not.toContain('short-secret');
    expect(problem({ limits: { maxBodyBytes: 0 } })).toContain('gateway.limits.maxBodyBytes must be a whole number of at least 1');
    expect(problem({ limits: { bodyBytes: 1 } })).toContain('is not a known setting');
    expect(problem({ commitWindowMs: 0 })).toContain('gateway.commitWindowMs');
    expect(problem({ tls: { cert: 'c.pem' } })).toContain('needs "cert" and "key"');
  });
});
