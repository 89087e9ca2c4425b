import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const H = 3_600_000;
const M = 60_000;
const USD = 1e9;
/** 11:00 UTC: the active block started at 09:00 (first request 09:10). */
const NOW = Date.UTC(2025, 9, 10, 11);
const DAY = Date.UTC(2025, 9, 10);

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    // Five days ago: outside --recent.
    { occurredAt: DAY - 5 * 24 * H + 3 * H, costNanos: 1 * USD, inputTokens: 10_000 },
    // Yesterday 08:20 (Anthropic: a block 08:00–13:00 of 30,000 tokens) and 12:50 (OpenAI: its own block 12:00–17:00).
    { occurredAt: DAY - 24 * H + 8 * H + 20 * M, costNanos: 2 * USD, inputTokens: 20_000, outputTokens: 10_000 },
    { occurredAt: DAY - 24 * H + 12 * H + 50 * M, costNanos: 1 * USD, cacheReadTokens: 20_000, model: 'gpt-5', provider: 'openai', agent: 'codex-cli', sessionId: 'codex-1' },
    // Today 09:10 and 10:40: the active block, 60,000 tokens and $3 over 1h50m (from 09:10's quarter hour start 09:00: 2h).
    { occurredAt: DAY + 9 * H + 10 * M, costNanos: 2 * USD, inputTokens: 40_000 },
    { occurredAt: DAY + 10 * H + 40 * M, costNanos: 1 * USD, outputTokens: 20_000 },
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[], env: Record<string, string> = {}) => runCliOn(ledger, ['blocks', ...args, '--no-sync'], { now: NOW, env });

