import { basename } from 'node:path';
import type { Budget } from '../ledger/ledger.js';
import { parseScope } from '../budgets/scope.js';

/** What a guarded event is about: the agent, its session, who records it and the folders it works in. */
export interface GuardSubject {
  agent: string;
  sessionId: string;
  /** The user this machine records usage as (config `user`, else `$USER@hostname`). */
  user: string;
  /** The event's `cwd` and Claude Code's project folder (`CLAUDE_PROJECT_DIR`), when known. */
  folders: readonly string[];
}

/**
 * Whether a budget speaks about this event: `global`, the agent's, the session's, the user's, or a project
 * the event works in. A project scope names a folder by its full path or its last name, as the
 * ledger sums a project's spend.
 */
export function budgetApplies(budget: Pick<Budget, 'scope'>, subject: GuardSubject): boolean {
  let scope: ReturnType<typeof parseScope>;
  try {
    scope = parseScope(budget.scope);
  } catch {
    // A scope this version cannot read speaks about nothing it can check.
    return false;
  }
  switch (scope.kind) {
    case 'global':
      return true;
    case 'agent':
      return scope.value === subject.agent;
    case 'session':
      return scope.value === subject.sessionId;
    case 'user':
      return scope.value === subject.user;
    case 'project':
      return subject.folders.some((folder) => projectMatches(scope.value, folder));
    case 'key':
      // A gateway key's budget is enforced by the gateway, before the request is sent.
      return false;
  }
}

function projectMatches(value: string, folder: string): boolean {
  const bare = folder.replace(/[/\\]+$/, '') || folder;
  return bare === value || basename(bare) === value;
}
