import type { CommandSpec } from './command.js';

/** Placeholder until `watch` lands. */
export const watchCommand: CommandSpec = {
  name: 'watch',
  summary: '(not yet available)',
  configure: () => {},
};
