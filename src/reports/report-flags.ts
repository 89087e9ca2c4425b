import { parseWeekday, type Weekday } from '../core/calendar.js';
import { badArgument } from '../core/errors.js';
import { ZoneClock } from '../core/zone-clock.js';
import { agentId } from '../sources/index.js';
import type { Env } from '../sources/shared/roots.js';
import { parseReportDay } from '../app/instant.js';
import { resolveNamespace } from '../app/namespace.js';
import { parseCount } from '../app/numbers.js';
import type { Format } from './format.js';
import { commaList, recorderFilter, type RecorderFilter } from './recorder-filter.js';

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
