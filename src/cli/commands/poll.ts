import type { CommandSpec } from './command.js';

/** Placeholder until `poll` lands. */
export const pollCommand: CommandSpec = {
  name: 'poll',
  summary: '(not yet available)',
  configure: () => {},
};
