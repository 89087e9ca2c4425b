import { isTokenCount, MAX_TOKENS_TEXT } from '../../core/event-bounds.js';
import type { TextTool } from './text-tool.js';

/** A usage line found in printed text. */
export interface UsageLine {
  /** The tool that read it. */
  tool: TextTool;
  /** 1-based line number (or the poll's line sequence number). */
  line: number;
  /** The cleaned line, as read. */
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** The model the line names, if any. */
  model?: string;
}

/** A line that looked like usage but could not be read exactly. */
export interface BadLine {
  tool: TextTool;
  line: number;
  text: string;
  reason: string;
}

export interface TextReading {
  usages: UsageLine[];
  bad: BadLine[];
}

/**
 * Reads cleaned lines; each line goes to the first of `tools` that recognises it. `lineNumber(i)`
 * numbers the i-th line (default: i + 1).
 */
export function readUsageLines(tools: readonly TextTool[], lines: readonly string[], lineNumber: (index: number) => number = (i) => i + 1): TextReading {
  const reading: TextReading = { usages: [], bad: [] };
  lines.forEach((text, index) => {
    for (const tool of tools) {
      const result = tool.read(text);
      if (result === undefined) continue;
      const line = lineNumber(index);
      if (result.kind === 'bad') reading.bad.push({ tool, line, text, reason: result.reason });
      else if (!isTokenCount(result.inputTokens) || !isTokenCount(result.outputTokens)) reading.bad.push({ tool, line, text, reason: `a count is above ${MAX_TOKENS_TEXT} tokens` });
      else reading.usages.push({ tool, line, text, inputTokens: result.inputTokens, outputTokens: result.outputTokens, ...(result.model === undefined ? {} : { model: result.model }) });
      return;
    }
  });
  return reading;
}
