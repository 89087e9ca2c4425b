import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportDocument } from '../../analytics/export-document.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const at = (day: number, hour: number, minute = 0): number => Date.UTC(2025, 9, day, hour, minute);

// Two sessions whose ids share their first 8 characters: an 8-character label would merge them.
const A = 'abcdef12-aaaa-4000-8000-000000000001';
const B = 'abcdef12-bbbb-4000-8000-000000000002';

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    {
      occurredAt: at(10, 9),
      sessionId: A,
      project: '/home/dev/app',
      inputTokens: 100,
      outputTokens: 200,
      cacheWrite5mTokens: 1000,
      cacheWrite1hTokens: 500,
      cacheReadTokens: 4000,
      costNanos: 1_250_000_123,
    },
    { occurredAt: at(10, 10), sessionId: A, project: '/home/dev/app', model: 'claude-opus-4-1', inputTokens: 10, outputTokens: 20, costNanos: 3_000_000_000 },
    { occurredAt: at(10, 11, 30), sessionId: B, project: '/home/dev/api', inputTokens: 300, outputTokens: 600, cacheReadTokens: 9000, costNanos: 2_000_000_000 },
    // Codex without a working folder: no cwd.
    {
      occurredAt: at(9, 11),
      agent: 'codex-cli',
      provider: 'openai',
      model: 'gpt-5-codex',
      sessionId: 'rollout-1',
      project: '',
      inputTokens: 1000,
      outputTokens: 2000,
      cacheReadTokens: 3000,
      costNanos: 700_000_007,
    },
    // Another namespace, seen only through EXPORT_NAMESPACE.
    { occurredAt: at(10, 8), namespace: 'ci', sessionId: 'ci-1', inputTokens: 5, costNanos: 5_000_000_000 },
  ]);
});
afterEach(() => ledger.remove());

const cli = (args: string[], env: Record<string, string> = {}) => runCliOn(ledger, ['export', ...args, '--no-sync'], { env, now: NOW });

const ISO_NOW = '2025-10-10T12:00:00.000Z';

