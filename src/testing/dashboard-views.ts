/** One view of the dashboard as the browser tests and the bench open it. */
export interface DashboardView {
  /** Short name, used in test names and screenshot file names. */
  name: string;
  /** The view's path; `:session` is replaced by a session id of the ledger served. */
  path: string;
  /** A selector present once the view has drawn its data. */
  ready: string;
}

/** The page sets this on the overview once its numbers and charts are drawn. */
export const OVERVIEW_DRAWN = '[data-testid="overview-drawn"]';

/** Every view of the dashboard, with its shareable path. */
export const DASHBOARD_VIEWS: readonly DashboardView[] = [
  { name: 'overview', path: '/', ready: OVERVIEW_DRAWN },
  { name: 'sessions', path: '/sessions', ready: '[data-testid="sessions-table"]' },
  { name: 'session', path: '/sessions/:session', ready: '[data-testid="session-messages"]' },
  { name: 'models', path: '/models', ready: '[data-testid="models-table"]' },
  { name: 'projects', path: '/projects', ready: '[data-testid="projects-table"]' },
  { name: 'users', path: '/users', ready: '[data-testid="users-table"]' },
  { name: 'keys', path: '/keys', ready: '[data-testid="keys-table"]' },
  { name: 'analysis', path: '/analysis', ready: '[data-testid="analysis"]' },
  { name: 'budgets', path: '/budgets', ready: '[data-testid="budgets"]' },
];

/** `view.path` with its session placeholder filled in. */
export function viewPath(view: DashboardView, sessionId: string): string {
  return view.path.replace(':session', encodeURIComponent(sessionId));
}
