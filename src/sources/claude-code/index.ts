import type { Source } from '../../core/source.js';
import { AGENT, openParser } from './parser.js';
import { defaultRoots, listFiles } from './paths.js';

export const claudeCode: Source = {
  id: AGENT,
  label: 'Claude Code',
  aliases: ['claude', 'cc'],
  rootsEnvVar: 'CLAUDE_CONFIG_DIR',
  defaultRoots,
  listFiles,
  openParser: (file) => openParser(file),
};
