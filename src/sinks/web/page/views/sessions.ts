import type { SessionRow, SessionsDocument } from '../../documents.js';
import { formatMoney, formatMoment, formatTokens } from '../../format.js';
import { filtersFor } from '../../report-filters.js';
import { getReport } from '../api.js';
import { h, replace } from '../dom.js';
import { type Column, dataTable } from '../table.js';
import { at, type View, type ViewContext } from '../view.js';
import { errorBox, link, loading, modelName, stat } from '../widgets.js';

/** Every session of the range: a sortable, searchable table; a row opens the session's page. */
export const sessionsView: View = {
  name: 'sessions',
  title: 'Sessions',
  nav: '/sessions',
  match: at('/sessions'),
  async render(root, ctx) {
    const body = h('div', null, loading());
    const search = h('input', {
      type: 'search',
      placeholder: 'Search sessions (id, project, agent, user, model)',
      value: ctx.params.get('q') ?? '',
      testid: 'sessions-search',
      'aria-label': 'search sessions',
    });
    replace(root, h('h1', null, 'Sessions'), search, body);
    let doc: SessionsDocument;
    try {
      doc = await getReport<SessionsDocument>('session', filtersFor('session', ctx.filters), {}, ctx.signal);
    } catch (error) {
      replace(body, errorBox(error));
      return;
    }
    let sort = ctx.params.get('sort') ?? '-cost';
    // Searching and sorting redraw the table only: the search box keeps its focus while typing.
    const draw = () => {
      const query = search.value.trim();
      const rows = doc.sessions.filter((s) => matches(s, query));
      const total = rows.reduce((usd, s) => usd + s.totalCost, 0);
      replace(
        body,
        h('div', { class: 'stats' }, stat('Sessions', formatTokens(rows.length), 'session-count'), stat('Cost', formatMoney(total), 'sessions-cost')),
        dataTable(rows, sessionColumns(ctx), {
          testid: 'sessions-table',
          rowTestid: 'session-row',
          sort,
          onSort: (next) => {
            sort = next;
            ctx.setParam('sort', next, { redraw: false });
            draw();
          },
          onRow: (s) => ctx.navigate(sessionPath(s.sessionId)),
          empty: query ? 'No session matches.' : 'No sessions in this range.',
        }),
      );
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        ctx.setParam('q', search.value.trim() || undefined, { redraw: false });
        draw();
      }, 150);
    });
    draw();
  },
};

export function sessionPath(id: string): string {
  return `/sessions/${encodeURIComponent(id)}`;
}

function matches(s: SessionRow, query: string): boolean {
  if (query === '') return true;
  const needle = query.toLowerCase();
  return [s.sessionId, s.projectPath, s.agent, s.user ?? '', ...s.modelsUsed].some((text) => text.toLowerCase().includes(needle));
}

function sessionColumns(ctx: ViewContext): Column<SessionRow>[] {
  const unpriced = (s: SessionRow, model: string) => s.modelBreakdowns.some((m) => m.modelName === model && m.unpriced);
  return [
    { key: 'session', label: 'Session', cell: (s) => link(sessionPath(s.sessionId), s.sessionId.slice(0, 8), { title: s.sessionId, 'data-testid': 'session-link' }), sort: (s) => s.sessionId },
    { key: 'agent', label: 'Agent', cell: (s) => s.agent, sort: (s) => s.agent },
    { key: 'user', label: 'User', cell: (s) => s.user ?? '', sort: (s) => s.user ?? '' },
    { key: 'project', label: 'Project', cell: (s) => h('span', { class: 'path', title: s.projectPath }, s.projectPath), sort: (s) => s.projectPath },
    { key: 'models', label: 'Models', cell: (s) => s.modelsUsed.map((m) => h('div', null, modelName(m, unpriced(s, m)))) },
    { key: 'first', label: 'First activity', cell: (s) => formatMoment(s.firstActivity, ctx.zone), sort: (s) => s.firstActivity },
    { key: 'last', label: 'Last activity', cell: (s) => formatMoment(s.lastActivity, ctx.zone), sort: (s) => s.lastActivity },
    { key: 'tokens', label: 'Tokens', cell: (s) => formatTokens(s.totalTokens), sort: (s) => s.totalTokens, numeric: true },
    { key: 'cost', label: 'Cost', cell: (s) => h('span', { 'data-testid': 'session-cost' }, formatMoney(s.totalCost)), sort: (s) => s.totalCost, numeric: true },
  ];
}