/** The export of the events above, worked by hand. */
const EXPECTED: ExportDocument = {
  exportedAt: ISO_NOW,
  namespace: 'cost-tracking',
  sessions: [
    {
      sessionId: B,
      agent: 'claude-code',
      user: 'local',
      cwd: '/home/dev/api',
      startedAt: '2025-10-10T11:30:00.000Z',
      endedAt: '2025-10-10T11:30:00.000Z',
      messageCount: 1,
      byModel: { 'claude-sonnet-4-5': { tier: 'sonnet', cost_usd: 2, messages: 1, input_tokens: 300, output_tokens: 600, cache_creation_input_tokens: 0, cache_read_input_tokens: 9000 } },
      byTier: { sonnet: 2 },
      total_cost_usd: 2,
      capturedAt: ISO_NOW,
    },
    {
      sessionId: A,
      agent: 'claude-code',
      user: 'local',
      cwd: '/home/dev/app',
      startedAt: '2025-10-10T09:00:00.000Z',
      endedAt: '2025-10-10T10:00:00.000Z',
      messageCount: 2,
      byModel: {
        'claude-opus-4-1': { tier: 'opus', cost_usd: 3, messages: 1, input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        'claude-sonnet-4-5': { tier: 'sonnet', cost_usd: 1.250000123, messages: 1, input_tokens: 100, output_tokens: 200, cache_creation_input_tokens: 1500, cache_read_input_tokens: 4000 },
      },
      byTier: { opus: 3, sonnet: 1.250000123 },
      total_cost_usd: 4.250000123,
      capturedAt: ISO_NOW,
    },
    {
      sessionId: 'rollout-1',
      agent: 'codex-cli',
      user: 'local',
      cwd: null,
      startedAt: '2025-10-09T11:00:00.000Z',
      endedAt: '2025-10-09T11:00:00.000Z',
      messageCount: 1,
      byModel: { 'gpt-5-codex': { tier: 'gpt-5', cost_usd: 0.700000007, messages: 1, input_tokens: 1000, output_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 3000 } },
      byTier: { 'gpt-5': 0.700000007 },
      total_cost_usd: 0.700000007,
      capturedAt: ISO_NOW,
    },
  ],
  budget: null,
  // 1,250,000,123 + 3,000,000,000 + 2,000,000,000 + 700,000,007 nanos.
  totalUsd: 6.95000013,
  byTier: { 'gpt-5': 0.700000007, opus: 3, sonnet: 3.250000123 },
  byTierTokens: {
    'gpt-5': { input: 1000, output: 2000, cache_write: 0, cache_read: 3000 },
    opus: { input: 10, output: 20, cache_write: 0, cache_read: 0 },
    sonnet: { input: 400, output: 800, cache_write: 1500, cache_read: 13000 },
  },
  // Recorded by the fixture's own ledger handle (LOCAL_RECORDER).
  byUser: { local: 6.95000013 },
};

/** The textfile read back by an independent parser: `{family: [[labels, value]]}`, each family once. */
function readBack(path: string): Map<string, Array<[Record<string, string>, number]>> {
  const byName = new Map<string, Array<[Record<string, string>, number]>>();
  for (const family of parsePrometheusTextFormat(readFileSync(path, 'utf8'))) {
    expect(byName.has(family.name), `${family.name} appears once`).toBe(false);
    expect([family.type, family.help === '']).toEqual([family.name === 'cost_tracker_tokens_total' ? 'COUNTER' : 'GAUGE', false]);
    byName.set(
      family.name,
      family.metrics.map((m) => {
        expect(m.timestamp_ms).toBeUndefined();
        return [m.labels ?? {}, Number(m.value)];
      }),
    );
  }
  return byName;
}

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 that answers the n-th request (from 1) as `answer` says. */
async function webhookServer(answer: (n: number, res: ServerResponse) => void): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      answer(received.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // A secret in the path, as Slack and friends have it: it must never be printed.
    url: `http://127.0.0.1:${port}/hooks/s3cr3t-token`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const status =
  (code: number, body = '') =>
  (res: ServerResponse) =>
    res.writeHead(code, { 'content-type': 'text/plain' }).end(body);

describe('tokenledger export', () => {
  it('prints the JSON document on stdout when no target is given', async () => {
    const r = await cli([]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it('writes a Prometheus textfile atomically, one series per session even when ids share a prefix', async () => {
    const folder = join(ledger.dir, 'textfiles');
    const path = join(folder, 'tokenledger.prom');
    const r = await cli(['--prometheus', path]);
    // 1 total + 3 tiers + 1 user + 3 sessions × 2 families + 3 tiers × 4 token classes.
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', `wrote 23 series to ${path}\n`]);
    // No temporary file is left beside it (the folder was created).
    expect(readdirSync(folder)).toEqual(['tokenledger.prom']);
    const parsed = readBack(path);
    expect([...parsed.keys()]).toEqual([
      'cost_tracker_total_usd',
      'cost_tracker_tier_total_usd',
      'cost_tracker_user_total_usd',
      'cost_tracker_session_total_usd',
      'cost_tracker_session_messages',
      'cost_tracker_tokens_total',
    ]);
    expect(parsed.get('cost_tracker_total_usd')).toEqual([[{}, 6.95000013]]);
    expect(parsed.get('cost_tracker_tier_total_usd')).toEqual([
      [{ tier: 'gpt-5' }, 0.700000007],
      [{ tier: 'opus' }, 3],
      [{ tier: 'sonnet' }, 3.250000123],
    ]);
    expect(parsed.get('cost_tracker_user_total_usd')).toEqual([[{ user: 'local' }, 6.95000013]]);
    expect(parsed.get('cost_tracker_session_total_usd')).toEqual([
      [{ session: B }, 2],
      [{ session: A }, 4.250000123],
      [{ session: 'rollout-1' }, 0.700000007],
    ]);
    expect(parsed.get('cost_tracker_session_messages')).toEqual([
      [{ session: B }, 1],
      [{ session: A }, 2],
      [{ session: 'rollout-1' }, 1],
    ]);
    const tokens = parsed.get('cost_tracker_tokens_total') ?? [];
    expect(tokens).toHaveLength(12);
    expect(tokens).toContainEqual([{ tier: 'sonnet', type: 'cache_write' }, 1500]);
    expect(tokens).toContainEqual([{ tier: 'sonnet', type: 'cache_read' }, 13000]);
    expect(tokens).toContainEqual([{ tier: 'gpt-5', type: 'output' }, 2000]);
  });

  it('bounds the session series with --max-sessions; the totals still cover every session', async () => {
    const path = join(ledger.dir, 'one.prom');
    const r = await cli(['--prometheus', path, '--max-sessions', '1']);
    expect([r.code, r.stderr]).toEqual([0, `wrote 19 series to ${path}\n`]);
    const parsed = readBack(path);
    expect(parsed.get('cost_tracker_session_total_usd')).toEqual([[{ session: B }, 2]]);
    expect(parsed.get('cost_tracker_session_messages')).toEqual([[{ session: B }, 1]]);
    expect(parsed.get('cost_tracker_total_usd')).toEqual([[{}, 6.95000013]]);
    expect(JSON.parse((await cli(['--max-sessions', '1'])).stdout)).toEqual({ ...EXPECTED, sessions: EXPECTED.sessions.slice(0, 1) });
  });

  it('adds the budget families and the budget when one is set', async () => {
    await runCliOn(ledger, ['budget', 'set', '10'], { now: NOW });
    const path = join(ledger.dir, 'budget.prom');
    expect((await cli(['--prometheus', path])).code).toBe(0);
    const parsed = readBack(path);
    expect(parsed.get('cost_tracker_budget_usd')).toEqual([[{}, 10]]);
    expect(parsed.get('cost_tracker_budget_utilization')).toEqual([[{}, 0.695000013]]);
    expect(JSON.parse((await cli([])).stdout).budget).toEqual({ period: 'month', scope: 'global', budget_usd: 10, spent_usd: 6.95000013, utilization: 0.695000013, level: 'INFO', setAt: ISO_NOW });
  });

  it('retries a webhook after a 500 and a timeout, then delivers the JSON document', async () => {
    const server = await webhookServer((n, res) => {
      if (n === 1) status(500, 'boom')(res);
      // The second request is left hanging, past --timeout.
      if (n === 3) status(200, 'ok')(res);
    });
    try {
      const r = await cli(['--webhook', server.url, '--timeout', '0.3', '--retries', '2']);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', 'webhook delivered: HTTP 200 after 3 attempts\n']);
      expect(server.received).toHaveLength(3);
      const json = JSON.parse((await cli([])).stdout) as unknown;
      for (const request of server.received) {
        expect(request.url).toBe('/hooks/s3cr3t-token');
        expect(request.headers['content-type']).toBe('application/json');
        expect(JSON.parse(request.body)).toEqual(json);
      }
      expect(json).toEqual(EXPECTED);
    } finally {
      await server.close();
    }
  });

  it('sends EXPORT_WEBHOOK_HEADER headers; EXPORT_QUIET=1 silences the confirmations', async () => {
    const server = await webhookServer((_n, res) => status(204)(res));
    try {
      const path = join(ledger.dir, 'quiet.prom');
      const env = { EXPORT_WEBHOOK_HEADER: 'Authorization: Bearer abc,def, X-Team: infra', EXPORT_QUIET: '1' };
      const r = await cli(['--webhook', server.url, '--prometheus', path], env);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
      expect(existsSync(path)).toBe(true);
      expect(server.received).toHaveLength(1);
      expect([server.received[0]?.headers.authorization, server.received[0]?.headers['x-team']]).toEqual(['Bearer abc,def', 'infra']);
      expect((await cli(['--webhook', server.url])).stderr).toBe('webhook delivered: HTTP 204 after 1 attempt\n');
    } finally {
      await server.close();
    }
  });

  it('exits 1 with the status when the webhook never answers 2xx, still writing the textfile, even when quiet', async () => {
    const server = await webhookServer((_n, res) => status(503, 'overloaded')(res));
    try {
      const path = join(ledger.dir, 'still.prom');
      const r = await cli(['--webhook', server.url, '--retries', '1', '--prometheus', path], { EXPORT_QUIET: 'true' });
      expect([r.code, r.stdout]).toEqual([1, '']);
      expect(r.stderr).toBe('tokenledger: webhook not delivered after 2 attempts: HTTP 503 Service Unavailable: overloaded\n');
      expect(r.stderr).not.toContain('s3cr3t');
      expect(server.received).toHaveLength(2);
      expect(readBack(path).get('cost_tracker_total_usd')).toEqual([[{}, 6.95000013]]);
      // A 4xx is the request's own fault: not retried.
      const rejecting = await webhookServer((_n, res) => status(404)(res));
      try {
        const four = await cli(['--webhook', rejecting.url]);
        expect([four.code, four.stderr, rejecting.received.length]).toEqual([1, 'tokenledger: webhook not delivered after 1 attempt: HTTP 404 Not Found\n', 1]);
      } finally {
        await rejecting.close();
      }
    } finally {
      await server.close();
    }
  });

  it("delivers to a URL with a password as Basic authorization, and never prints the password, the query or a redirect's", async () => {
    const accepting = await webhookServer((_n, res) => status(204)(res));
    const redirecting = await webhookServer((_n, res) => {
      res.writeHead(302, { location: 'https://mover:M0VED@example.com/new?token=N3W' });
      res.end();
    });
    const withSecrets = (url: string): string => `${url.replace('http://', 'http://hook:PASSW0RD@')}?token=T0KEN`;
    try {
      const delivered = await cli(['--webhook', withSecrets(accepting.url)]);
      expect([delivered.code, delivered.stderr]).toEqual([0, 'webhook delivered: HTTP 204 after 1 attempt\n']);
      expect(accepting.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('hook:PASSW0RD').toString('base64')}`);
      expect(accepting.received[0]?.url).toBe('/hooks/s3cr3t-token?token=T0KEN');

      const moved = await cli(['--webhook', withSecrets(redirecting.url)]);
      expect(moved.code).toBe(1);
      expect(moved.stderr).toContain('redirected to https://***@example.com/new?***');

      await redirecting.close();
      const refused = await cli(['--webhook', withSecrets(redirecting.url), '--retries', '0']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('tokenledger: webhook not delivered after 1 attempt');
      for (const r of [delivered, moved, refused]) expect(r.stderr).not.toMatch(/PASSW0RD|T0KEN|M0VED|N3W/);
    } finally {
      await accepting.close();
    }
  });

  it('reads the namespace from EXPORT_NAMESPACE, under --namespace', async () => {
    const ci = JSON.parse((await cli([], { EXPORT_NAMESPACE: 'ci' })).stdout) as ExportDocument;
    expect([ci.namespace, ci.totalUsd, ci.sessions.map((s) => s.sessionId)]).toEqual(['ci', 5, ['ci-1']]);
    const flag = JSON.parse((await cli(['--namespace', 'cost-tracking'], { EXPORT_NAMESPACE: 'ci' })).stdout) as ExportDocument;
    expect([flag.namespace, flag.totalUsd]).toEqual(['cost-tracking', 6.95000013]);
  });

  it('refuses bad flags and variables with exit 2 before touching the ledger or the targets', async () => {
    const fresh = new FixtureLedger();
    const server = await webhookServer((_n, res) => status(200)(res));
    try {
      const blocker = join(fresh.dir, 'textfiles');
      writeFileSync(blocker, 'a file where a folder should be');
      const cases: [string[], Record<string, string>, string][] = [
        [['--max-sessions', '0'], {}, '--max-sessions expects a whole number from 1'],
        [['--max-sessions', 'all'], {}, '--max-sessions expects a whole number'],
        [['--webhook', 'ftp://x'], {}, '--webhook expects an http or https URL, not ftp'],
        [['--webhook', 'hooks.example.com/x'], {}, '--webhook expects a full http or https URL'],
        [['--webhook', server.url], { EXPORT_WEBHOOK_HEADER: 'Authorization Bearer abc' }, 'entry 1 of EXPORT_WEBHOOK_HEADER ("Author…") is not "Name: value"'],
        [['--webhook', server.url], { EXPORT_WEBHOOK_HEADER: 'X-Name: café ☕' }, 'the value of X-Name cannot be sent'],
        [['--webhook', server.url, '--timeout', '0'], {}, '--timeout expects seconds above 0'],
        [['--webhook', server.url, '--timeout', '-1'], {}, '--timeout expects seconds above 0'],
        [['--webhook', server.url, '--retries', '1.5'], {}, '--retries expects a whole number from 0 to 10'],
        [['--prometheus', join(blocker, 'x.prom')], { EXPORT_QUIET: 'yes please' }, 'EXPORT_QUIET expects 1 or true'],
        [['--prometheus', ''], {}, '--prometheus expects a file path'],
        [['--namespace', 'no spaces'], {}, 'invalid namespace'],
      ];
      for (const [args, env, message] of cases) {
        const r = await runCliOn(fresh, ['export', ...args], { env, now: NOW });
        expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
        expect(r.stderr, args.join(' ')).toContain(message);
        expect(r.stderr, args.join(' ')).not.toContain('s3cr3t');
      }
      expect(existsSync(fresh.dbPath)).toBe(false);
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
      fresh.remove();
    }
  });

  it('reports a textfile that cannot be written as exit 4', async () => {
    writeFileSync(join(ledger.dir, 'blocker'), 'a file where a folder should be');
    const r = await cli(['--prometheus', join(ledger.dir, 'blocker', 'x.prom')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('a file is in the way');
  });
});
