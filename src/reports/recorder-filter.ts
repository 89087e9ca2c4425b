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

/** A comma-separated list, trimmed, without empty entries (absent: absent). */
export function commaList(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
