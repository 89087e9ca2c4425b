import type { AnomalyDocument, CounterfactualDocument, OptimizeDocument } from '../../documents.js';
import { formatMoney, formatMoment, formatPercent } from '../../format.js';
import { filtersFor, ignoredFilters } from '../../report-filters.js';
import { getReport } from '../api.js';
import { h, replace } from '../dom.js';
import { dataTable } from '../table.js';
import { at, type View, type ViewContext } from '../view.js';
import { errorBox, ignoredNote, link, loading, section, stat } from '../widgets.js';
import { sessionPath } from './sessions.js';

/** The analysis commands' results: sessions that cost far more than usual, and what could be saved. */
export const analysisView: View = {
  name: 'analysis',
  title: 'Analysis',
  nav: '/analysis',
  match: at('/analysis'),
  async render(root, ctx) {
    const anomalies = section('Anomalies', 'anomalies', loading());
    const optimize = section('Optimize', 'optimize', loading());
    const counterfactual = section('Other models', 'counterfactual', loading());
    replace(root, h('h1', null, 'Analysis'), ignoredNote(ignoredFilters('anomaly', ctx.filters)), anomalies, optimize, counterfactual);
    const get = <T>(report: string) => getReport<T>(report, filtersFor(report, ctx.filters), {}, ctx.signal);
    await Promise.all([
      get<AnomalyDocument>('anomaly').then(
        (doc) => replace(anomalies, h('h2', null, 'Anomalies'), anomalyBody(doc, ctx)),
        (error) => replace(anomalies, h('h2', null, 'Anomalies'), errorBox(error)),
      ),
      get<OptimizeDocument>('optimize').then(
        (doc) => replace(optimize, h('h2', null, 'Optimize'), optimizeBody(doc)),
        (error) => replace(optimize, h('h2', null, 'Optimize'), errorBox(error)),
      ),
      get<CounterfactualDocument>('counterfactual').then(
        (doc) => replace(counterfactual, h('h2', null, 'Other models'), counterfactualBody(doc)),
        (error) => replace(counterfactual, h('h2', null, 'Other models'), errorBox(error)),
      ),
    ]);
  },
};

function anomalyBody(doc: AnomalyDocument, ctx: ViewContext): HTMLElement {
  return h(
    'div',
    null,
    h('p', { class: 'note' }, `${doc.sessions} sessions since ${formatMoment(doc.since, ctx.zone)}; median ${formatMoney(doc.median_usd)}, outliers beyond ${doc.threshold} robust deviations.`),
    dataTable(
      doc.outliers,
      [
        { key: 'session', label: 'Session', cell: (o) => link(sessionPath(o.sessionId), o.sessionId.slice(0, 8), { title: o.sessionId }), sort: (o) => o.sessionId },
        { key: 'agent', label: 'Agent', cell: (o) => o.agent, sort: (o) => o.agent },
        { key: 'last', label: 'Last activity', cell: (o) => formatMoment(o.lastActivity, ctx.zone), sort: (o) => o.lastActivity },
        { key: 'z', label: 'z', cell: (o) => o.z.toFixed(1), sort: (o) => o.z, numeric: true },
        { key: 'cost', label: 'Cost', cell: (o) => formatMoney(o.cost_usd), sort: (o) => o.cost_usd, numeric: true },
      ],
      { testid: 'anomalies-table', rowTestid: 'anomaly-row', sort: '-cost', empty: 'No outliers.' },
    ),
  );
}

function optimizeBody(doc: OptimizeDocument): HTMLElement {
  const savings = doc.recommendations.reduce((usd, r) => usd + (r.savings_usd ?? 0), 0);
  return h(
    'div',
    null,
    h('div', { class: 'stats' }, stat('Cost', formatMoney(doc.total_cost_usd), 'optimize-cost'), stat('Possible savings', formatMoney(savings), 'optimize-savings', 'upper bounds, see each')),
    doc.recommendations.length === 0
      ? h('p', { class: 'empty' }, 'Nothing to recommend.')
      : h(
          'ul',
          { class: 'recommendations' },
          doc.recommendations.map((r) =>
            h(
              'li',
              { testid: 'recommendation', 'data-id': r.id },
              h('div', { class: 'rec-head' }, h('strong', null, r.title), h('span', { class: 'savings' }, r.savings_usd === null ? '' : `save up to ${formatMoney(r.savings_usd)}`)),
              h('p', null, r.detail),
              h('p', { class: 'action' }, `→ ${r.action}`),
            ),
          ),
        ),
  );
}

function counterfactualBody(doc: CounterfactualDocument): HTMLElement {
  return h(
    'div',
    null,
    h('p', { class: 'note' }, `The same requests priced on other models (actual ${formatMoney(doc.actual_usd)}).`),
    dataTable(
      doc.baselines,
      [
        { key: 'baseline', label: 'Baseline', cell: (b) => b.baseline, sort: (b) => b.baseline },
        { key: 'model', label: 'Model', cell: (b) => b.model, sort: (b) => b.model },
        { key: 'cost', label: 'Would cost', cell: (b) => formatMoney(b.cost_usd), sort: (b) => b.cost_usd ?? 0, numeric: true },
        { key: 'savings', label: 'Savings', cell: (b) => `${formatMoney(b.savings_usd)} (${formatPercent(b.savings_pct)})`, sort: (b) => b.savings_usd ?? 0, numeric: true },
      ],
      { testid: 'counterfactual-table', rowTestid: 'baseline-row' },
    ),
  );
}
