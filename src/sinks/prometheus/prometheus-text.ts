import type { ClassTokens, ExportDocument, ExportSession } from '../../analytics/export-document.js';

/**
 * The Prometheus text exposition format, version 0.0.4, for node_exporter's textfile collector.
 * No timestamps: the collector rejects files that carry them. The families of dollars and sessions
 * are gauges, because a snapshot of a ledger can shrink (sessions leave the --max-sessions window,
 * prices are revised). Token totals grow as usage is recorded, so `cost_tracker_tokens_total` is a counter, as its
 * `_total` name promises (promtool's lint refuses a gauge of that name).
 */

interface Sample {
  labels: ReadonlyArray<readonly [name: string, value: string]>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Sample[];
}

/** The token classes, in the order they are printed. */
const TOKEN_TYPES: ReadonlyArray<keyof ClassTokens> = ['input', 'output', 'cache_write', 'cache_read'];

/** One export document as a textfile: families in a fixed order, each once, with HELP and TYPE. */
export function prometheusText(doc: ExportDocument): string {
  const tiers = sortedKeys(doc.byTier);
  const tokenTiers = sortedKeys(doc.byTierTokens);
  const sessions = labelledSessions(doc.sessions);
  const families: Family[] = [
    {
      name: 'cost_tracker_total_usd',
      help: 'Total cost in US dollars of the exported namespace.',
      type: 'gauge',
      samples: [{ labels: [], value: doc.totalUsd }],
    },
    {
      name: 'cost_tracker_tier_total_usd',
      help: 'Cost in US dollars by model tier.',
      type: 'gauge',
      samples: tiers.map((tier) => ({ labels: [['tier', tier]], value: doc.byTier[tier] ?? 0 })),
    },
    {
      name: 'cost_tracker_user_total_usd',
      help: 'Cost in US dollars by user who recorded the usage.',
      type: 'gauge',
      samples: sortedKeys(doc.byUser).map((user) => ({ labels: [['user', user]], value: doc.byUser[user] ?? 0 })),
    },
    {
      name: 'cost_tracker_session_total_usd',
      help: 'Cost in US dollars of each exported session (the most recent ones).',
      type: 'gauge',
      samples: sessions.map(({ label, session }) => ({ labels: [['session', label]], value: session.total_cost_usd })),
    },
    {
      name: 'cost_tracker_session_messages',
      help: 'Messages in each exported session.',
      type: 'gauge',
      samples: sessions.map(({ label, session }) => ({ labels: [['session', label]], value: session.messageCount })),
    },
    {
      name: 'cost_tracker_tokens_total',
      help: 'Tokens by model tier and class (input, output, cache_write, cache_read).',
      type: 'counter',
      samples: tokenTiers.flatMap((tier) =>
        TOKEN_TYPES.map((type) => ({
          labels: [
            ['tier', tier],
            ['type', type],
          ] as const,
          value: doc.byTierTokens[tier]?.[type] ?? 0,
        })),
      ),
    },
  ];
  if (doc.budget !== null) {
    families.push(
      { name: 'cost_tracker_budget_usd', help: 'The budget in US dollars.', type: 'gauge', samples: [{ labels: [], value: doc.budget.budget_usd }] },
      {
        name: 'cost_tracker_budget_utilization',
        help: 'Share of the budget spent, as a fraction (1 is the whole budget).',
        type: 'gauge',
        samples: [{ labels: [], value: doc.budget.utilization }],
      },
    );
  }
  // A family without samples is left out: HELP and TYPE alone tell a dashboard nothing.
  return families
    .filter((f) => f.samples.length > 0)
    .map(familyText)
    .join('');
}

/**
 * Each session with its `session` label, in document order. The full id, so that ids sharing a prefix
 * never merge into one series; ids that two agents share become `<agent>/<id>`; anything still alike
 * (the same agent listed twice) gets `#2`, `#3` so that no two series of a family are the same.
 */
export function labelledSessions(sessions: readonly ExportSession[]): Array<{ session: ExportSession; label: string }> {
  const idCounts = new Map<string, number>();
  for (const s of sessions) idCounts.set(s.sessionId, (idCounts.get(s.sessionId) ?? 0) + 1);
  const taken = new Set<string>();
  return sessions.map((session) => {
    const shared = (idCounts.get(session.sessionId) ?? 0) > 1;
    const wanted = shared ? `${session.agent}/${session.sessionId}` : session.sessionId;
    let label = wanted;
    for (let n = 2; taken.has(label); n++) label = `${wanted}#${n}`;
    taken.add(label);
    return { session, label };
  });
}

function familyText(family: Family): string {
  let text = `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
  for (const sample of family.samples) {
    const labels = sample.labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
    text += `${family.name}${labels === '' ? '' : `{${labels}}`} ${formatValue(sample.value)}\n`;
  }
  return text;
}

/** Label values escape backslash, double quote and line feed; nothing else is special. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escapes backslash and line feed only (a quote is literal there). */
function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** JS's shortest round-tripping form, which Go's ParseFloat reads back; the format's own spelling of the specials. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Code-point order, not the locale's: the file must not change with the machine it is written on. */
function sortedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
