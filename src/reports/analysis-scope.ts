import type { Command } from 'commander';
import { configGuardOptions } from '../app/guard-options.js';
import { resolveNamespace } from '../app/namespace.js';
import type { GuardOptions } from '../budgets/guard.js';
import type { Config } from '../config/schema.js';
import { ZoneClock } from '../core/zone-clock.js';
import type { Env } from '../sources/shared/roots.js';
import { noteUnmatchedFilters } from './filter-notes.js';
import { formatOptions, type Format } from './format.js';
import { ledgerOptions, noSyncOption } from './options.js';
import { recorderFilter, type RecorderFilter } from './recorder-filter.js';
import type { ReportContext } from './report.js';

/** The options every analysis command takes. */
export function analysisOptions(command: Command, formats?: readonly Format[]): Command {
  ledgerOptions(command);
  formatOptions(command, formats);
  return command
    .option('-z, --timezone <zone>', 'IANA time zone for days and calendar periods (default: config "timezone", else the system zone)')
    .addOption(noSyncOption('use the ledger as it is, without reading new agent logs'));
}

/** An analysis's calendar: `--timezone`, else the config's, else the system zone. */
export function analysisClock(flags: Record<string, unknown>, config: Config, env: Env): ZoneClock {
  const zone = (flags.timezone as string | undefined) ?? config.timezone;
  return zone === undefined ? ZoneClock.system(env) : new ZoneClock(zone);
}

/** What an analysis reads within, once its flags are read. */
export interface AnalysisScope {
  namespace: string;
  /** Epoch ms, read once. */
  now: number;
  clock: ZoneClock;
  /** Calendar and budget ladder, on `clock`. */
  guard: GuardOptions;
  /** `--user` and `--machine`, where the command takes them: spread into its usage filters. */
  who: RecorderFilter;
}

/**
 * The scope of analysis `command` for its flags (time zone, namespace, users and machines), with
 * a note when the namespace, users or machines asked for hold no usage (a typo would otherwise
 * give an empty analysis without a word).
 */
export async function analysisScope(ctx: ReportContext, command: string, flags: Record<string, unknown>): Promise<AnalysisScope> {
  const config = ctx.loaded.config;
  const clock = analysisClock(flags, config, ctx.env);
  const namespace = resolveNamespace(flags.namespace as string | undefined, command, ctx.env, config.namespace);
  const who = recorderFilter(flags);
  await noteUnmatchedFilters(ctx, { namespace, ...who });
  return { namespace, now: ctx.now(), clock, guard: { ...configGuardOptions(config, ctx.env, ctx.now), clock }, who };
}
