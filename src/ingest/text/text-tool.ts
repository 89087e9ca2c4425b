/** What a text tool reads from one printed line. */
export type LineReading =
  /** A usage line: one model request's tokens, and the model when the line names one. */
  | { kind: 'usage'; inputTokens: number; outputTokens: number; model?: string }
  /** A line that looks like usage but cannot be read exactly: dropped with the reason. */
  | { kind: 'bad'; reason: string };

/**
 * A CLI that only prints its usage. The registry in `index.ts` lists them; `--tool`, `--help`
 * and the README loop over it.
 */
export interface TextTool {
  /** `--tool` value, e.g. `gemini`. */
  id: string;
  label: string;
  /** Pricing provider hint (catalog provider id). */
  provider: string;
  /** The model recorded when neither the line nor `--model` names one; undefined when the tool has none. */
  defaultModel?: string;
  /** Where `defaultModel` comes from, said on stderr when it is used. */
  defaultModelNote?: string;
  /** One line of each accepted form, for `--help` and tests. */
  examples: readonly string[];
  /** Reads one cleaned line (see `cleanLine`); undefined when it is not a usage line at all. */
  read(line: string): LineReading | undefined;
}

/** The agent name events from a text tool are recorded under. */
export function textAgent(tool: TextTool): string {
  return `${tool.id}-text`;
}

/** Recorded when no model is known: no price matches it, so its tokens are listed as unpriced. */
export function unknownModel(tool: TextTool): string {
  return `${tool.id}-unknown`;
}
