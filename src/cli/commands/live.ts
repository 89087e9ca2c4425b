import type { CommandSpec } from './command.js';

/** Placeholder until `live` lands. */
export const liveCommand: CommandSpec = {
  name: 'live',
  summary: '(not yet available)',
  configure: () => {},
};
