import { badArgument } from '../../core/errors.js';
import { geminiText } from './gemini.js';
import { minimaxText } from './minimax.js';
import { openaiText } from './openai.js';
import type { TextTool } from './text-tool.js';

/** Every CLI whose printed usage tokenledger reads. Adding one is its file and one line here. */
export const TEXT_TOOLS: readonly TextTool[] = [geminiText, openaiText, minimaxText];

/** Resolves a `--tool` value (case-insensitive); an unknown one is a bad argument naming the known ones. */
export function findTextTool(name: string | undefined): TextTool {
  if (name === undefined || name.trim() === '') {
    throw badArgument('--text needs --tool <name>', `known tools: ${TEXT_TOOLS.map((t) => t.id).join(', ')}`);
  }
  const wanted = name.trim().toLowerCase();
  const found = TEXT_TOOLS.find((t) => t.id === wanted);
  if (found === undefined) throw badArgument(`unknown text tool "${name}"`, `known tools: ${TEXT_TOOLS.map((t) => t.id).join(', ')}`);
  return found;
}
