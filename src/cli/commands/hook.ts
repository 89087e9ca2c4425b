import type { CommandSpec } from './command.js';

/** Placeholder until `hook` lands. */
export const hookCommand: CommandSpec = {
  name: 'hook',
  summary: '(not yet available)',
  configure: () => {},
};
