import { Option, type Command } from 'commander';
import { parseWeekday, type Weekday } from '../core/calendar.js';
import { badArgument } from '../core/errors.js';
import { ZoneClock } from '../core/zone-clock.js';
import { agentId } from '../sources/index.js';
import type { Env } from '../sources/shared/roots.js';
import { formatOptions, type Format } from './format.js';
import { parseReportDay } from './instant.js';
import { resolveNamespace } from './namespace.js';
import { parseCount } from './numbers.js';

/** Options every command that touches the ledger takes. */
export function ledgerOptions(command: Command): Command {
  return command
    .option('-n, --namespace <name>', 'ledger partition (default: $<COMMAND>_NAMESPACE, $TOKENLEDGER_NAMESPACE, config "namespace", else cost-tracking)')
    .option('--db <path|url>', 'ledger: a SQLite file, or a PostgreSQL server by postgres:// URL (default: $TOKENLEDGER_DB, config "ledger", else $XDG_DATA_HOME/tokenledger/ledger.db)')
    .option('--config <path>', 'config file (default: $TOKENLEDGER_CONFIG, else $XDG_CONFIG_HOME/tokenledger/config.json)')
    .option('-v, --verbose', 'list every dropped line and file with its reason');
}

/**
 * Options of the usage reports (daily, weekly, monthly, session). With `formats`, `-f, --format`
 * offers them (`-j, --json` stays its shorthand: read both with `chosenFormat`); without, only `-j`.
 */
export function reportOptions(command: Command, formats?: readonly Format[]): Command {
  ledgerOptions(command);
  if (formats === undefined) command.option('-j, --json', 'print JSON (ccusage-compatible keys) instead of a table');
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
    .option('--no-sync', 'report from the ledger as it is, without reading new agent logs');
}

/** `--user`: declared once, for the reports and the analysis commands that narrow usage to users. */
export function userOption(): Option {
  return new Option('--user <names>', 'only usage recorded by these users, comma-separated (as config "user" names them, else $USER@hostname)');
}

/** `--machine`: only usage recorded on these machines. */
export function machineOption(): Option {
  return new Option('--machine <ids>', 'only usage recorded on these machines, comma-separated machine ids (see "Who spent it" in the README)');
}

/** The users and machines `--user` and `--machine` narrow usage to (absent: everyone's). */
export interface RecorderFilter {
  users?: string[];
  machines?: string[];
}

/** Reads `--user` and `--machine` (comma-separated lists). */
export function recorderFilter(flags: { user?: unknown; machine?: unknown }): RecorderFilter {
  const users = commaList(typeof flags.user === 'string' ? flags.user : undefined);
  const machines = commaList(typeof flags.machine === 'string' ? flags.machine : undefined);
  return { ...(users === undefined ? {} : { users }), ...(machines === undefined ? {} : { machines }) };
}

function commaList(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/** More periods than any ledger holds (about 270 years of days). */
const MAX_LAST = 100_000;

export interface ReportFlags {
  namespace?: string;
  db?: string;
  config?: string;
  verbose?: boolean;
  json?: boolean;
  /** Set only where `reportOptions` was given formats. */
  format?: Format;
  since?: string;
  until?: string;
  timezone?: string;
  agent?: string;
  project?: string;
  user?: string;
  machine?: string;
  breakdown?: boolean;
  instances?: boolean;
  order: 'asc' | 'desc';
  last?: string;
  sync: boolean;
  startOfWeek?: string;
}

export interface ReportRange {
  namespace: string;
  clock: ZoneClock;
  sinceDay: number | undefined;
  untilDay: number | undefined;
  agents: string[] | undefined;
  projectNames: string[] | undefined;
  /** `--user` and `--machine`. */
  who: RecorderFilter;
  last: number | undefined;
  startOfWeek: Weekday;
}

/** Validates report flags before anything is read, so a bad flag costs nothing. */
export function parseReportFlags(flags: ReportFlags, defaults: { timezone?: string; startOfWeek?: Weekday; namespace?: string }, command: string, env: Env, now: number): ReportRange {
  const named = flags.timezone ?? defaults.timezone;
  const clock = named === undefined ? ZoneClock.system() : new ZoneClock(named);
  const sinceDay = flags.since === undefined ? undefined : parseReportDay(flags.since, '--since', now, clock);
  const untilDay = flags.until === undefined ? undefined : parseReportDay(flags.until, '--until', now, clock);
  if (sinceDay !== undefined && untilDay !== undefined && sinceDay > untilDay) {
    throw badArgument(`--since ${flags.since} is after --until ${flags.until}`);
  }
  const last = flags.last === undefined ? undefined : parseCount(flags.last, '--last', 1, MAX_LAST);
  const agents = commaList(flags.agent)?.map((name) => agentId(name));
  return {
    namespace: resolveNamespace(flags.namespace, command, env, defaults.namespace),
    clock,
    sinceDay,
    untilDay,
    agents,
    projectNames: commaList(flags.project),
    who: recorderFilter(flags),
    last,
    startOfWeek: flags.startOfWeek === undefined ? (defaults.startOfWeek ?? 'monday') : parseWeekday(flags.startOfWeek),
  };
}

/** Project paths matching the names given: a full path matches itself, a name matches the last folder. */
export function matchProjects(names: readonly string[], known: readonly string[]): string[] {
  const matched = new Set<string>();
  const bare = (p: string): string => p.replace(/[/\\]+$/, '');
  for (const name of names) {
    const wanted = bare(name);
    for (const path of known) {
      const stored = bare(path);
      if (stored === wanted || stored.split(/[/\\]/).pop() === wanted) matched.add(path);
    }
  }
  return [...matched];
}
