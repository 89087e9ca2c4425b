import { byProject } from '../../aggregate.js';
import type { DailyByProjectDocument } from '../../documents.js';
import { formatMoney } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport } from '../api.js';
import { h, replace } from '../dom.js';
import { at, type View } from '../view.js';
import { errorBox, loading, stat } from '../widgets.js';
import { spendTable } from './spend-table.js';

/** Spend per project folder over the range. */
export const projectsView: View = {
  name: 'projects',
  title: 'Projects',
  nav: '/projects',
  match: at('/projects'),
  async render(root, ctx) {
    replace(root, h('h1', null, 'Projects'), loading());
    try {
      const doc = await getReport<DailyByProjectDocument>('daily', filtersFor('daily', ctx.filters), { instances: true }, ctx.signal);
      const rows = byProject(doc);
      replace(
        root,
        h('h1', null, 'Projects'),
        h('div', { class: 'stats' }, stat('Cost', formatMoney(doc.totals.totalCost), 'projects-cost'), stat('Projects', String(rows.length), 'project-count')),
        spendTable(rows, ctx, { testid: 'projects-table', rowTestid: 'project-row', name: 'Project', count: 'Days' }),
      );
    } catch (error) {
      replace(root, h('h1', null, 'Projects'), errorBox(error));
    }
  },
};
