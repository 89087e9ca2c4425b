import { describe, expect, it } from 'vitest';
import { parseScope, scopeText } from './scope.js';

describe('budget scopes', () => {
  it('reads global, project, session, agent and user scopes', () => {
    expect(parseScope('global')).toEqual({ kind: 'global' });
    expect(parseScope('project:/home/dev/app/')).toEqual({ kind: 'project', value: '/home/dev/app' });
    expect(parseScope('session: abc ')).toEqual({ kind: 'session', value: 'abc' });
    expect(parseScope('agent:claude', (name) => (name === 'claude' ? 'claude-code' : name))).toEqual({ kind: 'agent', value: 'claude-code' });
    expect(parseScope('user:ada@lab')).toEqual({ kind: 'user', value: 'ada@lab' });
    expect(scopeText(parseScope('project:app'))).toBe('project:app');
    expect(scopeText(parseScope('user: ada@lab'))).toBe('user:ada@lab');
  });

  it('refuses what is not a scope', () => {
    for (const bad of ['', 'everything', 'project:', 'user:', 'team:x', ':x']) expect(() => parseScope(bad), bad).toThrow('--scope expects');
  });
});
