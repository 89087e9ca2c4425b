import type { CommandSpec } from './command.js';

/** Placeholder until `federation` lands. */
export const federationCommand: CommandSpec = {
  name: 'federation',
  summary: '(not yet available)',
  configure: () => {},
};
