import { markerReader } from './labeled-counts.js';
import type { TextTool } from './text-tool.js';

/** `Token count: 1,234 input, 567 output`: no model on the line, so Gemini CLI's default model is assumed. */
export const geminiText: TextTool = {
  id: 'gemini',
  label: 'Gemini (printed token count)',
  provider: 'google',
  defaultModel: 'gemini-2.5-pro',
  defaultModelNote: "Gemini CLI's default model",
  examples: ['Token count: 1,234 input, 567 output', 'token count: 567 output tokens, 1234 input tokens (gemini-2.5-flash)'],
  read: markerReader(/\btoken count\b\s*:?/i),
};
