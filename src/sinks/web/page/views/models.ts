import { byModel } from '../../aggregate.js';
import type { DailyDocument } from '../../documents.js';
import { formatMoney } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport } from '../api.js';
import { h, replace } from '../dom.js';
import { at, type View } from '../view.js';
import { errorBox, loading, stat } from '../widgets.js';
import { spendTable } from './spend-table.js';

/** Spend per model over the range (unpriced models marked). */
export const modelsView: View = {
  name: 'models',
  title: 'Models',
  nav: '/models',
  match: at('/models'),
  async render(root, ctx) {
    replace(root, h('h1', null, 'Models'), loading());
    try {
      const doc = await getReport<DailyDocument>('daily', filtersFor('daily', ctx.filters), {}, ctx.signal);
      const rows = byModel(doc);
      replace(
        root,
        h('h1', null, 'Models'),
        h('div', { class: 'stats' }, stat('Cost', formatMoney(doc.totals.totalCost), 'models-cost'), stat('Models', String(rows.length), 'model-count')),
        spendTable(rows, ctx, { testid: 'models-table', rowTestid: 'model-row', name: 'Model', count: 'Days' }),
      );
    } catch (error) {
      replace(root, h('h1', null, 'Models'), errorBox(error));
    }
  },
};
