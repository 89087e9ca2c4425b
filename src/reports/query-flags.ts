import { Command, CommanderError, type Option } from 'commander';
import { badArgument } from '../core/errors.js';
import { isLocalOption } from './local-options.js';
import type { JsonReport } from './report.js';

/**
 * The command line a query string stands for, over a command `configure` declared: each parameter
 * is the option of the same long name (`?since=2026-11-01&breakdown&agent=claude` is
 * `--since 2026-11-01 --breakdown --agent claude`). A switch takes no value or `true`; `false`
 * leaves it off, or gives `--no-<name>` where the command declares that. A name the command does
 * not declare, or declares as local to the command line (`--db`, `--json`, `--no-sync`, …), is
 * passed on as it is, for the parse to refuse as an unknown option.
 */
export function queryArgv(command: Command, query: URLSearchParams): string[] {
  const declared = new Map<string, Option>();
  for (const option of command.options) if (option.long !== undefined && !isLocalOption(option)) declared.set(option.long.slice(2), option);
  const argv: string[] = [];
  for (const [name, value] of query) {
    const option = declared.get(name);
    const negated = declared.get(`no-${name}`);
    if (option === undefined && negated !== undefined) {
      // Only `--no-<name>` is declared: `true` is its default, `false` gives it.
      if (value === 'false') argv.push(`--no-${name}`);
      else if (value !== '' && value !== 'true') throw switchValue(name, value);
    } else if (option === undefined) {
      argv.push(`--${name}`);
    } else if (option.required || option.optional) {
      argv.push(`--${name}`, value);
    } else if (value === '' || value === 'true') {
      argv.push(`--${name}`);
    } else if (value === 'false') {
      if (negated !== undefined) argv.push(`--no-${name}`);
    } else {
      throw switchValue(name, value);
    }
  }
  return argv;
}

/**
 * Parses a query string into a report's flags with the report's own `configure`: the same
 * values, defaults, choices and errors as on the command line. Bad parameters throw a
 * `BAD_ARGUMENT` error with commander's message; nothing is written and nothing exits.
 */
export function flagsFromQuery(report: Pick<JsonReport, 'name' | 'configure'>, query: URLSearchParams | string): Record<string, unknown> {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  const command = new Command(report.name)
    .exitOverride()
    .helpOption(false)
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  report.configure(command);
  // Local options stay declared (their defaults hold) but cannot be given: they are refused as unknown.
  const argv = queryArgv(command, params);
  for (const option of command.options) if (isLocalOption(option) && option.long !== undefined) refuseLocal(argv, option.long);
  try {
    command.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw badArgument(error.message.replace(/^error: /, ''));
    throw error;
  }
  return command.opts();
}

function switchValue(name: string, value: string): Error {
  return badArgument(`the parameter ${name} is a switch: give it no value, true or false, got "${value}"`);
}

function refuseLocal(argv: readonly string[], long: string): void {
  if (argv.includes(long)) throw badArgument(`unknown option '${long}'`);
}
