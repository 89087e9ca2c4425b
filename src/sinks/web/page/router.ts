import { periodsAt } from '../calendar.js';
import { browserZone, FILTER_FLAGS, type Filters, filtersFromQuery, queryFromFilters } from '../filters.js';
import { h, replace } from './dom.js';
import type { Shell } from './shell.js';
import type { View, ViewContext } from './view.js';
import { errorBox } from './widgets.js';

/**
 * Client-side routing over the history API: the path picks the view, the query string holds the
 * filters. Without `since` or `until` a view shows the current month; the time zone is always sent,
 * the browser's own unless the URL names one, so every figure is the CLI's for the same flags.
 */
export class Router {
  /** The drawn view's (aborted when it is replaced) and the one being drawn. */
  private shown: AbortController | undefined;
  private pending: AbortController | undefined;

  constructor(
    private readonly views: readonly View[],
    private readonly frame: Shell,
  ) {}

  start(): void {
    window.addEventListener('popstate', () => void this.draw());
    document.addEventListener('click', (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.('a[data-route]') as HTMLAnchorElement | null;
      if (!anchor || anchor.origin !== location.origin) return;
      event.preventDefault();
      this.go(anchor.pathname + (anchor.search || location.search));
    });
    void this.draw();
  }

  /** Follows an internal path (its own query, else the current filters). */
  go(url: string): void {
    history.pushState(null, '', url);
    void this.draw();
  }

  /** The filters the views use: the URL's, with the month and the zone filled in. */
  effectiveFilters(): Filters {
    const filters = filtersFromQuery(location.search);
    const zone = filters.timezone ?? browserZone();
    const since = filters.since === undefined && filters.until === undefined ? periodsAt(new Date(), zone).monthStart : filters.since;
    return { ...filters, timezone: zone, ...(since === undefined ? {} : { since }) };
  }

  /** Sets the filters (a new history entry), keeping the view and its other query parameters. */
  setFilters(filters: Filters): void {
    const params = new URLSearchParams(location.search);
    const extra: Record<string, string> = {};
    for (const [name, value] of params) if (!(FILTER_FLAGS as readonly string[]).includes(name)) extra[name] = value;
    this.go(location.pathname + queryFromFilters(filters, extra));
  }

  /** Draws the current URL's view; `quiet` (live updates) keeps the old content until the new is ready. */
  async draw(quiet = false): Promise<void> {
    this.pending?.abort();
    const controller = new AbortController();
    this.pending = controller;
    if (!quiet) {
      this.shown?.abort();
      this.shown = controller;
    }
    const filters = this.effectiveFilters();
    const zone = filters.timezone!;
    let view: View | undefined;
    let args: string[] = [];
    for (const candidate of this.views) {
      const found = candidate.match(location.pathname);
      if (found) {
        view = candidate;
        args = found;
        break;
      }
    }
    this.frame.update(view, filters, zone, queryFromFilters(filtersFromQuery(location.search)));
    const root = h('div', { class: 'view', testid: `view-${view?.name ?? 'not-found'}` });
    if (!view) {
      replace(root, h('h1', null, 'Not found'), h('p', null, 'No view at this address.'));
      replace(this.frame.main, root);
      return;
    }
    document.title = `${view.title} · tokenledger`;
    const scroll = window.scrollY;
    if (!quiet) replace(this.frame.main, root);
    const ctx: ViewContext = {
      filters,
      params: new URLSearchParams(location.search),
      zone,
      signal: controller.signal,
      setParam: (name, value, options) => {
        const url = new URL(location.href);
        if (value === undefined) url.searchParams.delete(name);
        else url.searchParams.set(name, value);
        history.replaceState(null, '', url.pathname + url.search);
        if (options?.redraw !== false) void this.draw();
      },
      refresh: () => void this.draw(true),
      navigate: (path) => this.go(path.includes('?') ? path : path + location.search),
    };
    try {
      await view.render(root, ctx, args);
    } catch (error) {
      if (controller.signal.aborted) return;
      root.appendChild(errorBox(error));
    }
    if (controller.signal.aborted) return;
    if (quiet) {
      replace(this.frame.main, root);
      window.scrollTo(0, scroll);
      this.shown?.abort();
      this.shown = controller;
    }
    root.dataset.ready = 'true';
  }
}
