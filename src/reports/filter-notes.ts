import { terminalText } from '../core/terminal-text.js';
import type { Ledger } from '../ledger/ledger.js';
import type { ReportContext } from './report.js';

/** What a report was narrowed to. */
export interface AskedFilters {
  namespace: string;
  agents?: readonly string[] | undefined;
  /** Names given to `--project`, and the project paths they matched. */
  projectNames?: readonly string[] | undefined;
  matchedProjects?: readonly string[] | undefined;
  /** `--user` and `--machine`. */
  users?: readonly string[] | undefined;
  machines?: readonly string[] | undefined;
}

/** How many known values a note lists before `… and N more`. */
const LISTED = 12;

function list(values: readonly string[]): string {
  if (values.length === 0) return 'none';
  const shown = values.slice(0, LISTED).map(terminalText).join(', ');
  return values.length > LISTED ? `${shown}, … and ${values.length - LISTED} more` : shown;
}

/**
 * Notes for filters that match nothing in the ledger, each naming the values that would: a
 * namespace with no usage, an agent with no usage in the namespace, project names matching no
 * project, users or machines that recorded nothing. Empty when every filter matches something.
 */
export async function unmatchedFilterNotes(ledger: Pick<Ledger, 'partitions' | 'projects' | 'recorders'>, asked: AskedFilters): Promise<string[]> {
  const notes: string[] = [];
  const partitions = await ledger.partitions();
  const here = partitions.find((p) => p.namespace === asked.namespace);
  if (here === undefined && partitions.length > 0) {
    notes.push(`namespace ${terminalText(asked.namespace)} holds no usage; namespaces with usage: ${list(partitions.map((p) => p.namespace))}`);
  }
  const missing = here === undefined ? [] : (asked.agents ?? []).filter((agent) => !here.agents.includes(agent));
  if (here !== undefined && missing.length > 0) {
    notes.push(`no usage of ${missing.length === 1 ? 'agent' : 'agents'} ${list(missing)} in namespace ${terminalText(asked.namespace)}; agents with usage there: ${list(here.agents)}`);
  }
  if (asked.projectNames !== undefined && asked.matchedProjects?.length === 0) {
    notes.push(`no project in the ledger matches ${list(asked.projectNames)}; projects: ${list(await ledger.projects())}`);
  }
  if (asked.users !== undefined || asked.machines !== undefined) {
    const recorders = await ledger.recorders();
    for (const [asking, known, by, one, many] of [
      [asked.users, [...new Set(recorders.map((r) => r.user))], 'by', 'user', 'users'],
      [asked.machines, [...new Set(recorders.map((r) => r.machine))], 'on', 'machine', 'machines'],
    ] as const) {
      const missing = (asking ?? []).filter((value) => !known.includes(value));
      if (missing.length > 0) notes.push(`no usage recorded ${by} ${missing.length === 1 ? one : many} ${list(missing)}; ${many} with usage: ${list(known)}`);
    }
  }
  return notes;
}

/** Gives the notes of `unmatchedFilterNotes` to the reader (`ctx.note`). */
export async function noteUnmatchedFilters(ctx: Pick<ReportContext, 'ledger' | 'note'>, asked: AskedFilters): Promise<void> {
  for (const note of await unmatchedFilterNotes(ctx.ledger, asked)) ctx.note(note);
}
