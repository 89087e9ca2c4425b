import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => (ledger = new FixtureLedger()));
afterEach(() => ledger.remove());

describe('detect', () => {
  it('shows control characters and bidi overrides in root paths escaped, never raw', async () => {
    const root = join(ledger.dir, 'claude\u001b]0;pwned\u0007\r\u202e');
    mkdirSync(root, { recursive: true });
    const r = await runCliOn(ledger, ['detect'], { env: { CLAUDE_CONFIG_DIR: root } });
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(r.stdout).toContain('claude\\x1b]0;pwned\\x07\\x0d\\u202e');
  });
});

describe('detect names who records here', () => {
  it("shows the user and this machine's id (text and JSON)", async () => {
    ledger.write('config/tokenledger/config.json', JSON.stringify({ user: 'ada@lab' }));
    const r = await runCliOn(ledger, ['detect']);
    const machine = readFileSync(join(ledger.env.HOME as string, '.local', 'state', 'tokenledger', 'machine-id'), 'utf8').trim();
    expect(r.stdout).toContain(`User    ada@lab on machine ${machine}\n`);
    const json = JSON.parse((await runCliOn(ledger, ['detect', '--json'])).stdout);
    expect(json.recorder).toEqual({ user: 'ada@lab', machine });
  });
});

