/** One view of the dashboard as the browser tests and the bench open it. */
export interface DashboardView {
  /** The view's name: its root element carries `data-testid="view-<name>"`. */
  name: string;
  /** The view's path; `:session` is replaced by a session id of the ledger served. */
  path: string;
}

/** Present once the view `name` has drawn everything it shows (its data, its charts). */
export function viewReady(name: string): string {
  return `[data-testid="view-${name}"][data-ready]`;
}

/**
 * The overview with its numbers and its chart drawn: the view is ready and its spend chart has
 * been drawn (uPlot draws in the next animation frame), or says there is no spend to draw.
 */
export const OVERVIEW_DRAWN = [`${viewReady('overview')} [data-testid="spend-chart"][data-drawn]`, `${viewReady('overview')} p[data-testid="spend-chart"]`].join(', ');

/** Every view of the dashboard, with its shareable path. */
export const DASHBOARD_VIEWS: readonly DashboardView[] = [
  { name: 'overview', path: '/' },
  { name: 'sessions', path: '/sessions' },
  { name: 'session', path: '/sessions/:session' },
  { name: 'models', path: '/models' },
  { name: 'projects', path: '/projects' },
  { name: 'users', path: '/users' },
  { name: 'keys', path: '/keys' },
  { name: 'analysis', path: '/analysis' },
  { name: 'budgets', path: '/budgets' },
];

/** `view.path` with its session placeholder filled in. */
export function viewPath(view: DashboardView, sessionId: string): string {
  return view.path.replace(':session', encodeURIComponent(sessionId));
}
