import { dayOrEmpty, type Filters } from '../filters.js';
import { h } from './dom.js';
import type { View } from './view.js';

/** The page's frame: the navigation (one link per view) and the filter bar (range, zone, agent, project, user). */
export interface Shell {
  element: HTMLElement;
  main: HTMLElement;
  /** Shows the filters of the current URL and marks the current view's link. */
  update(view: View | undefined, filters: Filters, zone: string, query: string): void;
  /** Shows whether live updates are connected. */
  live(state: 'live' | 'offline'): void;
}

export function shell(views: readonly View[], onFilters: (filters: Filters) => void): Shell {
  const links = views.filter((v) => v.nav !== undefined).map((v) => h('a', { href: v.nav!, 'data-route': '', 'data-view': v.name, 'data-path': v.nav!, testid: `nav-${v.name}` }, v.title));
  const since = h('input', { type: 'date', name: 'since', testid: 'filter-since', 'aria-label': 'since' });
  const until = h('input', { type: 'date', name: 'until', testid: 'filter-until', 'aria-label': 'until' });
  const timezone = h('input', { type: 'text', name: 'timezone', list: 'zones', testid: 'filter-timezone', 'aria-label': 'time zone', spellcheck: 'false' });
  const zones = h(
    'datalist',
    { id: 'zones' },
    supportedZones().map((z) => h('option', { value: z })),
  );
  const agent = h('input', { type: 'text', name: 'agent', placeholder: 'all agents', testid: 'filter-agent', 'aria-label': 'agent' });
  const project = h('input', { type: 'text', name: 'project', placeholder: 'all projects', testid: 'filter-project', 'aria-label': 'project' });
  const user = h('input', { type: 'text', name: 'user', placeholder: 'all users', testid: 'filter-user', 'aria-label': 'user' });
  const fields = { since, until, timezone, agent, project, user };
  let raw: Filters = {};
  const form = h(
    'form',
    { class: 'filters', testid: 'filters' },
    h('label', null, 'Since ', since),
    h('label', null, 'Until ', until),
    h('label', null, 'Time zone ', timezone, zones),
    h('label', null, 'Agent ', agent),
    h('label', null, 'Project ', project),
    h('label', null, 'User ', user),
    h('button', { type: 'submit', testid: 'filter-apply' }, 'Apply'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next: Filters = { ...raw };
    for (const [name, input] of Object.entries(fields)) {
      const value = input.value.trim();
      // A date picker cannot show `7d`: keep the URL's own value while the picker is left empty.
      if (value !== '') next[name as keyof Filters] = value;
      else if (!((name === 'since' || name === 'until') && raw[name] && dayOrEmpty(raw[name]) === '')) delete next[name as keyof Filters];
    }
    onFilters(next);
  });
  for (const input of [since, until]) input.addEventListener('change', () => form.requestSubmit());
  const liveBadge = h('span', { class: 'live offline', testid: 'live-status', title: 'live updates' }, 'offline');
  const main = h('main', { id: 'main', tabindex: '-1' });
  const element = h(
    'div',
    { class: 'app' },
    h('header', null, h('a', { href: '/', 'data-route': '', class: 'brand' }, 'tokenledger'), h('nav', { 'aria-label': 'views' }, links), liveBadge),
    form,
    main,
  );
  return {
    element,
    main,
    live(state) {
      liveBadge.textContent = state;
      liveBadge.className = `live ${state}`;
    },
    update(view, filters, zone, query) {
      raw = filters;
      since.value = dayOrEmpty(filters.since);
      until.value = dayOrEmpty(filters.until);
      timezone.value = filters.timezone ?? zone;
      agent.value = filters.agent ?? '';
      project.value = filters.project ?? '';
      user.value = filters.user ?? '';
      for (const a of links) {
        const current = a.dataset.view === (view?.name === 'session' ? 'sessions' : view?.name);
        a.setAttribute('href', `${a.dataset.path}${query}`);
        if (current) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
}

function supportedZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? ['UTC', ...intl.supportedValuesOf('timeZone')] : ['UTC'];
}
