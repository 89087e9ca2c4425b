import type { Command } from 'commander';
import { localOption } from './local-options.js';

export type Format = 'table' | 'markdown' | 'json' | 'csv';

/** Adds `--format` (with the formats a command offers) and its shorthand `-j, --json`. */
export function formatOptions(command: Command, formats: readonly Format[] = ['table', 'markdown', 'json']): Command {
  return command
    .addOption(
      localOption('-f, --format <format>', 'output format')
        .choices([...formats])
        .default('table'),
    )
    .addOption(localOption('-j, --json', 'the same as --format json'));
}

export function chosenFormat(flags: Record<string, unknown>): Format {
  return flags.json === true ? 'json' : ((flags.format as Format | undefined) ?? 'table');
}
