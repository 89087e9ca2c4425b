import { Option, type Command } from 'commander';
import { formatOptions, type Format } from './format.js';
import { localOption } from './local-options.js';

/** Options every command that touches the ledger takes. */
export function ledgerOptions(command: Command): Command {
  return command
    .option('-n, --namespace <name>', 'ledger partition (default: $<COMMAND>_NAMESPACE, $TOKENLEDGER_NAMESPACE, config "namespace", else cost-tracking)')
    .addOption(
      localOption('--db <path|url>', 'ledger: a SQLite file, or a PostgreSQL server by postgres:// URL (default: $TOKENLEDGER_DB, config "ledger", else $XDG_DATA_HOME/tokenledger/ledger.db)'),
    )
    .addOption(localOption('--config <path>', 'config file (default: $TOKENLEDGER_CONFIG, else $XDG_CONFIG_HOME/tokenledger/config.json)'))
    .addOption(localOption('-v, --verbose', 'list every dropped line and file with its reason'));
}

/**
 * Options of the usage reports (daily, weekly, monthly, session). With `formats`, `-f, --format`
 * offers them (`-j, --json` stays its shorthand: read both with `chosenFormat`); without, only `-j`.
 */
export function reportOptions(command: Command, formats?: readonly Format[]): Command {
  ledgerOptions(command);
  if (formats === undefined) command.addOption(localOption('-j, --json', 'print JSON (ccusage-compatible keys) instead of a table'));
  else formatOptions(command, formats);
  return command
    .option('-s, --since <when>', 'first day to include (inclusive): YYYY-MM-DD, YYYYMMDD, or a duration back from now such as 7d (the day 7 days ago)')
    .option('-u, --until <when>', 'last day to include (inclusive): YYYY-MM-DD, YYYYMMDD, or a duration back from now such as 1d')
    .option('-z, --timezone <zone>', 'IANA time zone for grouping days (default: config "timezone", else the system zone)')
    .option('-a, --agent <names>', 'only these agents, comma-separated (claude-code, codex-cli, gemini-cli or claude, codex, gemini)')
    .option('-p, --project <names>', 'only these projects, comma-separated: a full path or a folder name')
    .addOption(userOption())
    .addOption(machineOption())
    .option('-b, --breakdown', 'show a row per model under each period')
    .addOption(new Option('-o, --order <order>', 'sort order').choices(['asc', 'desc']).default('asc'))
    .option('-l, --last <n>', 'only the last N periods (1 = the current one); for sessions, the N most recent')
    .addOption(noSyncOption('report from the ledger as it is, without reading new agent logs'));
}

/** `--no-sync`: read the ledger as it is, without reading new agent logs first (the CLI's only; the API never syncs). */
export function noSyncOption(description: string): Option {
  return localOption('--no-sync', description);
}

/** `--user`: declared once, for the reports and the analysis commands that narrow usage to users. */
export function userOption(): Option {
  return new Option('--user <names>', 'only usage recorded by these users, comma-separated (as config "user" names them, else $USER@hostname)');
}

/** `--machine`: only usage recorded on these machines. */
export function machineOption(): Option {
  return new Option('--machine <ids>', 'only usage recorded on these machines, comma-separated machine ids (see "Who spent it" in the README)');
}
