import type { Filters } from '../filters.js';

/** What a view is drawn with: the filters of the URL (defaults applied) and the rest of its query. */
export interface ViewContext {
  filters: Filters;
  /** The whole query string of the URL (view state such as `q`, `sort`, `chart` beside the filters). */
  params: URLSearchParams;
  /** The time zone moments are shown in (the `timezone` filter, else the browser's). */
  zone: string;
  /** Aborted when the view is left or redrawn. */
  signal: AbortSignal;
  /**
   * Sets (or, with `undefined`, removes) a query parameter of this view's URL and redraws; with
   * `redraw: false` only the URL changes (the view has redrawn the part itself, e.g. while typing).
   */
  setParam(name: string, value: string | undefined, options?: { redraw?: boolean }): void;
  /** Draws the view again from fresh data (after a write). */
  refresh(): void;
  /** Goes to another path of the page (`/sessions/ID`), keeping the filters. */
  navigate(path: string): void;
}

/** One view of the dashboard: a path, its link, and how it draws itself into its root element. */
export interface View {
  /** `overview`, `sessions`, … (its root carries `data-testid="view-<name>"`). */
  readonly name: string;
  readonly title: string;
  /** The path of its link in the navigation; absent for views reached from another (a session's page). */
  readonly nav?: string;
  /** The path's arguments when the view answers `pathname`, else `null`. */
  match(pathname: string): string[] | null;
  render(root: HTMLElement, ctx: ViewContext, args: readonly string[]): Promise<void>;
}

/** A view at one fixed path. */
export function at(path: string): (pathname: string) => string[] | null {
  return (pathname) => ((pathname.replace(/\/+$/, '') || '/') === path ? [] : null);
}
