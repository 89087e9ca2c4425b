import type { PriceBand } from '../../analytics/band-price.js';
import { machineOption, userOption } from '../../reports/options.js';
import { DEFAULT_SMALL_OUTPUT_TOKENS, DOWNGRADES, recommendations, type ModelRef, type Recommendation } from '../../analytics/optimize.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd, groupDigits, nanosToUsd } from '../../core/money.js';
import type { ZoneClock } from '../../core/zone-clock.js';
import { tierPremiums } from '../../analytics/tier-premium.js';
import { costAtRates, costNanos } from '../../pricing/cost.js';
import type { PriceTable } from '../../pricing/price-table.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import { runAnalysis, type Analysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { bandPricer } from '../../reports/band-pricer.js';
import { resolveBaselines } from '../../reports/baselines.js';
import { parseInstant } from '../../app/instant.js';
import { parseCount } from '../../app/numbers.js';
import type { Runnable } from './command.js';

export interface OptimizeOptions {
  since: number;
  smallOutputTokens: number;
}

export function optimizeOptions(flags: Record<string, unknown>, now: number, clock: ZoneClock): OptimizeOptions {
  const small = flags.smallOutput;
  return {
    since: parseInstant((flags.since as string | undefined) ?? '30d', '--since', now, clock),
    smallOutputTokens: small === undefined ? DEFAULT_SMALL_OUTPUT_TOKENS : parseCount(small, '--small-output', 1),
  };
}

/** The same tokens at a model's base rates today, as if it had no long-context tier. */
function basePricer(table: PriceTable, at: number): PriceBand {
  return (model, provider, row) => {
    const price = table.price(model, provider, at);
    return price === undefined ? undefined : { costNanos: costAtRates(price.base, row), exact: true };
  };
}

/** The newest catalog model of a tier (as `always-<tier>` baselines choose it), once per tier. */
function currentModels(table: PriceTable, at: number): (tier: string) => ModelRef | undefined {
  const known = new Map<string, ModelRef | undefined>();
  return (tier) => {
    if (!known.has(tier)) {
      let found: ModelRef | undefined;
      try {
        found = resolveBaselines(`always-${tier}`, table, at)[0];
      } catch {
        found = undefined; // the catalog has no model of that tier
      }
      known.set(tier, found === undefined ? undefined : { model: found.model, ...(found.provider === undefined ? {} : { provider: found.provider }) });
    }
    return known.get(tier);
  };
}

const snake = (key: string): string => key.replace(/(?<=[a-z])(?=[A-Z])|(?<=[a-zA-Z])(?=\d)/g, '_').toLowerCase();

/** Evidence for JSON: snake_case keys, `…Nanos` figures as `…_usd` dollars. */
function jsonFigures(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonFigures);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => (key.endsWith('Nanos') && typeof v === 'number' ? [`${snake(key.slice(0, -5))}_usd`, nanosToUsd(v)] : [snake(key), jsonFigures(v)])),
  );
}

