import { badArgument } from '../core/errors.js';
import type { Scope } from '../ledger/ledger.js';

/**
 * `global`, `project:<name or path>`, `session:<id>`, `agent:<id>`, `user:<name>` (a user as
 * config `user` or `$USER@hostname` names them) or `key:<name>` (a gateway key); `agentId` turns what a
 * user wrote into an agent's id (stored budgets already hold ids).
 */
export function parseScope(text: string, agentId: (name: string) => string = (name) => name): Scope {
  const t = text.trim();
  if (t === 'global') return { kind: 'global' };
  const colon = t.indexOf(':');
  const kind = colon === -1 ? '' : t.slice(0, colon);
  const value = colon === -1 ? '' : t.slice(colon + 1).trim();
  if (value !== '') {
    if (kind === 'project') return { kind: 'project', value: value.replace(/[/\\]+$/, '') || value };
    if (kind === 'session') return { kind: 'session', value };
    if (kind === 'agent') return { kind: 'agent', value: agentId(value) };
    if (kind === 'user') return { kind: 'user', value };
    if (kind === 'key') return { kind: 'key', value };
  }
  throw badArgument(`--scope expects global, project:<name>, session:<id>, agent:<id>, user:<name> or key:<gateway key>, got "${text}"`);
}

export function scopeText(scope: Scope): string {
  return scope.kind === 'global' ? 'global' : `${scope.kind}:${scope.value}`;
}
