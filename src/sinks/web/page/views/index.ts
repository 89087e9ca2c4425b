import type { View } from '../view.js';
import { analysisView } from './analysis.js';
import { budgetsView } from './budgets.js';
import { keysView } from './keys.js';
import { modelsView } from './models.js';
import { overviewView } from './overview.js';
import { projectsView } from './projects.js';
import { sessionView } from './session.js';
import { sessionsView } from './sessions.js';
import { usersView } from './users.js';

/** Every view of the dashboard, in the navigation's order: the router and the navigation loop over it. */
export const VIEWS: readonly View[] = [overviewView, sessionsView, sessionView, modelsView, projectsView, usersView, keysView, analysisView, budgetsView];