function sections(list: readonly Recommendation[], a: Analysis, since: number, totalNanos: number, requests: number, unpriced: number): ReportSection[] {
  const notes = unpriced > 0 ? [`Left out: ${unpriced} request${unpriced === 1 ? '' : 's'} of models without a price.`] : [];
  if (list.length === 0) {
    const why = requests > unpriced ? 'nothing to save was found in' : 'no priced usage in';
    return [{ lines: [`Nothing to recommend: ${why} namespace ${a.namespace} since ${a.clock.stamp(since)}.`, ...notes] }];
  }
  const out: ReportSection[] = [
    {
      title: `Recommendations since ${a.clock.stamp(since)} (spend ${formatUsd(totalNanos)}; savings at today's prices)`,
      columns: [
        { header: '#', align: 'right' },
        { header: 'Recommendation and what to do', minWidth: 24 },
        { header: 'Saving', align: 'right' },
      ],
      rows: list.map((r, i) => [String(i + 1), `${r.title}\n→ ${r.action}`, r.savingsNanos === 0 ? '-' : formatUsd(r.savingsNanos)]),
    },
  ];
  const downgrade = list.find((r) => r.id === 'downgrade');
  if (downgrade?.id === 'downgrade') {
    const e = downgrade.evidence;
    out.push({
      title: `Sessions averaging under ${groupDigits(String(e.smallOutputTokens))} output tokens per request${e.topSessions.length < e.sessions ? ` (top ${e.topSessions.length} of ${e.sessions})` : ''}`,
      columns: [
        { header: 'Session', minWidth: 12 },
        { header: 'Agent', priority: 30 },
        { header: 'Model', minWidth: 10 },
        { header: 'Instead', minWidth: 10 },
        { header: 'Requests', align: 'right', priority: 40 },
        { header: 'Mean output', align: 'right', priority: 35 },
        { header: 'Cost', align: 'right' },
        { header: 'Would cost', align: 'right' },
        { header: 'Saving', align: 'right' },
      ],
      rows: e.topSessions.map((s) => [
        s.sessionId,
        s.agent,
        s.model,
        s.targetModel,
        String(s.requests),
        groupDigits(String(Math.round(s.meanOutputTokens))),
        formatUsd(s.recordedNanos),
        formatUsd(s.repricedNanos),
        formatUsd(s.savingsNanos),
      ]),
    });
  }
  out.push({
    lines: [...list.map((r, i) => `${i + 1}. ${r.detail}`), "Each saving is what the same tokens would have cost instead, at today's prices; they overlap, so do not add them up.", ...notes],
  });
  return out;
}

export const optimizeCommand: Runnable = {
  name: 'optimize',
  summary: 'recommendations measured on your usage (downgrades, caching, long context, fast mode), with what each would have saved',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'the period: since a duration back (30d), a date or an ISO time', '30d')
      .option(
        '--small-output <tokens>',
        `suggest a cheaper model for sessions whose requests averaged fewer output tokens than this on ${Object.keys(DOWNGRADES).join(' or ')}`,
        String(DEFAULT_SMALL_OUTPUT_TOKENS),
      );
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'optimize',
      flags,
      io,
      (_loaded, clock) => optimizeOptions(flags, io.now(), clock),
      async (a, { since, smallOutputTokens }) => {
        const table = await a.ws.pricer.table();
        const rows = await a.ws.ledger.usage({ namespace: a.namespace, since, until: a.now + 1, ...a.who }, ['session', 'model', 'promptBand']);
        const tiered = await a.ws.ledger.tieredEvents({ namespace: a.namespace, since, until: a.now + 1, ...a.who });
        const premiums = tierPremiums(tiered, (e) => {
          const price = table.price(e.model, e.provider, e.occurredAt);
          return price === undefined ? undefined : costNanos(price, e);
        });
        const list = recommendations({
          rows,
          price: bandPricer(table, a.now),
          basePrice: basePricer(table, a.now),
          currentModel: currentModels(table, a.now),
          smallOutputTokens,
          tierPremiums: premiums,
        });
        const totalNanos = rows.reduce((s, r) => s + r.costNanos, 0);
        const unpriced = rows.reduce((s, r) => s + r.unpricedEvents, 0);
        if (a.format === 'json') {
          a.json({
            namespace: a.namespace,
            since: new Date(since).toISOString(),
            until: new Date(a.now).toISOString(),
            total_cost_usd: nanosToUsd(totalNanos),
            unpriced_requests: unpriced,
            recommendations: list.map((r) => ({ id: r.id, title: r.title, detail: r.detail, action: r.action, savings_usd: nanosToUsd(r.savingsNanos), evidence: jsonFigures(r.evidence) })),
          });
        } else
          a.print(
            sections(
              list,
              a,
              since,
              totalNanos,
              rows.reduce((s, r) => s + r.events, 0),
              unpriced,
            ),
          );
        return EXIT.ok;
      },
    );
  },
};