describe('blocks', () => {
  it('lists each provider\u2019s blocks with gaps, and the active block with burn rate and projection, in ccusage\u2019s field names', async () => {
    const r = await run(['--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.session_length_hours).toBe(5);
    expect(body.blocks.map((b: any) => [b.provider, b.kind, b.startTime, b.endTime])).toEqual([
      ['anthropic', 'block', '2025-10-05T03:00:00.000Z', '2025-10-05T08:00:00.000Z'],
      ['anthropic', 'gap', '2025-10-05T08:00:00.000Z', '2025-10-09T08:00:00.000Z'],
      ['anthropic', 'block', '2025-10-09T08:00:00.000Z', '2025-10-09T13:00:00.000Z'],
      ['anthropic', 'gap', '2025-10-09T13:00:00.000Z', '2025-10-10T09:00:00.000Z'],
      ['anthropic', 'block', '2025-10-10T09:00:00.000Z', '2025-10-10T14:00:00.000Z'],
      ['openai', 'block', '2025-10-09T12:00:00.000Z', '2025-10-09T17:00:00.000Z'],
    ]);
    expect(body.blocks[2]).toMatchObject({
      isActive: false,
      isGap: false,
      first_activity: '2025-10-09T08:15:00.000Z',
      last_activity: '2025-10-09T08:30:00.000Z',
      requests: 1,
      tokenCounts: { inputTokens: 20_000, outputTokens: 10_000, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, reasoning_tokens: 0 },
      totalTokens: 30_000,
      costUSD: 2,
      models: ['claude-sonnet-4-5'],
      burnRate: null,
      projection: null,
    });
    expect(body.blocks[5]).toMatchObject({ provider: 'openai', isActive: false, totalTokens: 20_000, costUSD: 1, models: ['gpt-5'] });
    const active = body.blocks[4];
    expect(active.isActive).toBe(true);
    // 60,000 tokens over 2 hours (from 09:00, the first request's quarter hour) = 500/min, $1.50/h; 3 hours left.
    expect(active.burnRate).toEqual({ tokensPerMinute: 500, costPerHour: 1.5 });
    expect(active.projection).toEqual({ totalTokens: 150_000, totalCost: 7.5, remainingMinutes: 180, token_limit_pct: null, exceeds_token_limit: null });
    expect(body.rate_limits).toEqual([]);
  });

  it('cuts blocks per provider: a Codex request no longer moves the start of Claude\u2019s block', async () => {
    // A Codex request at 08:50 today, before Claude's first at 09:10: cut together, Claude's block would start at 08:00.
    await ledger.record([{ occurredAt: DAY + 8 * H + 50 * M, costNanos: USD, outputTokens: 1_000, model: 'gpt-5', provider: 'openai', agent: 'codex-cli', sessionId: 'codex-2' }], 'codex-today');
    const body = JSON.parse((await run(['--json', '--active'])).stdout);
    expect(body.blocks.map((b: any) => [b.provider, b.startTime, b.isActive, b.totalTokens])).toEqual([
      ['anthropic', '2025-10-10T09:00:00.000Z', true, 60_000],
      ['openai', '2025-10-10T08:00:00.000Z', true, 1_000],
    ]);
    // --provider picks one; the text report names each provider's active block.
    const claude = JSON.parse((await run(['--json', '--provider', 'Anthropic'])).stdout);
    expect(new Set(claude.blocks.map((b: any) => b.provider))).toEqual(new Set(['anthropic']));
    expect(claude.provider).toBe('anthropic');
    const text = (await run(['--active'], { COLUMNS: '200' })).stdout;
    expect(text).toContain('Anthropic: active block');
    expect(text).toContain('OpenAI: active block');
    expect(text).toContain('Started 09:00, ends 14:00 (3h 00m left): 60,000 tokens, $3.00 so far');
    expect(text).toContain('Started 08:00, ends 13:00 (2h 00m left): 1,000 tokens, $1.00 so far');
    const none = await run(['--provider', 'google']);
    expect([none.code, none.stdout.trim()]).toEqual([0, 'No usage of provider google recorded yet.']);
  });

  it('--token-limit max takes the largest earlier block and warns when the projection exceeds it', async () => {
    const body = JSON.parse((await run(['--json', '--token-limit', 'max'])).stdout);
    expect(body.token_limit).toEqual({ tokens: null, source: 'max' });
    // Per provider: Anthropic's largest earlier block has 30,000 tokens, OpenAI's 20,000.
    expect(body.blocks[2]).toMatchObject({ token_limit: 30_000, token_limit_pct: 100 });
    expect(body.blocks[4].projection).toMatchObject({ token_limit_pct: 500, exceeds_token_limit: true });
    expect(body.blocks[5]).toMatchObject({ provider: 'openai', token_limit: 20_000, token_limit_pct: 100 });
    const text = await run(['--token-limit', 'max'], { COLUMNS: '200' });
    expect(text.stdout).toContain('WARNING: projection exceeds the token limit 30,000 (the largest earlier block): projection at 500.0%');
    const fine = await run(['--token-limit', '200000', '--active']);
    expect(fine.stdout).toContain('Token limit 200,000: projection at 75.0%');
  });

  it('--recent and --active narrow the list; --agent filters', async () => {
    expect(JSON.parse((await run(['--json', '--recent'])).stdout).blocks.map((b: any) => [b.provider, b.kind, b.startTime])).toEqual([
      ['anthropic', 'block', '2025-10-09T08:00:00.000Z'],
      ['anthropic', 'gap', '2025-10-09T13:00:00.000Z'],
      ['anthropic', 'block', '2025-10-10T09:00:00.000Z'],
      ['openai', 'block', '2025-10-09T12:00:00.000Z'],
    ]);
    expect(JSON.parse((await run(['--json', '--active'])).stdout).blocks).toHaveLength(1);
    const codex = JSON.parse((await run(['--json', '--agent', 'codex'])).stdout);
    expect(codex.blocks.map((b: any) => [b.startTime, b.totalTokens])).toEqual([['2025-10-09T12:00:00.000Z', 20_000]]);
  });

  it('says when there is no active block', async () => {
    const later = await runCliOn(ledger, ['blocks', '--active', '--no-sync'], { now: NOW + 5 * H });
    expect([later.code, later.stdout.trim()]).toEqual([0, 'No active block.']);
    const json = await runCliOn(ledger, ['blocks', '--active', '--json', '--no-sync'], { now: NOW + 5 * H });
    expect(JSON.parse(json.stdout).blocks).toEqual([]);
  });

  it('prints a table in the chosen time zone', async () => {
    const r = await run(['--timezone', 'Europe/Berlin'], { COLUMNS: '200' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2025-10-10 11:00 – 16:00 (active)');
    expect(r.stdout).toContain('idle 20h 00m');
    expect(r.stdout).toContain('Started 11:00, ends 16:00 (3h 00m left): 60,000 tokens, $3.00 so far');
    expect(r.stdout).toContain('Burn rate: 500 tokens/min, $1.50/h (over 2h 00m since the first activity)');
    expect(r.stdout).toContain('Projected by 16:00: 150,000 tokens, $7.50');
  });

  it('shows the official limits the agents logged', async () => {
    const db = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
    await db.commit([
      {
        origin: 'test:limits',
        events: [],
        drops: [],
        rateLimits: [
          {
            agent: 'codex-cli',
            sessionId: 'codex-1',
            occurredAt: NOW - 10 * M,
            planType: 'pro',
            windows: [
              { name: 'primary', usedPercent: 42, windowMinutes: 300, resetsAt: NOW + 3 * H + 30 * M },
              { name: 'secondary', usedPercent: 12, windowMinutes: 10_080, resetsAt: NOW + 3 * 24 * H },
            ],
          },
        ],
      },
    ]);
    await db.close();
    const text = await run([], { COLUMNS: '200' });
    expect(text.stdout).toContain('Codex CLI limits (plan pro, read 10:50): 5-hour 42% used, resets 14:30; weekly 12% used, resets 2025-10-13 11:00');
    const body = JSON.parse((await run(['--json'])).stdout);
    expect(body.rate_limits).toEqual([
      {
        agent: 'codex-cli',
        limit_id: null,
        plan_type: 'pro',
        taken_at: '2025-10-10T10:50:00.000Z',
        windows: [
          { name: 'primary', label: '5-hour', used_percent: 42, window_minutes: 300, resets_at: '2025-10-10T14:30:00.000Z', current: true },
          { name: 'secondary', label: 'weekly', used_percent: 12, window_minutes: 10_080, resets_at: '2025-10-13T11:00:00.000Z', current: true },
        ],
      },
    ]);
    // --agent filters the readings too.
    expect(JSON.parse((await run(['--json', '--agent', 'claude'])).stdout).rate_limits).toEqual([]);
  });

  it('rejects bad flags before reading anything', async () => {
    for (const args of [
      ['--session-length', '0'],
      ['--session-length', '200'],
      ['--session-length', '1.1'],
      ['--token-limit', 'lots'],
      ['--token-limit', '0'],
      ['--agent', 'no pe'],
    ]) {
      const r = await run(args);
      expect([args, r.code]).toEqual([args, 2]);
    }
    expect((await run(['--session-length', 'x'])).stderr).toContain('--session-length expects hours above 0');
  });

  it('follows --session-length', async () => {
    const body = JSON.parse((await run(['--json', '--session-length', '2', '--recent'])).stdout);
    expect(body.blocks.filter((b: any) => b.kind === 'block').map((b: any) => [b.provider, b.startTime])).toEqual([
      ['anthropic', '2025-10-09T08:00:00.000Z'],
      ['anthropic', '2025-10-10T09:00:00.000Z'],
      ['openai', '2025-10-09T12:00:00.000Z'],
    ]);
  });
});
