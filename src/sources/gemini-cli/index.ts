import type { Source } from '../../core/source.js';
import { AGENT, openParser } from './parser.js';
import { defaultRoots, fileAt, listFiles } from './paths.js';

export const geminiCli: Source = {
  id: AGENT,
  label: 'Gemini CLI',
  aliases: ['gemini'],
  rootsEnvVar: 'GEMINI_DATA_DIR',
  defaultRoots,
  listFiles,
  fileAt,
  openParser,
};
