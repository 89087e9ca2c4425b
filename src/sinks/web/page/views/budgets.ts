import type { BudgetStatus, BudgetsDocument } from '../../documents.js';
import { formatMoney, formatPercent } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport, send } from '../api.js';
import { h, replace } from '../dom.js';
import { type Column, dataTable } from '../table.js';
import { at, type View, type ViewContext } from '../view.js';
import { errorBox, levelBadge, loading, meter, section } from '../widgets.js';
import { adminToken, tokenForm } from '../admin-token.js';

/** Every budget and where it stands; set and remove them with the admin token. */
export const budgetsView: View = {
  name: 'budgets',
  title: 'Budgets',
  nav: '/budgets',
  match: at('/budgets'),
  async render(root, ctx) {
    const list = h('div', null, loading());
    const status = h('p', { class: 'status', role: 'status', testid: 'budget-status' });
    replace(root, h('h1', null, 'Budgets'), list, section('Set a budget', 'budget-form-card', tokenForm(), setForm(ctx, status), status));
    try {
      const doc = await getReport<BudgetsDocument>('budgets', filtersFor('budgets', ctx.filters), {}, ctx.signal);
      replace(
        list,
        dataTable(doc.budgets, columns(ctx, status), {
          testid: 'budgets-table',
          rowTestid: 'budget-row',
          sort: ctx.params.get('sort'),
          onSort: (s) => ctx.setParam('sort', s),
          empty: 'No budgets set.',
        }),
      );
    } catch (error) {
      replace(list, errorBox(error));
    }
  },
};

function columns(ctx: ViewContext, status: HTMLElement): Column<BudgetStatus>[] {
  return [
    { key: 'scope', label: 'Scope', cell: (b) => b.scope, sort: (b) => b.scope },
    { key: 'period', label: 'Period', cell: (b) => b.period, sort: (b) => b.period },
    { key: 'level', label: 'Level', cell: (b) => levelBadge(b.level), sort: (b) => b.utilization_pct },
    { key: 'used', label: 'Used', cell: (b) => [meter(b.utilization_pct, b.level), formatPercent(b.utilization_pct)], sort: (b) => b.utilization_pct, numeric: true },
    { key: 'spent', label: 'Spent', cell: (b) => formatMoney(b.spent_usd), sort: (b) => b.spent_usd, numeric: true },
    { key: 'budget', label: 'Budget', cell: (b) => h('span', { 'data-testid': 'budget-usd' }, formatMoney(b.budget_usd)), sort: (b) => b.budget_usd, numeric: true },
    { key: 'left', label: 'Left', cell: (b) => formatMoney(b.remaining_usd), sort: (b) => b.remaining_usd, numeric: true },
    {
      key: 'remove',
      label: '',
      cell: (b) =>
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            testid: 'budget-remove',
            onclick: () =>
              write(ctx, status, 'DELETE', `/api/v1/budgets?scope=${encodeURIComponent(b.scope)}&period=${encodeURIComponent(b.period)}`, undefined, `Removed the ${b.period} budget of ${b.scope}.`),
          },
          'Remove',
        ),
    },
  ];
}

function setForm(ctx: ViewContext, status: HTMLElement): HTMLFormElement {
  const scope = h('input', {
    name: 'scope',
    value: 'global',
    required: true,
    testid: 'budget-scope',
    'aria-label': 'scope',
    placeholder: 'global, project:<name>, agent:<id>, user:<name>, key:<name>',
  });
  const period = h('input', { name: 'period', value: 'month', required: true, testid: 'budget-period', 'aria-label': 'period', list: 'budget-periods', placeholder: 'today, week, month, all, 7d' });
  const usd = h('input', { name: 'usd', type: 'number', min: '0', step: '0.01', required: true, testid: 'budget-usd-input', 'aria-label': 'US dollars' });
  const periods = h(
    'datalist',
    { id: 'budget-periods' },
    ['today', 'week', 'month', 'all', '7d', '30d'].map((p) => h('option', { value: p })),
  );
  const form = h(
    'form',
    { class: 'inline-form', testid: 'budget-form' },
    h('label', null, 'Scope ', scope),
    h('label', null, 'Period ', period, periods),
    h('label', null, 'USD ', usd),
    h('button', { type: 'submit', testid: 'budget-submit' }, 'Set budget'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { scope: scope.value.trim(), period: period.value.trim(), usd: Number(usd.value) };
    void write(ctx, status, 'POST', '/api/v1/budgets', body, `Set ${formatMoney(body.usd)} per ${body.period} on ${body.scope}.`);
  });
  return form;
}

async function write(ctx: ViewContext, status: HTMLElement, method: 'POST' | 'DELETE', path: string, body: unknown, done: string): Promise<void> {
  const token = adminToken();
  if (token === '') {
    status.className = 'status error';
    status.textContent = 'Type the admin token first.';
    return;
  }
  status.className = 'status';
  status.textContent = 'Saving…';
  try {
    await send(method, path, token, body);
    status.textContent = done;
    ctx.refresh();
  } catch (error) {
    status.className = 'status error';
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}
