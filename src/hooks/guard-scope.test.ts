import { describe, expect, it } from 'vitest';
import { budgetApplies, type GuardSubject } from './guard-scope.js';
import { shellLine } from './shell-word.js';
import { transcriptRoot } from './transcript-root.js';

const subject: GuardSubject = { agent: 'claude-code', sessionId: 's-1', user: 'ada@lab', folders: ['/home/dev/app/src', '/home/dev/app'] };
const applies = (scope: string): boolean => budgetApplies({ scope }, subject);

describe('budgetApplies', () => {
  it('takes global, the agent, the session and the projects the event works in', () => {
    for (const scope of ['global', 'agent:claude-code', 'session:s-1', 'user:ada@lab', 'project:app', 'project:src', 'project:/home/dev/app', 'project:/home/dev/app/src']) {
      expect(applies(scope), scope).toBe(true);
    }
  });

  it('leaves out other agents, sessions and projects, and scopes it cannot read', () => {
    for (const scope of ['agent:codex-cli', 'session:s-2', 'user:bob@lab', 'user:ada', 'project:dev', 'project:/home/dev', 'project:/home/dev/ap', 'project:/home/dev/app/src/x', 'team:x', '']) {
      expect(applies(scope), scope).toBe(false);
    }
  });
});

describe('transcriptRoot', () => {
  it('is the parent of the nearest folder named projects', () => {
    expect(transcriptRoot('/home/u/.claude/projects/-home-u-app/abc.jsonl')).toBe('/home/u/.claude');
    expect(transcriptRoot('/home/u/.claude/projects/-home-u-app/abc/subagents/agent-1.jsonl')).toBe('/home/u/.claude');
    expect(transcriptRoot('~/.config/claude/projects/p/s.jsonl', '/home/u')).toBe('/home/u/.config/claude');
    expect(transcriptRoot('/tmp/s.jsonl')).toBeUndefined();
  });
});

describe('shellLine', () => {
  it('quotes only the words that need it', () => {
    expect(shellLine(['/usr/bin/node', '/opt/my tools/tokenledger', 'hook', "it's"])).toBe(`/usr/bin/node '/opt/my tools/tokenledger' hook 'it'\\''s'`);
  });
});
