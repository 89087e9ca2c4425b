import { describe, expect, it } from 'vitest';
import { buildBlocks, burnRate, projectBlock } from '../analytics/blocks.js';
import { emptyTotals } from '../analytics/totals.js';
import { evaluate } from '../budgets/evaluate.js';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { ZoneClock } from '../core/zone-clock.js';
import { layout, type LiveView } from './layout.js';
import { lineText, textWidth } from './line.js';
import type { LiveState } from './state.js';

const H = 3_600_000;
const NOW = Date.UTC(2025, 9, 10, 11);
const USD = 1e9;
const view: LiveView = { clock: new ZoneClock('UTC'), sync: true, intervalMs: 1000, agentLabel: (id) => (id === 'codex-cli' ? 'Codex CLI' : id) };

function state(overrides: Partial<LiveState> = {}): LiveState {
  const [block] = buildBlocks([{ ...emptyTotals(), bucketStart: Date.UTC(2025, 9, 10, 9), inputTokens: 60_000, costNanos: 3 * USD, events: 2 }], 5 * H, NOW);
  if (block === undefined) throw new Error('no block');
  const rate = burnRate(block, NOW);
  const budget = (scope: string, period: string, amountUsd: number, spentUsd: number) =>
    evaluate({ id: 1, namespace: 'cost-tracking', scope, period, amountNanos: amountUsd * USD, setAt: 0 }, { key: 'k' }, { costNanos: spentUsd * USD, sessions: 1 }, DEFAULT_THRESHOLDS);
  return {
    now: NOW,
    namespace: 'cost-tracking',
    todayStart: Date.UTC(2025, 9, 10),
    today: { ...emptyTotals(), inputTokens: 1_200_000, outputTokens: 34_000, costNanos: 12.34 * USD, events: 321 },
    sessionLengthMs: 5 * H,
    active: [{ provider: 'anthropic', block, rate, projection: projectBlock(block, rate, NOW) }],
    limits: [
      {
        agent: 'codex-cli',
        planType: 'pro',
        takenAt: NOW - 60_000,
        windows: [
          { name: 'primary', label: '5-hour', usedPercent: 42, windowMinutes: 300, resetsAt: Date.UTC(2025, 9, 10, 14, 30), current: true },
          { name: 'secondary', label: 'weekly', usedPercent: 12, windowMinutes: 10_080, current: false },
        ],
      },
    ],
    budgets: [budget('global', 'today', 20, 15), budget('project:/home/dev/app', 'month', 100, 10)],
    plans: [],
    sessions: Array.from({ length: 12 }, (_, i) => ({ agent: 'claude-code', sessionId: `session-${i}`, project: `/home/dev/p${i}`, costNanos: (12 - i) * USD, tokens: 1000 * (12 - i), requests: 3 })),
    notes: [],
    ...overrides,
  };
}

const texts = (s: LiveState | undefined, columns: number, rows: number) => layout(s, { columns, rows }, view).map(lineText);

const HOSTILE = 'a\u001b]0;pwned\u0007\u001b[31mred\rCR\u202e';

