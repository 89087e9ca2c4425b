/** What every benchmark part is given by `bench/run.ts`. */
export interface BenchContext {
  /** The bench's scratch folder (`.bench/`); a part keeps its files in a subfolder of its own. */
  work: string;
  /** `bin/tokenledger` of this checkout (run it with `process.execPath`). */
  bin: string;
  /** An environment with HOME, XDG folders and agent roots inside `work`; parts add their own. */
  env: NodeJS.ProcessEnv;
  log(text: string): void;
}

/** One row of the bench table: measure, tokenledger's figure, target, result. */
export type BenchRow = [measure: string, value: string, target: string, result: string];

/**
 * A part's own table, printed after the main one, when its figures need more columns than
 * measure, value, target and result (peers measured side by side).
 */
export interface BenchTable {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/** A benchmark part: `BENCH_ONLY=<name>[,<name>]` runs only the parts named. */
export interface BenchPart {
  name: string;
  /** False: the part reads no agent logs, so running it alone (`BENCH_ONLY`) generates no corpus. */
  corpus?: false;
  /** Rows of the main table, or a table of the part's own. */
  run(context: BenchContext): Promise<BenchRow[] | BenchTable>;
}

/** A table as Markdown lines. */
export function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)];
}
