import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { DEFAULT_COMMIT_WINDOW_MS, DEFAULT_LIMITS, gatewaySettings } from './settings.js';

describe('gateway settings', () => {
  it('defaults: 127.0.0.1:4000, the built-in upstreams at their URLs, credentials from their environment variables', () => {
    const s = gatewaySettings(undefined, {}, { ANTHROPIC_API_KEY: 'sk-ant-env', OPENAI_API_KEY: '' });
    expect(s.listen).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(s.upstreams.map((u) => [u.name, u.baseUrl.href, u.credential])).toEqual([
      ['anthropic', 'https://api.anthropic.com/', 'sk-ant-env'],
      ['openai', 'https://api.openai.com/v1', undefined],
      ['gemini', 'https://generativelanguage.googleapis.com/', undefined],
    ]);
    expect(s.limits).toEqual(DEFAULT_LIMITS);
    expect(s.limits.maxBodyBytes).toBe(32 * 1024 * 1024);
    expect(s.commitWindowMs).toBe(DEFAULT_COMMIT_WINDOW_MS);
    expect(s.adminToken).toBeUndefined();
  });

  it('flags over config; only the upstreams named are served; TOKENLEDGER_ADMIN_TOKEN wins over config', () => {
    const s = gatewaySettings(
      { listen: '127.0.0.1:5000', upstreams: { groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_KEY' } }, adminToken: 'from-config-0123456789', commitWindowMs: 40 },
      { upstreams: ['anthropic=http://127.0.0.1:9999'], commitMs: 10 },
      { GROQ_KEY: 'gsk-env', TOKENLEDGER_ADMIN_TOKEN: 'from-env' },
    );
    expect(s.listen.port).toBe(5000);
    expect(s.upstreams.map((u) => [u.name, u.provider.kind, u.baseUrl.href, u.credential])).toEqual([
      ['groq', 'openai-compatible', 'https://api.groq.com/openai/v1', 'gsk-env'],
      ['anthropic', 'anthropic', 'http://127.0.0.1:9999/', undefined],
    ]);
    expect(s.adminToken).toBe('from-env');
    expect(s.commitWindowMs).toBe(10);
  });

  it('refuses a non-loopback address without TLS unless plain HTTP is allowed', () => {
    expect(thrown(() => gatewaySettings(undefined, { listen: '0.0.0.0:4000' }, {})).message).toContain('refusing to listen on 0.0.0.0 without TLS');
    expect(gatewaySettings(undefined, { listen: '0.0.0.0:4000', allowPlainHttp: true }, {}).listen.host).toBe('0.0.0.0');
    expect(gatewaySettings({ allowPlainHttp: true }, { listen: '[::]:4000' }, {}).listen.host).toBe('::');
    expect(thrown(() => gatewaySettings(undefined, { tlsCert: 'c.pem' }, {})).message).toContain('--tls-cert and --tls-key go together');
    expect(thrown(() => gatewaySettings(undefined, { tlsCert: '/nonexistent/c.pem', tlsKey: '/nonexistent/k.pem' }, {})).message).toContain('--tls-cert: cannot read');
  });
});