describe('layout', () => {
  it('shows control characters of session ids, projects, agents and notes escaped, never raw', () => {
    const lines = texts(
      state({ sessions: [{ agent: `x${HOSTILE}`, sessionId: HOSTILE, project: `/p/${HOSTILE}`, costNanos: USD, tokens: 1, requests: 1 }], notes: [`no price for ${HOSTILE}`] }),
      200,
      40,
    );
    // eslint-disable-next-line no-control-regex
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(lines.some((l) => l.endsWith('a\\x1b]0;pwned\\x07\\x1b[31mred\\x0dCR\\u202e'))).toBe(true);
    expect(lines.at(-1)).toContain('no price for a\\x1b]0;pwned');
  });

  it('shows today, the active block with burn rate and projection, limits, budgets and sessions', () => {
    const lines = texts(state(), 100, 40);
    expect(lines[0]).toBe('tokenledger live · cost-tracking · 2025-10-10 11:00:00 UTC');
    expect(lines).toContain('Today       $12.34 · 1.23M tokens · 321 requests');
    expect(lines).toContain('Block       Anthropic 09:00 – 14:00 · 3h 00m left');
    expect(lines).toContain('  so far    $3.00 · 60.0k tokens · 2 requests');
    expect(lines).toContain('  burn rate 500 tokens/min · $1.50/h');
    expect(lines).toContain('  projected $7.50 · 150k tokens by 14:00');
    // Only windows that still hold are shown.
    expect(lines).toContain('Limits      Codex CLI: 5-hour 42% (resets 14:30)');
    const global = lines.find((l) => l.startsWith('  global today')) ?? '';
    const project = lines.find((l) => l.startsWith('  project:/home/dev/app month')) ?? '';
    expect(global).toMatch(/ \$15\.00 \/ \$20\.00 {2}75% WARNING$/);
    expect(project).toMatch(/ \$10\.00 \/ \$100\.00 {2}10% OK$/);
    // Bars line up and are filled in proportion: 75% and 10% of the same width.
    const full = (l: string) => (l.match(/█/g) ?? []).length;
    const cells = (l: string) => (l.match(/[█░]/g) ?? []).length;
    expect(cells(global)).toBe(cells(project));
    expect(full(global)).toBe(Math.round(cells(global) * 0.75));
    expect(full(project)).toBe(Math.round(cells(project) * 0.1));
    expect(lines).toContain('Costliest sessions today');
    const at = (id: string) => lines.findIndex((l) => l.endsWith(id));
    expect([at('session-0'), at('session-1')]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(at('session-0')).toBeGreaterThan(0);
    expect(at('session-0')).toBeLessThan(at('session-1'));
    expect(lines[at('session-0')]).toMatch(/^ +\$12\.00 +12\.0k {2}claude-code {2}p0 +session-0$/);
    expect(lines.at(-1)).toMatch(/^refreshing every second, new agent usage read as it is written +q quit$/);
  });

  it('fits every size: exactly the rows, no line wider than the terminal, the status line last', () => {
    for (const columns of [20, 30, 39, 40, 41, 55, 64, 80, 100, 160]) {
      for (const rows of [1, 3, 8, 14, 24, 50]) {
        const lines = layout(state(), { columns, rows }, view);
        expect(lines).toHaveLength(rows);
        for (const line of lines) expect(textWidth(lineText(line))).toBeLessThanOrEqual(columns);
        expect(lineText(lines.at(-1) ?? [])).toMatch(/q quit$|…$/);
      }
    }
  });

  it('lists as many sessions as the rows allow and says so', () => {
    const lines = texts(state(), 80, 24);
    expect(lines.find((l) => l.startsWith('Costliest sessions today'))).toMatch(/\(top \d+ of 12\)$/);
    expect(texts(state(), 80, 60).find((l) => l.startsWith('Costliest sessions today'))).toBe('Costliest sessions today');
  });

  it('drops bars and columns before it cuts text', () => {
    const lines = texts(state(), 40, 30);
    expect(lines.find((l) => l.startsWith('  global today'))).not.toContain('█');
    expect(lines.find((l) => l.includes('Cost') && l.includes('Session'))).not.toContain('Agent');
  });

  it('says when there is no active block or budget, and before the first reading', () => {
    const lines = texts(state({ active: [], budgets: [], limits: [] }), 80, 24);
    expect(lines).toContain('Block       no active block (blocks of 5 hours, per provider)');
    expect(lines).toContain('Budgets none set (tokenledger budget set <usd>)');
    expect(texts(undefined, 80, 24)).toContain('reading the ledger…');
  });

  it('shows one line per provider\u2019s active block when several are active', () => {
    const [claude] = state().active;
    if (claude === undefined) throw new Error('no block');
    const [openai] = buildBlocks([{ ...emptyTotals(), bucketStart: Date.UTC(2025, 9, 10, 10, 30), outputTokens: 1_000, costNanos: USD / 2, events: 1 }], 5 * H, NOW);
    if (openai === undefined) throw new Error('no block');
    const rate = burnRate(openai, NOW);
    const lines = texts(state({ active: [claude, { provider: 'openai', block: openai, rate, projection: projectBlock(openai, rate, NOW) }] }), 120, 40);
    expect(lines.filter((l) => l.startsWith('Block'))).toEqual([
      'Block       Anthropic 09:00 – 14:00 · 3h 00m left · $3.00 · 60.0k tokens · $1.50/h → $7.50',
      'Block       OpenAI 10:00 – 15:00 · 4h 00m left · $0.50 · 1.00k tokens · $1.00/h → $4.50',
    ]);
    expect(lines.some((l) => l.startsWith('  burn rate'))).toBe(false);
  });

  it('shows the latest note in the status line', () => {
    const lines = texts(state({ notes: ['old', 'budget WARNING: global today is at 75.0%'] }), 80, 24);
    expect(lines.at(-1)).toMatch(/^budget WARNING: global today is at 75\.0% +q quit$/);
  });

  it("shows each subscription plan's value this plan month under the blocks", () => {
    const plan = { provider: 'anthropic' as const, name: 'Max 20x', monthlyNanos: 200 * USD, startDay: 1 };
    const lines = texts(state({ plans: [{ plan, month: { firstDay: 20_362, endDay: 20_393 }, apiEquivalentNanos: 1_234 * USD, multiple: 6.17 }] }), 100, 40);
    expect(lines.find((l: string) => l.startsWith('Plan'))).toMatch(/^Plan\s+Max 20x \$1,234\.00 API-equivalent on \$200\.00: 6\.2x this plan month$/);
  });
});
