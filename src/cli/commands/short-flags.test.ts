import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from './command.js';
import { COMMANDS } from './index.js';

/** Every short flag of every command (subcommands included), with the long flags it stands for. */
function shortFlags(): Map<string, Map<string, string[]>> {
  const byShort = new Map<string, Map<string, string[]>>();
  const visit = (spec: CommandSpec, path: string): void => {
    const command = new Command(spec.name);
    spec.configure(command);
    for (const option of command.options) {
      if (option.short === undefined || option.long === undefined) continue;
      let longs = byShort.get(option.short);
      if (longs === undefined) byShort.set(option.short, (longs = new Map()));
      longs.set(option.long, [...(longs.get(option.long) ?? []), path]);
    }
    for (const sub of spec.subcommands ?? []) visit(sub, `${path} ${sub.name}`);
  };
  for (const spec of COMMANDS) visit(spec, spec.name);
  return byShort;
}

describe('short flags', () => {
  it('mean one thing in every command', () => {
    const clashes = [...shortFlags()].filter(([, longs]) => longs.size > 1).map(([short, longs]) => `${short}: ${[...longs].map(([long, where]) => `${long} (${where.join(', ')})`).join(' vs ')}`);
    expect(clashes).toEqual([]);
  });

  it('keep the report flags users know: -s since, -u until, -p project, -l last, -b breakdown, -z timezone', () => {
    const flags = shortFlags();
    const meaning = (short: string): string[] => [...(flags.get(short)?.keys() ?? [])];
    expect([meaning('-s'), meaning('-u'), meaning('-p'), meaning('-l'), meaning('-b'), meaning('-z')]).toEqual([['--since'], ['--until'], ['--project'], ['--last'], ['--breakdown'], ['--timezone']]);
  });
});
