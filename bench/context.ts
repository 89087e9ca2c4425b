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

/** A benchmark part: `BENCH_ONLY=<name>[,<name>]` runs only the parts named. */
export interface BenchPart {
  name: string;
  run(context: BenchContext): Promise<BenchRow[]>;
}
