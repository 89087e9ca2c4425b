import { periodsAt } from '../../calendar.js';
import type { BlocksDocument, BudgetsDocument, BurnDocument, DailyByProjectDocument, DailyDocument, ProjectionDocument } from '../../documents.js';
import type { Filters } from '../../filters.js';
import { formatMoney, formatMoment, formatPercent, formatTokens } from '../../format.js';
import { filtersFor, ignoredFilters } from '../../report-filters.js';
import { CHART_DIMENSIONS, type ChartDimension, type StackedSpend, spendByDay, spendByProject } from '../../series.js';
import { getReport } from '../api.js';
import { stackedBars } from '../chart.js';
import { h, replace } from '../dom.js';
import { at, type View, type ViewContext } from '../view.js';
import { errorBox, ignoredNote, levelBadge, loading, meter, section, stat } from '../widgets.js';
import { onLeave } from '../leave.js';

/** The range's total, today/week/month, the projection, every budget, spend per day, burn and active blocks. */
export const overviewView: View = {
  name: 'overview',
  title: 'Overview',
  nav: '/',
  match: at('/'),
  async render(root, ctx) {
    const periods = periodsAt(new Date(), ctx.zone);
    const dimension = (CHART_DIMENSIONS as readonly string[]).includes(ctx.params.get('chart') ?? '') ? (ctx.params.get('chart') as ChartDimension) : 'model';
    const get = <T>(report: string, filters: Filters, flags = {}) => getReport<T>(report, filtersFor(report, filters), flags, ctx.signal);
    const { since: _s, until: _u, ...rest } = ctx.filters;
    const periodFilters: Filters = { ...rest, since: [periods.weekStart, periods.monthStart].sort()[0], until: periods.today };

    const totals = h('div', { class: 'stats' }, loading());
    const budgets = section('Budgets', 'budget-ladder', loading());
    const chart = section('Spend per day', 'spend-chart-card', loading());
    const live = section('Burn rate and active blocks', 'burn', loading());
    replace(root, h('h1', null, 'Overview'), totals, budgets, chart, live);

    await Promise.all([
      Promise.all([
        get<DailyDocument>('daily', ctx.filters),
        get<DailyDocument>('daily', periodFilters),
        get<ProjectionDocument>('projection', ctx.filters, { horizons: `${Math.max(1, periods.daysLeftInMonth)}d` }),
      ])
        .then(([range, recent, projection]) => {
          const sum = (from: string) => recent.daily.filter((d) => d.date >= from && d.date <= periods.today).reduce((usd, d) => usd + d.totalCost, 0);
          const month = sum(periods.monthStart);
          const ahead = periods.daysLeftInMonth === 0 ? 0 : (projection.horizons[0]?.projected_usd ?? 0);
          const unpriced = range.totals.unpricedModels ?? [];
          replace(
            totals,
            stat('Selected range', formatMoney(range.totals.totalCost), 'total-cost', `${formatTokens(range.totals.totalTokens)} tokens, ${formatTokens(range.totals.requests)} requests`),
            stat('Today', formatMoney(sum(periods.today)), 'today-cost'),
            stat('This week', formatMoney(sum(periods.weekStart)), 'week-cost'),
            stat('This month', formatMoney(month), 'month-cost'),
            stat('Month end (projected)', formatMoney(month + ahead), 'projected-month-cost', `at ${formatMoney(projection.usd_per_day)}/day (last ${projection.window})`),
            unpriced.length > 0 ? h('p', { class: 'note warn', testid: 'unpriced-models' }, `Unpriced models (counted as $0): ${unpriced.join(', ')}`) : null,
          );
          if (dimension === 'model' || dimension === 'agent') drawChart(chart, ctx, dimension, spendByDay(range, dimension));
        })
        .catch((error) => replace(totals, errorBox(error))),
      get<BudgetsDocument>('budgets', ctx.filters)
        .then((doc) => replace(budgets, h('h2', null, 'Budgets'), ladder(doc)))
        .catch((error) => replace(budgets, h('h2', null, 'Budgets'), errorBox(error))),
      dimension === 'user'
        ? get<DailyDocument>('daily', ctx.filters, { by: 'user' }).then(
            (doc) => drawChart(chart, ctx, dimension, spendByDay(doc, 'user')),
            (error) => replace(chart, errorBox(error)),
          )
        : dimension === 'project'
          ? get<DailyByProjectDocument>('daily', ctx.filters, { instances: true }).then(
              (doc) => drawChart(chart, ctx, dimension, spendByProject(doc)),
              (error) => replace(chart, errorBox(error)),
            )
          : Promise.resolve(),
      Promise.all([get<BurnDocument>('burn', ctx.filters, { bucket: '1h', lookback: '1d' }), get<BlocksDocument>('blocks', ctx.filters, { active: true })])
        .then(([burn, blocks]) => replace(live, h('h2', null, 'Burn rate and active blocks'), burnRate(burn), activeBlocks(blocks, ctx.zone), ignoredNote(ignoredFilters('burn', ctx.filters))))
        .catch((error) => replace(live, h('h2', null, 'Burn rate and active blocks'), errorBox(error))),
    ]);
  },
};

