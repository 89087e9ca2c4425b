import type { CommandSpec } from './command.js';

/** Placeholder until `hooks` lands. */
export const hooksCommand: CommandSpec = {
  name: 'hooks',
  summary: '(not yet available)',
  configure: () => {},
};
