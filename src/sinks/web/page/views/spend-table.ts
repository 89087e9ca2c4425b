import type { Spend } from '../../aggregate.js';
import { formatMoney, formatTokens } from '../../format.js';
import { h } from '../dom.js';
import { type Column, dataTable } from '../table.js';
import type { ViewContext } from '../view.js';
import { modelName } from '../widgets.js';

/** The table of the models, projects and users views: a name and what it spent, sortable. */
export function spendTable(rows: readonly Spend[], ctx: ViewContext, options: { testid: string; rowTestid: string; name: string; count: string; sortParam?: string }): HTMLElement {
  const total = rows.reduce((usd, r) => usd + r.costUsd, 0);
  const columns: Column<Spend>[] = [
    {
      key: 'name',
      label: options.name,
      cell: (r) =>
        options.name === 'Model' ? modelName(r.name, r.unpriced) : h('span', { class: 'path', title: r.name }, r.name, r.unpriced ? h('span', { class: 'badge warn' }, 'unpriced usage') : null),
      sort: (r) => r.name,
    },
    { key: 'count', label: options.count, cell: (r) => formatTokens(r.count), sort: (r) => r.count, numeric: true },
    { key: 'requests', label: 'Requests', cell: (r) => formatTokens(r.requests), sort: (r) => r.requests, numeric: true },
    { key: 'tokens', label: 'Tokens', cell: (r) => formatTokens(r.totalTokens), sort: (r) => r.totalTokens, numeric: true },
    { key: 'cost', label: 'Cost', cell: (r) => h('span', { 'data-testid': `${options.rowTestid}-cost` }, formatMoney(r.costUsd)), sort: (r) => r.costUsd, numeric: true },
    { key: 'share', label: 'Share', cell: (r) => (total > 0 ? `${((r.costUsd / total) * 100).toFixed(1)}%` : '—'), sort: (r) => r.costUsd, numeric: true },
  ];
  const param = options.sortParam ?? 'sort';
  return dataTable(rows, columns, { testid: options.testid, rowTestid: options.rowTestid, sort: ctx.params.get(param) ?? '-cost', onSort: (s) => ctx.setParam(param, s) });
}
