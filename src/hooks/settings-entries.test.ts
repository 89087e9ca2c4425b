import { describe, expect, it } from 'vitest';
import { installEntries, listEntries, uninstallEntries } from './settings-entries.js';

const commands = { stop: 'node /opt/tokenledger/bin/tokenledger hook stop', guard: 'node /opt/tokenledger/bin/tokenledger hook guard' };

describe('settings entries', () => {
  it('recognises its entries wherever the user moved them, and removes only those', () => {
    const settings = {
      hooks: {
        PreToolUse: [
          {
            matcher: 'Bash|Edit',
            hooks: [
              { type: 'command', command: './lint.sh' },
              { type: 'command', command: 'npx tokenledger hook guard --db ~/l.db' },
            ],
          },
        ],
        Stop: [{ hooks: [{ type: 'command', command: '/usr/bin/node "/x/tokenledger" hook stop' }] }],
      },
    };
    expect(listEntries(settings, 'f').map((e) => `${e.event} ${e.kind}`)).toEqual(['PreToolUse guard', 'Stop stop']);

    const installed = installEntries(settings, commands, 'f');
    expect(installed.changes.map((c) => `${c.event} ${c.action}`)).toEqual(['Stop updated', 'UserPromptSubmit added', 'PreToolUse updated']);
    // Updated in place: the user's matcher and neighbour stay.
    expect((installed.settings.hooks as any).PreToolUse).toEqual([
      {
        matcher: 'Bash|Edit',
        hooks: [
          { type: 'command', command: './lint.sh' },
          { type: 'command', command: commands.guard, timeout: 30 },
        ],
      },
    ]);
    expect(settings.hooks.Stop[0]?.hooks[0]?.command).toBe('/usr/bin/node "/x/tokenledger" hook stop');

    const removed = uninstallEntries(installed.settings, 'f');
    expect(removed.settings).toEqual({ hooks: { PreToolUse: [{ matcher: 'Bash|Edit', hooks: [{ type: 'command', command: './lint.sh' }] }] } });
  });

  it('leaves alone what is not its own: other commands naming tokenledger, other hook types, odd groups', () => {
    const settings = {
      hooks: {
        Stop: [
          'not a group',
          {
            hooks: [
              { type: 'command', command: 'tokenledger daily' },
              { type: 'prompt', prompt: 'tokenledger hook stop' },
            ],
          },
        ],
      },
      other: 1,
    };
    expect(listEntries(settings, 'f')).toEqual([]);
    expect(uninstallEntries(settings, 'f')).toEqual({ settings, changes: [] });
  });
});
