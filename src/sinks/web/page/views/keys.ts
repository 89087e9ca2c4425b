import type { BudgetStatus, BudgetsDocument, GatewayKey, KeysDocument } from '../../documents.js';
import { formatMoney, formatMoment, formatTokens } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport } from '../api.js';
import { h, replace } from '../dom.js';
import { type Column, dataTable } from '../table.js';
import { at, type View, type ViewContext } from '../view.js';
import { errorBox, levelBadge, loading, meter, stat } from '../widgets.js';

/** The gateway's keys: each meter since its last reset, its limits and budgets. */
export const keysView: View = {
  name: 'keys',
  title: 'Keys',
  nav: '/keys',
  match: at('/keys'),
  async render(root, ctx) {
    replace(root, h('h1', null, 'Gateway keys'), loading());
    try {
      // A key's budgets are those of scope `key:<name>`.
      const [doc, budgets] = await Promise.all([getReport<KeysDocument>('keys', {}, {}, ctx.signal), getReport<BudgetsDocument>('budgets', filtersFor('budgets', ctx.filters), {}, ctx.signal)]);
      const budgetsOf = (key: GatewayKey): BudgetStatus[] => [...(key.budgets ?? []), ...budgets.budgets.filter((b) => b.scope === `key:${key.name}`)];
      const cost = doc.keys.reduce((usd, k) => usd + (k.total_cost_usd ?? 0), 0);
      replace(
        root,
        h('h1', null, 'Gateway keys'),
        h('div', { class: 'stats' }, stat('Keys', String(doc.keys.length), 'key-count'), stat('Metered cost', formatMoney(cost), 'keys-cost', 'since each key’s last reset')),
        dataTable(doc.keys, keyColumns(ctx, budgetsOf), {
          testid: 'keys-table',
          rowTestid: 'key-row',
          sort: ctx.params.get('sort') ?? '-cost',
          onSort: (s) => ctx.setParam('sort', s),
          empty: 'No gateway keys (see `tokenledger keys create`).',
        }),
      );
    } catch (error) {
      replace(root, h('h1', null, 'Gateway keys'), errorBox(error));
    }
  },
};

function keyColumns(ctx: ViewContext, budgetsOf: (key: GatewayKey) => BudgetStatus[]): Column<GatewayKey>[] {
  return [
    {
      key: 'name',
      label: 'Key',
      cell: (k) => [k.name, k.prefix ? h('code', { class: 'dim' }, ` ${k.prefix}…`) : null, k.revoked ? h('span', { class: 'badge' }, 'revoked') : null],
      sort: (k) => k.name,
    },
    { key: 'requests', label: 'Requests', cell: (k) => formatTokens(k.prompt_count ?? 0), sort: (k) => k.prompt_count ?? 0, numeric: true },
    { key: 'tokens', label: 'Tokens', cell: (k) => formatTokens(k.total_tokens ?? 0), sort: (k) => k.total_tokens ?? 0, numeric: true },
    { key: 'cost', label: 'Cost', cell: (k) => h('span', { 'data-testid': 'key-cost' }, formatMoney(k.total_cost_usd ?? 0)), sort: (k) => k.total_cost_usd ?? 0, numeric: true },
    { key: 'last', label: 'Last activity', cell: (k) => formatMoment(k.last_activity_at ?? null, ctx.zone), sort: (k) => String(k.last_activity_at ?? '') },
    { key: 'limits', label: 'Limits', cell: (k) => [k.rpm ? `${formatTokens(k.rpm)} rpm ` : '', k.tpm ? `${formatTokens(k.tpm)} tpm` : ''] },
    {
      key: 'budgets',
      label: 'Budgets',
      cell: (k) =>
        budgetsOf(k).map((b) =>
          h('div', { class: 'key-budget' }, `${b.period}: ${formatMoney(b.spent_usd)} of ${formatMoney(b.budget_usd)} `, levelBadge(b.level ?? 'OK'), meter(b.utilization_pct ?? 0, b.level ?? 'OK')),
        ),
    },
  ];
}