describe('detect with a broken config or ledger', () => {
  it('shows a config that is not JSON with the reason, and still lists the agent folders (exit 2)', async () => {
    const config = ledger.write('config/tokenledger/config.json', '{\n  "timezone": "UTC",\n}\n');
    const r = await runCliOn(ledger, ['detect']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`Config  ${config}\n  BROKEN: ${config}:3:1 is not valid JSON: expected a property name in double quotes, found '}'\n    3 | }\n`);
    expect(r.stdout).toContain('Claude Code (claude-code), roots from $CLAUDE_CONFIG_DIR:');
    expect(r.stdout).toContain('Codex CLI');
  });

  it('shows a ledger that cannot be opened with the reason, leaves it as it was, and still lists the agent folders (exit 4)', async () => {
    const garbage = 'this is not a database\n'.repeat(100);
    ledger.write('ledger.db', garbage);
    const r = await runCliOn(ledger, ['detect']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(new RegExp(`Ledger  ${ledger.dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n  BROKEN: .*${'ledger.db'}`));
    expect(r.stdout).toContain('Claude Code (claude-code), roots from $CLAUDE_CONFIG_DIR:');
    expect(readFileSync(ledger.dbPath, 'utf8')).toBe(garbage);
    const json = await runCliOn(ledger, ['detect', '--json']);
    expect(json.code).toBe(4);
    const body = JSON.parse(json.stdout);
    expect(body.problems).toEqual([expect.objectContaining({ what: 'ledger', reason: expect.stringContaining(ledger.dbPath) })]);
    expect(body.agents).toHaveLength(3);
  });

  it('reports no problem when both are fine', async () => {
    const r = await runCliOn(ledger, ['detect', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).problems).toEqual([]);
  });
});

describe('detect with a server ledger', () => {
  it('names the server without the password, and says it cannot be reached (exit 4)', async () => {
    const r = await runCliOn(ledger, ['detect', '--db', 'postgres://team:s3cret-pw@127.0.0.1:1/ledger']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('Ledger  postgres://team@127.0.0.1:1/ledger\n  BROKEN: ');
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
  });
});

describe('a server ledger URL that cannot be parsed', () => {
  it('is refused as bad input (exit 2) with a hint, never showing the password', async () => {
    const r = await runCliOn(ledger, ['daily', '--no-sync', '--db', 'postgresql://u:s3cret-pw@[bad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be parsed');
    expect(r.stderr).toContain('hint: after postgres:// give the user');
    expect(r.stderr).not.toContain('s3cret-pw');
  });
});

describe('detect warns of agents metered twice', () => {
  const NOW = Date.UTC(2025, 9, 10, 12);
  const DAY = 86_400_000;
  const gateway = (provider: string, at = NOW - DAY) => ({
    occurredAt: at,
    costNanos: 1_000,
    agent: 'gateway',
    sessionId: 'ci-bot',
    provider,
    model: provider === 'openai' ? 'gpt-5' : 'claude-sonnet-4-5',
  });

  it('when the gateway metered another provider than Anthropic and Codex was read from its logs in the last 30 days', async () => {
    await ledger.record([gateway('openai'), { occurredAt: NOW - 2 * DAY, costNanos: 500, agent: 'codex-cli', sessionId: 'rollout-1', provider: 'openai', model: 'gpt-5' }]);
    const r = await runCliOn(ledger, ['detect'], { now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `WARNING: Codex CLI (codex-cli) usage was read from its logs in the last 30 days while the gateway metered openai requests (namespace cost-tracking): its logs carry no id the gateway sees, so a request that went through the gateway and is also in its log counts twice. Meter Codex CLI by one of the two only: do not route it through the gateway, or leave its logs out of tokenledger's sync with "sync": { "skip": ["codex-cli"] } in the config.`,
    );
    const json = JSON.parse((await runCliOn(ledger, ['detect', '--json'], { now: NOW })).stdout);
    expect(json.warnings).toEqual([{ kind: 'double-metering', namespace: 'cost-tracking', agent: 'codex-cli', message: expect.stringContaining('counts twice') }]);

    // Once the config leaves Codex out of sync, detect lists it as skipped and warns no more.
    ledger.write('config/tokenledger/config.json', JSON.stringify({ sync: { skip: ['codex'] } }));
    const skipped = await runCliOn(ledger, ['detect'], { now: NOW });
    expect(skipped.stdout).toContain('Codex CLI (codex-cli) [skipped by config: sync.skip; its logs are not read], roots from');
    expect(skipped.stdout).not.toContain('WARNING');
    const agents = JSON.parse((await runCliOn(ledger, ['detect', '--json'], { now: NOW })).stdout).agents;
    expect(agents.map((a: { agent: string; skipped: boolean }) => [a.agent, a.skipped])).toEqual([
      ['claude-code', false],
      ['codex-cli', true],
      ['gemini-cli', false],
    ]);
  });

  it('not for Claude Code (its log carries the ids the gateway keys by), nor for usage older than 30 days', async () => {
    await ledger.record(
      [
        gateway('anthropic'),
        { occurredAt: NOW - DAY, costNanos: 500, sessionId: 'sess-1' },
        { occurredAt: NOW - DAY, costNanos: 500, agent: 'gemini-cli', sessionId: 'g1', provider: 'google', model: 'gemini-2.5-pro' },
      ],
      'a',
    );
    await ledger.record([gateway('openai', NOW - 40 * DAY), { occurredAt: NOW - 40 * DAY, costNanos: 500, agent: 'codex-cli', sessionId: 'rollout-1' }], 'b');
    const json = JSON.parse((await runCliOn(ledger, ['detect', '--json'], { now: NOW })).stdout);
    expect(json.warnings).toEqual([]);
    expect((await runCliOn(ledger, ['detect'], { now: NOW })).stdout).not.toContain('WARNING');
  });
});

describe('detect warns of agents counted over OpenTelemetry and from their logs', () => {
  const NOW = Date.UTC(2025, 9, 10, 12);
  const DAY = 86_400_000;
  const otel = { occurredAt: NOW - DAY, costNanos: 100, sessionId: 'sess-otel', dedupKey: 'otel:claude-code:sess-otel:4:1', recordedBy: { user: 'dev@example.com', machine: 'otlp:dev-laptop' } };

  it('when the ledger holds OpenTelemetry usage of an agent whose logs this machine reads, until sync.skip leaves them out', async () => {
    await ledger.record([otel]);
    ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', '{"type":"summary"}\n');
    const r = await runCliOn(ledger, ['detect'], { now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WARNING: Claude Code (claude-code) usage arrived over OpenTelemetry in the last 30 days (1 event, namespace cost-tracking) and this machine also reads');
    expect(r.stdout).toContain('"sync": { "skip": ["claude-code"] }');
    const json = JSON.parse((await runCliOn(ledger, ['detect', '--json'], { now: NOW })).stdout);
    expect(json.warnings).toEqual([{ kind: 'otel-double-counting', namespace: 'cost-tracking', agent: 'claude-code', message: expect.stringContaining('counts twice') }]);

    ledger.write('config/tokenledger/config.json', JSON.stringify({ sync: { skip: ['claude-code'] } }));
    expect((await runCliOn(ledger, ['detect'], { now: NOW })).stdout).not.toContain('WARNING');
  });

  it('not when this machine has no logs of the agent', async () => {
    await ledger.record([otel]);
    expect(JSON.parse((await runCliOn(ledger, ['detect', '--json'], { now: NOW })).stdout).warnings).toEqual([]);
  });
});
