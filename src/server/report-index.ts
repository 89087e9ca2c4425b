import { Command, type Option } from 'commander';
import { isLocalOption } from '../reports/local-options.js';
import type { JsonReport } from '../reports/report.js';

/** A query parameter of a report, from its flag. */
export interface ParameterEntry {
  name: string;
  /** What it takes (`<date>`, `[n]`), absent for a switch. */
  value?: string;
  description: string;
  default?: unknown;
  choices?: readonly string[];
}

/** An endpoint of the API, as `GET /api/v1` lists it. */
export interface ReportEntry {
  name: string;
  path: string;
  args: readonly string[];
  parameters: ParameterEntry[];
}

/** Every report's endpoint and parameters, read from the flags each report declares. */
export function reportIndex(reports: readonly JsonReport[]): { reports: ReportEntry[] } {
  return { reports: reports.map(reportEntry) };
}

function reportEntry(report: JsonReport): ReportEntry {
  const command = new Command(report.name);
  report.configure(command);
  const args = report.args ?? [];
  return {
    name: report.name,
    path: `/api/v1/${report.name}${args.map((a) => `[/<${a}>]`).join('')}`,
    args,
    // The command line's own options (`--db`, `--json`, …) are no query parameters.
    parameters: command.options.filter((option) => !isLocalOption(option)).map(parameter),
  };
}

function parameter(option: Option): ParameterEntry {
  const name = option.long?.replace(/^--/, '') ?? option.attributeName();
  const value = /[<[][^>\]]*[>\]]/.exec(option.flags)?.[0];
  return {
    name,
    ...(value === undefined ? {} : { value }),
    description: option.description,
    ...(option.defaultValue === undefined ? {} : { default: option.defaultValue }),
    ...(option.argChoices === undefined ? {} : { choices: option.argChoices }),
  };
}
