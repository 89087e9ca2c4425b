import { markerReader } from './labeled-counts.js';
import type { TextTool } from './text-tool.js';

/** `MiniMax usage: 1,234 input tokens, 567 output tokens (MiniMax-M2)`. */
export const minimaxText: TextTool = {
  id: 'minimax',
  label: 'MiniMax (printed usage)',
  provider: 'minimax',
  defaultModel: 'MiniMax-M2',
  defaultModelNote: "MiniMax's default coding model",
  examples: ['MiniMax usage: 1,234 input tokens, 567 output tokens (MiniMax-M2)', 'minimax usage: 1234 prompt + 567 completion = 1801 total'],
  read: markerReader(/\bminimax usage\b\s*:?/i),
};
