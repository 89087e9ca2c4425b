import type { CommandSpec } from './command.js';

/** Placeholder until `ingest` lands. */
export const ingestCommand: CommandSpec = {
  name: 'ingest',
  summary: '(not yet available)',
  configure: () => {},
};
