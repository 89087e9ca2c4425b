import { bySessionField } from '../../aggregate.js';
import type { SessionsDocument } from '../../documents.js';
import { formatMoney } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport } from '../api.js';
import { h, replace } from '../dom.js';
import { at, type View } from '../view.js';
import { errorBox, loading, section, stat } from '../widgets.js';
import { spendTable } from './spend-table.js';

/** Spend per user and per machine (who recorded the usage, on team ledgers). */
export const usersView: View = {
  name: 'users',
  title: 'Users',
  nav: '/users',
  match: at('/users'),
  async render(root, ctx) {
    replace(root, h('h1', null, 'Users and machines'), loading());
    try {
      const doc = await getReport<SessionsDocument>('session', filtersFor('session', ctx.filters), {}, ctx.signal);
      const users = bySessionField(doc.sessions, 'user');
      const machines = bySessionField(doc.sessions, 'machine');
      replace(
        root,
        h('h1', null, 'Users and machines'),
        h(
          'div',
          { class: 'stats' },
          stat('Cost', formatMoney(doc.totals.totalCost), 'users-cost'),
          stat('Users', String(users.length), 'user-count'),
          stat('Machines', String(machines.length), 'machine-count'),
        ),
        section('Users', null, spendTable(users, ctx, { testid: 'users-table', rowTestid: 'user-row', name: 'User', count: 'Sessions' })),
        section('Machines', null, spendTable(machines, ctx, { testid: 'machines-table', rowTestid: 'machine-row', name: 'Machine', count: 'Sessions', sortParam: 'msort' })),
      );
    } catch (error) {
      replace(root, h('h1', null, 'Users and machines'), errorBox(error));
    }
  },
};
