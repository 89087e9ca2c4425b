import type { CommandSpec } from './command.js';

/** Placeholder until `blocks` lands. */
export const blocksCommand: CommandSpec = {
  name: 'blocks',
  summary: '(not yet available)',
  configure: () => {},
};
