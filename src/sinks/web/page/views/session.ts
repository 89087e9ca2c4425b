import type { SessionDetailDocument, SessionMessage } from '../../documents.js';
import { formatMoney, formatMoment, formatPercent, formatTokens } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport } from '../api.js';
import { timeline } from '../chart.js';
import { h, replace } from '../dom.js';
import { onLeave } from '../leave.js';
import { type Column, dataTable } from '../table.js';
import type { View, ViewContext } from '../view.js';
import { errorBox, link, loading, modelName, section, stat } from '../widgets.js';

/** How many of a session's messages its page lists, costliest first (`?top=` for another number). */
const MESSAGES_SHOWN = 100;

/** One session: its figures, p50/p90/p99 of its messages, a timeline and its messages costliest first. */
export const sessionView: View = {
  name: 'session',
  title: 'Session',
  match(pathname) {
    const found = /^\/sessions\/([^/]+)\/?$/.exec(pathname);
    return found ? [decodeURIComponent(found[1]!)] : null;
  },
  async render(root, ctx, [id]) {
    replace(root, link('/sessions', '← Sessions', { class: 'back' }), h('h1', null, 'Session ', h('code', { testid: 'session-id' }, id ?? '')), loading());
    try {
      const { since: _s, until: _u, ...filters } = ctx.filters;
      const doc = await getReport<SessionDetailDocument>('session', filtersFor('session', filters), { 'session-id': id ?? '', top: ctx.params.get('top') ?? String(MESSAGES_SHOWN) }, ctx.signal);
      const chart = timeline(
        doc.topMessages.map((m) => ({ at: m.at, usd: m.cost_usd })),
        ctx.zone,
        'session-timeline',
      );
      onLeave(ctx, () => chart.destroy());
      replace(
        root,
        link('/sessions', '← Sessions', { class: 'back' }),
        h('h1', null, 'Session ', h('code', { testid: 'session-id' }, doc.sessionId)),
        h(
          'p',
          { class: 'meta' },
          `${doc.agent} · ${doc.user ?? ''} · `,
          h('span', { class: 'path' }, doc.project),
          ` · ${formatMoment(doc.firstActivity, ctx.zone)} → ${formatMoment(doc.lastActivity, ctx.zone)}`,
        ),
        h(
          'div',
          { class: 'stats' },
          stat('Cost', formatMoney(doc.total_cost_usd), 'session-total-cost'),
          stat('Messages', formatTokens(doc.messageCount), 'session-message-count', doc.unpricedMessages > 0 ? `${doc.unpricedMessages} unpriced` : undefined),
          stat('p50', formatMoney(doc.percentiles.p50_usd), 'session-p50'),
          stat('p90', formatMoney(doc.percentiles.p90_usd), 'session-p90'),
          stat('p99', formatMoney(doc.percentiles.p99_usd), 'session-p99'),
        ),
        section('Timeline', null, chart.element),
        section(
          'Messages, costliest first',
          null,
          dataTable(doc.topMessages, messageColumns(ctx), { testid: 'messages-table', rowTestid: 'message-row', sort: ctx.params.get('sort'), onSort: (s) => ctx.setParam('sort', s) }),
        ),
      );
    } catch (error) {
      root.appendChild(errorBox(error));
      root.querySelector('[data-testid="loading"]')?.remove();
    }
  },
};

function messageColumns(ctx: ViewContext): Column<SessionMessage>[] {
  return [
    { key: 'at', label: 'When', cell: (m) => formatMoment(m.at, ctx.zone), sort: (m) => m.at },
    { key: 'model', label: 'Model', cell: (m) => [modelName(m.model, m.unpriced), m.sidechain ? h('span', { class: 'badge' }, 'sidechain') : null], sort: (m) => m.model },
    { key: 'input', label: 'Input', cell: (m) => formatTokens(m.input_tokens), sort: (m) => m.input_tokens, numeric: true },
    { key: 'output', label: 'Output', cell: (m) => formatTokens(m.output_tokens), sort: (m) => m.output_tokens, numeric: true },
    { key: 'cache-write', label: 'Cache write', cell: (m) => formatTokens(m.cache_creation_input_tokens), sort: (m) => m.cache_creation_input_tokens, numeric: true },
    { key: 'cache-read', label: 'Cache read', cell: (m) => formatTokens(m.cache_read_input_tokens), sort: (m) => m.cache_read_input_tokens, numeric: true },
    { key: 'cost', label: 'Cost', cell: (m) => h('span', { 'data-testid': 'message-cost' }, formatMoney(m.cost_usd)), sort: (m) => m.cost_usd, numeric: true },
    { key: 'share', label: 'Share', cell: (m) => formatPercent(m.pct_of_session), sort: (m) => m.pct_of_session, numeric: true },
  ];
}