function drawChart(card: HTMLElement, ctx: ViewContext, dimension: ChartDimension, spend: StackedSpend): void {
  const switcher = h(
    'div',
    { class: 'switch', role: 'group', 'aria-label': 'stack by', testid: 'chart-switch' },
    CHART_DIMENSIONS.map((d) =>
      h('button', { type: 'button', 'aria-pressed': d === dimension ? 'true' : 'false', 'data-dimension': d, onclick: () => ctx.setParam('chart', d === 'model' ? undefined : d) }, `by ${d}`),
    ),
  );
  if (spend.days.length === 0) {
    replace(card, h('h2', null, 'Spend per day'), switcher, h('p', { class: 'empty', testid: 'spend-chart' }, 'No spend in this range.'));
    return;
  }
  const chart = stackedBars(spend, 'spend-chart');
  onLeave(ctx, () => chart.destroy());
  replace(card, h('h2', null, 'Spend per day'), switcher, chart.element);
}

function ladder(doc: BudgetsDocument): HTMLElement {
  if (doc.budgets.length === 0) return h('p', { class: 'empty' }, 'No budgets set. Set one on the Budgets page or with `tokenledger budget set`.');
  return h(
    'ul',
    { class: 'ladder' },
    doc.budgets.map((b) =>
      h(
        'li',
        { testid: 'budget-row', 'data-scope': b.scope, 'data-period': b.period, 'data-level': b.level },
        h('div', { class: 'ladder-head' }, h('span', { class: 'scope' }, `${b.scope} · ${b.period}`), levelBadge(b.level)),
        meter(b.utilization_pct, b.level),
        h('div', { class: 'ladder-figures' }, `${formatMoney(b.spent_usd)} of ${formatMoney(b.budget_usd)} (${formatPercent(b.utilization_pct)}), ${formatMoney(b.remaining_usd)} left`),
      ),
    ),
  );
}

function burnRate(burn: BurnDocument): HTMLElement {
  return h(
    'div',
    { class: 'stats' },
    stat('Last hour', formatMoney(burn.latest_usd), 'burn-rate', burn.baseline_usd === null ? 'no earlier hours to compare' : `earlier hours ${formatMoney(burn.baseline_usd)}/h`),
    stat('Change', burn.acceleration_pct === null ? '—' : `${burn.acceleration_pct >= 0 ? '+' : ''}${formatPercent(burn.acceleration_pct)}`, 'burn-acceleration'),
  );
}

function activeBlocks(doc: BlocksDocument, zone: string): HTMLElement {
  const active = doc.blocks.filter((b) => b.isActive && !b.isGap);
  if (active.length === 0) return h('p', { class: 'empty', testid: 'active-blocks' }, 'No active 5-hour block.');
  return h(
    'ul',
    { class: 'blocks', testid: 'active-blocks' },
    active.map((b) =>
      h(
        'li',
        { testid: 'active-block', 'data-provider': b.provider },
        h('strong', null, b.provider),
        ` ${formatMoment(b.startTime, zone)} → ${formatMoment(b.endTime, zone)}: ${formatMoney(b.costUSD)}, ${formatTokens(b.totalTokens)} tokens`,
        b.burnRate?.costPerHour === undefined ? '' : `, ${formatMoney(b.burnRate.costPerHour)}/h`,
        b.projection?.totalCost === undefined ? '' : `, projected ${formatMoney(b.projection.totalCost)}`,
      ),
    ),
  );
}
