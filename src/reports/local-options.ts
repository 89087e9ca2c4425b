import { Option } from 'commander';

const LOCAL = new WeakSet<Option>();

/**
 * An option that only means something on this machine's command line: which ledger file or config
 * to open, the output format, whether to read new agent logs first, how much to say on stderr.
 * It is declared with the report's flags (one `--help`), but the API refuses it as a query
 * parameter: a request never chooses the ledger, the config or the format it is answered in.
 */
export function localOption(flags: string, description: string): Option {
  const option = new Option(flags, description);
  LOCAL.add(option);
  return option;
}

/** Whether `option` was declared by `localOption`. */
export function isLocalOption(option: Option): boolean {
  return LOCAL.has(option);
}
