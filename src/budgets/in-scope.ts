import type { Scope, WrittenSpan } from '../ledger/ledger.js';
import { GATEWAY_AGENT } from '../ledger/gateway-keys.js';

/**
 * Whether a commit whose events touch what `span` says can move the spend of a budget of `scope`:
 * `global` always; `key:NAME` when it wrote a session NAME of agent `gateway`; `session:`, `agent:`
 * and `project:` (named by its full path or its last folder) when it wrote one. A user's spend
 * follows the recorder a session was first filed under, which a commit does not know: `user:`
 * budgets are always read.
 */
export function inScope(scope: Scope, span: WrittenSpan): boolean {
  switch (scope.kind) {
    case 'global':
    case 'user':
      return true;
    case 'key':
      return span.sessions.get(scope.value)?.has(GATEWAY_AGENT) === true;
    case 'session':
      return span.sessions.has(scope.value);
    case 'agent':
      return span.agents.has(scope.value);
    case 'project':
      for (const path of span.projects) if (path === scope.value || path.endsWith(`/${scope.value}`)) return true;
      return false;
  }
}
